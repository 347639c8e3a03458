/// Per-lead rule sums: what lets a batch be re-scored in a few operations per
/// lead instead of one per event.
///
/// When every event of a lead feeds exactly one rule (its route was decided at
/// ingest), its behaviour at an as_of where all its events count — none after
/// as_of, none beyond the window: a nightly re-score — depends only on each
/// rule's sum of event values. The sums are added here in the order the
/// scorer adds them (newest first, from 0), so using them gives the same bits
/// as walking the events; leads or instants they do not cover take that walk.
extension LeadBatch {
    /// Records the sums of the lead whose events are `events` (already newest first).
    mutating func appendRuleSums(_ events: Range<Int>) {
        let routes = eventRoute.buffer
        guard keepsRuleSums, !events.isEmpty, events.allSatisfy({ routes[$0] >= 0 }) else {
            leadSpans.append(.none)
            ruleSumStart.append(ruleSumRule.count)
            return
        }
        let values = eventValue.buffer
        let ruleCount = model.scoring.behaviorRoots.count
        withUnsafeTemporaryAllocation(of: Double.self, capacity: ruleCount) { sums in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: ruleCount) { seen in
                sums.initialize(repeating: 0)
                seen.initialize(repeating: false)
                for e in events {
                    let r = Int(routes[e])
                    sums[r] += values[e]
                    seen[r] = true
                }
                // In rule order: the order in which the scorer sums the capped totals.
                for r in 0..<ruleCount where seen[r] {
                    ruleSumRule.append(Int32(r))
                    ruleSumValue.append(sums[r])
                }
            }
        }
        let times = eventAt.buffer
        leadSpans.append(EventSpan(newest: times[events.lowerBound], oldest: times[events.upperBound - 1]))
        ruleSumStart.append(ruleSumRule.count)
    }
}

/// The times of a lead's newest and oldest events, when it has rule sums.
struct EventSpan: BitwiseCopyable, Sendable {
    var newest: Double
    var oldest: Double

    /// A lead without sums: no as_of passes the checks of NaN.
    static let none = EventSpan(newest: .nan, oldest: .nan)
}
