import Testing

@testable import Funnel
import FunnelTestSupport

/// The columnar way into a batch gives exactly what lead documents give.
@Suite("Columnar batches")
struct ColumnarBatchTests {
    static let modelJSON = """
        {"format": "funnel.model/1",
         "attributes": {"industry": "string", "employees": "number", "dm": "bool", "tags": "strings"},
         "scoring": {
           "fit": [{"id": "sw", "if": {"attr": "industry", "eq": "software"}, "points": 10},
                   {"id": "mid", "if": {"attr": "employees", "between": [50, 5000]}, "points": 5},
                   {"id": "dm", "if": {"attr": "dm", "eq": true}, "points": 3},
                   {"id": "web", "if": {"attr": "tags", "contains": "webinar"}, "points": 2}],
           "behavior": [{"id": "reply", "event": "email.reply", "points": 2, "cap": 5},
                        {"id": "call", "event": "call.completed", "if": {"prop": "minutes", "gte": 20}, "points": 4},
                        {"id": "any-mail", "event": "email.*", "points": 0.5}],
           "half_life_days": 7, "window_days": 60, "behavior_limits": {"min": -5, "max": 12},
           "grades": [{"grade": "A", "min": 15}, {"grade": "B", "min": 5}]}}
        """
    static let asOf = sampleAsOf

    @Test func columnsScoreBitForBitLikeLeadDocuments() throws {
        let model = try Model(json: Self.modelJSON)
        var random = SplitMix64(seed: 9)
        let n = 500
        let industries = ["Software", " retail", "SOFTWARE "]
        var leads: [Lead] = []
        var industryIDs: [Int32] = []
        var employees: [Double] = []
        var dm: [Bool?] = []
        var offsets: [Int64] = [0]
        var members: [Int32] = []
        var present: [UInt8] = []
        var eventLead: [UInt32] = []
        var eventType: [Int32] = []
        var eventAt: [Double] = []
        var minutes: [Double] = []
        let types = ["email.reply", "call.completed", "email.open", "page.visit"]
        for i in 0..<n {
            var attributes: [String: LeadValue] = [:]
            let industry = random.below(4)
            industryIDs.append(industry == 3 ? -1 : Int32(industry))
            if industry < 3 { attributes["industry"] = .string(industries[industry]) }
            let size = random.chance(0.8) ? Double(random.below(8000)) : Double.nan
            employees.append(size)
            if !size.isNaN { attributes["employees"] = .number(size) }
            let flag: Bool? = random.chance(0.3) ? nil : random.chance(0.5)
            dm.append(flag)
            if let flag { attributes["dm"] = .bool(flag) }
            if random.chance(0.7) {
                let tags = random.chance(0.5) ? ["webinar"] : ["other", "Webinar "]
                attributes["tags"] = .strings(tags)
                members += tags.map { $0 == "webinar" ? 0 : ($0 == "other" ? 1 : 2) }
                present.append(1)
            } else {
                present.append(0)
            }
            offsets.append(Int64(members.count))
            var events: [Event] = []
            for _ in 0..<random.below(12) {
                let t = random.below(types.count)
                let at = Self.asOf - Double(random.below(90 * 86_400)) + 86_400
                let m = Double(random.below(40))
                events.append(Event(types[t], at: at, properties: t == 1 ? ["minutes": .number(m)] : [:]))
                eventLead.append(UInt32(i))
                eventType.append(Int32(t))
                eventAt.append(at)
                minutes.append(t == 1 ? m : .nan)
            }
            leads.append(Lead(id: String(i), attributes: attributes, events: events))
        }
        let fromLeads = try LeadBatch(model: model, leads: leads)
        var fromColumns = try LeadBatch(model: model, count: n)
        try fromColumns.setStrings("industry", dictionary: industries, ids: industryIDs)
        try fromColumns.setNumbers("employees", employees)
        try fromColumns.setBools("dm", dm)
        try offsets.withUnsafeBufferPointer { offsets in
            try members.withUnsafeBufferPointer { members in
                try present.withUnsafeBufferPointer { present in
                    try fromColumns.setStringSets(
                        "tags", dictionary: ["webinar", "other", "Webinar "], offsets: offsets, memberIDs: members,
                        present: present)
                }
            }
        }
        try fromColumns.setEvents(
            types: types, lead: eventLead.reversed(), type: eventType.reversed(), at: eventAt.reversed(),
            property: "minutes", values: minutes.reversed())
        // Reversed input order: events are regrouped by lead, and each lead's
        // events come in reverse, so compare the sums within rounding and the
        // rest exactly; in input order they agree to the bit.
        let a = fromLeads.scores(at: Self.asOf, threads: 2)
        let b = fromColumns.scores(at: Self.asOf, threads: 1)
        #expect(a.fit == b.fit)
        #expect(a.gradeIndex == b.gradeIndex)
        for i in 0..<n {
            #expect(abs(a.behavior[i] - b.behavior[i]) <= 1e-9 * max(1, abs(a.behavior[i])), "lead \(i)")
        }
        try fromColumns.setEvents(
            types: types, lead: eventLead, type: eventType, at: eventAt, property: "minutes", values: minutes)
        #expect(fromColumns.scores(at: Self.asOf, threads: 2) == a)
        #expect(a.behavior.filter { $0 != 0 }.count > n / 3)
    }

