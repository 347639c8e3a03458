import Funnel

extension DemoCommand {
    /// Stages whose leads the demo routes: marketing-qualified or further on.
    static let qualifiedStages: Set = ["mql", "sal", "sql", "opportunity"]

    /// Routes the qualified sample leads over the embedded sample routing
    /// document (``RoutingDefinition/sampleJSON``) and tabulates the leads per
    /// owner and per queue.
    func routeQualified(_ model: Model, _ leads: [Lead], _ advances: [AdvanceResult], asOf: Double) throws(CLIError)
        -> String
    {
        var router: Router
        do {
            router = try Router(model: model, routing: RoutingDefinition.sample)
        } catch {
            throw CLIError.usage("the embedded routing document does not load: \(error)")
        }
        let qualified = leads.indices.filter { Self.qualifiedStages.contains(advances[$0].stage) }.map { leads[$0] }
        let results: [RouteResult]
        do {
            results = try router.route(qualified, at: asOf)
        } catch {
            throw CLIError.input("sample lead does not route: \(error)")
        }
        var perOwner: [String: (team: String, leads: Int)] = [:]
        var perQueue: [String: Int] = [:]
        for result in results {
            if let owner = result.owner {
                perOwner[owner, default: (result.team ?? "-", 0)].leads += 1
            } else {
                perQueue[result.queue ?? "(none)", default: 0] += 1
            }
        }
        var text = "\nRouting the \(qualified.count) qualified leads (stage mql or later) by the sample routing:\n"
        let rows = router.people.compactMap { person in
            perOwner[person].map { [person, $0.team, String($0.leads)] }
        }
        text += table(["owner", "team", "leads"], rows, rightAligned: [2])
        let queueRows = perQueue.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] }
        text += "\n" + table(["queue", "leads"], queueRows.isEmpty ? [["nurture", "0"]] : queueRows, rightAligned: [1])
        return text
    }
}
