/// Frequency lists: how frequency rules (SPEC §13 `at_least`) stay off the
/// general path.
///
/// A frequency rule without an `if` counts its matching events, it does not
/// sum them. Routing its events through the scorer's general path would cost
/// every such event a rule look-up and every lead that has one its rule sums.
/// Instead, ingest lists each lead's events of those rules' types as (rule,
/// time) pairs, and the events themselves take the route they would take
/// without the rule. The scorer counts a lead's list at as_of under the same
/// conditions as the walk (not after as_of, within the window, not before
/// `since`, within `within_days`): each condition holds for a run of newest
/// events, so counting pairs in any order gives the walk's count.
extension LeadBatch {
    /// The frequency rules without an `if` among `rules` (a class's), in model order.
    static func listedFrequencyRules(_ rules: [Int32], _ model: CompiledModel) -> [Int32] {
        rules.filter { model.scoring.listedFrequency[Int($0)] }
    }
}
