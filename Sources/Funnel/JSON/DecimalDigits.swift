/// Decimal digits written two a division from a table of "00" to "99", for
/// whole numbers (the C library's ints read in place from a host's objects).
/// ``ShortestDouble`` uses its powers of ten and digit count, and writes its
/// own digits eight at a time in one word.
package enum DecimalDigits {
    /// Writes `value` in decimal, after a "-" when `negative`, at `out` (room
    /// for 21 bytes) and returns the length.
    package static func write(_ value: UInt64, negative: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var at = 0
        if negative {
            out[0] = UInt8(ascii: "-")
            at = 1
        }
        let count = count(value)
        write(value, count: count, to: out + at)
        return at + count
    }

    /// How many digits `value` has (one for zero): ⌊log10 2^bits⌋ from its
    /// bit length, then one compare.
    @inline(__always)
    static func count(_ value: UInt64) -> Int {
        let v = value | 1
        let guess = ((64 - v.leadingZeroBitCount) &* 1233) >> 12
        return v >= powersOfTen[guess] ? guess + 1 : guess
    }

    /// `count` decimal digits of `value`, leading zeros included, two at a time.
    @inline(__always)
    static func write(_ value: UInt64, count: Int, to out: UnsafeMutablePointer<UInt8>) {
        let pairs = digitPairs.utf8Start
        var v = value
        var k = count
        while k >= 2 {
            let pair = Int(truncatingIfNeeded: v % 100) &* 2
            v /= 100
            k -= 2
            out[k] = pairs[pair]
            out[k + 1] = pairs[pair + 1]
        }
        if k == 1 { out[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v) }
    }

    /// "00" to "99".
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// 10^0 ... 10^19.
    static let powersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
        10_000_000_000_000_000_000,
    ]
}
