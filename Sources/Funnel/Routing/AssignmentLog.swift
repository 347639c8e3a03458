/// The instants of one person's assignments, oldest first.
///
/// Routing instants never go backwards, so instants only ever arrive at the
/// back and leave the capacity window at the front: the log is a queue whose
/// head moves forward as the window does.
///
/// - Complexity: ``load(at:window:)`` and ``append(_:)`` are amortised O(1).
struct AssignmentLog: Sendable, Hashable {
    private(set) var instants: [Double] = []
    private(set) var head = 0

    init() {}

    /// A log holding `instants` (sorted here).
    init(_ instants: [Double]) {
        self.instants = instants.sorted()
    }

    /// The number of assignments in `(t − window, t]`, for a `t` no earlier
    /// than any instant recorded; those at or before `t − window` are dropped
    /// for good (later calls have later instants).
    @inline(__always)
    mutating func load(at t: Double, window: Double) -> Int {
        let cutoff = t - window
        while head < instants.count && instants[head] <= cutoff { head &+= 1 }
        if head >= 32 && head &* 2 >= instants.count {
            instants.removeFirst(head)
            head = 0
        }
        return instants.count &- head
    }

    /// The load at any `t` without dropping anything: two binary searches.
    ///
    /// - Complexity: O(log n).
    func peekLoad(at t: Double, window: Double) -> Int {
        upperBound(of: t) - upperBound(of: t - window)
    }

    /// The index of the first live instant greater than `x`.
    private func upperBound(of x: Double) -> Int {
        var low = head
        var high = instants.count
        while low < high {
            let mid = (low &+ high) / 2
            if instants[mid] <= x { low = mid &+ 1 } else { high = mid }
        }
        return low
    }

    @inline(__always)
    mutating func append(_ t: Double) {
        instants.append(t)
    }

    /// The instants still in the window that ends at `t`, oldest first.
    func live(at t: Double, window: Double) -> ArraySlice<Double> {
        instants[upperBound(of: t - window)...]
    }
}
