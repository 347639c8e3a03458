/// The compiled, immutable form of a routing document, bound to its model.
///
/// Teams, members and people are integer indices into flat arrays: routing a
/// lead reads no dictionary. A team's members are the contiguous range
/// `memberStart[t]..<memberStart[t + 1]` of the member arrays.
final class CompiledRouting: Sendable {
    let definition: RoutingDefinition
    /// The model compiled again together with the routing conditions: its
    /// predicate program holds `teamRoots` and `memberRoots`.
    let model: Model
    /// `capacity_window_days` in seconds.
    let window: Double
    /// Whether any condition reads a score (directly or through a criterion):
    /// only then is a lead scored before it is routed.
    let readsScore: Bool

    let teamIDs: [String]
    let teamIndex: [String: Int]
    /// Per team, its `if` root; -1 for none.
    let teamRoots: [Int32]
    let teamStrategies: [RoutingStrategy]
    /// `teamIDs.count + 1` offsets into the member arrays.
    let memberStart: [Int]

    /// Per member (flat over all teams): the person, the `if` root (-1: none),
    /// the weight, the capacity (`Int.max`: no limit).
    let memberPerson: [Int32]
    let memberRoots: [Int32]
    let memberWeights: [Double]
    let memberCapacities: [Int]

    /// People (member ids), in order of first appearance.
    let personIDs: [String]
    let personIndex: [String: Int32]

    init(definition: RoutingDefinition, model: Model, readsScore: Bool, teamRoots: [Int32], memberRoots: [Int32]) {
        self.definition = definition
        self.model = model
        window = definition.capacityWindowDays * 86_400
        self.readsScore = readsScore
        teamIDs = definition.teams.map(\.id)
        teamIndex = Dictionary(definition.teams.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.teamRoots = teamRoots
        teamStrategies = definition.teams.map(\.strategy)
        var start = [0]
        var person: [Int32] = []
        var weights: [Double] = []
        var capacities: [Int] = []
        var ids: [String] = []
        var index: [String: Int32] = [:]
        for team in definition.teams {
            for member in team.members {
                let p: Int32
                if let known = index[member.id] {
                    p = known
                } else {
                    p = Int32(ids.count)
                    index[member.id] = p
                    ids.append(member.id)
                }
                person.append(p)
                weights.append(member.weight)
                capacities.append(member.capacity ?? Int.max)
            }
            start.append(person.count)
        }
        memberStart = start
        memberPerson = person
        self.memberRoots = memberRoots
        memberWeights = weights
        memberCapacities = capacities
        personIDs = ids
        personIndex = index
    }

    var memberCount: Int { memberPerson.count }

    /// The member ids of team `t`, in list order.
    func memberIDs(ofTeam t: Int) -> ArraySlice<Int32> { memberPerson[memberStart[t]..<memberStart[t + 1]] }

    /// The flat index of the member of team `t` that is person `id`, if any.
    func member(ofTeam t: Int, person id: String) -> Int? {
        guard let p = personIndex[id] else { return nil }
        return (memberStart[t]..<memberStart[t + 1]).first { memberPerson[$0] == p }
    }
}
