// Ranking one lead's run of events newest first, branch-free: each event's
// place is the count of events newer than it. Shared by the event fill
// (``LeadBatch/setEvents(types:lead:type:at:property:values:)``) and the one
// shot (``RunSummer``).
extension LeadBatch {
    /// For eight events at a time (`key[k..<k + 8]`, in input order), the
    /// count of the `n` keys greater than each one's, handed to `each` with
    /// `k`: one broadcast of each key against eight lanes, without a sum
    /// across lanes; sixteen at a time (both halves per broadcast) while
    /// more than eight are left, then eight. Lanes past `n` read the eight
    /// keys of padding after the keys, which the caller sets. Returns the
    /// end of the last group of eight (`n` rounded up to eight).
    @inline(__always)
    @discardableResult
    static func countNewer(
        _ n: Int, _ key: UnsafeMutablePointer<Int32>, _ each: (SIMD8<Int32>, Int) -> Void
    ) -> Int {
        var k = 0
        while k &+ 8 < n {
            let own = UnsafeRawPointer(key + k).loadUnaligned(as: SIMD8<Int32>.self)
            let other = UnsafeRawPointer(key + (k &+ 8)).loadUnaligned(as: SIMD8<Int32>.self)
            var (newer, otherNewer) = (SIMD8<Int32>.zero, SIMD8<Int32>.zero)
            for j in 0..<n {
                let keys = SIMD8<Int32>(repeating: key[j])
                newer &+= SIMD8<Int32>.zero.replacing(with: 1, where: keys .> own)
                otherNewer &+= SIMD8<Int32>.zero.replacing(with: 1, where: keys .> other)
            }
            each(newer, k)
            each(otherNewer, k &+ 8)
            k &+= 16
        }
        while k < n {
            let own = UnsafeRawPointer(key + k).loadUnaligned(as: SIMD8<Int32>.self)
            var newer = SIMD8<Int32>.zero
            for j in 0..<n {
                newer &+= SIMD8<Int32>.zero.replacing(with: 1, where: SIMD8<Int32>(repeating: key[j]) .> own)
            }
            each(newer, k)
            k &+= 8
        }
        return k
    }

    /// Each place newest first its event, into `scratch.order`, from the
    /// `n` events' `scratch.key`s (input order, comparing as their times
    /// do, none `Int32.min`): an event's place is the count of keys greater
    /// than its own, stored as soon as eight events' counts are known (no
    /// pass over the places after the ranking).
    ///
    /// - Returns: false when some keys are equal (their places then
    ///   collide, and `scratch.order` is not the order): the counts of a
    ///   run without ties are a permutation of 0..<n, summing to
    ///   n(n-1)/2; each tied pair makes the sum one less.
    static func orderNewestFirst(_ n: Int, _ scratch: LeadScratch) -> Bool {
        let (key, order) = (scratch.key, scratch.order)
        // The padding past `n` (eight lanes, room the key has): `Int32.min`,
        // below every key, so a padding lane counts all `n` events and
        // stores at `order[n]`, room the order has.
        UnsafeMutableRawPointer(key + n).storeBytes(of: SIMD8<Int32>(repeating: .min), as: SIMD8<Int32>.self)
        var total = SIMD8<Int32>.zero
        let k = countNewer(n, key) { newer, k in
            total &+= newer
            for lane in 0..<8 { order[Int(newer[lane])] = Int32(truncatingIfNeeded: k &+ lane) }
        }
        // The `k - n` padding lanes counted `n` each.
        return Int(total.wrappedSum()) &- (k &- n) &* n == n &* (n &- 1) / 2
    }

    /// Each of the `n` events in `scratch.at` (input order) its place
    /// newest first, into `scratch.place`: the count of events newer than it
    /// plus the count of its equals earlier in input order, so ties keep
    /// input order (as ``sortNewestFirst`` orders them). `keyed`: the
    /// events' `scratch.key`s compare as their times do.
    static func rankNewestFirst(_ n: Int, _ scratch: LeadScratch, keyed: Bool) {
        let (time, place) = (scratch.at, scratch.place)
        if keyed {
            // Eight events at a time against every event: each lane counts
            // the keys greater than its own, without a sum across lanes.
            let key = scratch.key
            // The padding past `n` (eight lanes, room the key has): a store, not a call.
            UnsafeMutableRawPointer(key + n).storeBytes(of: SIMD8<Int32>.zero, as: SIMD8<Int32>.self)
            // Lanes past `n` land in the place's padding.
            countNewer(n, key) { newer, k in
                UnsafeMutableRawPointer(place + k).storeBytes(of: newer, as: SIMD8<Int32>.self)
            }
            // Without ties the counts are a permutation of 0..<n summing to
            // n(n-1)/2; each tied pair makes the sum one less.
            var sum = 0
            for k in 0..<n { sum &+= Int(place[k]) }
            if sum != n &* (n &- 1) / 2 {
                for k in 0..<n {
                    var newer: Int32 = 0
                    for j in 0..<n { newer &+= key[j] > key[k] || (j < k && key[j] == key[k]) ? 1 : 0 }
                    place[k] = newer
                }
            }
        } else {
            for k in 0..<n {
                let t = time[k]
                var newer: Int32 = 0
                for j in 0..<n { newer &+= time[j] > t ? 1 : 0 }
                for j in 0..<k { newer &+= time[j] == t ? 1 : 0 }
                place[k] = newer
            }
        }
    }
}
