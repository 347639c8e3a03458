/// A ``ScoreResult`` kept from one lead to the next, and the texts a
/// result copies (the descriptions `lacking` lists, each grade and
/// engagement level's priority), made once: a scorer of one lead at a time
/// (``OneLeadScratch``) fills it in place with
/// ``Scorer/result(lead:reusing:)`` and hands out copies of it (a result
/// made anew each call, through an initialiser, was built twice there,
/// one copy copied again and the other destroyed: 400 instructions).
///
/// The arrays are shared with the result handed out; an array is written in
/// place only when that result is gone (copy on write tells), so a caller
/// that lets go of each result before the next costs no allocation. An
/// element that would be written again with what it holds is left alone,
/// and an array left whole is not written at all: a lead whose lists come
/// out as the last lead's costs no copy even while that result is held.
struct ScoreResultParts {
    /// The last result; its arrays are written in place.
    var result: ScoreResult
    /// Per score group, whether one of its rules contributed (working memory).
    var groupContributes: [Bool]
    /// The description indices of the criterion being explained (working memory).
    var lackingIndices: [Int32] = []
    /// Per criterion, what it lists as lacking when it does not hold: its
    /// ``LackingStep`` tree laid out flat (see ``FlatLacking``), walked
    /// without copying the tree's enums (which retained and released them).
    let lacking: FlatLacking<String>
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
        result = ScoreResult(
            id: "", fit: 0, behavior: 0, total: 0, grade: nil,
            criteria: definition.criteria.map { CriterionResult(name: $0.name, holds: false) }, disqualifiedBy: [],
            contributions: [])
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
        var written = 0
        for r in 0..<parts.fitIDs.count where fitHit(r) {
            Self.put(
                Contribution(rule: parts.fitIDs[r], kind: .fit, points: parts.fitPoints[r], events: 0), at: written,
                in: &parts.result.contributions)
            written &+= 1
        }
        var anyGroup = false
        for r in 0..<parts.behaviorIDs.count where ruleHits(r) > 0 {
            Self.put(
                Contribution(rule: parts.behaviorIDs[r], kind: .behavior, points: cappedTotal(r), events: ruleHits(r)),
                at: written, in: &parts.result.contributions)
            written &+= 1
            let g = group(ofRule: r)
            if g >= 0 {
                if !anyGroup { parts.groupContributes.withUnsafeMutableBufferPointer { $0.update(repeating: false) } }
                anyGroup = true
                parts.groupContributes[g] = true
            }
        }
        Self.truncate(&parts.result.contributions, to: written)
        parts.result.groups.empty()
        if anyGroup {
            for g in 0..<parts.groupIDs.count where parts.groupContributes[g] {
                parts.result.groups.append(GroupTotal(group: parts.groupIDs[g], points: groupTotal(g)))
            }
        }
        let steps = parts.lacking
        for i in 0..<parts.result.criteria.count {
            let holds = evaluator.criterion(i)
            if parts.result.criteria[i].holds != holds { parts.result.criteria[i].holds = holds }
            // What it lacks, as description indices first: its list is
            // written only when they are not what it holds.
            parts.lackingIndices.empty()
            if !holds {
                // The root step's node is the criterion's, just found not to hold: not evaluated again.
                collectLacking(
                    Int(steps.roots[i]), steps.steps.buffer, steps.links.buffer, into: &parts.lackingIndices,
                    failing: true)
            }
            if !Self.lists(parts.result.criteria[i].lacking, parts.lackingIndices, steps.descriptions) {
                parts.result.criteria[i].lacking.empty()
                for d in parts.lackingIndices { parts.result.criteria[i].lacking.append(steps.descriptions[Int(d)]) }
            }
        }
        let disqualifierRoots = evaluator.model.disqualifierRoots.buffer
        written = 0
        for i in 0..<parts.disqualifierIDs.count where evaluator.holds(disqualifierRoots[i]) {
            Self.put(parts.disqualifierIDs[i], at: written, in: &parts.result.disqualifiedBy)
            written &+= 1
        }
        Self.truncate(&parts.result.disqualifiedBy, to: written)
        // The evaluator's indices: those of `scoring.grades` and `.engagement` (no copy of the tables).
        let grade = Int(evaluator.gradeIndex)
        let level = Int(evaluator.engagementIndex)
        parts.result.id = evaluator.leadID
        parts.result.fit = fit
        parts.result.behavior = behavior
        parts.result.total = evaluator.total
        parts.result.grade = grade >= 0 ? parts.gradeNames[grade] : nil
        parts.result.engagement = level >= 0 ? parts.levelNames[level] : nil
        parts.result.priority = grade >= 0 && level >= 0 ? parts.priorities[grade][level] : nil
        return parts.result
    }

    /// Appends to `lacking` the description indices of what flat step `k`
    /// lacks, as `Evaluator.collectUnmet` collects the descriptions;
    /// `failing`: its node is known not to hold.
    private mutating func collectLacking(
        _ k: Int, _ steps: UnsafeBufferPointer<FlatLackingStep>, _ links: UnsafeBufferPointer<Int32>,
        into lacking: inout [Int32], failing: Bool = false
    ) {
        let step = steps[k]
        if !failing && evaluator.holds(step.node) { return }
        switch step.kind {
        case .all:
            for j in Int(step.first)..<Int(step.first &+ step.count) {
                collectLacking(Int(links[j]), steps, links, into: &lacking)
            }
        case .criterion:
            collectLacking(Int(step.first), steps, links, into: &lacking)
        case .part:
            lacking.append(step.first)
        }
    }

    /// Writes `element` at `k` of `list` (at most its count): left alone when
    /// it is the same there already, so that an array written with what it
    /// holds is never copied nor written.
    @inline(__always)
    private static func put<T: SameValue>(_ element: T, at k: Int, in list: inout [T]) {
        if k < list.count {
            if !list[k].isSame(as: element) { list[k] = element }
        } else {
            list.append(element)
        }
    }

    /// Drops the elements of `list` from `count` on, if any.
    @inline(__always)
    private static func truncate<T>(_ list: inout [T], to count: Int) {
        if list.count > count { list.removeSubrange(count...) }
    }

    /// Whether `list` is `descriptions` at `indices`, each the same string (``SameValue``).
    @inline(__always)
    private static func lists(_ list: [String], _ indices: [Int32], _ descriptions: [String]) -> Bool {
        guard list.count == indices.count else { return false }
        for k in 0..<list.count where !list[k].isSame(as: descriptions[Int(indices[k])]) { return false }
        return true
    }
}

/// The criteria's ``LackingStep`` trees laid out flat, for
/// ``Scorer/result(lead:reusing:)`` (descriptions as `String`s) and
/// ``Scorer/writeResult(lead:to:)`` (as escaped bytes) to walk by index,
/// without copying the trees' enums (which retains and releases them).
struct FlatLacking<Text: Sendable>: Sendable {
    typealias Step = FlatLackingStep
    var steps = Column<Step>()
    var links = Column<Int32>()
    var descriptions: [Text] = []
    /// Per criterion, the step number of its root.
    var roots: [Int32] = []

    init(_ trees: [LackingStep<Text>]) {
        // Roots first, so that a `criterion` step can name its criterion's root.
        roots = trees.indices.map { Int32($0) }
        for tree in trees { steps.append(Step(node: tree.node, kind: .part, first: 0, count: 0)) }
        for (i, tree) in trees.enumerated() { fill(i, tree) }
    }

    /// Writes `tree` into the step numbered `k` (already reserved), and its parts after.
    private mutating func fill(_ k: Int, _ tree: LackingStep<Text>) {
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

/// One step of a ``FlatLacking``.
struct FlatLackingStep: BitwiseCopyable, Sendable {
    enum Kind: UInt8, BitwiseCopyable, Sendable {
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
