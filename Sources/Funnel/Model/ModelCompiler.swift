/// Validates a ``ModelDefinition`` completely and lowers it to a ``CompiledModel``.
///
/// Every check of SPEC §2 lives in this type's files (one per section of the
/// document), so a model built in Swift and one read from JSON are held to
/// the same rules and report faults at the same paths. Predicates are lowered
/// by ``PredicateCompiler``; faults go to one ``FaultLog`` in the order found.
struct ModelCompiler {
    let definition: ModelDefinition
    var faults = FaultLog()
    var predicates: PredicateCompiler
    let criteria: CriterionTable

    init(_ definition: ModelDefinition) {
        self.definition = definition
        let attributes = AttributeLayout(definition.attributes)
        criteria = CriterionTable(definition.criteria)
        predicates = PredicateCompiler(
            attributes: attributes, criterionIndex: criteria.index, criterionUsesScore: criteria.usesScore,
            grades: definition.scoring.grades.map(\.grade), levels: definition.scoring.engagement.map(\.level))
    }

    static func compile(_ definition: ModelDefinition) throws(ModelError) -> CompiledModel {
        var compiler = ModelCompiler(definition)
        let model = compiler.run()
        guard compiler.faults.isEmpty, let model else { throw ModelError(faults: compiler.faults.faults) }
        return model
    }

    /// Compiles `definition` together with the predicates of another document
    /// that `extra` compiles against it (a routing document's conditions), so
    /// that they land in the model's own predicate program. Faults of both go to
    /// one list; `model` is `nil` when there are any.
    static func compile<Extra>(
        _ definition: ModelDefinition, extending extra: (inout ModelCompiler) -> Extra
    ) -> (model: CompiledModel?, extra: Extra, faults: [ModelFault]) {
        var compiler = ModelCompiler(definition)
        var result: Extra?
        let model = compiler.run { result = extra(&$0) }
        return (compiler.faults.isEmpty ? model : nil, result!, compiler.faults.faults)
    }

    /// Compiles a predicate of this model found at `path`.
    mutating func compile(_ predicate: Predicate, _ path: String, _ context: PredicateCompiler.Context) -> Int32 {
        predicates.compile(predicate, path, context, reportingTo: &faults)
    }

    private mutating func run(extending extra: (inout ModelCompiler) -> Void = { _ in }) -> CompiledModel? {
        checkAttributeNames()
        let criterionRoots = definition.criteria.enumerated().map { i, criterion in
            faults.append(contentsOf: criteria.faults[i] ?? [])
            return compile(
                criterion.predicate, "criteria".joined(criterion.name),
                PredicateCompiler.Context(place: "a criterion"))
        }
        let (fitRoots, behaviorRoots) = compileScoring()
        var disqualifierRoots: [Int32] = []
        var seen: Set<String> = []
        for (i, disqualifier) in definition.disqualifiers.enumerated() {
            let path = "disqualify".indexed(i)
            faults.checkID(disqualifier.id, path, &seen)
            disqualifierRoots.append(
                compile(disqualifier.predicate, path.joined("if"), PredicateCompiler.Context(place: "a disqualifier")))
        }
        let stages = definition.stages.flatMap { compileStages($0) }
        if let predict = definition.predict { checkPredict(predict) }
        checkConversion()
        extra(&self)
        guard faults.isEmpty else { return nil }
        return CompiledModel(
            definition: definition, attributes: predicates.attributes, predicates: predicates.program(),
            criteria: criteria, criterionRoots: criterionRoots,
            scoring: ScoringTables(definition.scoring, fitRoots: fitRoots, behaviorRoots: behaviorRoots),
            events: EventRouting(definition.scoring.behavior), disqualifierRoots: disqualifierRoots, stages: stages)
    }

    /// Attribute names are non-empty and declared once.
    private mutating func checkAttributeNames() {
        var seen: Set<String> = []
        for attribute in definition.attributes {
            let path = "attributes".joined(attribute.name)
            if attribute.name.isEmpty { faults.fault(path, "an attribute name must be non-empty") }
            if !seen.insert(attribute.name).inserted {
                faults.fault(path, "attribute \"\(attribute.name)\" is declared twice")
            }
        }
    }
}
