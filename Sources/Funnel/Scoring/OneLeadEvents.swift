/// One lead's events as a one-lead scorer reads them, kept out of the batch:
/// the event columns (`eventStart`, `eventRoute`, `eventAt`, `eventValue`,
/// `leadReference`, `leadDecayReady`) of a batch holding that lead alone,
/// written into memory of their own that lives from call to call.
///
/// Appending the events one by one to the batch's columns (each append a
/// uniqueness and capacity check, each column then sorted in place) cost a
/// one-lead call more than scoring it. Here they are gathered in input order
/// with their routes, then weighed and ordered once, by the rules the batch
/// follows (``LeadBatch/appendEvent(class:at:)`` and `finishLeadEvents`):
/// the reference is the first kept event in input order, each value its
/// weight times its rule's points, decay readiness whether every event lies
/// within ``Scorer/decayRange`` half-lives of the reference, and the order
/// newest first, ties in input order. So the scorer reading these columns
/// gives the bits it gives reading the batch's.
///
/// Only events whose route is decided when they are read (one rule, >= 0)
/// are gathered; a lead with any other makes its reader give up (see
/// ``bailed``), and a model with frequency rules is not read this way.
/// A class, so that its memory is reused; used by one thread at a time, and
/// never through overlapping accesses, so its properties go without the
/// dynamic exclusivity checks (they cost a call a few hundred instructions).
final class OneLeadEvents {
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity = 0
    /// Gathered in input order.
    @exclusivity(unchecked) private var gatheredAt: UnsafeMutablePointer<Double>
    @exclusivity(unchecked) private var gatheredRoute: UnsafeMutablePointer<Int32>
    /// The columns, newest first.
    @exclusivity(unchecked) private var at: UnsafeMutablePointer<Double>
    @exclusivity(unchecked) private var route: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) private var value: UnsafeMutablePointer<Double>
    /// The gathered events' indices in the order, newest first.
    @exclusivity(unchecked) private var sorted: UnsafeMutablePointer<Int>
    /// `[0, count]`, the lead's reference, and its decay readiness.
    private let start: UnsafeMutablePointer<Int>
    private let reference: UnsafeMutablePointer<Double>
    private let ready: UnsafeMutablePointer<UInt8>
    /// One event's properties, for a class whose route they decide.
    @exclusivity(unchecked) private(set) var slots: UnsafeMutableBufferPointer<PropertySlot>
    /// Set by a reader that met an event whose route only scoring can
    /// decide: the lead must then be read into the batch's own columns.
    @exclusivity(unchecked) var bailed = false

    init(propertyWidth width: Int) {
        gatheredAt = .allocate(capacity: 0)
        gatheredRoute = .allocate(capacity: 0)
        at = .allocate(capacity: 0)
        route = .allocate(capacity: 0)
        value = .allocate(capacity: 0)
        sorted = .allocate(capacity: 0)
        start = .allocate(capacity: 2)
        start.initialize(repeating: 0, count: 2)
        reference = .allocate(capacity: 1)
        reference.initialize(to: .nan)
        ready = .allocate(capacity: 1)
        ready.initialize(to: 1)
        slots = .allocate(capacity: width)
        slots.initialize(repeating: PropertySlot(kind: .missing))
        grow(to: 64)
    }

    deinit {
        for pointer in [UnsafeMutableRawPointer(gatheredAt), UnsafeMutableRawPointer(gatheredRoute),
            UnsafeMutableRawPointer(at), UnsafeMutableRawPointer(route), UnsafeMutableRawPointer(value),
            UnsafeMutableRawPointer(sorted), UnsafeMutableRawPointer(start), UnsafeMutableRawPointer(reference),
            UnsafeMutableRawPointer(ready)]
        {
            pointer.deallocate()
        }
        slots.deallocate()
    }

    /// Forgets the last lead's events (and whether its reader gave up).
    func removeAll() {
        count = 0
        bailed = false
    }

    /// Gathers an event at `time` (finite) routed to rule `rule` (>= 0).
    @inline(__always)
    func append(at time: Double, route rule: Int32) {
        let n = count
        if n == capacity { grow(to: capacity * 2) }
        gatheredAt[n] = time
        gatheredRoute[n] = rule
        count = n &+ 1
    }

    /// Every property slot missing, for the next event's properties.
    @inline(__always)
    func clearSlots() {
        slots.update(repeating: PropertySlot(kind: .missing))
    }

    private func grow(to newCapacity: Int) {
        func moved<T>(_ old: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            new.moveInitialize(from: old, count: count)
            old.deallocate()
            return new
        }
        gatheredAt = moved(gatheredAt)
        gatheredRoute = moved(gatheredRoute)
        at = moved(at)
        route = moved(route)
        value = moved(value)
        sorted = moved(sorted)
        capacity = newCapacity
    }

    /// Weighs and orders the gathered events, as the batch does its lead's
    /// (see the type's documentation), with the model's points and half-life.
    func finish(points: UnsafeBufferPointer<Double>, halfLife: Double?) {
        let n = count
        start[1] = n
        // Locals: the loops then read no stored property (each read of one checked for exclusive access).
        let (gatheredAt, gatheredRoute, at, route, value, sorted) = (
            self.gatheredAt, self.gatheredRoute, self.at, self.route, self.value, self.sorted
        )
        guard n > 0 else {
            reference.pointee = .nan
            ready.pointee = 1
            return
        }
        let ref = gatheredAt[0]
        reference.pointee = ref
        // The times newest first go straight to their column, and the events
        // are then weighed in that order: a weight depends on its time alone,
        // and readiness on all of them, so the order they are weighed in
        // changes no bit.
        Self.sortNewestFirst(gatheredAt, n, into: at, indices: sorted)
        var isReady: UInt8 = 1
        @inline(__always) func place(_ k: Int, _ weight: Double) {
            let r = gatheredRoute[sorted[k]]
            route[k] = r
            value[k] = weight * points[Int(r)]
        }
        var k = 0
        if let halfLife {
            let reach = Scorer.decayRange * halfLife
            // Two at a time (``power2(_:)`` of a SIMD2: the same bits lane by lane).
            while k &+ 1 < n {
                let (t0, t1) = (at[k], at[k &+ 1])
                if !(abs(t0 - ref) <= reach) || !(abs(t1 - ref) <= reach) { isReady = 0 }
                let weights = power2(SIMD2((t0 - ref) / halfLife, (t1 - ref) / halfLife))
                place(k, weights[0])
                place(k &+ 1, weights[1])
                k &+= 2
            }
            if k < n {
                let t = at[k]
                if !(abs(t - ref) <= reach) { isReady = 0 }
                place(k, power2((t - ref) / halfLife))
            }
        } else {
            for k in 0..<n { place(k, 1.0) }
        }
        ready.pointee = isReady
    }

    /// Writes `times`' first `n` (n > 0) newest first, ties in input order,
    /// to `sorted`, and where each came from to `indices`: as they are when
    /// already so (as usual), reversed when strictly oldest first, else an
    /// insertion sort carrying the times along (no loads through indices)
    /// for short runs, a sort beyond. No allocation for short runs (a
    /// temporary allocation here cost one a call).
    private static func sortNewestFirst(
        _ times: UnsafeMutablePointer<Double>, _ n: Int, into sorted: UnsafeMutablePointer<Double>,
        indices: UnsafeMutablePointer<Int>
    ) {
        var ordered = true
        for j in 1..<n where times[j] > times[j &- 1] {
            ordered = false
            break
        }
        if ordered {
            for j in 0..<n {
                sorted[j] = times[j]
                indices[j] = j
            }
            return
        }
        // Strictly oldest first (no ties, whose input order must stay): reversed.
        var rising = true
        for j in 1..<n where !(times[j] > times[j &- 1]) {
            rising = false
            break
        }
        if rising {
            for j in 0..<n {
                sorted[j] = times[n &- 1 &- j]
                indices[j] = n &- 1 &- j
            }
            return
        }
        if n <= 64 {
            sorted[0] = times[0]
            indices[0] = 0
            for k in 1..<n {
                let t = times[k]
                var j = k
                while j > 0 && t > sorted[j &- 1] {
                    sorted[j] = sorted[j &- 1]
                    indices[j] = indices[j &- 1]
                    j &-= 1
                }
                sorted[j] = t
                indices[j] = k
            }
        } else {
            for k in 0..<n { indices[k] = k }
            var all = UnsafeMutableBufferPointer(start: indices, count: n)
            all.sort { times[$0] != times[$1] ? times[$0] > times[$1] : $0 < $1 }
            for k in 0..<n { sorted[k] = times[indices[k]] }
        }
    }

    /// The columns, for ``Scorer``: valid while this object lives and no
    /// event is appended.
    var eventStart: UnsafeBufferPointer<Int> { UnsafeBufferPointer(start: start, count: 2) }
    var eventRoute: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: route, count: count) }
    var eventAt: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: at, count: count) }
    var eventValue: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: value, count: count) }
    var leadReference: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: reference, count: 1) }
    var leadDecayReady: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: ready, count: 1) }
}
