/// The model's criteria, named before any predicate is compiled: their
/// indices, which of them read a score (through any chain), and the faults of
/// their names and references, kept per criterion so that they can be
/// reported where each criterion is compiled, in document order.
struct CriterionTable {
    let names: [String]
    /// The first definition of each name.
    let index: [String: Int]
    let usesScore: [Bool]
    private(set) var faults: [Int: [ModelFault]] = [:]

    /// Names every criterion, then rejects reference cycles, bounds nesting
    /// through references and works out which criteria read a score.
    init(_ criteria: [Criterion]) {
        names = criteria.map(\.name)
        var index: [String: Int] = [:]
        var faults: [Int: [ModelFault]] = [:]
        func fault(_ i: Int, _ message: String) {
            faults[i, default: []].append(ModelFault(path: "criteria".joined(criteria[i].name), message: message))
        }
        for (i, criterion) in criteria.enumerated() {
            if criterion.name.isEmpty { fault(i, "a criterion name must be non-empty") }
            if index[criterion.name] != nil {
                fault(i, "criterion \"\(criterion.name)\" is defined twice")
            } else {
                index[criterion.name] = i
            }
        }
        let references = criteria.map { criterion in
            criterion.predicate.referencedCriteria.compactMap { index[$0] }
        }
        // Depth-first search with colours; a grey node reached again closes a cycle.
        // `trail` is the path from the search's root; `nesting` bounds how deep
        // evaluation can recurse through references, which is kept within
        // `Limits.maxNesting` so that evaluating never exhausts a thread's stack.
        var colour = [UInt8](repeating: 0, count: references.count)
        var usesScore = criteria.map { $0.predicate.readsScore }
        let depths = criteria.map { $0.predicate.depth }
        var nesting = depths
        var reported: Set<Int> = []
        var trail: [Int] = []
        func visit(_ node: Int) {
            colour[node] = 1
            trail.append(node)
            defer {
                trail.removeLast()
                colour[node] = 2
            }
            guard trail.count <= Limits.maxNesting else { return }
            for next in references[node] {
                if colour[next] == 1 {
                    guard let start = trail.firstIndex(of: next) else { continue }
                    let names = (trail[start...] + [next]).map { criteria[$0].name }
                    if reported.insert(next).inserted {
                        fault(next, "criterion refers to itself through \(names.joined(separator: " -> "))")
                    }
                    continue
                }
                if colour[next] == 0 { visit(next) }
                if usesScore[next] { usesScore[node] = true }
                nesting[node] = max(nesting[node], depths[node] + nesting[next])
            }
        }
        for node in references.indices where colour[node] == 0 {
            visit(node)
        }
        for (i, depth) in nesting.enumerated() where depth > Limits.maxNesting && !reported.contains(i) {
            fault(i, "nests deeper than \(Limits.maxNesting) levels through the criteria it refers to")
        }
        self.index = index
        self.usesScore = usesScore
        self.faults = faults
    }
}
