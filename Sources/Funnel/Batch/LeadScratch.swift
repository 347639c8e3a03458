/// Room for ordering one lead's events and adding its rule sums, kept from
/// lead to lead of a fill or a one shot (one per thread).
final class LeadScratch {
    /// The longest run that is ranked; beyond it a comparison sort is quicker.
    static let capacity = 128
    /// With room for padding to a multiple of 8.
    let at = UnsafeMutablePointer<Double>.allocate(capacity: capacity + 8)
    /// The run's times as whole seconds after its oldest, padded like ``at``.
    let key = UnsafeMutablePointer<Int32>.allocate(capacity: capacity + 8)
    let route = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    let property = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    /// A gathered run's values (see ``EventFinisher/finishGathered``) and places newest first.
    let value = UnsafeMutablePointer<Double>.allocate(capacity: capacity + 8)
    let place = UnsafeMutablePointer<Int32>.allocate(capacity: capacity + 8)
    /// Per place newest first, a gathered run's event (with room for the padding lanes' stores).
    let order = UnsafeMutablePointer<Int32>.allocate(capacity: capacity + 8)
    /// The events of a longer run, with their input positions (which break ties).
    var long: [(at: Double, route: Int32, property: Double, position: Int)] = []
    /// Per rule, the running sum and whether an event fed it (all zero between leads).
    let sums: UnsafeMutablePointer<Double>
    let seen: UnsafeMutablePointer<Bool>

    init(rules: Int) {
        sums = .allocate(capacity: Swift.max(1, rules))
        sums.initialize(repeating: 0, count: Swift.max(1, rules))
        seen = .allocate(capacity: Swift.max(1, rules))
        seen.initialize(repeating: false, count: Swift.max(1, rules))
    }

    deinit {
        at.deallocate()
        key.deallocate()
        route.deallocate()
        property.deallocate()
        value.deallocate()
        place.deallocate()
        order.deallocate()
        sums.deallocate()
        seen.deallocate()
    }
}

extension LeadScratch {
    /// A gathered run's newest and oldest times, whether every time is a
    /// whole number of seconds (so finite), and how many events are newer
    /// than the one before them; ``shapeRun(_:)`` gives it.
    struct RunShape {
        let newest: Double
        let oldest: Double
        let whole: Bool
        let rises: Int
    }

    /// The shape of the `count` (at least one) events gathered in
    /// ``at``; ``shapeRun(_:_:)`` of them.
    @inline(__always)
    func shapeRun(_ count: Int) -> RunShape { shapeRun(at, count) }

    /// The shape of the `count` (at least one) events whose times are at
    /// `at` (read only), and each event's key for the order into ``key``:
    /// its seconds after the reference (the first event) as a 32-bit
    /// integer. Where every time is whole (t + 1.5 × 2^52 − 1.5 × 2^52 == t,
    /// for |t| < 2^51; the low 32 bits of t + 1.5 × 2^52 are then t's,
    /// modulo 2^32) and within ±2^31 of the reference, the keys compare as
    /// the times do. Distances from the reference grow with the time on
    /// either side (a rounded difference is monotonic), so the run's newest
    /// and oldest give the largest; the loop tracks only those. Two at a
    /// time, an odd run's last pair padded with the reference (which changes
    /// neither extreme nor wholeness, and is taken out of the rises): the
    /// extremes as max and min, each key the low 32 bits of the difference
    /// of two 64-bit patterns, no branch per event.
    @inline(__always)
    func shapeRun(_ at: UnsafePointer<Double>, _ count: Int) -> RunShape {
        let ref = at[0]
        let shift = 0x1.8p52
        let (shifts, refs) = (SIMD2(repeating: shift), SIMD2(repeating: ref))
        let refBits = SIMD2<Int64>(repeating: Int64(bitPattern: (ref + shift).bitPattern))
        var (newests, oldests) = (refs, refs)
        var wholes = SIMDMask<SIMD2<Int64>>(repeating: true)
        var rising = SIMD2<Int64>.zero
        var before = Double.infinity
        let key = self.key
        @inline(__always) func take(_ t: SIMD2<Double>, at pair: Int) {
            newests = newests.replacing(with: t, where: t .> newests)
            oldests = oldests.replacing(with: t, where: t .< oldests)
            let shifted = t + shifts
            let keys = SIMD2<Int32>(truncatingIfNeeded: unsafeBitCast(shifted, to: SIMD2<Int64>.self) &- refBits)
            UnsafeMutableRawPointer(key + pair).storeBytes(of: keys, as: SIMD2<Int32>.self)
            // Zero for a whole t; NaN for an infinite or NaN one.
            wholes .&= (shifted - shifts) - t .== .zero
            rising &+= SIMD2<Int64>.zero.replacing(with: 1, where: t .> SIMD2(before, t[0]))
            before = t[1]
        }
        var pair = 0
        while pair &+ 1 < count {
            take(UnsafeRawPointer(at + pair).loadUnaligned(as: SIMD2<Double>.self), at: pair)
            pair &+= 2
        }
        if pair < count { take(SIMD2(at[pair], ref), at: pair) }
        // An odd run's padding (the reference) is no event.
        let rises = Int(rising.wrappedSum()) &- (count & 1 == 1 && ref > at[count &- 1] ? 1 : 0)
        return RunShape(
            newest: newests[1] > newests[0] ? newests[1] : newests[0],
            oldest: oldests[1] < oldests[0] ? oldests[1] : oldests[0], whole: all(wholes), rises: rises)
    }
}
