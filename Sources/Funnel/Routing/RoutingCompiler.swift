/// Validates a ``RoutingDefinition`` against a model and compiles it
/// (SPEC §10): ids, strategies, weights, capacities and the window are
/// checked here, and every `if` is lowered by the model's own
/// ``PredicateCompiler`` in the same run as the model, so that the routing
/// conditions may name its attributes, criteria and scores and are evaluated
/// by the same evaluator. Faults are reported at their path in the routing
/// document.
enum RoutingCompiler {
    static func compile(_ definition: RoutingDefinition, for model: Model) throws(RoutingError) -> CompiledRouting {
        var log = FaultLog()
        let window = definition.capacityWindowDays
        if !(window > 0 && window.isFinite) {
            log.fault("capacity_window_days", "expected a finite number > 0")
        }
        if definition.teams.isEmpty { log.fault("teams", "expected at least one team") }
        if let otherwise = definition.otherwise, otherwise.isEmpty {
            log.fault("otherwise", "expected a non-empty string or null")
        }
        var teamIDs: Set<String> = []
        for (i, team) in definition.teams.enumerated() {
            let path = "teams".indexed(i)
            log.checkID(team.id, path, &teamIDs)
            if team.members.isEmpty { log.fault(path.joined("members"), "expected at least one member") }
            var memberIDs: Set<String> = []
            for (j, member) in team.members.enumerated() {
                let memberPath = path.joined("members").indexed(j)
                log.checkID(member.id, memberPath, &memberIDs)
                if !(member.weight > 0 && member.weight.isFinite) {
                    log.fault(memberPath.joined("weight"), "expected a finite number > 0")
                }
                if let capacity = member.capacity, capacity < 0 {
                    log.fault(memberPath.joined("capacity"), "expected a whole number >= 0, found \(capacity)")
                }
            }
        }

        let context = PredicateCompiler.Context(allowsProperty: false, allowsScore: true, place: "a routing condition")
        let compiled = ModelCompiler.compile(model.definition) { compiler in
            var teamRoots: [Int32] = []
            var memberRoots: [Int32] = []
            var readsScore = false
            for (i, team) in definition.teams.enumerated() {
                let path = "teams".indexed(i)
                teamRoots.append(team.predicate.map { compiler.compile($0, path.joined("if"), context) } ?? -1)
                readsScore = readsScore || team.predicate.map { reads($0, compiler.criteria) } ?? false
                for (j, member) in team.members.enumerated() {
                    let memberPath = path.joined("members").indexed(j).joined("if")
                    memberRoots.append(member.predicate.map { compiler.compile($0, memberPath, context) } ?? -1)
                    readsScore = readsScore || member.predicate.map { reads($0, compiler.criteria) } ?? false
                }
            }
            return (teamRoots, memberRoots, readsScore)
        }
        log.append(contentsOf: compiled.faults)
        guard log.isEmpty, let compiledModel = compiled.model else { throw RoutingError(faults: log.faults) }
        return CompiledRouting(
            definition: definition, model: Model(compiled: compiledModel), readsScore: compiled.extra.2,
            teamRoots: compiled.extra.0, memberRoots: compiled.extra.1)
    }

    /// Whether `predicate` reads a score, directly or through a criterion.
    private static func reads(_ predicate: Predicate, _ criteria: CriterionTable) -> Bool {
        predicate.readsScore
            || predicate.referencedCriteria.contains { name in criteria.index[name].map { criteria.usesScore[$0] } ?? false }
    }
}

extension Model {
    /// A model around an already compiled one (a router's, whose program also
    /// holds the routing conditions).
    init(compiled: CompiledModel) {
        self.compiled = compiled
    }
}
