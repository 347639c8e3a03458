/// Instants are seconds since the Unix epoch as Double (fractions allowed), as the spec says.
///
/// Conversion is done here by hand (Howard Hinnant's civil-date algorithms) because
/// the library must not depend on Foundation, and because the only text form the
/// spec accepts is RFC 3339 with an explicit zone.
package enum Timestamp {
    /// The first and one-past-last seconds of years 0000-9999.
    private static let earliest: Int64 = -62_167_219_200
    private static let pastLatest: Int64 = 253_402_300_800

    /// Parses RFC 3339 date-time text with a zone: `2026-11-01T10:00:00Z`,
    /// `2026-11-01t10:00:00.250+02:00`, `2026-11-01 10:00:00-05:30`.
    ///
    /// Returns nil for anything else, so callers can fall back to reporting the
    /// text as invalid. A second of 60 is accepted only where a leap second can
    /// be, the last minute of a month in UTC, and counts as one more second.
    package static func parseRFC3339(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parseRFC3339($0) }
    }

    /// Parses RFC 3339 date-time text with a zone from UTF-8 bytes; see `parseRFC3339(_:)`.
    package static func parseRFC3339(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        // The shortest form is `YYYY-MM-DDTHH:MM:SSZ`.
        guard n >= 20 else { return nil }

        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for k in start..<(start + count) {
                guard k < n else { return nil }
                let digit = bytes[k] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        func byte(_ k: Int, is c: UInt8) -> Bool { k < n && bytes[k] == c }

        let separator = bytes[10]
        guard let year = number(0, 4), byte(4, is: UInt8(ascii: "-")),
              let month = number(5, 2), byte(7, is: UInt8(ascii: "-")),
              let day = number(8, 2),
              separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t")
                  || separator == UInt8(ascii: " "),
              let hour = number(11, 2), byte(13, is: UInt8(ascii: ":")),
              let minute = number(14, 2), byte(16, is: UInt8(ascii: ":")),
              let second = number(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }

        var k = 19
        var fractionStart = k
        if byte(k, is: UInt8(ascii: ".")) {
            k += 1
            fractionStart = k
            while k < n && bytes[k] &- UInt8(ascii: "0") < 10 { k += 1 }
            guard k > fractionStart else { return nil }
        }
        let fraction = UnsafeBufferPointer(rebasing: bytes[fractionStart..<k])

        guard k < n else { return nil }
        var offset: Int64 = 0
        switch bytes[k] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            k += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let offsetHours = number(k + 1, 2), byte(k + 3, is: UInt8(ascii: ":")),
                  let offsetMinutes = number(k + 4, 2),
                  offsetHours <= 23, offsetMinutes <= 59
            else { return nil }
            offset = Int64(offsetHours * 3600 + offsetMinutes * 60)
            if bytes[k] == UInt8(ascii: "-") { offset = -offset }
            k += 6
        default:
            return nil
        }
        guard k == n else { return nil }

        let days = daysFromCivil(Int64(year), Int64(month), Int64(day))
        var whole = days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - offset
        if second == 60 {
            // `whole` is now the instant of second 59 in UTC.
            let utcDay = floorDivide(whole, 86_400)
            let date = civilFromDays(utcDay)
            guard whole - utcDay * 86_400 == 86_399,
                  date.day == daysInMonth(Int(date.year), Int(date.month))
            else { return nil }
            whole += 1
        }
        return combine(whole, fraction)
    }

    /// Adds a decimal fraction to whole seconds with a single rounding when the
    /// scaled integer fits in 53 bits (every microsecond value of this century
    /// does), so `.5` or `.250` come out exact.
    private static func combine(_ whole: Int64, _ fraction: UnsafeBufferPointer<UInt8>) -> Double? {
        let digits = fraction.count
        if digits == 0 { return Double(whole) }
        if digits <= 18 {
            var numerator: Int64 = 0
            var scale: Int64 = 1
            for digit in fraction {
                numerator = numerator * 10 + Int64(digit &- UInt8(ascii: "0"))
                scale *= 10
            }
            let (scaled, overflow1) = whole.multipliedReportingOverflow(by: scale)
            let (total, overflow2) = scaled.addingReportingOverflow(numerator)
            if !overflow1 && !overflow2 && total.magnitude <= 1 << 53 {
                // Both operands are exact, so the quotient is correctly rounded.
                return Double(total) / Double(scale)
            }
        }
        var text = "0."
        text.append(String(decoding: fraction, as: UTF8.self))
        guard let value = Double(text) else { return nil }
        return Double(whole) + value
    }

    /// Formats as `YYYY-MM-DDTHH:MM:SSZ` (with `.fff…` fraction only when nonzero,
    /// up to 6 digits, trailing zeros removed), UTC. For finite values in years
    /// 0000-9999; others return nil.
    ///
    /// The fraction is rounded to the microsecond because Doubles near today's
    /// epoch values carry no more precision than that.
    package static func formatRFC3339(_ seconds: Double) -> String? {
        guard seconds.isFinite,
              seconds >= Double(earliest), seconds < Double(pastLatest)
        else { return nil }
        // Conversions instead of `rounded()`: on Linux that calls libm, which
        // executables built without Foundation fail to link.
        var whole = Int64(seconds)  // in range, checked above; truncates toward zero
        if Double(whole) > seconds { whole -= 1 }
        var micros = Int64((seconds - Double(whole)) * 1_000_000 + 0.5)
        if micros >= 1_000_000 {
            whole += 1
            micros -= 1_000_000
        }
        guard whole < pastLatest else { return nil }

        let days = floorDivide(whole, 86_400)
        let secondOfDay = whole - days * 86_400
        let date = civilFromDays(days)

        var out: [UInt8] = []
        out.reserveCapacity(27)
        func append(_ value: Int64, width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        append(date.year, width: 4)
        out.append(UInt8(ascii: "-"))
        append(date.month, width: 2)
        out.append(UInt8(ascii: "-"))
        append(date.day, width: 2)
        out.append(UInt8(ascii: "T"))
        append(secondOfDay / 3600, width: 2)
        out.append(UInt8(ascii: ":"))
        append(secondOfDay / 60 % 60, width: 2)
        out.append(UInt8(ascii: ":"))
        append(secondOfDay % 60, width: 2)
        if micros > 0 {
            out.append(UInt8(ascii: "."))
            var width = 6
            while micros % 10 == 0 {
                micros /= 10
                width -= 1
            }
            append(micros, width: width)
        }
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Calendar

    private static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b < 0) ? q - 1 : q
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
    private static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Hinnant's `civil_from_days`).
    private static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (era * 400 + yearOfEra + (month <= 2 ? 1 : 0), month, day)
    }
}
