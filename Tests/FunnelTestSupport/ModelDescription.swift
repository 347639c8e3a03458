import Funnel

/// A model definition one line per part, for failure messages of the random
/// tests: enough to rebuild the model by hand.
public func describe(_ definition: ModelDefinition) -> String {
    var out: [String] = []
    out.append("attributes: " + definition.attributes.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: ", "))
    for c in definition.criteria { out.append("criterion \(c.name): \(c.predicate)") }
    let s = definition.scoring
    for r in s.fit { out.append("fit \(r.id): if \(r.predicate) → \(r.points)") }
    for r in s.behavior {
        out.append(
            "behavior \(r.id): \(r.event) if \(r.predicate.map(\.description) ?? "-") → \(r.points) cap \(r.cap.map { "\($0)" } ?? "-")"
                + " group \(r.group ?? "-") at_least \(r.atLeast.map { "\($0.count) in \($0.withinDays) days" } ?? "-")")
    }
    if !s.groups.isEmpty { out.append("groups \(s.groups.map { "\($0.id)<=\($0.limit)" })") }
    if let t = s.totalLimits { out.append("total limits \(String(describing: t))") }
    if !s.engagement.isEmpty { out.append("engagement \(s.engagement.map { "\($0.level)>=\($0.min)" })") }
    out.append("half-life \(s.halfLifeDays.map { "\($0)" } ?? "-") window \(s.windowDays.map { "\($0)" } ?? "-") limits \(String(describing: s.behaviorLimits)) grades \(s.grades.map { "\($0.grade)>=\($0.min)" })")
    for d in definition.disqualifiers { out.append("disqualify \(d.id): \(d.predicate)") }
    if let st = definition.stages {
        out.append("initial \(st.initial)")
        for x in st.list {
            out.append("stage \(x.id) outcome \(x.outcome?.rawValue ?? "-") requires \(x.requires.map(\.description) ?? "-") enter_when \(x.enterWhen.map(\.description) ?? "-")")
        }
        for t in st.transitions { out.append("transition \(t.from) → \(t.to) reasons \(t.reasons ?? [])") }
    }
    return out.joined(separator: "\n    ")
}
