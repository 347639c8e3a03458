import Testing
@testable import Funnel

@Suite struct TimestampTests {
    // MARK: Parsing

    @Test func knownInstants() {
        #expect(Timestamp.parseRFC3339("1970-01-01T00:00:00Z") == 0)
        #expect(Timestamp.parseRFC3339("2000-01-01T00:00:00Z") == 946_684_800)
        #expect(Timestamp.parseRFC3339("2024-02-29T12:00:00+02:00") == 1_709_200_800)
        #expect(Timestamp.parseRFC3339("2026-11-01T10:00:00Z") == 1_793_527_200)
        #expect(Timestamp.parseRFC3339("2000-02-29T00:00:00Z") == 951_782_400)
        #expect(Timestamp.parseRFC3339("1900-03-01T00:00:00Z") == -2_203_891_200)
        #expect(Timestamp.parseRFC3339("1969-12-31T23:59:59Z") == -1)
    }

    @Test func yearBounds() {
        #expect(Timestamp.parseRFC3339("0000-01-01T00:00:00Z") == -62_167_219_200)
        #expect(Timestamp.parseRFC3339("9999-12-31T23:59:59Z") == 253_402_300_799)
        #expect(Timestamp.parseRFC3339("0000-02-29T00:00:00Z") == -62_162_121_600)
        #expect(Timestamp.parseRFC3339("0001-01-01T00:00:00-23:59") == -62_135_510_460)
    }

    @Test func separatorsAndZoneLetters() {
        #expect(Timestamp.parseRFC3339("2026-11-01t10:00:00Z") == 1_793_527_200)
        #expect(Timestamp.parseRFC3339("2026-11-01 10:00:00Z") == 1_793_527_200)
        #expect(Timestamp.parseRFC3339("2026-11-01T10:00:00z") == 1_793_527_200)
    }

    @Test func zoneOffsets() {
        #expect(Timestamp.parseRFC3339("2026-11-01 10:00:00-05:30") == 1_793_547_000)
        #expect(Timestamp.parseRFC3339("2026-11-01T10:00:00+00:00") == 1_793_527_200)
        #expect(Timestamp.parseRFC3339("2026-11-01T10:00:00-00:00") == 1_793_527_200)
        #expect(Timestamp.parseRFC3339("2026-11-01T10:00:00+23:59") == 1_793_440_860)
        #expect(Timestamp.parseRFC3339("2026-11-01T10:00:00-23:59") == 1_793_613_540)
    }

    @Test func fractions() {
        #expect(Timestamp.parseRFC3339("2026-11-01T10:00:00.5Z") == 1_793_527_200.5)
        #expect(Timestamp.parseRFC3339("2026-11-01t10:00:00.250+02:00") == 1_793_520_000.25)
        #expect(Timestamp.parseRFC3339("2026-11-01T10:00:00.000Z") == 1_793_527_200)
        #expect(Timestamp.parseRFC3339("2026-11-01T10:00:00.123Z") == Double("1793527200.123"))
        #expect(Timestamp.parseRFC3339("2026-11-01T10:00:00.000001Z") == Double("1793527200.000001"))
        #expect(Timestamp.parseRFC3339("1970-01-01T00:00:00.1Z") == 0.1)
        #expect(Timestamp.parseRFC3339("1969-12-31T23:59:59.75Z") == -0.25)
        #expect(Timestamp.parseRFC3339("1970-01-01T00:00:00.000000000000000000001Z") == 1e-21)
    }

    @Test func longFractionsStayWithinOneUlp() throws {
        let parsed = try #require(Timestamp.parseRFC3339("2026-11-01T10:00:00.1234567890123456789Z"))
        let exact = try #require(Double("1793527200.1234567890123456789"))
        #expect((parsed - exact).magnitude <= exact.ulp)
    }

    @Test func leapSecondsAtTheEndOfAMonth() {
        #expect(Timestamp.parseRFC3339("2016-12-31T23:59:60Z") == 1_483_228_800)
        #expect(Timestamp.parseRFC3339("2016-12-31T15:59:60-08:00") == 1_483_228_800)
        #expect(Timestamp.parseRFC3339("2017-01-01T05:29:60+05:30") == 1_483_228_800)
        #expect(Timestamp.parseRFC3339("2017-06-30T23:59:60.5Z") == 1_498_867_200.5)
        #expect(Timestamp.parseRFC3339("2026-11-01T10:00:60Z") == nil)
        #expect(Timestamp.parseRFC3339("2016-12-31T23:58:60Z") == nil)
        #expect(Timestamp.parseRFC3339("2016-12-30T23:59:60Z") == nil)
        #expect(Timestamp.parseRFC3339("2016-12-31T23:59:60+01:00") == nil)
    }

    @Test func fieldRanges() {
        let invalid = [
            "2026-13-01T10:00:00Z", "2026-00-01T10:00:00Z", "2026-01-00T10:00:00Z",
            "2026-01-32T10:00:00Z", "2026-04-31T10:00:00Z", "2026-06-31T10:00:00Z",
            "2023-02-29T10:00:00Z", "1900-02-29T10:00:00Z", "2024-02-30T10:00:00Z",
            "2026-11-01T24:00:00Z", "2026-11-01T10:60:00Z", "2026-11-01T10:00:61Z",
            "2026-11-01T10:00:99Z", "2026-11-01T10:00:00+24:00", "2026-11-01T10:00:00-24:00",
            "2026-11-01T10:00:00+02:60",
        ]
        for text in invalid {
            #expect(Timestamp.parseRFC3339(text) == nil, "\(text)")
        }
        #expect(Timestamp.parseRFC3339("2024-02-29T23:59:59Z") == 1_709_251_199)
        #expect(Timestamp.parseRFC3339("2026-01-31T00:00:00Z") == 1_769_817_600)
    }

