import Synchronization

/// The ``OneLeadScratch``es of one model, lent to one call at a time, so
/// that scoring one lead (``Model/score(_:at:)``, the C ABI's
/// `funnel_score_json`) reuses their memory instead of allocating it.
///
/// A model is shared between threads: each call takes a scratch of its own
/// from a slot (or makes one when every slot is empty) and puts it back in
/// an empty slot afterwards (or drops it when none is); a scratch is never
/// used by two calls at once. Lock-free: a slot is an atomic pointer, taken
/// by swapping nil in (acquiring) and filled by a compare-and-swap from nil
/// (releasing), so whatever a call wrote to a scratch is seen by the next.
/// The pool belongs to the ``Model`` value, not to the compiled model the
/// scratches refer to, so that they form no cycle.
///
/// `@unchecked Sendable`: the slots are behind a pointer, and only ever
/// touched through their atomic operations.
final class OneLeadPool: @unchecked Sendable {
    /// Each a retained ``OneLeadScratch``, or nil.
    private let slots: UnsafeMutablePointer<Atomic<UnsafeMutableRawPointer?>>

    /// The most scratches kept: more threads than this at once make theirs
    /// anew each call.
    static let slotCount = 16

    init() {
        slots = .allocate(capacity: Self.slotCount)
        for i in 0..<Self.slotCount { (slots + i).initialize(to: Atomic(nil)) }
    }

    deinit {
        for i in 0..<Self.slotCount {
            if let scratch = slots[i].exchange(nil, ordering: .acquiring) {
                Unmanaged<OneLeadScratch>.fromOpaque(scratch).release()
            }
        }
        slots.deinitialize(count: Self.slotCount)
        slots.deallocate()
    }

    /// Runs `body` with a scratch for `model` that no other call uses meanwhile.
    @inline(__always)
    func withScratch<R, E: Error>(_ model: Model, _ body: (OneLeadScratch) throws(E) -> R) throws(E) -> R {
        let scratch = take() ?? OneLeadScratch(model: model)
        defer { give(scratch) }
        return try body(scratch)
    }

    /// A kept scratch, now the caller's; nil when every slot is empty.
    private func take() -> OneLeadScratch? {
        for i in 0..<Self.slotCount {
            if let scratch = slots[i].exchange(nil, ordering: .acquiring) {
                return Unmanaged<OneLeadScratch>.fromOpaque(scratch).takeRetainedValue()
            }
        }
        return nil
    }

    /// Keeps `scratch` in an empty slot, or drops it when there is none.
    private func give(_ scratch: OneLeadScratch) {
        let retained = Unmanaged.passRetained(scratch).toOpaque()
        for i in 0..<Self.slotCount
        where slots[i].compareExchange(expected: nil, desired: retained, ordering: .releasing).exchanged {
            return
        }
        Unmanaged<OneLeadScratch>.fromOpaque(retained).release()
    }
}

extension Model {
    /// Runs `body` with a one-lead scratch of this model that no other call
    /// uses meanwhile (see ``OneLeadPool``).
    @inline(__always)
    package func withOneLeadScratch<R, E: Error>(_ body: (OneLeadScratch) throws(E) -> R) throws(E) -> R {
        try oneLead.withScratch(self, body)
    }
}
