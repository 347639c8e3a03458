/// The model's names as result documents spell them, escaped once when the
/// model is compiled, so that writing a result copies bytes instead of
/// escaping `String`s (and describing predicates) for every lead.
struct ResultText: Sendable {
    /// Each name's UTF-8 bytes as the model spells it (what the pickle
    /// writer writes); ``names`` holds them escaped, for the JSON writer.
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
    /// ``LackingStep`` tree laid out flat (descriptions as UTF-8 bytes), for
    /// ``Scorer/writeResult(lead:to:)`` and ``Scorer/writePickledResult(lead:memo:to:)``.
    let flatUnmet: FlatLacking<[UInt8]>
    /// The groups of names in the order every result writer numbers them
    /// (``ResultGroupStarts``): fit rules, behaviour rules, groups, criteria,
    /// disqualifiers, grades, engagement levels, `flatUnmet`'s descriptions.
    let nameGroups: [[[UInt8]]]
    /// All of the above (and `flatUnmet`'s descriptions) escaped as JSON
    /// string contents, in one block of bytes, for the hot writer.
    let names: ResultNames
    /// `flatUnmet.roots` as a column, read through its buffer.
    let flatUnmetRoots: Column<Int32>

    init(definition: ModelDefinition, nodes: Column<PredicateNode>, children: Column<Int32>, criterionRoots: [Int32]) {
        fitRules = definition.scoring.fit.map { Array($0.id.utf8) }
        behaviorRules = definition.scoring.behavior.map { Array($0.id.utf8) }
        groups = definition.scoring.groups.map { Array($0.id.utf8) }
        criteria = definition.criteria.map { Array($0.name.utf8) }
        disqualifiers = definition.disqualifiers.map { Array($0.id.utf8) }
        grades = definition.scoring.grades.map { Array($0.grade.utf8) }
        engagement = definition.scoring.engagement.map { Array($0.level.utf8) }
        fitPoints = definition.scoring.fit.map { rule in
            var w = JSONWriter(reservingCapacity: 24)
            w.writeNumber(rule.points)
            return w.bytes
        }
        flatUnmet = FlatLacking(
            zip(criterionRoots, definition.criteria).map { root, criterion in
                LackingStep(root, criterion.predicate, nodes: nodes, children: children) {
                    Array($0.description.utf8)
                }
            })
        flatUnmetRoots = Column(flatUnmet.roots)
        nameGroups = [
            fitRules, behaviorRules, groups, criteria, disqualifiers, grades, engagement, flatUnmet.descriptions,
        ]
        names = ResultNames(
            nameGroups.map { $0.map { Self.escaped(String(decoding: $0, as: UTF8.self)) } }, fitPoints: fitPoints)
    }

    /// `text` as JSON string contents.
    static func escaped(_ text: String) -> [UInt8] {
        var w = JSONWriter(reservingCapacity: text.utf8.count + 2)
        w.writeString(text)
        return Array(w.bytes.dropFirst().dropLast())
    }
}
