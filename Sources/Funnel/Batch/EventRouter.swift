/// Where each event of raw event columns goes, by its type id: its class's
/// route when that is fixed (as it usually is), else decided from the
/// event's property value, or nowhere (dropped). Shared by the event fill
/// (``LeadBatch/setEvents(types:lead:type:at:property:values:)``) and the
/// one-shot score (``LeadBatch/scores(at:types:lead:type:at:property:values:threads:fit:behavior:total:grade:engagement:)``),
/// so both route an event alike. One per thread: it remembers its last
/// decisions.
final class EventRouter {
    /// No route to scoring: no rule can ever count the event.
    static let dropped = Int64.min

    /// ``dropped`` among 32-bit routes: no route to scoring, `-(class + 1)`,
    /// comes this low (classes are far fewer than 2^31 - 2).
    static let droppedCode = Int32.min + 1

    /// A route as a 32-bit code: itself, or ``droppedCode``.
    static func routeCode(_ route: Int64) -> Int32 {
        route == dropped ? droppedCode : Int32(truncatingIfNeeded: route)
    }

    /// Per type id, its rule class (-1: no rule can count it).
    let typeClasses: [Int32]
    /// Per type id, where its events go before one is seen: a route,
    /// ``LeadBatch/routeDependsOnEvent`` when the property decides, or ``dropped``.
    let typeRoutes: [Int64]
    /// ``typeRoutes`` as 32-bit codes (``droppedCode`` for dropped), read
    /// without a bounds check (the type ids are checked) in the gathering loops.
    let routeTable: UnsafeMutableBufferPointer<Int32>
    private let batch: LeadBatch
    private let type: UnsafeBufferPointer<Int32>
    /// The property values, when some rule reads the property.
    private let values: UnsafeBufferPointer<Double>?
    private let propertyIndex: Int
    /// One event's properties (every slot but the given property's missing).
    private var slots: [PropertySlot]
    /// Such a route depends on the type and the one property value alone:
    /// the last few are remembered, by the value's bits and the type, so
    /// that repeated values (whole minutes, say) skip the rule look-up.
    private static let memoSize = 64
    private let memoValue = UnsafeMutablePointer<UInt64>.allocate(capacity: memoSize)
    private let memoType = UnsafeMutablePointer<Int32>.allocate(capacity: memoSize)
    private let memoRoute = UnsafeMutablePointer<Int64>.allocate(capacity: memoSize)

    /// A router of events typed by `types` (ids into it in `type`), whose
    /// property `property` has `values`. Types the batch does not know yet
    /// become its local classes (as appending them would).
    init(
        _ batch: inout LeadBatch, types: [String], type: UnsafeBufferPointer<Int32>, property: String?,
        values: UnsafeBufferPointer<Double>?
    ) {
        let propertyIndex = property.flatMap { batch.model.predicates.propertyIndex[$0] } ?? -1
        typeClasses = types.map { batch.eventClass(of: $0) }
        let classRoutes = batch.classRoutes
        typeRoutes = typeClasses.map { $0 < 0 ? Self.dropped : Int64(classRoutes[Int($0)]) }
        routeTable = .allocate(capacity: Swift.max(1, typeRoutes.count))
        _ = routeTable.initialize(from: typeRoutes.map(Self.routeCode))
        self.batch = batch
        self.type = type
        self.propertyIndex = propertyIndex
        self.values = propertyIndex >= 0 ? values : nil
        slots = [PropertySlot](repeating: PropertySlot(kind: .missing), count: batch.model.predicates.propertyNames.count)
        memoType.initialize(repeating: -1, count: Self.memoSize)
        memoValue.initialize(repeating: 0, count: Self.memoSize)
        memoRoute.initialize(repeating: 0, count: Self.memoSize)
    }

    deinit {
        routeTable.deallocate()
        memoValue.deallocate()
        memoType.deallocate()
        memoRoute.deallocate()
    }

    /// Where event `k` goes: its route, a negative code left to scoring
    /// (`-(class + 1)`), or ``dropped``. Inlined: most types' routes are
    /// fixed, and a call per event cost the counting sort a third of its time.
    @inline(__always)
    func route(_ k: Int) -> Int64 {
        let fixed = typeRoutes[Int(type[k])]
        return fixed != Int64(LeadBatch.routeDependsOnEvent) ? fixed : decided(k)
    }

    /// ``route(_:)`` for an event whose property decides its route.
    @inline(never)
    private func decided(_ k: Int) -> Int64 {
        let t = Int(type[k])
        let bits = values.map { $0[k].bitPattern } ?? 0
        let slot = Int(truncatingIfNeeded: ((bits ^ UInt64(truncatingIfNeeded: t)) &* 0x9e37_79b9_7f4a_7c15) >> 58)
        if memoType[slot] == Int32(truncatingIfNeeded: t) && memoValue[slot] == bits { return memoRoute[slot] }
        if let values {
            let value = values[k]
            slots[propertyIndex] = value.isNaN ? PropertySlot(kind: .missing) : PropertySlot(kind: .number, number: value)
        }
        let routed = slots.withUnsafeBufferPointer { batch.route(class: typeClasses[t], slots: $0) }
        let r = routed.map { Int64($0) } ?? Self.dropped
        (memoType[slot], memoValue[slot], memoRoute[slot]) = (Int32(truncatingIfNeeded: t), bits, r)
        return r
    }
}
