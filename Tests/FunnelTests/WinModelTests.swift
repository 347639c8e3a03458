#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials
import Testing

import FunnelTestSupport

@testable import Funnel

/// The win model of SPEC §14, with every figure worked by hand.
///
/// The fixture (the same in Tests/cli/test_train.py, Tests/c/test_prediction.c
/// and bindings/python/tests/test_prediction.py): path new → mql → sql → won
/// (lost, nurture and dq are off it), fields industry, employees (bins 10, 50),
/// decision_maker, tags, stage; six examples, three won and three lost:
///
/// | example | industry | employees | decision_maker | tags | outcome, stage |
/// |---|---|---|---|---|---|
/// | E1 | Software | 120 (>= 50) | true | webinar, Webinar (once) | won |
/// | E2 | software | 10 ([10, 50)) | – | referral | won (its "stage" ignored) |
/// | E3 | fintech | 60 (>= 50) | true | – | won |
/// | E4 | retail | 5 (< 10) | false | – | lost at mql: new, mql |
/// | E5 | software | 200 (>= 50) | false | webinar | lost at sql: new, mql, sql |
/// | E6 | retail | – | – | – | lost at new: new |
///
/// Counts [won, lost]: software [2, 1], fintech [1, 0], retail [0, 2];
/// `< 10` [0, 1], `[10, 50)` [1, 0], `>= 50` [2, 1]; false [0, 2], true [2, 0];
/// referral [1, 0], webinar [1, 1]; stage: each won example counts for every
/// path stage, so won = 3 everywhere; lost: new 3 (E4, E5, E6), mql 2 (E4,
/// E5), sql 1 (E5), won 0.
@Suite("Win model")
struct WinModelTests {
    static let modelJSON = """
        {"format": "funnel.model/1", "name": "win",
         "attributes": {"industry": "string", "employees": "number", "decision_maker": "bool",
                        "tags": "strings", "email": "string"},
         "stages": {"initial": "new",
           "list": [{"id": "new"}, {"id": "mql"}, {"id": "sql"}, {"id": "won", "outcome": "won"},
                    {"id": "lost", "outcome": "lost"}, {"id": "nurture"}, {"id": "dq", "outcome": "disqualified"}],
           "transitions": [{"from": "new", "to": "mql"}, {"from": "mql", "to": ["sql", "nurture"]},
                           {"from": "sql", "to": ["won", "lost"]}, {"from": "*", "to": "dq"}]},
         "predict": {"fields": ["stage", "tags", "industry", "employees", "decision_maker"],
                     "bins": {"employees": [10, 50]}, "min_examples": 4, "max_factors": 3}}
        """

    static let examplesJSONL = """
        {"lead":{"id":"E1","attributes":{"industry":"Software","employees":120,"decision_maker":true,"tags":["webinar","Webinar"]}},"outcome":"won"}
        {"lead":{"id":"E2","attributes":{"industry":"software","employees":10,"tags":["referral"]}},"outcome":"won","stage":"whatever"}
        {"lead":{"id":"E3","attributes":{"industry":"fintech","employees":60,"decision_maker":true}},"outcome":"won"}
        {"lead":{"id":"E4","attributes":{"industry":"retail","employees":5,"decision_maker":false}},"outcome":"lost","stage":"mql"}
        {"lead":{"id":"E5","attributes":{"industry":"software","employees":200,"decision_maker":false,"tags":["webinar"]}},"outcome":"lost","stage":"sql"}
        {"lead":{"id":"E6","attributes":{"industry":"retail"}},"outcome":"lost","stage":"new"}
        """

    /// The document the six examples give, field by field in model order.
    static let expectedDocument =
        #"{"format":"funnel.winmodel/1","won":3,"lost":3,"fields":{"industry":{"fintech":[1,0],"retail":[0,2],"software":[2,1]},"employees":{"< 10":[0,1],"[10, 50)":[1,0],">= 50":[2,1]},"decision_maker":{"false":[0,2],"true":[2,0]},"tags":{"referral":[1,0],"webinar":[1,1]},"stage":{"new":[3,3],"mql":[3,2],"sql":[3,1],"won":[3,0]}}}"#

