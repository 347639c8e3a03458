import Funnel
import FunnelBenchmarkSupport

/// The reference model (Benchmarks/data/reference-model.json), compiled.
func referenceModel() throws -> Model {
    try Model(json: loadReferenceModelJSON())
}

/// Row `i` of `leads` as a lead document, the way a Swift host sends it.
func lead(_ leads: SyntheticLeads, _ i: Int) -> Lead {
    typealias S = SyntheticLeads
    var attributes: [String: LeadValue] = [:]
    func number(_ name: String, _ x: Double) { if !x.isNaN { attributes[name] = .number(x) } }
    func string(_ name: String, _ id: Int32, _ dictionary: [String]) {
        if id >= 0 { attributes[name] = .string(dictionary[Int(id)]) }
    }
    number("employees", leads.employees[i])
    number("budget", leads.budget[i])
    number("timeline_days", leads.timelineDays[i])
    if leads.decisionMaker[i] >= 0 { attributes["decision_maker"] = .bool(leads.decisionMaker[i] == 1) }
    string("industry", leads.industry[i], S.industries)
    string("role", leads.role[i], S.roles)
    string("country", leads.country[i], S.countries)
    string("source", leads.source[i], S.sources)
    string("need", leads.need[i], S.needs)
    let tags = leads.tagMembers[Int(leads.tagOffsets[i])..<Int(leads.tagOffsets[i + 1])]
    attributes["tags"] = .strings(tags.map { S.tags[Int($0)] })
    var events: [Event] = []
    events.reserveCapacity(S.eventsPerLead)
    for k in i * S.eventsPerLead..<(i + 1) * S.eventsPerLead {
        let minutes = leads.eventMinutes[k]
        events.append(
            Event(
                S.eventTypes[Int(leads.eventType[k])], at: leads.eventAt[k],
                properties: minutes.isNaN ? [:] : [S.propertyName: .number(minutes)]))
    }
    return Lead(id: "L\(i)", attributes: attributes, events: events)
}

/// Every row of `leads` as lead documents.
func leadDocuments(_ leads: SyntheticLeads) -> [Lead] {
    (0..<leads.count).map { lead(leads, $0) }
}

/// A batch of `leads` filled through the column setters (the C ABI's path).
func columnBatch(_ model: Model, _ leads: SyntheticLeads) throws -> LeadBatch {
    typealias S = SyntheticLeads
    var batch = try LeadBatch(model: model, count: leads.count)
    try batch.setNumbers("employees", UnsafeBufferPointer(leads.employees))
    try batch.setNumbers("budget", UnsafeBufferPointer(leads.budget))
    try batch.setNumbers("timeline_days", UnsafeBufferPointer(leads.timelineDays))
    try batch.setBools("decision_maker", UnsafeBufferPointer(leads.decisionMaker))
    try batch.setStrings("industry", dictionary: S.industries, ids: UnsafeBufferPointer(leads.industry))
    try batch.setStrings("role", dictionary: S.roles, ids: UnsafeBufferPointer(leads.role))
    try batch.setStrings("country", dictionary: S.countries, ids: UnsafeBufferPointer(leads.country))
    try batch.setStrings("source", dictionary: S.sources, ids: UnsafeBufferPointer(leads.source))
    try batch.setStrings("need", dictionary: S.needs, ids: UnsafeBufferPointer(leads.need))
    try batch.setStringSets(
        "tags", dictionary: S.tags, offsets: UnsafeBufferPointer(leads.tagOffsets),
        memberIDs: UnsafeBufferPointer(leads.tagMembers), present: nil)
    try batch.setEvents(
        types: S.eventTypes, lead: UnsafeBufferPointer(leads.eventLead), type: UnsafeBufferPointer(leads.eventType),
        at: UnsafeBufferPointer(leads.eventAt), property: S.propertyName,
        values: UnsafeBufferPointer(leads.eventMinutes))
    return batch
}
