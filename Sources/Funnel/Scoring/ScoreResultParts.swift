/// The arrays of a ``ScoreResult`` kept from one lead to the next, and the
/// texts a result copies (the descriptions `lacking` lists, each grade and
/// engagement level's priority), made once: a scorer of one lead at a time
/// (``OneLeadScratch``) fills them in place with
/// ``Scorer/result(lead:reusing:)`` and hands out copies.
///
/// The arrays are shared with the result handed out; an array is written in
/// place only when that result is gone (copy on write tells), so a caller
/// that lets go of each result before the next costs no allocation.
struct ScoreResultParts {
    var contributions: [Contribution] = []
    var criteria: [CriterionResult]
    var disqualifiedBy: [String] = []
    var groups: [GroupTotal] = []
    /// Per score group, whether one of its rules contributed (working memory).
    var groupContributes: [Bool]
    /// Per criterion, what it lists as lacking when it does not hold: its
    /// ``LackingStep`` tree laid out flat (see ``FlatLacking``), walked
    /// without copying the tree's enums (which retained and released them).
    let lacking: FlatLacking
    /// `priorities[g][e]`: grade `g`'s name followed by engagement level `e`'s.
    let priorities: [[String]]
    /// The ids and points of the rules, groups and disqualifiers, and the
    /// grades' and engagement levels' names, in the model's order: read
    /// here, a result no longer copies the model's definition to find them.
    let fitIDs: [String]
    let fitPoints: [Double]
    let behaviorIDs: [String]
    let groupIDs: [String]
    let disqualifierIDs: [String]
    let gradeNames: [String]
    let levelNames: [String]

    init(_ model: CompiledModel) {
        let definition = model.definition
        criteria = definition.criteria.map { CriterionResult(name: $0.name, holds: false) }
        groupContributes = [Bool](repeating: false, count: definition.scoring.groups.count)
        lacking = FlatLacking(
            zip(model.criterionRoots, definition.criteria).map { root, criterion in
                LackingStep(
                    root, criterion.predicate, nodes: model.predicates.nodes, children: model.predicates.children,
                    describe: \.description)
            })
        let levels = model.scoring.engagement.names
        priorities = model.scoring.grades.names.map { grade in levels.map { grade + $0 } }
        fitIDs = definition.scoring.fit.map(\.id)
        fitPoints = definition.scoring.fit.map(\.points)
        behaviorIDs = definition.scoring.behavior.map(\.id)
        groupIDs = definition.scoring.groups.map(\.id)
        disqualifierIDs = definition.disqualifiers.map(\.id)
        gradeNames = model.scoring.grades.names
        levelNames = levels
    }
}

extension Scorer {
    /// Scores lead `lead` and explains the score: the result
    /// ``result(lead:)`` gives, its arrays those of `parts`, filled in place.
    mutating func result(lead: Int, reusing parts: inout ScoreResultParts) -> ScoreResult {
        let (fit, behavior) = score(lead: lead)
        parts.contributions.removeAll(keepingCapacity: true)
        for r in 0..<parts.fitIDs.count where fitHit(r) {
            parts.contributions.append(Contribution(rule: parts.fitIDs[r], kind: .fit, points: parts.fitPoints[r], events: 0))
        }
        var anyGroup = false
        for r in 0..<parts.behaviorIDs.count where ruleHits(r) > 0 {
            parts.contributions.append(
                Contribution(rule: parts.behaviorIDs[r], kind: .behavior, points: cappedTotal(r), events: ruleHits(r)))
            let g = group(ofRule: r)
            if g >= 0 {
                if !anyGroup { parts.groupContributes.withUnsafeMutableBufferPointer { $0.update(repeating: false) } }
                anyGroup = true
                parts.groupContributes[g] = true
            }
        }
        if !parts.groups.isEmpty { parts.groups.removeAll(keepingCapacity: true) }
        if anyGroup {
            for g in 0..<parts.groupIDs.count where parts.groupContributes[g] {
                parts.groups.append(GroupTotal(group: parts.groupIDs[g], points: groupTotal(g)))
            }
        }
        let steps = parts.lacking
        for i in 0..<parts.criteria.count {
            let holds = evaluator.criterion(i)
            if parts.criteria[i].holds != holds { parts.criteria[i].holds = holds }
            if !parts.criteria[i].lacking.isEmpty { parts.criteria[i].lacking.removeAll(keepingCapacity: true) }
            if !holds {
                collectLacking(
                    Int(steps.roots[i]), steps.steps.buffer, steps.links.buffer, steps.descriptions,
                    into: &parts.criteria[i].lacking)
            }
        }
        if !parts.disqualifiedBy.isEmpty { parts.disqualifiedBy.removeAll(keepingCapacity: true) }
        let disqualifierRoots = evaluator.model.disqualifierRoots.buffer
        for i in 0..<parts.disqualifierIDs.count where evaluator.holds(disqualifierRoots[i]) {
            parts.disqualifiedBy.append(parts.disqualifierIDs[i])
        }
        // The evaluator's indices: those of `scoring.grades` and `.engagement` (no copy of the tables).
        let grade = Int(evaluator.gradeIndex)
        let level = Int(evaluator.engagementIndex)
        var result = ScoreResult(
            id: evaluator.leadID, fit: fit, behavior: behavior, total: evaluator.total,
            grade: grade >= 0 ? parts.gradeNames[grade] : nil,
            criteria: parts.criteria, disqualifiedBy: parts.disqualifiedBy, contributions: parts.contributions)
        result.groups = parts.groups
        result.engagement = level >= 0 ? parts.levelNames[level] : nil
        if grade >= 0 && level >= 0 { result.priority = parts.priorities[grade][level] }
        return result
    }