    @Test func malformedText() {
        let invalid = [
            "", "2026-11-01", "2026-11-01T10:00:00", "2026-11-01T10:00Z", "2026-11-01T10:00:00.Z",
            "2026-11-01T10:00:00.+02:00", "2026-11-01T10:00:00Z ", " 2026-11-01T10:00:00Z",
            "2026-11-01T10:00:00ZZ", "2026-11-01X10:00:00Z", "2026-11-01T10:00:00+0200",
            "2026-11-01T10:00:00+02", "2026-11-01T10:00:00+02:0", "2026-11-01T10:00:00+02:00:00",
            "2026-11-01T10:00:00 +02:00", "26-11-01T10:00:00Z", "+2026-11-01T10:00:00Z",
            "2026-1-01T10:00:00Z", "2026-11-1T10:00:00Z", "2026-11-01T1:00:00Z",
            "2026/11/01T10:00:00Z", "2026-11-01T10-00-00Z", "2026-11-01T10:00:00,5Z",
            "2026-11-01T10:00:00UTC", "２０２６-11-01T10:00:00Z", "2026-11-01T10:00:00.5",
            "-001-11-01T10:00:00Z", "12026-11-01T10:00:00Z",
        ]
        for text in invalid {
            #expect(Timestamp.parseRFC3339(text) == nil, "\(text)")
        }
    }

    @Test func bufferAndStringEntryPointsAgree() {
        let text = "2026-11-01t10:00:00.250+02:00"
        let bytes = Array(text.utf8)
        let fromBuffer = bytes.withUnsafeBufferPointer { Timestamp.parseRFC3339($0) }
        #expect(fromBuffer == 1_793_520_000.25)
        #expect(fromBuffer == Timestamp.parseRFC3339(text))
        let truncated = bytes.withUnsafeBufferPointer {
            Timestamp.parseRFC3339(UnsafeBufferPointer(rebasing: $0[0..<19]))
        }
        #expect(truncated == nil)
    }

    // MARK: Formatting

    @Test func formatsWholeSeconds() {
        #expect(Timestamp.formatRFC3339(0) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.formatRFC3339(1_793_527_200) == "2026-11-01T10:00:00Z")
        #expect(Timestamp.formatRFC3339(946_684_800) == "2000-01-01T00:00:00Z")
        #expect(Timestamp.formatRFC3339(951_782_400) == "2000-02-29T00:00:00Z")
        #expect(Timestamp.formatRFC3339(-1) == "1969-12-31T23:59:59Z")
        #expect(Timestamp.formatRFC3339(-2_203_891_200) == "1900-03-01T00:00:00Z")
        #expect(Timestamp.formatRFC3339(-0.0) == "1970-01-01T00:00:00Z")
    }

    @Test func formatsFractionsWithoutTrailingZeros() {
        #expect(Timestamp.formatRFC3339(1_793_527_200.5) == "2026-11-01T10:00:00.5Z")
        #expect(Timestamp.formatRFC3339(1_793_527_200.25) == "2026-11-01T10:00:00.25Z")
        #expect(Timestamp.formatRFC3339(0.000001) == "1970-01-01T00:00:00.000001Z")
        #expect(Timestamp.formatRFC3339(0.123456) == "1970-01-01T00:00:00.123456Z")
        #expect(Timestamp.formatRFC3339(0.1) == "1970-01-01T00:00:00.1Z")
        #expect(Timestamp.formatRFC3339(-0.5) == "1969-12-31T23:59:59.5Z")
        // Rounded to the microsecond, carrying into the seconds when needed.
        #expect(Timestamp.formatRFC3339(1.0000004) == "1970-01-01T00:00:01Z")
        #expect(Timestamp.formatRFC3339(1.9999996) == "1970-01-01T00:00:02Z")
        #expect(Timestamp.formatRFC3339(86_399.9999999) == "1970-01-02T00:00:00Z")
    }

    @Test func formatRangeIsYears0000To9999() {
        #expect(Timestamp.formatRFC3339(-62_167_219_200) == "0000-01-01T00:00:00Z")
        #expect(Timestamp.formatRFC3339(253_402_300_799) == "9999-12-31T23:59:59Z")
        #expect(Timestamp.formatRFC3339(253_402_300_800) == nil)
        #expect(Timestamp.formatRFC3339(-62_167_219_200.5) == nil)
        #expect(Timestamp.formatRFC3339(.infinity) == nil)
        #expect(Timestamp.formatRFC3339(-.infinity) == nil)
        #expect(Timestamp.formatRFC3339(.nan) == nil)
        #expect(Timestamp.formatRFC3339(.greatestFiniteMagnitude) == nil)
    }

    @Test func formatAndParseRoundTrip() throws {
        var state: UInt64 = 0xDEAD_BEEF_CAFE_F00D
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        for _ in 0..<2000 {
            // Whole seconds anywhere in 0000-9999.
            let whole = Int64(next() % 315_569_520_000) - 62_167_219_200
            let text = try #require(Timestamp.formatRFC3339(Double(whole)))
            #expect(Timestamp.parseRFC3339(text) == Double(whole), "\(text)")

            // Microseconds in 1900-2200, where they fit in 53 bits and survive exactly.
            let micros = Int64(next() % 9_467_280_000_000_000) - 2_208_988_800_000_000
            let instant = Double(micros) / 1_000_000
            let fractional = try #require(Timestamp.formatRFC3339(instant))
            #expect(Timestamp.parseRFC3339(fractional) == instant, "\(fractional)")
        }
        #expect(Timestamp.formatRFC3339(try #require(Timestamp.parseRFC3339("2024-02-29T12:00:00+02:00")))
            == "2024-02-29T10:00:00Z")
    }
}
