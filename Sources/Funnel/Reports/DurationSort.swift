/// Sorting the report's durations (days, never negative) in linear time.
///
/// The result is exactly what the stable `sort()` it replaces gives, element
/// for element: for values that are all `>= 0` (or `-0.0`) the IEEE bit
/// pattern orders like the number, and `-0.0` takes the key of `+0.0`, so a
/// stable least-significant-digit radix sort keeps equal values, the two zeros
/// among them, in their input order, as the stable comparison sort does. The
/// order matters beyond the quantiles: the mean is summed in sorted order.
/// Anything else (a negative number, NaN) falls back to `sort()`.
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
        var keys = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 8 * 256)
        for i in 0..<n {
            let x = values[i]
            guard x >= 0 || x == 0 else {  // negative or NaN
                values.sort()
                return
            }
            let key = x == 0 ? 0 : x.bitPattern
            keys[i] = key
            for d in 0..<8 { counts[d * 256 + Int(truncatingIfNeeded: (key >> (8 * UInt64(d))) & 0xFF)] += 1 }
        }
        var otherKeys = [UInt64](repeating: 0, count: n)
        var otherValues = [Double](repeating: 0, count: n)
        for d in 0..<8 {
            let base = d * 256
            // A byte that is the same in every key does not move anything.
            if counts[base + Int(truncatingIfNeeded: (keys[0] >> (8 * UInt64(d))) & 0xFF)] == n { continue }
            var offsets = [Int](repeating: 0, count: 256)
            var total = 0
            for b in 0..<256 {
                offsets[b] = total
                total += counts[base + b]
            }
            let shift = 8 * UInt64(d)
            for i in 0..<n {
                let b = Int(truncatingIfNeeded: (keys[i] >> shift) & 0xFF)
                let to = offsets[b]
                offsets[b] = to + 1
                otherKeys[to] = keys[i]
                otherValues[to] = values[i]
            }
            swap(&keys, &otherKeys)
            swap(&values, &otherValues)
        }
    }
}
