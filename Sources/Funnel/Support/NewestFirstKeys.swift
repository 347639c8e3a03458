/// A lead's events in the batch's order (newest first, equal times in input
/// order) as one unsigned word each, sorted without a branch that depends on
/// the times.
///
/// A key is the time counted down from 2^47 (whole seconds, the usual kind)
/// above the event's place in the input (16 bits): ascending keys are exactly
/// the stable newest-first order, and no two keys are equal, so any sort gives
/// the one order a stable comparison sort gives. The sort is data-oblivious
/// where that is cheap (a sorting network for each run of eight, merges whose
/// every step picks with a select), because a lead's events often come in no
/// order: a comparison sort then mispredicts about every other comparison,
/// which cost twice its instructions (the pair merge sort, 10 % of a JSON
/// Lines worker on the benchmark data). Times this cannot key (fractional,
/// negative, 2^47 or later) and leads of 2^16 events or more take the
/// comparison sort.
enum NewestFirstKeys {
    /// Times from here on have no key.
    static let timeLimit: Double = 140_737_488_355_328  // 2^47
    /// A lead with this many events or more has no keys (its places need more than 16 bits).
    static let eventLimit = 1 << 16

    /// The key of the event at place `index` (below ``eventLimit``) at time
    /// `at`; nil when `at` is not a whole number in [0, 2^47).
    @inline(__always)
    static func key(at: Double, index: Int) -> UInt64? {
        guard at >= 0, at < timeLimit else { return nil }
        let whole = Int64(at)
        guard Double(whole) == at else { return nil }
        return UInt64(140_737_488_355_327 - whole) << 16 | UInt64(truncatingIfNeeded: index)
    }

    /// The event's place in the input.
    @inline(__always)
    static func index(_ key: UInt64) -> Int { Int(truncatingIfNeeded: key & 0xFFFF) }

    /// The room ``sort(_:count:scratch:)`` needs in each of its two buffers
    /// for `count` keys: the count rounded up to eight, and one more.
    static func capacity(for count: Int) -> Int { ((max(0, count) + 7) & ~7) + 1 }

    /// Sorts the `count` keys at `keys` ascending. `keys` and `scratch` each
    /// have room for ``capacity(for:)`` keys; what follows the keys is
    /// written over.
    static func sort(_ keys: UnsafeMutablePointer<UInt64>, count n: Int, scratch: UnsafeMutablePointer<UInt64>) {
        guard n > 1 else { return }
        let m = (n + 7) & ~7
        // Padding after the last key sorts last; one more word in each buffer
        // lets a merge read one past its right run (and select it away).
        (keys + n).update(repeating: .max, count: m + 1 - n)
        scratch[m] = .max
        var b = 0
        while b < m {
            sortEight(keys + b)
            b += 8
        }
        var (from, to) = (keys, scratch)
        var width = 8
        while width < m {
            var low = 0
            while low < m {
                let middle = min(low + width, m)
                let high = min(low + 2 * width, m)
                if middle == high {
                    (to + low).update(from: from + low, count: high - low)
                } else {
                    merge(from, low, middle, high, into: to)
                }
                low = high
            }
            (from, to) = (to, from)
            width *= 2
        }
        if from != keys { keys.update(from: from, count: n) }
    }

    /// Merges the sorted runs `from[low..<middle]` and `from[middle..<high]`
    /// into `to[low..<high]`, one select a step. The left run holds no
    /// padding (it ends at a multiple of eight before the last key), so a
    /// run's end read as `.max` never wins against a key.
    @inline(__always)
    private static func merge(
        _ from: UnsafeMutablePointer<UInt64>, _ low: Int, _ middle: Int, _ high: Int,
        into to: UnsafeMutablePointer<UInt64>
    ) {
        var (i, j) = (low, middle)
        for k in low..<high {
            let a = i < middle ? from[i] : .max
            let b = j < high ? from[j] : .max
            // The borrow of a - b is a < b; added as a number, not chosen by
            // a branch (the compiler turns `left ? 1 : 0` into one).
            let left = Int(unsafeBitCast(a.subtractingReportingOverflow(b).overflow, to: UInt8.self))
            to[k] = min(a, b)
            i &+= left
            j &+= 1 &- left
        }
    }

    /// Sorts eight keys with the 19 compare-exchanges of the optimal network.
    @inline(__always)
    private static func sortEight(_ p: UnsafeMutablePointer<UInt64>) {
        var (a0, a1, a2, a3, a4, a5, a6, a7) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
        @inline(__always)
        func exchange(_ x: inout UInt64, _ y: inout UInt64) {
            let low = min(x, y)
            y = max(x, y)
            x = low
        }
        exchange(&a0, &a2)
        exchange(&a1, &a3)
        exchange(&a4, &a6)
        exchange(&a5, &a7)
        exchange(&a0, &a4)
        exchange(&a1, &a5)
        exchange(&a2, &a6)
        exchange(&a3, &a7)
        exchange(&a0, &a1)
        exchange(&a2, &a3)
        exchange(&a4, &a5)
        exchange(&a6, &a7)
        exchange(&a2, &a4)
        exchange(&a3, &a5)
        exchange(&a1, &a4)
        exchange(&a3, &a6)
        exchange(&a1, &a2)
        exchange(&a3, &a4)
        exchange(&a5, &a6)
        (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]) = (a0, a1, a2, a3, a4, a5, a6, a7)
    }
}
