/// The model's names as result documents spell them, escaped once when the
/// model is compiled, so that writing a result copies bytes instead of
/// escaping `String`s (and describing predicates) for every lead.
struct ResultText: Sendable {
    /// Each name's JSON string contents (escaped, without the quotes).
    let fitRules: [[UInt8]]
    let behaviorRules: [[UInt8]]
    let groups: [[UInt8]]
    let criteria: [[UInt8]]
    let disqualifiers: [[UInt8]]
    let grades: [[UInt8]]
    let engagement: [[UInt8]]
    /// Each fit rule's points as a JSON number.
    let fitPoints: [[UInt8]]
    /// Per criterion, what `lacking` lists when it does not hold: its
    /// ``LackingStep`` tree laid out flat, for ``Scorer/writeResult(lead:to:)``
    /// and ``Scorer/writePickledResult(lead:memo:to:)``.
    let flatUnmet: FlatLacking<[UInt8]>
    /// All of the above (and `flatUnmet`'s descriptions) in one block of
    /// bytes, for the hot writer.
    let names: ResultNames
    /// `flatUnmet.roots` as a column, read through its buffer.
    let flatUnmetRoots: Column<Int32>

    init(definition: ModelDefinition, nodes: Column<PredicateNode>, children: Column<Int32>, criterionRoots: [Int32]) {
        fitRules = definition.scoring.fit.map { Self.escaped($0.id) }
        behaviorRules = definition.scoring.behavior.map { Self.escaped($0.id) }
        groups = definition.scoring.groups.map { Self.escaped($0.id) }
        criteria = definition.criteria.map { Self.escaped($0.name) }
        disqualifiers = definition.disqualifiers.map { Self.escaped($0.id) }
        grades = definition.scoring.grades.map { Self.escaped($0.grade) }
        engagement = definition.scoring.engagement.map { Self.escaped($0.level) }
        fitPoints = definition.scoring.fit.map { rule in
            var w = JSONWriter(reservingCapacity: 24)
            w.writeNumber(rule.points)
            return w.bytes
        }
        flatUnmet = FlatLacking(
            zip(criterionRoots, definition.criteria).map { root, criterion in
                LackingStep(root, criterion.predicate, nodes: nodes, children: children) {
                    ResultText.escaped($0.description)
                }
            })
        flatUnmetRoots = Column(flatUnmet.roots)
        names = ResultNames([
            fitRules, behaviorRules, groups, criteria, disqualifiers, grades, engagement, fitPoints,
            flatUnmet.descriptions,
        ])
    }

    /// `text` as JSON string contents.
    static func escaped(_ text: String) -> [UInt8] {
        var w = JSONWriter(reservingCapacity: text.utf8.count + 2)
        w.writeString(text)
        return Array(w.bytes.dropFirst().dropLast())
    }
}
