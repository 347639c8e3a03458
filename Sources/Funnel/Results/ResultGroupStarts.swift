/// Where each group of the names a result writes starts in a writer's
/// table, in ``ResultText``'s order: fit rules, behaviour rules, groups,
/// criteria, disqualifiers, grades, engagement levels, then the
/// descriptions `lacking` lists. The JSON writer's ``ResultNames`` and the
/// pickle writer's ``ResultPickleNames`` number the same groups from
/// different first indices (the pickle's keys come first), so each keeps
/// one of these, and a writer reads a group's name `i` at its start + `i`.
struct ResultGroupStarts: BitwiseCopyable {
    let fitRules: Int
    let behaviorRules: Int
    let groups: Int
    let criteria: Int
    let disqualifiers: Int
    let grades: Int
    let engagement: Int
    let descriptions: Int
    /// One past the last description.
    let end: Int

    /// The groups laid out one after the other from `first`, with `counts`
    /// names each, in the order above (missing counts are 0).
    init(first: Int, counts: [Int]) {
        var starts: [Int] = []
        var start = first
        for k in 0..<8 {
            starts.append(start)
            start += k < counts.count ? counts[k] : 0
        }
        (fitRules, behaviorRules, groups, criteria) = (starts[0], starts[1], starts[2], starts[3])
        (disqualifiers, grades, engagement, descriptions) = (starts[4], starts[5], starts[6], starts[7])
        end = start
    }

    var fitRuleCount: Int { @inline(__always) get { behaviorRules - fitRules } }
    var behaviorRuleCount: Int { @inline(__always) get { groups - behaviorRules } }
    var groupCount: Int { @inline(__always) get { criteria - groups } }
    var criterionCount: Int { @inline(__always) get { disqualifiers - criteria } }
    var disqualifierCount: Int { @inline(__always) get { grades - disqualifiers } }
    var engagementCount: Int { @inline(__always) get { descriptions - engagement } }
}
