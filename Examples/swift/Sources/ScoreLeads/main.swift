// Scores the embedded default model on a couple of leads, explains the best
// one, advances it along the funnel and prints everything.
//
//   swift run --package-path Examples/swift ScoreLeads
import Foundation
import Funnel

let asOf = 1_793_491_200.0  // 2026-11-01T00:00:00Z
let day = 86_400.0

let leads = [
    Lead(id: "L-1001",
         attributes: ["industry": "Software", "employees": 120, "role": "CTO", "country": "es",
                      "email": "ana@acme.example", "budget": 20_000, "decision_maker": true,
                      "need": "crm", "timeline_days": 60],
         events: [Event("email.reply", at: asOf - 2 * day),
                  Event("call.completed", at: asOf - day, properties: ["minutes": 35])]),
    Lead(id: "L-1002",
         attributes: ["industry": "Retail", "employees": 8, "email": "joe@shop.example"],
         events: [Event("newsletter.subscribe", at: asOf - 40 * day),
                  Event("meeting.no_show", at: asOf - 5 * day)]),
    Lead(id: "L-1003"),
]

do {
    let model = try Model.default
    print("model: \(model.name ?? "(unnamed)")")
    var results: [ScoreResult] = []
    for lead in leads {
        results.append(try model.score(lead, at: asOf))
    }
    for result in results.sorted(by: { $0.total > $1.total }) {
        let icp = result.holds("icp").map { $0 ? "yes" : "no" } ?? "-"
        print("\(result.id)\tfit \(result.fit)\tbehavior \(rounded(result.behavior))\t"
              + "total \(rounded(result.total))\tgrade \(result.grade ?? "-")\ticp \(icp)")
    }
    if let best = results.max(by: { $0.total < $1.total }) {
        print("why \(best.id):", best.contributions.map { "\($0.rule) \(rounded($0.points))" }.joined(separator: ", "))
    }
    var tracked = leads[0]
    let advance = try model.advance(&tracked, at: asOf)
    print("\(tracked.id) moves:", advance.moves.map { "\($0.from) -> \($0.to)" }.joined(separator: ", "),
          "| now in \(tracked.stage ?? "-")")
} catch {
    print("ScoreLeads: \(error)")
    exit(1)
}

func rounded(_ value: Double) -> String {
    String((value * 100).rounded() / 100)
}
