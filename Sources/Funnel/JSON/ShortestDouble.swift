/// The shortest round-trip text of the doubles results carry most — not
/// whole, 0.001 ≤ |x| < 2^53 — the same bytes as `description`, without the
/// standard library's general path (its text stream and formatting cost
/// several times the digits). Exact: the digits are found with integer
/// arithmetic on the value's rounding interval at two scales only (the
/// Schubfach idea: one where the interval is narrower than 1, one where it is
/// wider), and every case it does not settle exactly (an interval end hit, a
/// tie, a power of two) is left to `description`.
enum ShortestDouble {
    /// Writes `x`'s text at `out` (room for 32 bytes) and returns its length;
    /// nil, with nothing written, when `x` is not one of the doubles handled.
    static func write(_ x: Double, to out: UnsafeMutablePointer<UInt8>) -> Int? {
        let magnitude = x.magnitude
        guard magnitude >= 0.001, magnitude < 9_007_199_254_740_992.0 else { return nil }
        let bits = magnitude.bitPattern
        let fraction = bits & 0xF_FFFF_FFFF_FFFF
        // A power of two's interval is lopsided: left to `description`.
        guard fraction != 0 else { return nil }
        let exponent = Int(truncatingIfNeeded: bits >> 52) &- 1075
        guard exponent < 0 else { return nil }  // whole
        let m2 = (fraction | 1 << 52) << 1
        // x = m × 2^exponent; its rounding interval is x ± 2^(exponent-1),
        // ends included when m is even. In units of 2^-shift, times 10^q:
        // centre 2m × 10^q, half-width 10^q, width 2 × 10^q / 2^shift.
        let shift = 1 &- exponent  // 2...63 for the range handled
        let shiftBits = UInt64(truncatingIfNeeded: shift)
        let mask: UInt64 = (1 &<< shiftBits) &- 1
        // q: the fewest fraction digits at which the width exceeds 1, the
        // least q with 10^q > 2^(shift-1) (never equal): the interval holds
        // an integer there, and at most one at q - 1, where it is below 1.
        let q = ((shift &- 1) &* 78913) >> 18 &+ 1  // 1...19
        var digits: UInt64
        var fractionDigits: Int
        // At q - 1: the largest integer not above the upper end lies `rest`
        // below it; it is inside when `rest` is under the width. It is then
        // the only one, and the shortest form is it without trailing zeros.
        let below = DecimalDigits.powersOfTen[q &- 1]
        let (upperHigh, upperLow) = upper(m2, below)
        let rest = upperLow & mask
        let width = below &+ below
        if rest < width {
            guard rest != 0 else { return nil }  // the upper end
            digits = upperHigh &<< (64 &- shiftBits) | upperLow &>> shiftBits
            fractionDigits = q &- 1
            if digits % 10 == 0 {
                // Short decimals (what a person types) lose many at once.
                if digits % 100_000_000 == 0 {
                    digits /= 100_000_000
                    fractionDigits &-= 8
                }
                if digits % 10_000 == 0 {
                    digits /= 10_000
                    fractionDigits &-= 4
                }
                if digits % 100 == 0 {
                    digits /= 100
                    fractionDigits &-= 2
                }
                if digits % 10 == 0 {
                    digits /= 10
                    fractionDigits &-= 1
                }
            }
            // x is not whole and no whole number lies within its interval.
            guard fractionDigits > 0 else { return nil }
        } else {
            guard rest != width else { return nil }  // the lower end
            // At q: the integer nearest the centre (the interval, wider than
            // 1, holds it); a tie is left to `description`. It ends in no
            // zero, or a shorter form would have been found at q - 1.
            let (high, low) = m2.multipliedFullWidth(by: DecimalDigits.powersOfTen[q])
            let centreRest = low & mask
            let half: UInt64 = 1 &<< (shiftBits &- 1)
            if centreRest == half { return nil }
            digits = high &<< (64 &- shiftBits) | low &>> shiftBits
            if centreRest > half { digits &+= 1 }
            fractionDigits = q
        }
        let count = DecimalDigits.count(digits)
        var at = 0
        if x < 0 {
            out[0] = UInt8(ascii: "-")
            at = 1
        }
        let whole = count &- fractionDigits
        if whole <= 0 {
            // "0.", then -whole zeros: at most two, as |x| ≥ 0.001.
            out[at] = UInt8(ascii: "0")
            out[at &+ 1] = UInt8(ascii: ".")
            out[at &+ 2] = UInt8(ascii: "0")
            out[at &+ 3] = UInt8(ascii: "0")
            at &+= 2 &- whole
            writeDigits(digits, count: count, to: out + at)
            return at &+ count
        }
        // All digits one place on, then the whole ones back over the point's
        // place (results' whole parts are short; no division).
        writeDigits(digits, count: count, to: out + (at &+ 1))
        for i in at..<(at &+ whole) { out[i] = out[i &+ 1] }
        out[at &+ whole] = UInt8(ascii: ".")
        return at &+ count &+ 1
    }

