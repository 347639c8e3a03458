import Testing
@testable import Funnel

private func written(_ write: (inout JSONWriter) -> Void) -> String {
    var writer = JSONWriter()
    write(&writer)
    return writer.string
}

private func numberText(_ x: Double) -> String {
    written { $0.writeNumber(x) }
}

private func stringText(_ s: String) -> String {
    written { $0.writeString(s) }
}

@Suite struct JSONWriterTests {
    @Test func literals() {
        #expect(written { $0.writeNull() } == "null")
        #expect(written { $0.writeBool(true) } == "true")
        #expect(written { $0.writeBool(false) } == "false")
    }

    @Test func integralNumbersHaveNoFraction() {
        #expect(numberText(0) == "0")
        #expect(numberText(-0.0) == "0")
        #expect(numberText(15) == "15")
        #expect(numberText(-15) == "-15")
        #expect(numberText(1_793_527_200) == "1793527200")
        #expect(numberText(9_007_199_254_740_991) == "9007199254740991")
        #expect(numberText(-9_007_199_254_740_991) == "-9007199254740991")
        #expect(numberText(1e15) == "1000000000000000")
    }

    @Test func otherNumbersUseShortestRoundTripText() {
        #expect(numberText(1.5) == "1.5")
        #expect(numberText(-2.25) == "-2.25")
        #expect(numberText(0.1) == "0.1")
        #expect(numberText(1e-05) == "1e-05")
        #expect(numberText(1.5e20) == "1.5e+20")
        #expect(numberText(9_007_199_254_740_992) == "9007199254740992.0")
        #expect(numberText(1e16) == "1e+16")
        #expect(numberText(.leastNonzeroMagnitude) == "5e-324")
        #expect(numberText(.greatestFiniteMagnitude) == "1.7976931348623157e+308")
        #expect(numberText(-.greatestFiniteMagnitude) == "-1.7976931348623157e+308")
    }

    @Test func nonFiniteNumbersBecomeNull() {
        #expect(numberText(.infinity) == "null")
        #expect(numberText(-.infinity) == "null")
        #expect(numberText(.nan) == "null")
        #expect(numberText(.signalingNaN) == "null")
    }

    @Test func numbersRoundTripBitForBit() throws {
        var random = SplitMix64(seed: 0x2545_F491_4F6C_DD1D)
        var samples: [Double] = [
            0, 1, -1, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, .pi, -.pi, 1e-7, 123_456.789,
            .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
            .leastNormalMagnitude.nextDown, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            9_007_199_254_740_992, 9_007_199_254_740_994, 4_503_599_627_370_495.5,
            1e21, 1e22, 1e23, Double(bitPattern: 1), Double(bitPattern: 0x000F_FFFF_FFFF_FFFF), 1.7976931348623157e308,
        ]
        while samples.count < 10_000 {
            let bits = random.next()
            switch samples.count % 4 {
            case 0:
                // Any finite bit pattern: mostly huge and tiny exponents.
                let x = Double(bitPattern: bits)
                if x.isFinite { samples.append(x) }
            case 1:
                // Subnormals.
                samples.append(Double(bitPattern: bits & 0x800F_FFFF_FFFF_FFFF))
            case 2:
                // Everyday magnitudes with short decimal expansions.
                samples.append(Double(Int64(bitPattern: bits) % 100_000_000) / 1000)
            default:
                // Everyday magnitudes with full 17-digit mantissas.
                let exponent = Int((bits >> 52) % 80) - 40
                samples.append(Double(sign: bits & 1 == 0 ? .plus : .minus,
                                      exponent: exponent,
                                      significand: 1 + Double(bits & 0xF_FFFF_FFFF_FFFF) / 0x10_0000_0000_0000))
            }
        }
        var mismatches = 0
        for x in samples {
            let text = numberText(x)
            let parsed = try JSONParser.parse(text)
            let expected = x == 0 ? 0.0 : x  // -0.0 is written as 0
            guard case .number(let y) = parsed, y.bitPattern == expected.bitPattern else {
                mismatches += 1
                Issue.record("\(x.bitPattern) written as \(text) parsed as \(parsed)")
                if mismatches > 10 { break }
                continue
            }
        }
        #expect(mismatches == 0)
        #expect(samples.count == 10_000)
    }

