/// The compiled, immutable form of a model that scoring runs on, assembled
/// from one part per section of the document.
///
/// Everything here is flat arrays and indices: attribute names became slots,
/// strings became symbols, predicates became nodes, event types became rule
/// lists. Dictionaries survive only for ingesting leads, never for scoring.
final class CompiledModel: Sendable {
    let definition: ModelDefinition
    let attributes: AttributeLayout
    let predicates: PredicateProgram

    // Criteria and disqualifiers: roots into `predicates.nodes`.
    let criterionNames: [String]
    let criterionIndex: [String: Int]
    let criterionRoots: Column<Int32>
    let disqualifierRoots: Column<Int32>

    let scoring: ScoringTables
    let events: EventRouting
    /// `nil` for a model without a `stages` section.
    let stages: StageMachine?
    /// The JSON Lines lead reader's byte tables.
    let lineTables: LeadLineTables
    /// Names as result documents spell them.
    let resultText: ResultText

    init(
        definition: ModelDefinition, attributes: AttributeLayout, predicates: PredicateProgram,
        criteria: CriterionTable, criterionRoots: [Int32], scoring: ScoringTables, events: EventRouting,
        disqualifierRoots: [Int32], stages: StageMachine?
    ) {
        self.definition = definition
        self.attributes = attributes
        self.predicates = predicates
        criterionNames = criteria.names
        criterionIndex = criteria.index
        self.criterionRoots = Column(criterionRoots)
        self.disqualifierRoots = Column(disqualifierRoots)
        self.scoring = scoring
        self.events = events
        self.stages = stages
        lineTables = LeadLineTables(definition: definition, predicates: predicates, events: events)
        resultText = ResultText(
            definition: definition, nodes: predicates.nodes, children: predicates.children, criterionRoots: criterionRoots)
    }
}
