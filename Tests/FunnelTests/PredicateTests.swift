import Testing

@testable import Funnel

private let declarations: [AttributeDeclaration] = [
    AttributeDeclaration("industry", .string), AttributeDeclaration("employees", .number),
    AttributeDeclaration("decision_maker", .bool), AttributeDeclaration("tags", .strings),
    AttributeDeclaration("city", .string), AttributeDeclaration("budget", .number),
]

/// Whether `predicate`, as the model's only criterion, holds for a lead with `attributes`.
private func holds(_ predicate: Predicate, _ attributes: [String: LeadValue]) throws -> Bool {
    let model = try Model(ModelDefinition(attributes: declarations, criteria: [Criterion("p", predicate)]))
    let result = try model.score(Lead(id: "x", attributes: attributes), at: 0)
    return try #require(result.holds("p") as Bool?)
}

/// Whether the JSON `predicate` holds for the JSON lead `attributes` object.
private func holds(json predicate: String, lead attributes: String) throws -> Bool {
    let model = try Model(
        json: """
            {"format": "funnel.model/1",
             "attributes": {"industry": "string", "employees": "number", "decision_maker": "bool",
                            "tags": "strings", "city": "string", "budget": "number"},
             "criteria": {"p": \(predicate)}}
            """)
    let lead = try Lead(json: #"{"id": "x", "attributes": \#(attributes)}"#)
    let result = try model.score(lead, at: 0)
    return try #require(result.holds("p") as Bool?)
}

/// One behaviour rule (`event: "e"`, 1 point, no decay) with `if`; how many of
/// the events, each with one property set, match it.
private func matchingEvents(
    _ test: Predicate, _ values: [LeadValue?], attributes: [String: LeadValue] = [:]
) throws -> Int {
    let model = try Model(
        ModelDefinition(
            attributes: declarations,
            scoring: Scoring(behavior: [BehaviorRule("r", event: "e", if: test, points: 1)])))
    let events = values.enumerated().map { i, value in
        Event("e", at: Double(i), properties: value.map { ["v": $0] } ?? [:])
    }
    let result = try model.score(Lead(id: "x", attributes: attributes, events: events), at: 1000)
    #expect(result.behavior == Double(result.contributions.first?.events ?? 0))
    return result.contributions.first?.events ?? 0
}

@Suite("Predicates (SPEC §3)")
struct PredicateTests {
    // MARK: Strings

    @Test func stringOperators() throws {
        let lead: [String: LeadValue] = ["industry": "Software"]
        let cases: [(Predicate, Bool)] = [
            (.attr("industry", .equals("software")), true),
            (.attr("industry", .equals("soft")), false),
            (.attr("industry", .notEquals("software")), false),
            (.attr("industry", .notEquals("fintech")), true),
            (.attr("industry", .isIn(["fintech", "SOFTWARE"])), true),
            (.attr("industry", .isIn(["fintech", "retail"])), false),
            (.attr("industry", .isIn([])), false),
            (.attr("industry", .notIn(["fintech", "retail"])), true),
            (.attr("industry", .notIn(["software"])), false),
            (.attr("industry", .notIn([])), true),
            (.attr("industry", .contains("twa")), true),
            (.attr("industry", .contains("WARE")), true),
            (.attr("industry", .contains("software")), true),
            (.attr("industry", .contains("softwares")), false),
            (.attr("industry", .contains("hardware")), false),
            (.attr("industry", .exists(true)), true),
            (.attr("industry", .exists(false)), false),
        ]
        for (predicate, expected) in cases {
            #expect(try holds(predicate, lead) == expected, "\(predicate)")
        }
    }

    // MARK: Numbers

    @Test func numberOperators() throws {
        let lead: [String: LeadValue] = ["employees": 120]
        let cases: [(Predicate, Bool)] = [
            (.attr("employees", .equals(120)), true),
            (.attr("employees", .equals(120.5)), false),
            (.attr("employees", .notEquals(120)), false),
            (.attr("employees", .notEquals(121)), true),
            (.attr("employees", .isIn([1, 120, 5000])), true),
            (.attr("employees", .isIn([1, 5000])), false),
            (.attr("employees", .notIn([1, 5000])), true),
            (.attr("employees", .notIn([120])), false),
            (.attr("employees", .greaterThan(119.999)), true),
            (.attr("employees", .greaterThan(120)), false),
            (.attr("employees", .atLeast(120)), true),
            (.attr("employees", .atLeast(120.001)), false),
            (.attr("employees", .lessThan(120.001)), true),
            (.attr("employees", .lessThan(120)), false),
            (.attr("employees", .atMost(120)), true),
            (.attr("employees", .atMost(119.999)), false),
            (.attr("employees", .exists(true)), true),
            (.attr("employees", .exists(false)), false),
        ]
        for (predicate, expected) in cases {
            #expect(try holds(predicate, lead) == expected, "\(predicate)")
        }
    }

    @Test(arguments: [
        (49.999, false), (50.0, true), (50.0001, true), (2500.0, true), (4999.99, true), (5000.0, true),
        (5000.001, false), (-50.0, false),
    ])
    func betweenIsInclusive(_ employees: Double, _ expected: Bool) throws {
        #expect(try holds(.attr("employees", .between(50, 5000)), ["employees": .number(employees)]) == expected)
    }

    @Test func betweenWithEqualBounds() throws {
        #expect(try holds(.attr("employees", .between(7, 7)), ["employees": 7]))
        #expect(try !holds(.attr("employees", .between(7, 7)), ["employees": 7.000001]))
    }

    @Test func negativeAndFractionalNumbers() throws {
        #expect(try holds(.attr("budget", .lessThan(0)), ["budget": -0.5]))
        #expect(try holds(.attr("budget", .equals(0)), ["budget": .number(-0.0)]))
        #expect(try holds(.attr("budget", .isIn([0.1, 0.2])), ["budget": 0.2]))
    }

    // MARK: Bools

    @Test func boolOperators() throws {
        let yes: [String: LeadValue] = ["decision_maker": true]
        let no: [String: LeadValue] = ["decision_maker": false]
        #expect(try holds(.attr("decision_maker", .equals(true)), yes))
        #expect(try !holds(.attr("decision_maker", .equals(true)), no))
        #expect(try holds(.attr("decision_maker", .equals(false)), no))
        #expect(try !holds(.attr("decision_maker", .notEquals(true)), yes))
        #expect(try holds(.attr("decision_maker", .notEquals(true)), no))
        #expect(try holds(.attr("decision_maker", .isIn([false])), no))
        #expect(try !holds(.attr("decision_maker", .isIn([false])), yes))
        #expect(try holds(.attr("decision_maker", .isIn([true, false])), yes))
        #expect(try !holds(.attr("decision_maker", .notIn([true, false])), no))
        #expect(try holds(.attr("decision_maker", .notIn([false])), yes))
        #expect(try !holds(.attr("decision_maker", .isIn([])), yes))
        #expect(try holds(.attr("decision_maker", .notIn([])), no))
        #expect(try holds(.attr("decision_maker", .exists(true)), no))
    }

    // MARK: Sets of strings

    @Test func stringsOperators() throws {
        let lead: [String: LeadValue] = ["tags": ["Webinar", " Competitor ", "b2b"]]
        let cases: [(Predicate, Bool)] = [
            (.attr("tags", .contains("competitor")), true),
            (.attr("tags", .contains("WEBINAR")), true),
            // Membership, not substring.
            (.attr("tags", .contains("web")), false),
            (.attr("tags", .contains("b2c")), false),
            (.attr("tags", .anyOf(["x", "B2B"])), true),
            (.attr("tags", .anyOf(["x", "y"])), false),
            (.attr("tags", .anyOf([])), false),
            (.attr("tags", .exists(true)), true),
            (.attr("tags", .exists(false)), false),
        ]
        for (predicate, expected) in cases {
            #expect(try holds(predicate, lead) == expected, "\(predicate)")
        }
    }

    @Test func emptySetIsPresentButHasNoMembers() throws {
        let lead: [String: LeadValue] = ["tags": []]
        #expect(try holds(.attr("tags", .exists(true)), lead))
        #expect(try !holds(.attr("tags", .contains("")), lead))
        #expect(try !holds(.attr("tags", .anyOf(["a"])), lead))
    }

    // MARK: Missing attributes

    static let everyOperator: [Predicate] = [
        .attr("industry", .equals("software")), .attr("industry", .notEquals("software")),
        .attr("industry", .isIn(["software"])), .attr("industry", .notIn(["software"])),
        .attr("industry", .contains("")), .attr("industry", .contains("soft")),
        .attr("employees", .equals(1)), .attr("employees", .notEquals(1)), .attr("employees", .isIn([1])),
        .attr("employees", .notIn([1])), .attr("employees", .greaterThan(0)), .attr("employees", .atLeast(0)),
        .attr("employees", .lessThan(0)), .attr("employees", .atMost(0)),
        .attr("employees", .between(-1e300, 1e300)),
        .attr("decision_maker", .equals(true)), .attr("decision_maker", .notEquals(true)),
        .attr("decision_maker", .isIn([true, false])), .attr("decision_maker", .notIn([true])),
        .attr("tags", .contains("a")), .attr("tags", .anyOf(["a"])),
        .attr("industry", .exists(true)), .attr("employees", .exists(true)),
        .attr("decision_maker", .exists(true)), .attr("tags", .exists(true)),
    ]

    @Test(arguments: everyOperator)
    func absentAttributeMakesEveryOperatorFalse(_ predicate: Predicate) throws {
        #expect(try !holds(predicate, [:]))
        #expect(try holds(.not(predicate), [:]))
    }

    @Test(arguments: everyOperator)
    func nullAttributeMakesEveryOperatorFalse(_ predicate: Predicate) throws {
        let nulls: [String: LeadValue] = ["industry": nil, "employees": nil, "decision_maker": nil, "tags": nil]
        #expect(try !holds(predicate, nulls))
        #expect(try holds(.not(predicate), nulls))
    }

    @Test func existsFalseHoldsForMissingAttributes() throws {
        for name in ["industry", "employees", "decision_maker", "tags"] {
            #expect(try holds(.attr(name, .exists(false)), [:]), "\(name) absent")
            #expect(try holds(.attr(name, .exists(false)), [name: nil]), "\(name) null")
            #expect(try !holds(.not(.attr(name, .exists(false))), [name: nil]), "\(name) null, negated")
        }
    }

    @Test func jsonNullIsMissing() throws {
        #expect(try holds(json: #"{"attr": "industry", "exists": false}"#, lead: #"{"industry": null}"#))
        #expect(try !holds(json: #"{"attr": "industry", "ne": "x"}"#, lead: #"{"industry": null}"#))
        #expect(try !holds(json: #"{"attr": "employees", "not_in": [1]}"#, lead: #"{"employees": null}"#))
        #expect(try holds(json: #"{"not": {"attr": "employees", "gt": 0}}"#, lead: #"{"employees": null}"#))
        #expect(try !holds(json: #"{"attr": "tags", "exists": true}"#, lead: #"{"tags": null}"#))
    }

    // MARK: Combinators

    @Test func allAnyNot() throws {
        let lead: [String: LeadValue] = ["industry": "software", "employees": 10]
        let yes = Predicate.attr("industry", .equals("software"))
        let no = Predicate.attr("employees", .greaterThan(100))
        #expect(try holds(.all([]), lead))
        #expect(try !holds(.any([]), lead))
        #expect(try holds(.not(.any([])), lead))
        #expect(try !holds(.not(.all([])), lead))
        #expect(try holds(.all([yes, yes]), lead))
        #expect(try !holds(.all([yes, no]), lead))
        #expect(try holds(.any([no, yes]), lead))
        #expect(try !holds(.any([no, no]), lead))
        #expect(try holds(.not(no), lead))
        #expect(try !holds(.not(yes), lead))
        #expect(try holds(.not(.not(yes)), lead))
        #expect(try holds(.any([.all([no]), .all([yes, .not(no)])]), lead))
    }

    @Test func combinatorsFromJSON() throws {
        let lead = #"{"industry": "Fintech", "employees": 80}"#
        #expect(try holds(json: #"{"all": []}"#, lead: lead))
        #expect(try !holds(json: #"{"any": []}"#, lead: lead))
        #expect(try holds(json: #"{"any": [{"attr": "employees", "gt": 100}, {"attr": "industry", "eq": "fintech"}]}"#, lead: lead))
        #expect(try !holds(json: #"{"all": [{"attr": "employees", "gt": 100}, {"attr": "industry", "eq": "fintech"}]}"#, lead: lead))
        #expect(try holds(json: #"{"not": {"attr": "employees", "gt": 100}}"#, lead: lead))
    }

    @Test func criterionReferences() throws {
        let model = try Model(
            json: """
                {"format": "funnel.model/1",
                 "attributes": {"employees": "number", "budget": "number"},
                 "criteria": {
                   "big": {"attr": "employees", "gte": 500},
                   "rich": {"attr": "budget", "gte": 10000},
                   "target": {"all": [{"criterion": "big"}, {"criterion": "rich"}]},
                   "either": {"any": [{"criterion": "big"}, {"criterion": "rich"}]},
                   "small": {"not": {"criterion": "big"}}}}
                """)
        func criteria(_ attributes: [String: LeadValue]) throws -> [Bool] {
            try model.score(Lead(id: "x", attributes: attributes), at: 0).criteria.map(\.holds)
        }
        #expect(try criteria(["employees": 1000, "budget": 50000]) == [true, true, true, true, false])
        #expect(try criteria(["employees": 1000, "budget": 5000]) == [true, false, false, true, false])
        #expect(try criteria(["employees": 10]) == [false, false, false, false, true])
        #expect(try criteria([:]) == [false, false, false, false, true])
    }

    // MARK: String comparison

    @Test func surroundingWhiteSpaceAndCaseAreIgnored() throws {
        #expect(try holds(.attr("industry", .equals("software")), ["industry": " Software "]))
        #expect(try holds(.attr("industry", .equals(" SOFTWARE\t")), ["industry": "software"]))
        #expect(try holds(.attr("industry", .equals("software")), ["industry": "\n\tsoftware \r\n"]))
        #expect(try holds(.attr("industry", .equals("software")), ["industry": "\u{00A0}Software\u{2003}"]))
        // Inner white space counts.
        #expect(try !holds(.attr("industry", .equals("software")), ["industry": "soft ware"]))
        #expect(try !holds(.attr("industry", .equals("soft  ware")), ["industry": "soft ware"]))
    }

    @Test func nonASCIICaseIsIgnored() throws {
        #expect(try holds(.attr("industry", .equals("Compañía")), ["industry": "COMPAÑÍA"]))
        #expect(try holds(.attr("industry", .equals("COMPAÑÍA")), ["industry": " compañía "]))
        #expect(try holds(.attr("city", .isIn(["ZÜRICH", "Genève"])), ["city": "zürich"]))
        #expect(try holds(.attr("city", .equals("ΑΘΉΝΑ")), ["city": "αθήνα"]))
        #expect(try !holds(.attr("industry", .equals("compania")), ["industry": "Compañía"]))
    }

    @Test func nfcAndNFDAreEqual() throws {
        let decomposed = "Cafe\u{301}"  // e + combining acute
        let composed = "Caf\u{E9}"  // é
        #expect(Array(decomposed.utf8) != Array(composed.utf8))
        #expect(try holds(.attr("industry", .equals(.string(composed))), ["industry": .string(decomposed)]))
        #expect(try holds(.attr("industry", .equals(.string(decomposed))), ["industry": .string(composed)]))
        #expect(try holds(.attr("industry", .equals("CAF\u{C9}")), ["industry": .string(decomposed)]))
        #expect(try holds(.attr("tags", .contains(composed)), ["tags": .strings([decomposed])]))
        #expect(try holds(.attr("industry", .contains("e\u{301}")), ["industry": "caf\u{E9} society"]))
        #expect(try holds(.attr("industry", .isIn(["e\u{301}"])), ["industry": "\u{C9}"]))
    }

    @Test func nfcAndNFDFromJSON() throws {
        #expect(try holds(json: #"{"attr": "industry", "eq": "e\u0301"}"#, lead: #"{"industry": "\u00c9"}"#))
    }

    @Test func turkishDottedCapitalI() throws {
        // Default (not Turkish) lower-casing: İ (U+0130) becomes i + U+0307.
        #expect(try holds(.attr("city", .equals("i\u{307}stanbul")), ["city": "\u{130}STANBUL"]))
        #expect(try holds(.attr("city", .equals("\u{130}stanbul")), ["city": "i\u{307}stanbul"]))
        #expect(try holds(.attr("city", .equals("\u{130}STANBUL")), ["city": "\u{130}stanbul"]))
        #expect(try !holds(.attr("city", .equals("istanbul")), ["city": "\u{130}stanbul"]))
        // Plain ASCII I lowers to plain i.
        #expect(try holds(.attr("city", .equals("istanbul")), ["city": "ISTANBUL"]))
        // Dotless ı is its own letter.
        #expect(try !holds(.attr("city", .equals("\u{131}stanbul")), ["city": "istanbul"]))
    }

    @Test func germanSharpS() throws {
        #expect(try holds(.attr("city", .equals("straße")), ["city": "STRAßE"]))
        // Capital sharp s (U+1E9E) lowers to ß.
        #expect(try holds(.attr("city", .equals("stra\u{1E9E}e")), ["city": "straße"]))
        // Lower-casing is not case folding: SS stays ss.
        #expect(try !holds(.attr("city", .equals("straße")), ["city": "STRASSE"]))
        #expect(try holds(.attr("city", .equals("strasse")), ["city": "STRASSE"]))
    }

    @Test func compatibilitySignsCompareByTheirNFCAndLowerCase() throws {
        // KELVIN SIGN lowers to k; ANGSTROM SIGN is Å under NFC.
        #expect(try holds(.attr("city", .equals("kelvin")), ["city": "\u{212A}ELVIN"]))
        #expect(try holds(.attr("city", .equals("\u{E5}rhus")), ["city": "\u{212B}RHUS"]))
    }

    @Test func greekFinalSigma() throws {
        // The default lower-case mapping (Unicode §3.13, SpecialCasing Final_Sigma) lowers a
        // word-final capital sigma to ς, so the capitalised word equals its lower-case spelling.
        #expect(try holds(.attr("city", .equals("\u{3B1}\u{3B8}\u{3AE}\u{3BD}\u{3B1}")), ["city": "ΑΘΉΝΑ"]))
        #expect(try holds(.attr("city", .equals("οδός")), ["city": "ΟΔΌΣ"]))
        #expect(try holds(.attr("tags", .contains("κόσμος")), ["tags": ["ΚΌΣΜΟΣ"]]))
    }

    @Test func stringComparisonAppliesToEveryStringOperator() throws {
        let lead: [String: LeadValue] = ["industry": "  FinTech  ", "tags": ["  ÉVÉNEMENT "]]
        #expect(try holds(.attr("industry", .equals("fintech")), lead))
        #expect(try !holds(.attr("industry", .notEquals("FINTECH")), lead))
        #expect(try holds(.attr("industry", .isIn(["software", "fintech"])), lead))
        #expect(try !holds(.attr("industry", .notIn(["fintech"])), lead))
        #expect(try holds(.attr("industry", .contains("TECH")), lead))
        #expect(try holds(.attr("tags", .contains("e\u{301}ve\u{301}nement")), lead))
        #expect(try holds(.attr("tags", .anyOf(["x", "Événement"])), lead))
    }

    // MARK: Event properties

    @Test func propNumberComparisons() throws {
        let values: [LeadValue?] = [25, 20, 19.99, "25", true, ["25"], nil, .null]
        #expect(try matchingEvents(.prop("v", .atLeast(20)), values) == 2)
        #expect(try matchingEvents(.prop("v", .greaterThan(20)), values) == 1)
        #expect(try matchingEvents(.prop("v", .lessThan(20)), values) == 1)
        #expect(try matchingEvents(.prop("v", .between(19, 21)), values) == 2)
        #expect(try matchingEvents(.prop("v", .equals(25)), values) == 1)
        // `ne` on a value of another type does not fit, so it is false.
        #expect(try matchingEvents(.prop("v", .notEquals(25)), values) == 2)
    }

    @Test func propStringComparisons() throws {
        let values: [LeadValue?] = [" Booked ", "BOOKED", "cancelled", 1, false, ["booked"], nil]
        #expect(try matchingEvents(.prop("v", .equals("booked")), values) == 2)
        #expect(try matchingEvents(.prop("v", .notEquals("booked")), values) == 1)
        #expect(try matchingEvents(.prop("v", .isIn(["cancelled", "booked"])), values) == 3)
        #expect(try matchingEvents(.prop("v", .notIn(["booked"])), values) == 1)
        // Substring of a string value; a set of strings needs a whole member.
        #expect(try matchingEvents(.prop("v", .contains("OOK")), values) == 2)
        #expect(try matchingEvents(.prop("v", .contains("BOOKED")), values) == 3)
    }

    @Test func propSetsAndMixedConstants() throws {
        let values: [LeadValue?] = [["Pricing", "docs"], ["blog"], "pricing page", 3, nil]
        #expect(try matchingEvents(.prop("v", .contains("pricing")), values) == 2)
        #expect(try matchingEvents(.prop("v", .anyOf(["DOCS", "x"])), values) == 1)
        #expect(try matchingEvents(.prop("v", .anyOf(["pricing page"])), values) == 0)
        #expect(try matchingEvents(.prop("v", .isIn([3, "BLOG", "pricing page"])), values) == 2)
        #expect(try matchingEvents(.prop("v", .isIn([true])), [true, false, 1, "true"]) == 1)
        #expect(try matchingEvents(.prop("v", .equals(false)), [true, false, 0, "false"]) == 1)
    }

    @Test func propExists() throws {
        let values: [LeadValue?] = [1, "x", nil, .null, false]
        #expect(try matchingEvents(.prop("v", .exists(true)), values) == 3)
        #expect(try matchingEvents(.prop("v", .exists(false)), values) == 2)
        #expect(try matchingEvents(.not(.prop("v", .exists(true))), values) == 2)
        #expect(try matchingEvents(.not(.prop("v", .atLeast(0))), [5, -1, "5", nil]) == 3)
    }

    @Test func attrInsideABehaviourRuleReadsTheLead() throws {
        let test = Predicate.all([.prop("v", .atLeast(20)), .attr("industry", .equals("software"))])
        #expect(try matchingEvents(test, [25, 30, 5], attributes: ["industry": "Software"]) == 2)
        #expect(try matchingEvents(test, [25, 30, 5], attributes: ["industry": "retail"]) == 0)
        #expect(try matchingEvents(test, [25, 30, 5]) == 0)
    }

    @Test func propFromJSONEvents() throws {
        let model = try Model(
            json: """
                {"format": "funnel.model/1",
                 "scoring": {"behavior": [
                   {"id": "long-call", "event": "call.completed", "if": {"prop": "minutes", "gte": 20}, "points": 5}]}}
                """)
        let lead = try Lead(
            json: """
                {"id": "L", "events": [
                  {"type": "call.completed", "at": 0, "props": {"minutes": 25}},
                  {"type": "call.completed", "at": 0, "props": {"minutes": "25"}},
                  {"type": "call.completed", "at": 0, "props": {"minutes": 19}},
                  {"type": "call.completed", "at": 0, "props": {"minutes": null}},
                  {"type": "call.completed", "at": 0, "props": {"minutes": {"value": 30}}},
                  {"type": "call.completed", "at": 0},
                  {"type": "call.completed", "at": 0, "props": {"minutes": 90}}]}
                """)
        let result = try model.score(lead, at: 10)
        #expect(result.behavior == 10)
        #expect(result.contributions == [Contribution(rule: "long-call", kind: .behavior, points: 10, events: 2)])
    }

    // MARK: Scores

    @Test func scorePredicatesInCriteriaAndDisqualifiers() throws {
        let model = try Model(
            json: """
                {"format": "funnel.model/1",
                 "attributes": {"industry": "string"},
                 "criteria": {"hot": {"score": "total", "gte": 12}, "fit-only": {"score": "fit", "eq": 10},
                              "active": {"score": "behavior", "gt": 0}},
                 "scoring": {"fit": [{"id": "f", "if": {"attr": "industry", "eq": "software"}, "points": 10}],
                             "behavior": [{"id": "b", "event": "e", "points": 1}, {"id": "bad", "event": "x", "points": -5}]},
                 "disqualify": [{"id": "negative", "if": {"score": "behavior", "lt": 0}},
                                {"id": "low", "if": {"score": "total", "between": [-100, 5]}}]}
                """)
        func result(_ industry: String, _ events: [String]) throws -> ScoreResult {
            try model.score(
                Lead(id: "x", attributes: ["industry": .string(industry)], events: events.map { Event($0, at: 0) }),
                at: 0)
        }
        let a = try result("software", ["e", "e", "e"])
        #expect(a.total == 13)
        #expect(a.criteria.map(\.holds) == [true, true, true])
        #expect(a.disqualifiedBy == [])
        let b = try result("software", ["e"])
        #expect(b.criteria.map(\.holds) == [false, true, true])
        let c = try result("retail", ["x"])
        #expect(c.total == -5)
        #expect(c.criteria.map(\.holds) == [false, false, false])
        #expect(c.disqualifiedBy == ["negative", "low"])
        let d = try result("retail", ["e", "e"])
        #expect(d.disqualifiedBy == ["low"])
    }

    // MARK: Descriptions

    @Test func predicateDescriptions() {
        #expect(Predicate.attr("budget", .atLeast(10000)).description == "budget >= 10000")
        #expect(Predicate.attr("industry", .isIn(["software", "fintech"])).description
            == #"industry in ["software", "fintech"]"#)
        #expect(Predicate.attr("decision_maker", .equals(true)).description == "decision_maker = true")
        #expect(Predicate.attr("need", .exists(true)).description == "need exists")
        #expect(Predicate.attr("need", .exists(false)).description == "need is absent")
        #expect(Predicate.attr("employees", .between(50, 5000)).description == "employees between 50 and 5000")
        #expect(Predicate.prop("minutes", .greaterThan(2.5)).description == "event.minutes > 2.5")
        #expect(Predicate.score(.total, .atMost(40)).description == "score.total <= 40")
        #expect(Predicate.criterion("bant").description == "criterion bant")
        #expect(Predicate.all([]).description == "true")
        #expect(Predicate.any([]).description == "false")
        #expect(Predicate.not(.attr("tags", .contains("x"))).description == #"not tags contains "x""#)
    }
}