    @Test func stringEscapes() {
        #expect(stringText("") == #""""#)
        #expect(stringText("plain") == #""plain""#)
        #expect(stringText("a\"b\\c") == #""a\"b\\c""#)
        #expect(stringText("\n\r\t\u{8}\u{C}") == #""\n\r\t\b\f""#)
        #expect(stringText("\u{0}\u{1}\u{1F}") == #""\u0000\u0001\u001f""#)
        #expect(stringText("/") == #""/""#)
        #expect(stringText("\u{7F}") == "\"\u{7F}\"")
        #expect(stringText("é€😀\u{2028}") == "\"é€😀\u{2028}\"")
        var writer = JSONWriter()
        writer.writeString("é")
        #expect(writer.bytes == [0x22, 0xC3, 0xA9, 0x22])
    }

    @Test func stringsRoundTrip() throws {
        var samples = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        samples.append((0..<0x80).map { String(UnicodeScalar(UInt8($0))) }.joined())
        samples += ["", "e\u{301}", "\u{E9}", "\u{FEFF}", "😀👍🏽", "\u{10FFFF}", "\u{D7FF}\u{E000}", "a\"\\\u{0}z"]
        var random = SplitMix64(seed: 42)
        for _ in 0..<200 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<(random.next() % 12) {
                if let scalar = UnicodeScalar(UInt32(truncatingIfNeeded: random.next() % 0x11_0000)) {
                    scalars.append(scalar)
                }
            }
            samples.append(String(scalars))
        }
        for s in samples {
            let parsed = try JSONParser.parse(stringText(s))
            guard case .string(let back) = parsed else {
                Issue.record("\(s.debugDescription) did not parse as a string")
                continue
            }
            #expect(Array(back.utf8) == Array(s.utf8), "\(s.debugDescription)")
        }
    }

    @Test func rawTextIsCopiedVerbatim() {
        let text = written {
            $0.writeRaw("{\"fit\":")
            $0.writeNumber(42)
            $0.writeRaw(",\"why\":")
            $0.writeString("budget")
            $0.writeRaw("}")
        }
        #expect(text == #"{"fit":42,"why":"budget"}"#)
        #expect(written { $0.writeRaw("é") } == "é")
    }

    @Test func valueTreesAreCompactAndOrdered() {
        let value = JSONValue.object([
            JSONMember("z", .array([.number(1), .number(2.5), .null, .bool(true)])),
            JSONMember("a", .object([])),
            JSONMember("m", .array([])),
            JSONMember("s", .string("x\ny")),
            JSONMember("deep", .array([.array([.object([JSONMember("k", .array([.array([])]))])])])),
        ])
        #expect(written { $0.writeValue(value) }
            == #"{"z":[1,2.5,null,true],"a":{},"m":[],"s":"x\ny","deep":[[{"k":[[]]}]]}"#)
        #expect(written { $0.writeValue(.number(-0.0)) } == "0")
        #expect(written { $0.writeValue(.string("q")) } == #""q""#)
    }

    @Test func valueTreesRoundTrip() throws {
        let text = #"{"name":"Ada \"L\"","age":36,"score":-0.125,"tags":["a",true,null,1e-7],"#
            + #""nested":{"x":[[],{}],"y":"\u0001é"},"big":1.5e+300}"#
        let value = try JSONParser.parse(text)
        var writer = JSONWriter()
        writer.writeValue(value)
        #expect(try JSONParser.parse(writer.bytes) == value)
        #expect(writer.string
            == #"{"name":"Ada \"L\"","age":36,"score":-0.125,"tags":["a",true,null,1e-07],"#
            + #""nested":{"x":[[],{}],"y":"\u0001é"},"big":1.5e+300}"#)
    }

    @Test func deepTreesAreWrittenIteratively() throws {
        var value = JSONValue.number(1)
        for _ in 0..<500 { value = .array([value]) }
        var writer = JSONWriter(reservingCapacity: 0)
        writer.writeValue(value)
        #expect(writer.string == String(repeating: "[", count: 500) + "1" + String(repeating: "]", count: 500))
        #expect(try JSONParser.parse(writer.bytes) == value)
    }

    @Test func reservingCapacityDoesNotWriteAnything() {
        #expect(JSONWriter().bytes.isEmpty)
        #expect(JSONWriter(reservingCapacity: 4096).bytes.capacity >= 4096)
        #expect(JSONWriter(reservingCapacity: -1).string == "")
    }
}
