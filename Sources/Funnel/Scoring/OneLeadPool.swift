import Synchronization

/// The ``OneLeadScratch``es of one model, lent to one call at a time, so
/// that scoring one lead (``Model/score(_:at:)``, the C ABI's
/// `funnel_score_json`) reuses their memory instead of allocating it.
///
/// A model is shared between threads: each call takes a scratch of its own
/// from the pool (or makes one when every kept one is in use) and gives it
/// back afterwards; a scratch is never used by two calls at once. The pool
/// belongs to the ``Model`` value, not to the compiled model the scratches
/// refer to, so that they form no cycle.
final class OneLeadPool: Sendable {
    private let kept = Mutex<[OneLeadScratch]>([])

    /// The most scratches kept: more threads than this at once make theirs
    /// anew each call (and drop them).
    static let maxKept = 16

    /// Runs `body` with a scratch for `model` that no other call uses meanwhile.
    func withScratch<R, E: Error>(_ model: Model, _ body: (OneLeadScratch) throws(E) -> R) throws(E) -> R {
        let scratch = kept.withLock { $0.popLast() } ?? OneLeadScratch(model: model)
        defer {
            kept.withLock { list in
                if list.count < Self.maxKept {
                    if list.capacity == 0 { list.reserveCapacity(Self.maxKept) }
                    list.append(scratch)
                }
            }
        }
        return try body(scratch)
    }
}

extension Model {
    /// Runs `body` with a one-lead scratch of this model that no other call
    /// uses meanwhile (see ``OneLeadPool``).
    package func withOneLeadScratch<R, E: Error>(_ body: (OneLeadScratch) throws(E) -> R) throws(E) -> R {
        try oneLead.withScratch(self, body)
    }
}