    /// `count` (1...17) decimal digits of `value` at `out`, eight at a time;
    /// up to 7 bytes after them are overwritten too (the room is 32 bytes).
    @inline(__always)
    private static func writeDigits(_ value: UInt64, count: Int, to out: UnsafeMutablePointer<UInt8>) {
        let raw = UnsafeMutableRawPointer(out)
        if count > 16 {
            let rest = value % 10_000_000_000_000_000
            out[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10_000_000_000_000_000)
            raw.storeBytes(of: eight(rest / 100_000_000).littleEndian, toByteOffset: 1, as: UInt64.self)
            raw.storeBytes(of: eight(rest % 100_000_000).littleEndian, toByteOffset: 9, as: UInt64.self)
        } else if count > 8 {
            // The leading ones without their zeros, then the last eight over
            // what follows them.
            let lead = count &- 8
            let high = eight(value / 100_000_000) &>> UInt64(truncatingIfNeeded: (16 &- count) &* 8)
            raw.storeBytes(of: high.littleEndian, as: UInt64.self)
            raw.storeBytes(of: eight(value % 100_000_000).littleEndian, toByteOffset: lead, as: UInt64.self)
        } else {
            let digits = eight(value) &>> UInt64(truncatingIfNeeded: (8 &- count) &* 8)
            raw.storeBytes(of: digits.littleEndian, as: UInt64.self)
        }
    }

    /// The eight decimal digits of `n` (below 10^8) as ASCII, the first in
    /// the lowest byte: halved into lanes of 4, 2 then 1 digits in one word.
    @inline(__always)
    private static func eight(_ n: UInt64) -> UInt64 {
        // 32-bit lanes: the first four digits low, the last four high.
        let fours = n / 10_000 | (n % 10_000) << 32
        // 16-bit lanes of two digits: v / 100 as (v × 10486) >> 20 (v < 10^4).
        let hundreds = ((fours &* 10486) >> 20) & 0x0000_007F_0000_007F
        let twos = hundreds | (fours &- hundreds &* 100) << 16
        // 8-bit lanes of one digit: v / 10 as (v × 103) >> 10 (v < 100).
        let tens = ((twos &* 103) >> 10) & 0x000F_000F_000F_000F
        let ones = tens | (twos &- tens &* 10) << 8
        return ones | 0x3030_3030_3030_3030
    }

    /// The upper end of the interval at scale `power`, 2m × power + power,
    /// as a 128-bit (high, low) pair (below 2^118).
    @inline(__always)
    private static func upper(_ m2: UInt64, _ power: UInt64) -> (UInt64, UInt64) {
        let (high, low) = m2.multipliedFullWidth(by: power)
        let (sum, carry) = low.addingReportingOverflow(power)
        return (carry ? high &+ 1 : high, sum)
    }
}
