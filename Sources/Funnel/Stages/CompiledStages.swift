/// The compiled funnel: stages by index, transitions expanded into edges.
struct CompiledStages: Sendable {
    let ids: [String]
    let index: [String: Int32]
    let initial: Int32
    /// Roots into the model's predicate nodes; -1 when absent.
    let requires: [Int32]
    let enterWhen: [Int32]
    let outcomes: [Outcome?]
    /// Per stage, the stages one transition away, in `list` order.
    let edges: [[StageEdge]]
    /// The funnel's main line (SPEC §12), as stage indices.
    var path: [Int32] = []
    /// Per path position, the expected rate into it from the one before; `nil` when not given.
    var benchmarks: [Double?] = []

    func edge(from: Int32, to: Int32) -> StageEdge? {
        edges[Int(from)].first { $0.to == to }
    }
}

/// A permitted move, with the `reasons` lists of every transition that permits it.
struct StageEdge: Sendable, Hashable {
    var to: Int32
    /// One entry per transition; `nil` means that transition takes any reason.
    var reasonLists: [[String]?]

    /// True when a move naming `reason` is allowed along some transition.
    func accepts(_ reason: String?) -> Bool {
        reasonLists.contains { list in
            guard let list else { return true }
            return reason.map(list.contains) ?? false
        }
    }

    /// Every reason the closed lists allow, in order, without repeats.
    var allowedReasons: [String] {
        var seen: Set<String> = []
        return reasonLists.flatMap { $0 ?? [] }.filter { seen.insert($0).inserted }
    }
}
