import Funnel

/// The demo's win probabilities (SPEC §14): a win model trained on closed
/// sample leads, applied to the top of the ranking.
extension DemoCommand {
    /// How many closed leads the demo learns from.
    static let closedCount = 2000

    /// The default model with a `predict` section for the demo: the attributes
    /// a sales team would look at, employees in bins, and the stage.
    static func predictModel(_ model: Model) throws(ModelError) -> Model {
        var definition = model.definition
        definition.predict = PredictSettings(
            fields: ["industry", "employees", "role", "decision_maker", "need", "source", "stage"],
            bins: ["employees": [50, 250, 1000, 5000]], minExamples: 20, maxFactors: 2)
        return try Model(definition)
    }

    /// Closed leads to learn from. The sample has none, so they are made
    /// deterministically: another sample (seed 2026), each lead advanced as
    /// the demo advances its own, then won with a chance that grows with its
    /// total score and a decision maker (the same draw on every machine);
    /// a lost lead is lost at the path stage it reached (the first one when
    /// it ended off the path).
    static func closedExamples(_ model: Model, asOf: Double, threads: Int) throws(CLIError) -> [WinExample] {
        let leads = SampleLeads.generate(count: closedCount, seed: 2026, asOf: asOf)
        let batch: LeadBatch
        do {
            batch = try LeadBatch(model: model, leads: leads)
        } catch {
            throw CLIError.input("sample lead does not fit the default model: \(error)")
        }
        let results = batch.results(at: asOf, threads: threads)
        let advances = batch.advance(at: asOf, threads: threads) ?? []
        let path = ["names", "profiled", "mql", "sal", "sql", "opportunity"]
        var random = SplitMix64(seed: 2026)
        return leads.indices.map { i in
            var chance = 0.08 + max(0, results[i].total) / 120
            if case .bool(true)? = leads[i].attributes["decision_maker"] { chance += 0.15 }
            let won = random.chance(min(chance, 0.9))
            let reached = path.contains(advances[i].stage) ? advances[i].stage : path[0]
            return WinExample(leads[i], outcome: won ? .won : .lost, stage: won ? nil : reached)
        }
    }

    /// The table: each top lead's win probability and its two strongest factors.
    func winTable(
        _ model: Model, leads: [Lead], ranked: [Int], stages: [String], asOf: Double, threads: Int
    ) throws(CLIError) -> String {
        let predictModel: Model
        do {
            predictModel = try Self.predictModel(model)
        } catch {
            throw CLIError.usage("the demo's predict section does not load: \(error)")
        }
        var win = WinModel(model: predictModel)
        for example in try Self.closedExamples(predictModel, asOf: asOf, threads: threads) {
            do throws(WinExampleError) {
                try win.learn(example)
            } catch {
                throw CLIError.input("closed sample lead: \(error)")
            }
        }
        let predictor = win.predictor
        var rows: [[String]] = []
        for (rank, i) in ranked.enumerated() {
            var lead = leads[i]
            lead.stage = stages[i]
            let prediction: WinPrediction
            do throws(LeadError) {
                prediction = try predictor.predict(lead)
            } catch {
                throw CLIError.input("sample lead \(lead.id): \(error)")
            }
            let chance = prediction.probability.map { fixed($0 * 100, digits: 0) + " %" } ?? "-"
            let factors = prediction.factors.map { "\($0.field) \($0.value) (\($0.weight >= 0 ? "+" : "")\(fixed($0.weight)))" }
            rows.append([String(rank + 1), lead.id, stages[i], chance, factors.joined(separator: ", ")])
        }
        return "\nWin probability (naive Bayes over \(win.won + win.lost) closed sample leads: \(win.won) won, "
            + "\(win.lost) lost):\n"
            + table(["rank", "id", "stage", "win", "strongest factors"], rows, rightAligned: [0, 3])
    }
}
