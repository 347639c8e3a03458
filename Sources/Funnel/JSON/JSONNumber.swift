/// How a validated JSON number's text becomes a `Double`, shared by
/// ``JSONParser`` and the JSON Lines lead reader so that both give the same
/// bits for the same text.
package enum JSONNumber {
    /// The value of `mantissa × 10^power` (negated when `negative`) when one
    /// IEEE operation gives it exactly rounded (Clinger's fast path), else
    /// `nil`. `isExact` is false when digits were dropped from `mantissa`.
    @inline(__always)
    package static func exactValue(mantissa: UInt64, isExact: Bool, negative: Bool, power: Int) -> Double? {
        guard isExact else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        guard mantissa <= 1 << 53 && power >= -22 && power <= 22 else { return nil }
        var value = Double(mantissa)
        // `power` is within -22...22, so both indices are in range.
        if power < 0 {
            value /= exactPowersOfTen[-power]
        } else if power > 0 {
            value *= exactPowersOfTen[power]
        }
        return negative ? -value : value
    }

    /// The correctly rounded value of validated number text (the standard
    /// library's `Double(_:)`); infinite when out of range, `nil` if rejected.
    package static func roundedValue(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: text, as: UTF8.self))
    }

    /// Every power of ten a Double holds exactly (1e22 is the largest).
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
