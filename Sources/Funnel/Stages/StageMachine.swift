/// The compiled funnel of SPEC §5: stages by index, transitions expanded into
/// edges, guards and automatic entries as predicate roots.
///
/// It decides moves but evaluates nothing itself: what it needs to know about
/// a lead (does this predicate hold, which disqualifier fires) it asks a
/// ``StageOracle``, so routing, conversion and reports can use stages without
/// a scorer.
struct StageMachine: Sendable {
    /// The stages as written, in `list` order.
    let list: [Stage]
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

    init(list: [Stage], index: [String: Int32], initial: Int32, requires: [Int32], enterWhen: [Int32],
         edges: [[StageEdge]]) {
        self.list = list
        ids = list.map(\.id)
        outcomes = list.map(\.outcome)
        self.index = index
        self.initial = initial
        self.requires = requires
        self.enterWhen = enterWhen
        self.edges = edges
    }

    /// The stage a lead is in: the one it names (an index, -1 for none), else
    /// the initial stage. The one place that decides where a lead starts.
    @inline(__always)
    func start(_ named: Int32) -> Int32 {
        named >= 0 ? named : initial
    }

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
