/// Sorting the report's durations (days, never negative) in linear time.
///
/// The result is exactly what the stable `sort()` it replaces gives, element
/// for element: for values that are all `+0.0` or positive the IEEE bit
/// pattern orders like the number, and equal numbers are equal bits, so a
/// least-significant-digit radix sort over the bits gives the same array. The
/// order matters beyond the quantiles: the mean is summed in sorted order.
/// Anything else (`-0.0`, which `sort()` keeps in input order among the
/// `+0.0`s; a negative number; NaN) falls back to `sort()`.
enum DurationSort {
    /// Below this many values the comparison sort is as fast.
    static let radixThreshold = 2_048

    /// Sorts `values` ascending, stably.
    ///
    /// - Complexity: O(*n*) for *n* ≥ ``radixThreshold``: one counting pass and
    ///   one scatter pass per byte of the keys that is not the same in all of them.
    static func sort(_ values: inout [Double]) {
        let n = values.count
        guard n >= radixThreshold else {
            values.sort()
            return
        }
        var counts = [Int](repeating: 0, count: 8 * 256)
        for x in values {
            // Negative numbers, NaN and -0.0 (whose key would not be that of +0.0) take the general path.
            guard x > 0 || (x == 0 && x.sign == .plus) else {
                values.sort()
                return
            }
            let key = x.bitPattern
            for d in 0..<8 { counts[d * 256 + Int(truncatingIfNeeded: (key >> (8 * UInt64(d))) & 0xFF)] += 1 }
        }
        var other = [Double](repeating: 0, count: n)
        let first = values[0].bitPattern
        for d in 0..<8 {
            let base = d * 256
            let shift = 8 * UInt64(d)
            // A byte that is the same in every key does not move anything.
            if counts[base + Int(truncatingIfNeeded: (first >> shift) & 0xFF)] == n { continue }
            var offsets = [Int](repeating: 0, count: 256)
            var total = 0
            for b in 0..<256 {
                offsets[b] = total
                total += counts[base + b]
            }
            values.withUnsafeBufferPointer { from in
                other.withUnsafeMutableBufferPointer { to in
                    for x in from {
                        let b = Int(truncatingIfNeeded: (x.bitPattern >> shift) & 0xFF)
                        to[offsets[b]] = x
                        offsets[b] += 1
                    }
                }
            }
            swap(&values, &other)
        }
    }
}