    static func model(_ json: String = modelJSON) throws -> Model { try Model(json: json) }

    static func examples() throws -> [WinExample] {
        try examplesJSONL.split(separator: "\n").map { try WinExample(json: String($0)) }
    }

    static func trained(_ model: Model? = nil) throws -> WinModel {
        var win = WinModel(model: try model ?? Self.model())
        for example in try examples() { try win.learn(example) }
        return win
    }

    /// X: " SOFTWARE " (software), 50 (the edge: >= 50), decision maker, tags
    /// webinar and one never seen, in mql.
    static let leadX = Lead(
        id: "X", attributes: ["industry": " SOFTWARE ", "employees": 50, "decision_maker": true,
                              "tags": ["webinar", "unknown-tag"]], stage: "mql")
    /// Y: retail, 10 (the edge: [10, 50)), in sql.
    static let leadY = Lead(id: "Y", attributes: ["industry": "retail", "employees": 10], stage: "sql")

    /// The shared case of the other front ends is this one.
    @Test func sharedFixtureFilesAreThisCase() throws {
        let folder = String(#filePath.dropLast("FunnelTests/WinModelTests.swift".count)) + "fixtures/win/"
        func read(_ name: String) throws -> String {
            let bytes = try #require(readFile(folder + name), "cannot read \(folder + name)")
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(try Model(json: read("model.json")).definition == Self.model().definition)
        #expect(try read("examples.jsonl") == Self.examplesJSONL + "\n")
        #expect(try read("winmodel.json") == Self.expectedDocument + "\n")
        var fromFile = WinModel(model: try Self.model())
        try fromFile.learn(jsonLines: read("examples.jsonl"))
        #expect(fromFile == (try Self.trained()))
        let leads = try read("leads.jsonl").split(separator: "\n").map { try Lead(json: String($0)) }
        #expect(leads[0] == Self.leadX && leads[1] == Self.leadY)
    }

    @Test func jsonLinesAreLearntAllOrNothing() throws {
        var win = try Self.trained()
        let before = win
        #expect(throws: WinExampleError(line: 3, path: "outcome", message: "required field is missing")) {
            try win.learn(jsonLines: Self.examplesJSONL.split(separator: "\n")[0] + "\n\n" + #"{"lead":{"id":"A"}}"#)
        }
        #expect(win == before)
        try win.learn(jsonLines: "\n" + Self.examplesJSONL + "\n  \n")
        #expect(win.won == 6 && win.lost == 6)
    }

    @Test func countsAreTheOnesWorkedByHand() throws {
        let win = try Self.trained()
        #expect(win.won == 3 && win.lost == 3)
        #expect(win.fieldNames == ["industry", "employees", "decision_maker", "tags", "stage"])
        #expect(win.json == Self.expectedDocument)
        #expect(win.counts(field: "tags", value: "webinar") == (1, 1))  // E1's two spellings count once
        #expect(win.counts(field: "stage", value: "sql") == (3, 1))
        #expect(win.counts(field: "email", value: "x") == (0, 0))
    }

    @Test func probabilityAndFactorsAsWorkedByHand() throws {
        let win = try Self.trained()
        // Y: prior ln(3/3) = 0; retail ln(0.1/3) − ln(2.1/3) = ln(1/21);
        // [10, 50) ln(1.1/3) − ln(0.1/3) = ln 11; sql ln(3.1/3) − ln(1.1/3) = ln(31/11).
        // x = ln(11·31 / (21·11)) = ln(31/21); p = 1/(1 + 21/31) = 31/52.
        let y = try win.predict(Self.leadY)
        let p = try #require(y.probability)
        #expect(abs(p - 31.0 / 52.0) < 1e-12)
        #expect(y.factors.map(\.field) == ["industry", "employees", "stage"])
        #expect(y.factors.map(\.value) == ["retail", "[10, 50)", "sql"])
        #expect(abs(y.factors[0].weight - (-3.044522437723423)) < 1e-12)  // ln(1/21)
        #expect(abs(y.factors[1].weight - 2.3978952727983707) < 1e-12)  // ln 11
        #expect(abs(y.factors[2].weight - 1.0360919316867756) < 1e-12)  // ln(31/11)

        // X: software ln(2.1/1.1) = 0.6466, >= 50 the same (both [2, 1]: a tie,
        // broken by field order), true ln 21 = 3.0445, webinar ln(1.1/3) −
        // ln(1.1/3) = 0, unknown-tag unseen (nothing), mql ln(3.1/2.1) = 0.3895.
        // x = 4.7272…, p = 0.99122… → clamped to 0.99; max_factors 3.
        let x = try win.predict(Self.leadX)
        #expect(x.probability == 0.99)
        #expect(x.factors.map(\.field) == ["decision_maker", "industry", "employees"])
        #expect(x.factors.map(\.value) == ["true", "software", ">= 50"])
        #expect(abs(x.factors[0].weight - 3.044522437723423) < 1e-12)
        #expect(x.factors[1].weight == x.factors[2].weight)
        #expect(abs(x.factors[1].weight - 0.6466271649250525) < 1e-12)
    }

    @Test func clampBelowOutcomeStagesAndOffPathStages() throws {
        let win = try Self.trained()
        // Z: retail ln(1/21), 3 (< 10) ln(0.1/3) − ln(1.1/3) = ln(1/11), false
        // ln(1/21), new ln(3.1/3) − ln(3.1/3) = 0: x = −8.49, p = 0.0002 → 0.01.
        let z = Lead(id: "Z", attributes: ["industry": "retail", "employees": 3, "decision_maker": false])
        let pz = try win.predict(z)
        #expect(pz.probability == 0.01)
        #expect(pz.factors.map(\.value) == ["retail", "false", "< 10"])  // |ln 1/21| twice: field order
        #expect(pz.factors.count == 3)
        // Outcome stages decide, with no factors.
        for (stage, expected) in [("won", 1.0), ("lost", 0.0), ("dq", 0.0)] {
            let decided = try win.predict(Lead(id: "O", attributes: ["industry": "software"], stage: stage))
            #expect(decided.probability == expected)
            #expect(decided.factors.isEmpty)
        }
        // Nurture is off the path and has no outcome: no stage value. fintech
        // ln(1.1/3) − ln(0.1/3) = ln 11; p = 1/(1 + 1/11) = 11/12.
        let nurtured = try win.predict(Lead(id: "N", attributes: ["industry": "fintech"], stage: "nurture"))
        #expect(abs(try #require(nurtured.probability) - 11.0 / 12.0) < 1e-12)
        #expect(nurtured.factors == [WinFactor(field: "industry", value: "fintech", weight: nurtured.factors[0].weight)])
        // Only unseen values and the first path stage (no stage: the initial
        // one): new weighs ln(3.1/3) − ln(3.1/3) = 0, so p = 1/2.
        let unseen = try win.predict(Lead(id: "U", attributes: ["industry": "healthcare", "tags": ["nothing"]]))
        #expect(unseen.probability == 0.5)
        #expect(unseen.factors == [WinFactor(field: "stage", value: "new", weight: 0)])
    }

    @Test func nullWithoutBothOutcomesOrBelowMinExamples() throws {
        let model = try Self.model()
        var win = WinModel(model: model)
        #expect(try win.predict(Self.leadY) == WinPrediction(probability: nil, factors: []))
        // Null comes first, as §14 lists it: even an outcome stage has none.
        #expect(try win.predict(Lead(id: "W", stage: "won")).probability == nil)
        let examples = try Self.examples()
        for example in examples.prefix(3) { try win.learn(example) }  // three won, no lost
        #expect(try win.predict(Self.leadY).probability == nil)
        try win.learn(examples[3])  // 3 + 1 = 4 = min_examples: a probability
        #expect(try win.predict(Self.leadY).probability != nil)
        // min_examples 7 with all six examples: still none.
        let strict = try Self.model(Self.modelJSON.replacing("\"min_examples\": 4", with: "\"min_examples\": 7"))
        #expect(try Self.trained(strict).predict(Self.leadY).probability == nil)
        // Default min_examples (20): six examples are too few.
        let defaults = try Self.model(Self.modelJSON.replacing(", \"min_examples\": 4", with: ""))
        #expect(try Self.trained(defaults).predict(Self.leadY).probability == nil)
    }

    @Test func binsAtTheirEdgesAreWrittenAsJSON() throws {
        #expect(WinFields.binLabels([10, 50]) == ["< 10", "[10, 50)", ">= 50"])
        #expect(WinFields.binLabels([0.5, 1e21]) == ["< 0.5", "[0.5, 1e+21)", ">= 1e+21"])
        #expect(WinFields.binLabels([-3]) == ["< -3", ">= -3"])
        let edges: [Double] = [10, 50]
        edges.withUnsafeBufferPointer { e in
            #expect(WinFields.bin(9.999, e) == 0)
            #expect(WinFields.bin(10, e) == 1)
            #expect(WinFields.bin(49.999, e) == 1)
            #expect(WinFields.bin(50, e) == 2)
        }
    }

    @Test func forgettingWhatWasLearntGivesTheModelBefore() throws {
        let base = try Self.trained()
        let extra = try WinExample(
            json: #"{"lead":{"id":"N","attributes":{"industry":"Brand New","tags":["a","b","A"]}},"outcome":"lost","stage":"sql"}"#)
        var win = base
        try win.learn(extra)
        #expect(win != base)
        try win.forget(extra)
        #expect(win == base)
        #expect(win.json == base.json)
        // Every example, in a random order, learnt then forgotten: empty again.
        var random = SplitMix64(seed: 7)
        var all = try Self.examples()
        all.shuffle(using: &random)
        var emptied = base
        for example in all { try emptied.forget(example) }
        #expect(emptied == WinModel(model: base.model))
        // Forgetting what was never learnt is an error and changes nothing.
        var before = base
        #expect(throws: WinExampleError.self) { try before.forget(extra) }
        #expect(before == base && before.json == base.json)
        do {
            try before.forget(extra)
        } catch {
            #expect(error.path == "lead.attributes.industry")
        }
        var empty = WinModel(model: base.model)
        #expect(throws: WinExampleError.self) { try empty.forget(all[0]) }
        #expect(empty == WinModel(model: base.model))
    }

    @Test func documentRoundTripsExactly() throws {
        let model = try Self.model()
        var random = SplitMix64(seed: 11)
        let industries = ["Software", "fintech", "Retail", " retail", "Ωmega", "café", "CAFÉ"]
        for round in 0..<20 {
            var win = WinModel(model: model)
            for i in 0..<(round * 7) {
                var attributes: [String: LeadValue] = ["industry": .string(random.pick(industries))]
                if random.chance(0.7) { attributes["employees"] = .number(Double(random.below(120))) }
                if random.chance(0.5) { attributes["decision_maker"] = .bool(random.chance(0.5)) }
                if random.chance(0.5) { attributes["tags"] = .strings((0..<random.below(4)).map { _ in random.pick(industries) }) }
                let won = random.chance(0.4)
                try win.learn(WinExample(Lead(id: "R\(i)", attributes: attributes), outcome: won ? .won : .lost,
                                         stage: random.pick(["new", "mql", "sql"])))
            }
            let text = win.json
            let back = try WinModel(json: text, model: model)
            #expect(back == win)
            #expect(back.json == text)
            for _ in 0..<5 {
                let lead = Lead(id: "P", attributes: ["industry": .string(random.pick(industries)),
                                                      "employees": .number(Double(random.below(100)))],
                                stage: random.pick(["new", "mql", "sql", "nurture"]))
                #expect(try back.predict(lead) == win.predict(lead))
            }
        }
        #expect(try WinModel(json: Self.expectedDocument, model: model) == Self.trained())
    }

    @Test func batchPredictionsAreTheSameBitsAsOneByOne() throws {
        let model = try Self.model()
        let win = try Self.trained()
        let predictor = win.predictor
        var random = SplitMix64(seed: 3)
        let words = ["software", "Retail", "fintech", "webinar", "referral", "other", "SOFTWARE "]
        var leads: [Lead] = [Self.leadX, Self.leadY]
        for i in 0..<500 {
            var attributes: [String: LeadValue] = [:]
            if random.chance(0.8) { attributes["industry"] = .string(random.pick(words)) }
            if random.chance(0.7) { attributes["employees"] = .number(Double(random.below(80))) }
            if random.chance(0.6) { attributes["decision_maker"] = .bool(random.chance(0.5)) }
            if random.chance(0.6) { attributes["tags"] = .strings((0..<random.below(4)).map { _ in random.pick(words) }) }
            let stage: String? = random.chance(0.2) ? nil : random.pick(model.stageIDs)
            leads.append(Lead(id: "B\(i)", attributes: attributes, stage: stage))
        }
        let batch = try LeadBatch(model: model, leads: leads)
        let fast = try predictor.probabilities(of: batch, threads: 2)
        let explained = try predictor.predictions(of: batch, threads: 2)
        for (i, lead) in leads.enumerated() {
            let one = try predictor.predict(lead)
            #expect(explained[i] == one)
            #expect(fast[i].bitPattern == (one.probability ?? .nan).bitPattern)
        }
    }

    @Test func learningABatchCountsAsLearningEachExample() throws {
        let model = try Self.model()
        var random = SplitMix64(seed: 5)
        let words = ["software", "Retail", "fintech", "webinar", "WEBINAR", "referral", " other", "Ωmega"]
        var examples = try Self.examples()
        for i in 0..<400 {
            var attributes: [String: LeadValue] = [:]
            if random.chance(0.8) { attributes["industry"] = .string(random.pick(words)) }
            if random.chance(0.7) { attributes["employees"] = .number(Double(random.below(80))) }
            if random.chance(0.6) { attributes["decision_maker"] = .bool(random.chance(0.5)) }
            if random.chance(0.6) { attributes["tags"] = .strings((0..<random.below(4)).map { _ in random.pick(words) }) }
            let won = random.chance(0.4)
            examples.append(WinExample(Lead(id: "B\(i)", attributes: attributes), outcome: won ? .won : .lost,
                                       stage: won ? nil : random.pick(["new", "mql", "sql"])))
        }
        var one = WinModel(model: model)
        for example in examples { try one.learn(example) }
        var batched = WinModel(model: model)
        let batch = try LeadBatch(model: model, leads: examples.map(\.lead))
        try batched.learn(batch, outcomes: examples.map(\.outcome), stages: examples.map(\.stage))
        #expect(batched == one)
        #expect(batched.json == one.json)
        // A lost lead off the path: nothing is learnt, the error names the lead.
        var refused = WinModel(model: model)
        #expect(throws: WinExampleError(path: "[1].stage", message: #""nurture" is not a stage of the funnel's path (new, mql, sql, won)"#)) {
            try refused.learn(try LeadBatch(model: model, leads: [Lead(id: "a"), Lead(id: "b")]),
                              outcomes: [.won, .lost], stages: [nil, "nurture"])
        }
        #expect(refused == WinModel(model: model))
    }

    @Test func scoreResultsGainTheTwoFieldsOnlyWithAWinModel() throws {
        let model = try Self.model()
        let win = try Self.trained()
        let plain = try model.score(Self.leadY, at: 0)
        #expect(!plain.json.contains("win_"))
        let scored = try model.score(Self.leadY, at: 0, winModel: win)
        #expect(abs(try #require(scored.winProbability) - 31.0 / 52.0) < 1e-12)
        #expect(scored.json.hasPrefix(String(plain.json.dropLast())))
        #expect(scored.json.contains(#","win_factors":[{"field":"industry","value":"retail","weight":-3.04452243772342"#))
        // Codable in the Swift value's shape keeps them, and leaves them out when absent.
        let coded = try JSONEncoder().encode(scored)
        #expect(try JSONDecoder().decode(ScoreResult.self, from: coded) == scored)
        #expect(!String(decoding: try JSONEncoder().encode(plain), as: UTF8.self).contains("win_"))
        let untrained = try model.score(Self.leadY, at: 0, winModel: WinModel(model: model))
        #expect(untrained.json.hasSuffix(#","win_probability":null,"win_factors":[]}"#))
    }

    @Test func defaultFieldsAreEveryUsableAttributeThenStage() throws {
        let model = try Model(json: """
            {"format": "funnel.model/1",
             "attributes": {"n": "number", "s": "string", "b": "bool", "m": "strings", "k": "number"},
             "stages": {"initial": "a", "list": [{"id": "a"}, {"id": "w", "outcome": "won"}], "transitions": []},
             "predict": {"bins": {"k": [1]}}}
            """)
        #expect(WinModel(model: model).fieldNames == ["s", "b", "m", "k", "stage"])
        let noStages = try Model(json: #"{"format": "funnel.model/1", "attributes": {"s": "string", "stage": "string"}}"#)
        #expect(WinModel(model: noStages).fieldNames == ["s", "stage"])  // without stages, `stage` is the attribute
        // A Swift-built definition compiles to the same fields.
        let built = try Model(ModelDefinition(
            attributes: [AttributeDeclaration("n", .number), AttributeDeclaration("s", .string)],
            predict: PredictSettings(fields: ["n"], bins: ["n": [1, 2]], maxFactors: 1)))
        #expect(WinModel(model: built).fieldNames == ["n"])
    }

    @Test func everyPredictFaultHasItsPath() throws {
        func faults(_ predict: String, attributes: String = #"{"n": "number", "s": "string", "m": "strings"}"#,
                    stages: Bool = false) -> [String] {
            let stagesJSON = stages ? #", "stages": {"initial": "a", "list": [{"id": "a"}], "transitions": []}"# : ""
            do {
                _ = try Model(json: #"{"format": "funnel.model/1", "attributes": \#(attributes)\#(stagesJSON), "predict": \#(predict)}"#)
                return []
            } catch {
                return error.faults.map(\.description)
            }
        }
        #expect(faults(#"{"fields": ["x"]}"#) == [#"predict.fields[0]: unknown attribute "x""#])
        #expect(faults(#"{"fields": ["n"]}"#) == [#"predict.fields[0]: number attribute "n" needs bins (predict.bins.n)"#])
        #expect(faults(#"{"fields": ["s", "s"]}"#) == [#"predict.fields[1]: field "s" is listed twice"#])
        #expect(faults(#"{"fields": ["stage"]}"#) == [#"predict.fields[0]: the model has no stages, so there is no field "stage""#])
        #expect(faults(#"{"fields": ["stage", "s"]}"#, stages: true) == [])
        #expect(faults(#"{"fields": [3]}"#) == ["predict.fields[0]: expected a string, found a number"])
        #expect(faults(#"{"bins": {"n": [10, 50, 50]}}"#) == ["predict.bins.n[2]: edges must be strictly increasing: 50 follows 50"])
        #expect(faults(#"{"bins": {"n": [10, 5]}}"#) == ["predict.bins.n[1]: edges must be strictly increasing: 5 follows 10"])
        #expect(faults(#"{"bins": {"n": []}}"#) == ["predict.bins.n: expected at least one edge"])
        #expect(faults(#"{"bins": {"s": [1]}}"#) == [#"predict.bins.s: bins are for number attributes; "s" is a string"#])
        #expect(faults(#"{"bins": {"zz": [1]}}"#) == [#"predict.bins.zz: unknown attribute "zz""#])
        #expect(faults(#"{"bins": {"n": [1, "2"]}}"#) == ["predict.bins.n[1]: expected a number, found a string"])
        #expect(faults(#"{"min_examples": 0}"#) == ["predict.min_examples: expected a whole number >= 1"])
        #expect(faults(#"{"min_examples": 2.5}"#) == ["predict.min_examples: expected a whole number"])
        #expect(faults(#"{"max_factors": 0}"#) == ["predict.max_factors: expected a whole number >= 1"])
        #expect(faults(#"{"max_factors": "5"}"#) == ["predict.max_factors: expected a number, found a string"])
        #expect(faults(#"{"fieldz": []}"#) == ["predict.fieldz: unknown field"])
        #expect(faults("[]") == ["predict: expected an object, found an array"])
        // Swift-built definitions meet the same checks at the same paths.
        #expect(throws: ModelError(faults: [ModelFault(path: "predict.bins.n[0]", message: "expected a finite number")])) {
            try Model(ModelDefinition(attributes: [AttributeDeclaration("n", .number)],
                                      predict: PredictSettings(bins: ["n": [.infinity]])))
        }
    }

    /// Many JSON Lines learn what the examples one by one do, and the first
    /// bad line is the one reported, with nothing learnt.
    @Test func manyJSONLinesLearnInOrder() throws {
        let model = try Self.model()
        let lines = Self.examplesJSONL.split(separator: "\n").map(String.init)
        let count = 20_000
        var many = (0..<count).map { lines[$0 % lines.count] }
        var win = WinModel(model: model)
        try win.learn(jsonLines: many.joined(separator: "\n"))
        var one = WinModel(model: model)
        for line in many { try one.learn(WinExample(json: line)) }
        #expect(win == one)
        #expect(win.won + win.lost == count)
        many[15_010] = #"{"lead":{"id":"x","attributes":{"industry":"new-value","employees":"many"}},"outcome":"won"}"#
        many[15_020] = "{"
        var refused = WinModel(model: model)
        #expect(throws: WinExampleError(
            line: 15_011, path: "lead.attributes.employees", message: "expected a finite number, found a string")
        ) { try refused.learn(jsonLines: many.joined(separator: "\n")) }
        #expect(refused == WinModel(model: model))
        // One example that fails after a new value was read leaves no trace either.
        var single = try Self.trained()
        #expect(throws: WinExampleError.self) {
            try single.learn(WinExample(Lead(id: "z", attributes: ["industry": "brand-new", "employees": "x"]), outcome: .won))
        }
        #expect(single == (try Self.trained()))
        #expect(single.counts(field: "industry", value: "brand-new") == (0, 0))
    }

