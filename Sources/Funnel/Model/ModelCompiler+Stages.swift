extension ModelCompiler {
    /// Checks the stages section (SPEC §5) and compiles it into a state machine;
    /// `nil` when it is too broken to build one.
    mutating func compileStages(_ stages: Stages) -> StageMachine? {
        // Name the stages first, then report faults stage by stage, in document order.
        var index: [String: Int32] = [:]
        for (i, stage) in stages.list.enumerated() where index[stage.id] == nil && stage.id != "*" {
            index[stage.id] = Int32(i)
        }
        let initial = index[stages.initial]
        if initial == nil { faults.fault("stages.initial", "unknown stage \"\(stages.initial)\"") }
        if stages.list.isEmpty { faults.fault("stages.list", "expected at least one stage") }
        let stageContext = PredicateCompiler.Context(allowsProperty: false, allowsScore: true, place: "a stage")
        var requires: [Int32] = []
        var enterWhen: [Int32] = []
        for (i, stage) in stages.list.enumerated() {
            let path = "stages.list".indexed(i)
            if stage.id.isEmpty {
                faults.fault(path.joined("id"), "expected a non-empty string")
            } else if stage.id == "*" {
                faults.fault(path.joined("id"), "\"*\" is reserved for transitions from every stage")
            } else if index[stage.id] != Int32(i) {
                faults.fault(path.joined("id"), "duplicate stage id \"\(stage.id)\"")
            }
            requires.append(stage.requires.map { compile($0, path.joined("requires"), stageContext) } ?? -1)
            enterWhen.append(stage.enterWhen.map { compile($0, path.joined("enter_when"), stageContext) } ?? -1)
        }
        var reasonLists: [[Int32: [[String]?]]] = Array(repeating: [:], count: stages.list.count)
        for (i, transition) in stages.transitions.enumerated() {
            let path = "stages.transitions".indexed(i)
            if transition.from.isEmpty { faults.fault(path.joined("from"), "expected at least one stage") }
            if transition.to.isEmpty { faults.fault(path.joined("to"), "expected at least one stage") }
            if let reasons = transition.reasons {
                if reasons.isEmpty { faults.fault(path.joined("reasons"), "expected at least one reason") }
                for (j, reason) in reasons.enumerated() where reason.isEmpty {
                    faults.fault(path.joined("reasons").indexed(j), "expected a non-empty string")
                }
            }
            var sources: [Int32] = []
            for (j, from) in transition.from.enumerated() {
                let fromPath = transition.from.count == 1 ? path.joined("from") : path.joined("from").indexed(j)
                if from == "*" {
                    // Every stage that has no outcome.
                    sources += stages.list.indices.filter { stages.list[$0].outcome == nil }.map { Int32($0) }
                } else if let stage = index[from] {
                    sources.append(stage)
                } else {
                    faults.fault(fromPath, "unknown stage \"\(from)\"")
                }
            }
            for (j, to) in transition.to.enumerated() {
                let toPath = transition.to.count == 1 ? path.joined("to") : path.joined("to").indexed(j)
                guard let target = index[to] else {
                    faults.fault(toPath, to == "*" ? "\"*\" may stand only in from" : "unknown stage \"\(to)\"")
                    continue
                }
                for source in sources {
                    // A wildcard never makes a stage lead to itself.
                    if source == target && !transition.from.contains(to) { continue }
                    reasonLists[Int(source)][target, default: []].append(transition.reasons)
                }
            }
        }
        guard let initial else { return nil }
        let edges = reasonLists.map { targets in
            targets.keys.sorted().map { StageEdge(to: $0, reasonLists: targets[$0] ?? []) }
        }
        var machine = StageMachine(
            list: stages.list, index: index, initial: initial, requires: requires, enterWhen: enterWhen, edges: edges)
        (machine.path, machine.benchmarks) = compileFunnelPath(stages, index)
        return machine
    }

    /// `stages.path` (or its default) as stage indices, and `stages.benchmarks` by
    /// path position (SPEC §12).
    private mutating func compileFunnelPath(_ stages: Stages, _ index: [String: Int32]) -> ([Int32], [Double?]) {
        var path: [Int32] = []
        if let ids = stages.path {
            if ids.isEmpty { faults.fault("stages.path", "expected at least one stage") }
            for (i, id) in ids.enumerated() {
                guard let stage = index[id] else {
                    faults.fault("stages.path".indexed(i), "unknown stage \"\(id)\"")
                    continue
                }
                if path.contains(stage) {
                    faults.fault("stages.path".indexed(i), "stage \"\(id)\" repeats in the path")
                    continue
                }
                path.append(stage)
            }
        } else {
            for (i, stage) in stages.list.enumerated() where index[stage.id] == Int32(i) {
                if stage.outcome == .lost || stage.outcome == .disqualified { continue }
                path.append(Int32(i))
                if stage.outcome == .won { break }
            }
        }
        var benchmarks = [Double?](repeating: nil, count: path.count)
        for (id, rate) in stages.benchmarks.sorted(by: { $0.key < $1.key }) {
            let at = "stages.benchmarks".joined(id)
            guard let stage = index[id] else {
                faults.fault(at, "unknown stage \"\(id)\"")
                continue
            }
            guard let position = path.firstIndex(of: stage) else {
                faults.fault(at, "stage \"\(id)\" is not in the funnel's path")
                continue
            }
            if position == 0 {
                faults.fault(at, "the first stage of the path has no stage before it to compare with")
            } else if !rate.isFinite || rate < 0 || rate > 1 {
                faults.fault(at, "expected a rate between 0 and 1, found \(rate)")
            } else {
                benchmarks[position] = rate
            }
        }
        return (path, benchmarks)
    }
}
