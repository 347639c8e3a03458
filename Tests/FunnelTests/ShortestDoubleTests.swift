import Testing

@testable import Funnel
import FunnelTestSupport

/// ``ShortestDouble`` writes `description`'s bytes whenever it writes at all,
/// and it writes for most of the doubles it is meant for.
@Suite struct ShortestDoubleTests {
    /// Checks `x`; true when the fast path wrote it.
    private func check(_ x: Double) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            guard let out = buffer.baseAddress, let count = ShortestDouble.write(x, to: out) else { return false }
            let written = String(decoding: UnsafeBufferPointer(start: out, count: count), as: UTF8.self)
            #expect(written == x.description, "\(x.bitPattern): \(written)")
            return true
        }
    }

    @Test func randomBitPatternsAndSpecialValues() {
        var rng = SplitMix64(seed: 0x5D0B_0001)
        var values: [Double] = [
            0, -0.0, 1, -1, 0.1, 0.2, 0.3, 1e-3, 0.001, 0.0011, 1e-4, 1e-5, .leastNonzeroMagnitude,
            .leastNormalMagnitude, .greatestFiniteMagnitude, .nan, .infinity, -.infinity, 2.5, 1 / 3, 2 / 3,
            9_007_199_254_740_991, 9_007_199_254_740_992, 4_503_599_627_370_495.5, 1e15 + 0.5, 1e15 - 0.5,
            0.1 + 0.2, 123.456, 0.999_999_999_999_999_9, 9.999_999_999_999_998, 99.999_999_999_999_99,
        ]
        for p in -330...310 { values.append(Double("1e\(p)")!) }
        for p in -1074...1023 {
            let x = Double(sign: .plus, exponent: p, significand: 1)
            values += [x, x.nextUp, x.nextDown, -x]
        }
        for k in 0..<300_000 {
            let bits = rng.next()
            switch k % 3 {
            case 0: values.append(Double(bitPattern: bits))
            case 1: values.append(Double(bitPattern: bits & 0x800F_FFFF_FFFF_FFFF))  // subnormals and zeros
            default: values.append(Double(Int64(bitPattern: bits) >> 10))  // integers
            }
        }
        for x in values { _ = check(x) }
    }

    /// Doubles of the range it handles, spread over its exponents, and
    /// results' usual numbers (decayed weights times points, their sums).
    @Test func theRangeItHandles() {
        var rng = SplitMix64(seed: 0x5D0B_0002)
        var written = 0
        var total = 0
        for k in 0..<600_000 {
            let x: Double
            switch k % 4 {
            case 0:
                // Uniform in exponent between 2^-10 and 2^53, any mantissa, either sign.
                let exponent = UInt64(1023 - 10) + rng.next() % 63
                x = Double(bitPattern: exponent << 52 | rng.next() & 0x800F_FFFF_FFFF_FFFF)
            case 1:
                x = Double(bitPattern: (UInt64(1023 - 10) + rng.next() % 20) << 52 | rng.next() >> 12).nextUp
            case 2:
                let points = [0.25, 0.5, 1, 2, 3, 5, 8, -3, -10, 0.1][Int(rng.next() % 10)]
                x = points * power2(-rng.unit() * 12)
            default:
                var sum = 0.0
                for _ in 0..<(1 + Int(rng.next() % 20)) { sum += 0.5 * power2(-rng.unit() * 12) }
                x = sum + Double(rng.next() % 60)
            }
            total += 1
            if check(x) { written += 1 }
            // Short decimals too (what a person types).
            let short = Double(Int64(rng.next() % 2_000_000) - 1_000_000) / [10.0, 100, 1000, 1e4, 1e6][k % 5]
            total += 1
            if check(short) { written += 1 }
        }
        // Powers of two and the few cases with an end of the interval hit go
        // to `description`; almost everything else is written here.
        #expect(written > total * 9 / 10, "\(written) of \(total)")
    }

    /// The method's edges: the neighbours of every power of ten and of two in
    /// range (where the digit count and the scales change), the ends of the
    /// range, and dyadic values with few fraction bits in every binade (short
    /// decimals, trailing zeros stripped, halves at the wider scale).
    @Test func edgesOfTheMethod() {
        var values: [Double] = []
        for p in -4...16 {
            let x = Double("1e\(p)")!
            var (up, down) = (x, x)
            values.append(x)
            for _ in 0..<3_000 {
                up = up.nextUp
                down = down.nextDown
                values += [up, down, -up]
            }
        }
        for p in -11...53 {
            let x = Double(sign: .plus, exponent: p, significand: 1)
            var (up, down) = (x, x)
            for _ in 0..<1_000 {
                up = up.nextUp
                down = down.nextDown
                values += [up, down]
            }
        }
        var rng = SplitMix64(seed: 0x5D0B_0003)
        for k in 0..<200_000 {
            // n + j / 2^bits, 1 ≤ bits ≤ 20, n up to 2^(53 - bits).
            let bits = 1 + k % 20
            let whole = Double(rng.next() >> UInt64(11 + bits))
            let part = Double(rng.next() % (1 << UInt64(bits))) / Double(1 << UInt64(bits))
            values.append(whole + part)
        }
        for x in values { _ = check(x) }
        // The fast path writes these (a check that it is not nil throughout).
        let some: [Double] = [
            0.1, 0.3, 1.0 / 3, 123.456, 0.0011, (0.001 as Double).nextUp, 2.5, 4_503_599_627_370_495.5, 0.1 + 0.2,
            1e15 + 0.1,
        ]
        for x in some { #expect(check(x), "\(x)") }
        // Outside the range, whole, or a power of two: nil.
        let none: [Double] = [(0.001 as Double).nextDown, 9_007_199_254_740_992, 9_007_199_254_740_991, 0.5, 0.25, 1, 2, 0]
        for x in none {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
                #expect(ShortestDouble.write(x, to: buffer.baseAddress!) == nil, "\(x)")
            }
        }
    }
}