    /// Appends to `lacking` what flat step `k` lacks, as `Evaluator.collectUnmet` does.
    private mutating func collectLacking(
        _ k: Int, _ steps: UnsafeBufferPointer<FlatLacking.Step>, _ links: UnsafeBufferPointer<Int32>,
        _ descriptions: [String], into lacking: inout [String]
    ) {
        let step = steps[k]
        if evaluator.holds(step.node) { return }
        switch step.kind {
        case .all:
            for j in Int(step.first)..<Int(step.first &+ step.count) {
                collectLacking(Int(links[j]), steps, links, descriptions, into: &lacking)
            }
        case .criterion:
            collectLacking(Int(step.first), steps, links, descriptions, into: &lacking)
        case .part:
            lacking.append(descriptions[Int(step.first)])
        }
    }
}

/// The criteria's ``LackingStep`` trees of `String`s laid out flat, for
/// ``Scorer/result(lead:reusing:)`` to walk by index.
struct FlatLacking {
    struct Step: BitwiseCopyable {
        enum Kind: UInt8, BitwiseCopyable {
            case all, criterion, part
        }
        let node: Int32
        let kind: Kind
        /// `all`: where its parts' step numbers start in `links`; `criterion`:
        /// the criterion's root step; `part`: its description's index.
        let first: Int32
        /// `all`: how many parts.
        let count: Int32
    }
    var steps = Column<Step>()
    var links = Column<Int32>()
    var descriptions: [String] = []
    /// Per criterion, the step number of its root.
    var roots: [Int32] = []

    init(_ trees: [LackingStep<String>]) {
        // Roots first, so that a `criterion` step can name its criterion's root.
        roots = trees.indices.map { Int32($0) }
        for tree in trees { steps.append(Step(node: tree.node, kind: .part, first: 0, count: 0)) }
        for (i, tree) in trees.enumerated() { fill(i, tree) }
    }

    /// Writes `tree` into the step numbered `k` (already reserved), and its parts after.
    private mutating func fill(_ k: Int, _ tree: LackingStep<String>) {
        switch tree.kind {
        case .all(let parts):
            let start = steps.count
            for part in parts { steps.append(Step(node: part.node, kind: .part, first: 0, count: 0)) }
            let first = links.count
            for j in parts.indices { links.append(Int32(start + j)) }
            steps[k] = Step(node: tree.node, kind: .all, first: Int32(first), count: Int32(parts.count))
            for (j, part) in parts.enumerated() { fill(start + j, part) }
        case .criterion(let index):
            steps[k] = Step(node: tree.node, kind: .criterion, first: Int32(index), count: 0)
        case .part(let text):
            steps[k] = Step(node: tree.node, kind: .part, first: Int32(descriptions.count), count: 0)
            descriptions.append(text)
        }
    }
}
