// The values the README's Swift snippets take for granted (a model's text, a
// lead, "now"…). Scripts/readme_snippets.py declares, at the top of each
// snippet, every one of these names the snippet uses without declaring it
// itself, as `let name = try Context.name`.
import Funnel

enum Context {
    /// 2026-11-01T00:00:00Z plus a little.
    static let now: Double = 1_793_600_000
    static let t: Double = now - 86_400
    static let start: Double = now - 30 * 86_400
    static let end: Double = now + 86_400

    static let modelText = Model.defaultModelJSON
    static var model: Model { get throws { try Model.default } }

    static let lead = Lead(
        id: "L-1001",
        attributes: ["industry": "Software", "employees": 120, "tags": ["webinar"], "email": "ana@acme.example"],
        events: [Event("email.reply", at: 1_793_527_200)])
    static let leads = SampleLeads.generate(count: 25, asOf: now)
    static var batch: LeadBatch { get throws { try LeadBatch(model: model, leads: leads) } }

    /// The routing of `funnel demo`; the many-leads route starts after `now`.
    static let routingText = RoutingDefinition.sampleJSON
    static let instants = leads.indices.map { now + Double($0) * 60 }

    static let closedLead = Lead(id: "C-1", attributes: ["industry": "retail", "employees": 12], stage: "lost")
    static let openLead = Lead(id: "O-1", attributes: ["industry": "software", "employees": 300])
    static let example = WinExample(closedLead, outcome: .lost, stage: "sql")

    /// A small history log (SPEC §12).
    static let lines = [
        #"{"kind": "lead", "lead": "L-1", "at": 1793000000, "channel": "webinar"}"#,
        #"{"kind": "move", "lead": "L-1", "from": "names", "to": "profiled", "at": 1793100000, "reason": null, "by": "auto"}"#,
        #"{"kind": "deal", "lead": "L-1", "value": 12000, "at": 1793200000}"#,
    ]

    /// Known accounts, one JSON document a line (SPEC §11).
    static let accountsText = """
        {"id": "A-7", "name": "Acme S.L.", "domains": ["acme.es"]}
        {"id": "G-3", "group": "Madrid"}
        """
}
