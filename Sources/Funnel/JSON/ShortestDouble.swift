/// The shortest round-trip text of the doubles results carry most — not
/// whole, 0.001 ≤ |x| < 2^53 — the same bytes as `description`, without the
/// standard library's general path (its text stream and formatting cost
/// several times the digits). Exact: the digits are found with integer
/// arithmetic on the value's rounding interval, and every case it does not
/// settle exactly (an interval end hit, a tie, a power of two) is left to
/// `description`.
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
        let exponent = Int(bits >> 52) - 1075
        guard exponent < 0 else { return nil }  // whole
        let m = fraction | 1 << 52
        // x = m × 2^exponent; its rounding interval is x ± 2^(exponent-1),
        // ends included when m is even. In units of 2^-shift, times 10^q:
        // centre 2m × 10^q, half-width 10^q.
        let shift = 1 - exponent  // 2...63 for the range handled
        // k = floor(log10 |x|), from the binary exponent and one compare.
        let k0 = ((Int(bits >> 52) - 1023) * 78913) >> 18
        let k = magnitude >= powersOfTen[k0 + 5] ? k0 + 1 : k0
        // Fraction digits: 17 significant ones always suffice; most results'
        // numbers need 16 or 17, so fewer are tried one at a time from the
        // top, then halved down to one significant digit.
        let fewest = max(1, -k)
        var q = 16 - k
        if q > fewest {
            guard let sixteen = interval(m, q - 1, shift) else { return nil }
            if sixteen {
                q -= 1
                if q > fewest {
                    guard let fifteen = interval(m, q - 1, shift) else { return nil }
                    if fifteen {
                        q -= 1
                        var low = fewest
                        while low < q {
                            let mid = (low + q) / 2
                            guard let found = interval(m, mid, shift) else { return nil }
                            if found { q = mid } else { low = mid + 1 }
                        }
                    }
                }
            } else {
                guard let seventeen = interval(m, q, shift), seventeen else { return nil }
            }
        } else {
            guard let one = interval(m, q, shift), one else { return nil }
        }
        // The nearest of the interval's integers (it holds some) is the
        // nearest to x × 10^q, the centre: a tie is left to `description`.
        let scale = DecimalDigits.powersOfTen[q]
        let centre = Wide(m << 1).times(scale)
        let rest = centre.lowBits(shift)
        let half = Wide(1).shiftedLeft(shift - 1)
        if rest == half { return nil }
        var digits = centre.shiftedRight(shift).low
        if half < rest { digits += 1 }
        // x ≥ 10^k, so `digits` has k + q + 1 of them unless it rounded up
        // to the next power of ten, whose trailing zero would also mean a
        // shorter form was missed: left to `description`.
        guard digits % 10 != 0 else { return nil }
        let count = k + q + 1
        var at = 0
        if x < 0 {
            out[0] = UInt8(ascii: "-")
            at = 1
        }
        let whole = count - q  // k + 1
        if whole <= 0 {
            out[at] = UInt8(ascii: "0")
            out[at + 1] = UInt8(ascii: ".")
            at += 2
            for _ in 0..<(-whole) {
                out[at] = UInt8(ascii: "0")
                at += 1
            }
            DecimalDigits.write(digits, count: count, to: out + at)
            return at + count
        }
        // The whole digits, the point, then q digits.
        DecimalDigits.write(digits / scale, count: whole, to: out + at)
        out[at + whole] = UInt8(ascii: ".")
        DecimalDigits.write(digits % scale, count: q, to: out + at + whole + 1)
        return at + count + 1
    }

    /// Whether the open interval holds an integer at `q` fraction digits;
    /// nil when an end is one.
    @inline(__always)
    private static func interval(_ m: UInt64, _ q: Int, _ shift: Int) -> Bool? {
        let scale = DecimalDigits.powersOfTen[q]
        let upper = Wide(m << 1).times(scale).plus(scale)
        // The largest integer not above `upper` lies `rest` below it; the
        // interval is 2 × 10^q wide.
        let rest = upper.lowBits(shift)
        let width = Wide(scale).plus(scale)
        if rest == Wide(0) || rest == width { return nil }
        return rest < width
    }

    /// 10^-4 ... 10^16 as doubles (the nearest double; each negative one lies
    /// above the power it stands for, so `>=` compares as with the exact power).
    private static let powersOfTen: [Double] = [
        1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16,
    ]

    /// An unsigned 128-bit integer, as much of one as the search needs.
    private struct Wide: Equatable, Comparable {
        var high: UInt64
        var low: UInt64

        @inline(__always) init(_ low: UInt64) { (high, self.low) = (0, low) }
        @inline(__always) init(high: UInt64, low: UInt64) { (self.high, self.low) = (high, low) }

        @inline(__always) func times(_ y: UInt64) -> Wide {
            // `high` is zero for every product taken here.
            let (h, l) = low.multipliedFullWidth(by: y)
            return Wide(high: h, low: l)
        }

        @inline(__always) func plus(_ y: UInt64) -> Wide {
            let (l, carry) = low.addingReportingOverflow(y)
            return Wide(high: high &+ (carry ? 1 : 0), low: l)
        }

        @inline(__always) func plus(_ y: Wide) -> Wide {
            let (l, carry) = low.addingReportingOverflow(y.low)
            return Wide(high: high &+ y.high &+ (carry ? 1 : 0), low: l)
        }

        /// The low `n` bits (1 ≤ n ≤ 127).
        @inline(__always) func lowBits(_ n: Int) -> Wide {
            if n >= 64 { return Wide(high: n == 64 ? 0 : high & ((1 << UInt64(n - 64)) - 1), low: low) }
            return Wide(high: 0, low: low & ((1 << UInt64(n)) - 1))
        }

        /// Shifted right by `n` bits (1 ≤ n ≤ 127).
        @inline(__always) func shiftedRight(_ n: Int) -> Wide {
            if n >= 64 { return Wide(high: 0, low: high >> UInt64(n - 64)) }
            return Wide(high: high >> UInt64(n), low: (low >> UInt64(n)) | (high << UInt64(64 - n)))
        }

        /// Shifted left by `n` bits (0 ≤ n ≤ 127).
        @inline(__always) func shiftedLeft(_ n: Int) -> Wide {
            if n == 0 { return self }
            if n >= 64 { return Wide(high: low << UInt64(n - 64), low: 0) }
            return Wide(high: (high << UInt64(n)) | (low >> UInt64(64 - n)), low: low << UInt64(n))
        }

        @inline(__always) static func < (a: Wide, b: Wide) -> Bool {
            a.high != b.high ? a.high < b.high : a.low < b.low
        }
    }
}