    @Test func refusedColumnsLeaveTheBatchUnchanged() throws {
        let model = try Model(json: Self.modelJSON)
        var batch = try LeadBatch(model: model, count: 2)
        try batch.setNumbers("employees", [100, 200])
        let before = batch.scores(at: Self.asOf)
        #expect(throws: ColumnError.self) { try batch.setNumbers("employees", [1]) }
        #expect(throws: ColumnError.self) { try batch.setNumbers("employees", [1, .infinity]) }
        #expect(throws: ColumnError.self) { try batch.setNumbers("industry", [1, 2]) }
        #expect(throws: ColumnError.self) { try batch.setNumbers("nope", [1, 2]) }
        #expect(throws: ColumnError.self) { try batch.setStrings("industry", dictionary: ["a"], ids: [0, 1]) }
        // The first id outside -1..<count is named: below -1, at the count, Int32's extremes; none in an empty dictionary.
        for (ids, message) in [([-1, -2], "industry[1]: id -2 is outside the dictionary of 1"),
                               ([1, 0], "industry[0]: id 1 is outside the dictionary of 1"),
                               ([0, Int32.max], "industry[1]: id 2147483647 is outside the dictionary of 1"),
                               ([Int32.min, 0], "industry[0]: id -2147483648 is outside the dictionary of 1")] as [([Int32], String)] {
            #expect(throws: ColumnError(message)) { try batch.setStrings("industry", dictionary: ["a"], ids: ids) }
        }
        #expect(throws: ColumnError("industry[0]: id 0 is outside the dictionary of 0")) {
            try batch.setStrings("industry", dictionary: [], ids: [0, -1])
        }
        #expect(throws: ColumnError.self) {
            try batch.setEvents(types: ["email.reply"], lead: [2], type: [0], at: [0])
        }
        #expect(throws: ColumnError.self) {
            try batch.setEvents(types: ["email.reply"], lead: [0], type: [0], at: [.nan])
        }
        #expect(batch.scores(at: Self.asOf) == before)
        #expect(before.fit == [5, 5])
        #expect(throws: ColumnError.self) { try LeadBatch(model: model, count: -1) }
        #expect(throws: ColumnError.self) { try LeadBatch(model: model, count: Limits.maxLeadsPerBatch + 1) }
    }

    /// A lead appended after `init(model:count:)` keeps its own id and stage,
    /// at index `count`; the columnar leads before it keep their index as id.
    @Test func appendAfterCountKeepsTheLeadsIDAndStage() throws {
        let model = try Model(json: Model.defaultModelJSON)
        let lead = Lead(
            id: "L-9", attributes: ["email": "a@b.example", "industry": "software"], stage: "opportunity")
        var batch = try LeadBatch(model: model, count: 3)
        try batch.append(lead)
        #expect(batch.count == 4)
        #expect(batch.ids == ["0", "1", "2", "L-9"])
        let results = batch.results(at: Self.asOf, threads: 1)
        #expect(results.map(\.id) == ["0", "1", "2", "L-9"])
        #expect(results[3] == (try model.score(lead, at: Self.asOf)))
        let columnsOnly = try LeadBatch(model: model, count: 3)
        #expect(columnsOnly.ids.isEmpty)
        let expectedColumnar = columnsOnly.results(at: Self.asOf, threads: 1)
        #expect(Array(results[0..<3]) == expectedColumnar)
        let advanced = try #require(batch.advance(at: Self.asOf, threads: 1))
        #expect(advanced[3] == (try model.advance(lead, at: Self.asOf)))
        #expect(advanced[3].stage == "opportunity")
        #expect(Array(advanced[0..<3]) == (try #require(columnsOnly.advance(at: Self.asOf, threads: 1))))
        #expect(advanced[0].moves.first?.from == model.initialStage)
    }

    /// A model whose string `contains` gives local symbols masks too.
    static let refillModelJSON = """
        {"format": "funnel.model/1",
         "attributes": {"industry": "string", "role": "string", "tags": "strings"},
         "scoring": {
           "fit": [{"id": "sw", "if": {"attr": "industry", "in": ["software", "fintech"]}, "points": 10},
                   {"id": "mgr", "if": {"attr": "role", "contains": "manager"}, "points": 5},
                   {"id": "web", "if": {"attr": "tags", "contains": "webinar"}, "points": 2}],
           "behavior": [{"id": "reply", "event": "email.reply", "points": 2}]}}
        """

    private static func fill(_ batch: inout LeadBatch, _ k: Int, distinct: Bool) throws {
        let tag = distinct ? "tag \(k)" : "tag"
        // Entries no lead uses: they are interned too.
        let spares = (0..<4).map { distinct ? "spare \(k).\($0)" : "spare \($0)" }
        try batch.setStrings(
            "industry", dictionary: ["Software", distinct ? "retail \(k)" : "retail"] + spares, ids: [0, 1, -1, 1])
        try batch.setStrings(
            "role", dictionary: [distinct ? "Sales Manager \(k)" : "Sales Manager", "intern"], ids: [0, 0, 1, -1])
        let offsets: [Int64] = [0, 2, 3, 3, 5]
        let members: [Int32] = [0, 1, 2, 1, 0]
        try offsets.withUnsafeBufferPointer { offsets in
            try members.withUnsafeBufferPointer { members in
                try batch.setStringSets(
                    "tags", dictionary: ["webinar", tag, "Webinar "], offsets: offsets, memberIDs: members,
                    present: nil)
            }
        }
    }

    /// Refilling the string columns with the same dictionaries leaves the
    /// batch's local symbols and set members as they were; with new strings
    /// every time, the unused ones are dropped, so they stay bounded.
    @Test func refillsDoNotGrowTheBatch() throws {
        let model = try Model(json: Self.refillModelJSON)
        var batch = try LeadBatch(model: model, count: 4)
        try Self.fill(&batch, 0, distinct: false)
        let expected = batch.scores(at: Self.asOf)
        #expect(expected.fit == [17, 7, 0, 2])
        let (symbols, members) = (batch.localSymbols.count, batch.setMembers.count)
        for k in 0..<1000 { try Self.fill(&batch, k, distinct: false) }
        #expect(batch.localSymbols.count == symbols)
        #expect(batch.setMembers.count == members)
        #expect(batch.scores(at: Self.asOf) == expected)

        for k in 0..<1000 { try Self.fill(&batch, k, distinct: true) }
        #expect(batch.localSymbols.count <= LeadBatch.localSymbolSlack + 16)
        #expect(batch.localMasks.count == batch.localSymbols.count * model.compiled.predicates.maskWords)
        #expect(batch.setMembers.count == members)
        var fresh = try LeadBatch(model: model, count: 4)
        try Self.fill(&fresh, 999, distinct: true)
        #expect(batch.scores(at: Self.asOf) == fresh.scores(at: Self.asOf))
        #expect(batch.results(at: Self.asOf) == fresh.results(at: Self.asOf))
    }

    /// Past the most symbols a batch numbers, a column or a lead is refused
    /// with a clear error and the batch is left as it was; never a trap.
    @Test func tooManyDistinctStringsAreALimitError() throws {
        let model = try Model(json: Self.refillModelJSON)
        var batch = try LeadBatch(model: model, count: 4)
        try Self.fill(&batch, 0, distinct: true)
        let expected = batch.results(at: Self.asOf)
        batch.maxSymbols = model.compiled.predicates.symbolKeys.count + batch.localSymbols.count + 1
        let dictionary = (0..<10).map { "new \($0)" }
        do {
            try batch.setStrings("industry", dictionary: dictionary, ids: [0, 1, 2, -1])
            Issue.record("expected a limit error")
        } catch {
            #expect(error.isLimit)
            #expect(error.message.contains("industry"))
            #expect(error.message.contains("distinct strings"))
        }
        #expect(batch.results(at: Self.asOf) == expected)
        #expect(throws: LeadError.self) {
            try batch.append(Lead(id: "x", attributes: ["industry": "a", "role": "b", "tags": ["c", "d"]]))
        }
        #expect(batch.count == 4)
        // Replacing a column frees its strings: the same number of new ones fits.
        try batch.setStrings("industry", dictionary: ["Software", "other"], ids: [0, 1, -1, 1])
        #expect(batch.results(at: Self.asOf).map(\.fit) == expected.map(\.fit))
    }
}