    @Test func everyExampleFaultHasItsPath() throws {
        var win = WinModel(model: try Self.model())
        func fault(_ line: String) -> String {
            do {
                try win.learn(WinExample(json: line))
                return ""
            } catch {
                return error.description
            }
        }
        #expect(fault(#"{"lead":{"id":"A"},"outcome":"lost"}"#)
            == "stage: required for a lost example: the last path stage it reached (new, mql, sql, won)")
        #expect(fault(#"{"lead":{"id":"A"},"outcome":"lost","stage":"nurture"}"#)
            == #"stage: "nurture" is not a stage of the funnel's path (new, mql, sql, won)"#)
        #expect(fault(#"{"lead":{"id":"A"},"outcome":"lost","stage":"won"}"#)
            == #"stage: a lost example cannot have reached "won", a won stage"#)
        #expect(fault(#"{"lead":{"id":"A"},"outcome":"lost","stage":7}"#) == "stage: expected a stage id")
        #expect(fault(#"{"lead":{"id":"A"},"outcome":"maybe"}"#) == #"outcome: expected "won" or "lost""#)
        #expect(fault(#"{"lead":{"id":"A"}}"#) == "outcome: required field is missing")
        #expect(fault(#"{"outcome":"won"}"#) == "lead: required field is missing")
        #expect(fault(#"{"lead":{"id":""},"outcome":"won"}"#) == "lead.id: expected a non-empty string")
        #expect(fault(#"{"lead":{"id":"A","attributes":{"employees":"many"}},"outcome":"won"}"#)
            == "lead.attributes.employees: expected a finite number, found a string")
        #expect(fault(#"{"lead":{"id":"A","stage":"nowhere"},"outcome":"won"}"#) == #"lead.stage: unknown stage "nowhere""#)
        #expect(fault("[1]") == "expected an object, found an array")
        #expect(fault("{").hasPrefix("malformed JSON"))
        #expect(win == WinModel(model: win.model))  // nothing was learnt
    }

    @Test func everyDocumentFaultHasItsPath() throws {
        let model = try Self.model()
        func faults(_ text: String) -> [String] {
            do {
                _ = try WinModel(json: text, model: model)
                return []
            } catch {
                return error.faults.map(\.description)
            }
        }
        let head = #"{"format":"funnel.winmodel/1","won":3,"lost":3,"fields":"#
        #expect(faults(head + #"{"color":{}}}"#)
            == [#"fields.color: unknown field (the model's predict fields are: "industry", "employees", "decision_maker", "tags", "stage")"#])
        #expect(faults(head + #"{"industry":{"Software":[1,0]}}}"#) == [#"fields.industry.Software: not a comparison key (expected "software")"#])
        #expect(faults(head + #"{"employees":{"[10, 49)":[1,0]}}}"#)
            == [#"fields.employees.[10, 49): unknown value of employees (expected one of "< 10", "[10, 50)", ">= 50")"#])
        #expect(faults(head + #"{"stage":{"nurture":[1,0]}}}"#)
            == [#"fields.stage.nurture: unknown value of stage (expected one of "new", "mql", "sql", "won")"#])
        #expect(faults(head + #"{"decision_maker":{"yes":[1,0]}}}"#)
            == [#"fields.decision_maker.yes: unknown value of decision_maker (expected one of "false", "true")"#])
        #expect(faults(head + #"{"industry":{"a":[4,0]}}}"#) == ["fields.industry.a[0]: more than won (3)"])
        #expect(faults(head + #"{"industry":{"a":[0,0]}}}"#) == ["fields.industry.a: a value without examples ([0, 0]) is never written"])
        #expect(faults(head + #"{"industry":{"a":[1]}}}"#) == ["fields.industry.a: expected [won, lost], found 1 numbers"])
        #expect(faults(head + #"{"industry":{"a":[1,-1]}}}"#) == ["fields.industry.a[1]: expected a whole number >= 0"])
        #expect(faults(head + #"{"industry":{"a":[1.5,0]}}}"#) == ["fields.industry.a[0]: expected a whole number"])
        // A missing field stands where its parent does: first.
        #expect(faults(#"{"format":"funnel.winmodel/2","won":-1,"fields":{},"extra":1}"#) == [
            "lost: required field is missing", #"format: expected "funnel.winmodel/1", found "funnel.winmodel/2""#, "won: expected a whole number >= 0",
            "extra: unknown field",
        ])
        #expect(faults("nope").first?.hasPrefix("malformed JSON") == true)
        #expect(faults(head + "{}}") == [])
    }
}

/// A whole file's bytes, without Foundation.
private func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    return bytes
}
