#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

@testable import Funnel
import FunnelTestSupport

/// Hostile documents for `Model(json:)`, `Model(jsonBytes:)`, `Lead(json:)` and
/// `LeadBatch`, each with its expected outcome. After every failure the same,
/// already loaded `Model` must still score a normal lead exactly as before.
@Suite("Hostile inputs")
struct HostileInputTests {
    static let asOf = SpecFixtures.asOf
    static let model: Model = try! SpecFixtures.model()
    /// "Within a few seconds" holds for an optimised build; a debug build on a
    /// shared 2-core machine, with the other suites running beside it, gets more.
    #if DEBUG
    static let sizeLimit: Duration = .seconds(90)
    #else
    static let sizeLimit: Duration = .seconds(5)
    #endif

    /// A normal lead: fit 15 + 10, one reply one half-life old (2 → 1).
    static let normalLead = Lead(
        id: "OK", attributes: ["industry": "Software", "employees": 120, "tags": ["webinar"]],
        events: [Event("email.reply", at: asOf - 30 * day)])

    /// The shared model still scores the normal lead correctly.
    static func checkHealthy(_ model: Model = model, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let r = try model.score(normalLead, at: asOf)
            #expect(r.fit == 25, sourceLocation: sourceLocation)
            #expect(abs(r.behavior - 1) < 1e-12, sourceLocation: sourceLocation)
            #expect(abs(r.total - 26) < 1e-12, sourceLocation: sourceLocation)
            #expect(r.grade == "A", sourceLocation: sourceLocation)
            #expect(r.contributions.map(\.rule) == ["target-industry", "mid-market", "reply"], sourceLocation: sourceLocation)
            let batch = try LeadBatch(model: model, leads: [normalLead])
            #expect(batch.scores(at: asOf).total == [r.total], sourceLocation: sourceLocation)
            #expect(try model.advance(normalLead, at: asOf).stage == "profiled", sourceLocation: sourceLocation)
        } catch {
            Issue.record("the model no longer scores a normal lead: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// The faults of loading `text`, as `path: message` lines; empty when it loads.
    static func modelFaults(_ text: String) -> [String] {
        do {
            _ = try Model(json: text)
            return []
        } catch {
            return error.faults.map(\.description)
        }
    }

    static func modelFaults(bytes: [UInt8]) -> [String] {
        do {
            _ = try Model(jsonBytes: bytes)
            return []
        } catch {
            return error.faults.map(\.description)
        }
    }

    /// A model document with the SPEC attributes and `body` after them.
    static func document(_ body: String) -> String {
        #"{"format": "funnel.model/1", "attributes": \#(SpecFixtures.attributesJSON)"# + (body.isEmpty ? "" : ", " + body) + "}"
    }

    static func leadError(_ text: String) -> LeadError? {
        do {
            _ = try Lead(json: text)
            return nil
        } catch {
            return error
        }
    }

    static func leadError(bytes: [UInt8]) -> LeadError? {
        bytes.withUnsafeBytes { raw -> LeadError? in
            do throws(LeadError) {
                _ = try Lead(jsonBytes: raw)
                return nil
            } catch {
                return error
            }
        }
    }

    /// The error scoring `lead` (a document) with the shared model, at parse or at scoring time.
    static func scoreError(_ text: String) -> String? {
        do {
            let lead = try Lead(json: text)
            _ = try model.score(lead, at: asOf)
            return nil
        } catch {
            return "\(error)"
        }
    }

    // MARK: - Model documents: malformed JSON

    struct MalformedCase: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var expected: String
        var testDescription: String { name }
        init(_ name: String, _ text: String, _ expected: String) {
            self.name = name
            bytes = Array(text.utf8)
            self.expected = expected
        }
        init(_ name: String, bytes: [UInt8], _ expected: String) {
            self.name = name
            self.bytes = bytes
            self.expected = expected
        }
    }

    static let prefix = Array(#"{"format": "funnel.model/1", "name": ""#.utf8)
    static let suffix = Array(#""}"#.utf8)
    static func named(_ bytes: [UInt8]) -> [UInt8] { prefix + bytes + suffix }

    static let malformedModels: [MalformedCase] = [
        MalformedCase("empty", "", "unexpected end of input"),
        MalformedCase("white space only", " \n\t\r  ", "unexpected end of input"),
        MalformedCase("truncated in a string", #"{"format": "funnel.model/1", "attributes": {"a": "str"#, "unexpected end of input"),
        MalformedCase("truncated after a comma", #"{"format": "funnel.model/1", "attributes": {"a": "string"},"#, "unexpected end of input"),
        MalformedCase("truncated number", #"{"format": "funnel.model/1", "scoring": {"half_life_days": 3"#, "unexpected end of input"),
        MalformedCase("100,000 nested arrays", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), "nesting deeper than"),
        MalformedCase(
            "100,000 nested predicates",
            document(#""criteria": {"c": "# + String(repeating: #"{"not": "#, count: 100_000) + #"{"attr": "budget", "gt": 1}"#
                + String(repeating: "}", count: 100_000) + "}"),
            "nesting deeper than"),
        MalformedCase("1e999", document(#""scoring": {"half_life_days": 1e999}"#), "number out of range"),
        MalformedCase("-1e999", document(#""scoring": {"behavior_limits": {"min": -1e999}}"#), "number out of range"),
        MalformedCase("NaN", document(#""scoring": {"half_life_days": NaN}"#), "malformed JSON"),
        MalformedCase("Infinity", document(#""scoring": {"window_days": Infinity}"#), "malformed JSON"),
        MalformedCase("-Infinity", document(#""scoring": {"behavior_limits": {"min": -Infinity}}"#), "malformed JSON"),
        MalformedCase("duplicate top-level key", #"{"format": "funnel.model/1", "format": "funnel.model/1"}"#, #"duplicate key "format""#),
        MalformedCase("duplicate attribute", #"{"format": "funnel.model/1", "attributes": {"a": "string", "a": "number"}}"#, #"duplicate key "a""#),
        MalformedCase("duplicate criterion", document(#""criteria": {"c": {"all": []}, "c": {"any": []}}"#), #"duplicate key "c""#),
        MalformedCase("raw NUL in a string", bytes: named([0x61, 0x00, 0x62]), "control character in string"),
        MalformedCase("raw NUL between tokens", bytes: Array(#"{"format": "funnel.model/1""#.utf8) + [0x00] + [0x7D], "malformed JSON"),
        MalformedCase("lone continuation byte", bytes: named([0x61, 0x80]), "invalid UTF-8"),
        MalformedCase("overlong encoding", bytes: named([0xC0, 0xAF]), "invalid UTF-8"),
        MalformedCase("encoded surrogate", bytes: named([0xED, 0xA0, 0x80]), "invalid UTF-8"),
        MalformedCase("beyond U+10FFFF", bytes: named([0xF4, 0x90, 0x80, 0x80]), "invalid UTF-8"),
        MalformedCase("0xFF byte", bytes: named([0xFF]), "invalid UTF-8"),
        MalformedCase("truncated sequence", bytes: named([0xE2, 0x82]), "invalid UTF-8"),
        MalformedCase("invalid UTF-8 outside strings", bytes: Array(#"{"format": "funnel.model/1"}"#.utf8) + [0xC3], "invalid UTF-8"),
        MalformedCase("lone high surrogate escape", document(#""name": "\uD800""#), #"invalid \u escape"#),
        MalformedCase("lone low surrogate escape", document(#""name": "\uDC00x""#), #"invalid \u escape"#),
    ]

    @Test(arguments: malformedModels)
    func malformedModelDocument(_ c: MalformedCase) {
        let found = Self.modelFaults(bytes: c.bytes)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("malformed JSON") == true, "\(found)")
        #expect(found.first?.contains(c.expected) == true, "expected “\(c.expected)” in \(found)")
        // The String entry point says the same when the bytes are valid UTF-8.
        if let text = String(validating: c.bytes, as: UTF8.self) {
            #expect(Self.modelFaults(text) == found)
        }
        Self.checkHealthy()
    }

    @Test(arguments: [
        ("[]", "expected an object, found an array"),
        (#""funnel.model/1""#, "expected an object, found a string"),
        ("42", "expected an object, found a number"),
        ("-0", "expected an object, found a number"),
        ("null", "expected an object, found null"),
        ("true", "expected an object, found a boolean"),
    ])
    func modelOfTheWrongTopLevelType(_ text: String, _ expected: String) {
        #expect(Self.modelFaults(text) == [expected])
        #expect(Self.modelFaults(bytes: Array(text.utf8)) == [expected])
        Self.checkHealthy()
    }

    @Test func negativeZeroIsZero() throws {
        let m = try Model(json: Self.document("""
            "scoring": {"fit": [{"id": "z", "if": {"attr": "employees", "between": [-0, 0]}, "points": -0}],
                        "grades": [{"grade": "Z", "min": -0}]}
            """))
        let fit = try #require(m.definition.scoring.fit.first)
        #expect(fit.points == 0)
        let r = try m.score(Lead(id: "z", attributes: ["employees": 0]), at: Self.asOf)
        #expect(r.fit == 0)
        #expect(r.contributions.map(\.rule) == ["z"])
        #expect(r.grade == "Z")
        // -0 as a lead value is 0 too.
        let lead = try Lead(json: #"{"id": "n", "attributes": {"employees": -0}}"#)
        #expect(lead.attributes["employees"] == .number(0))
        #expect(try m.score(lead, at: Self.asOf).contributions.map(\.rule) == ["z"])
        // A half-life of -0 is not > 0.
        #expect(Self.modelFaults(Self.document(#""scoring": {"half_life_days": -0}"#)) == [
            "scoring.half_life_days: expected a finite number > 0"
        ])
    }

    @Test func escapedNULIsOrdinaryText() throws {
        let m = try Model(json: Self.document(#""name": "a\u0000b", "criteria": {"nul": {"attr": "industry", "eq": "soft\u0000ware"}}"#))
        #expect(m.name == "a\u{0}b")
        let r = try m.score(Lead(id: "x", attributes: ["industry": "SOFT\u{0}WARE"]), at: Self.asOf)
        #expect(r.holds("nul") == true)
        let other = try m.score(Lead(id: "y", attributes: ["industry": "software"]), at: Self.asOf)
        #expect(other.holds("nul") == false)
    }

    // MARK: - Model documents: SPEC §2 faults not covered by ModelLoadingTests

    @Test(arguments: [
        (#""scoring": {"behavior": [{"id": "b", "event": "", "points": 1}]}"#, "scoring.behavior[0].event: expected a non-empty string"),
        (#""scoring": {"grades": [{"grade": "", "min": 1}]}"#, "scoring.grades[0].grade: expected a non-empty string"),
        (#""scoring": {"behavior_limits": [0, 1]}"#, "scoring.behavior_limits: expected an object, found an array"),
        (#""criteria": {"c": {}}"#, "criteria.c: expected a predicate, found an empty object"),
        (#""criteria": {"c": {"eq": 1}}"#, "criteria.c.eq: operator without attr, prop, score or result"),
        (#""criteria": {"c": {"attr": "budget"}}"#, "criteria.c: missing operator"),
        (#""criteria": {"c": {"attr": "budget", "gt": 1, "lt": 5}}"#, "criteria.c: expected exactly one operator"),
        (#""criteria": {"c": {"all": [], "any": []}}"#, "criteria.c: a predicate has exactly one of"),
        (#""criteria": {"c": {"criterion": ""}}"#, "criteria.c.criterion: expected a non-empty string"),
        (#""criteria": {"c": {"attr": "", "exists": true}}"#, "criteria.c.attr: expected a non-empty string"),
        (#""criteria": {"c": {"attr": "budget", "in": 5}}"#, "criteria.c.in: expected an array, found a number"),
        (#""criteria": {"c": {"attr": "industry", "contains": 5}}"#, "criteria.c.contains: expected a string, found a number"),
        (#""criteria": {"c": {"attr": "tags", "any_of": ["a", 1]}}"#, "criteria.c.any_of[1]: expected a string, found a number"),
        (#""criteria": {"c": {"attr": "budget", "between": [1, "x"]}}"#, "criteria.c.between[1]: expected a number, found a string"),
        (#""criteria": {"c": {"attr": "budget", "in": [1, null]}}"#, "criteria.c.in[1]: expected a string, number or boolean, found null"),
        (#""criteria": {"c": {"score": 1, "gt": 1}}"#, "criteria.c.score: expected a string, found a number"),
        (#""scoring": {"behavior": [{"id": "b", "event": "e", "points": 1, "if": {"prop": "", "exists": true}}]}"#, "scoring.behavior[0].if.prop: expected a non-empty string"),
        (#""stages": {"initial": "a", "list": [{"id": "a", "label": 5}]}"#, "stages.list[0].label: expected a string, found a number"),
        (#""stages": {"initial": "*", "list": [{"id": "*"}]}"#, "stages.list[0].id: \"*\" is reserved"),
        (#""stages": {"initial": "a", "list": []}"#, "stages.list: expected at least one stage"),
        (#""stages": {"initial": "a", "list": [{"id": "a"}], "transitions": [{"from": [], "to": "a"}]}"#, "stages.transitions[0].from: expected at least one stage"),
        (#""stages": {"initial": "a", "list": [{"id": "a"}], "transitions": [{"from": "a", "to": []}]}"#, "stages.transitions[0].to: expected at least one stage"),
        (#""stages": {"initial": "a", "list": [{"id": "a"}, {"id": "b"}], "transitions": [{"from": "a", "to": "b", "reasons": []}]}"#, "stages.transitions[0].reasons: expected at least one reason"),
        (#""stages": {"initial": "a", "list": [{"id": "a"}, {"id": "b"}], "transitions": [{"from": "a", "to": "b", "reasons": ["x", ""]}]}"#, "stages.transitions[0].reasons[1]: expected a non-empty string"),
        (#""stages": {"initial": "a", "list": [{"id": "a"}, {"id": "b"}], "transitions": [{"from": "a", "to": "b", "reasons": "x"}]}"#, "stages.transitions[0].reasons: expected an array"),
        (#""stages": {"initial": "a", "list": [{"id": "a", "requires": true}]}"#, "stages.list[0].requires: expected a predicate object, found a boolean"),
        (#""stages": {"initial": "a", "list": [{"id": ""}]}"#, "stages.list[0].id: expected a non-empty string"),
    ])
    func uncoveredModelFault(_ body: String, _ expected: String) {
        let found = Self.modelFaults(Self.document(body))
        #expect(!found.isEmpty, "loaded: \(body)")
        #expect(found.contains { $0.contains(expected) }, "expected “\(expected)” among \(found)")
        Self.checkHealthy()
    }

    @Test func emptyAttributeName() {
        let found = Self.modelFaults(#"{"format": "funnel.model/1", "attributes": {"": "string"}}"#)
        #expect(found.count == 1)
        #expect(found.first?.contains("an attribute name must be non-empty") == true, "\(found)")
        Self.checkHealthy()
    }

    @Test func emptyByteBuffers() {
        #expect(Self.modelFaults(bytes: []).first?.contains("unexpected end of input") == true)
        let error = Self.leadError(bytes: [])
        #expect(error?.path == "")
        #expect(error?.message.contains("unexpected end of input") == true)
        let (batch, lineError) = LeadBatch.ingest(lines: [], numbers: [], model: Self.model, threads: 2)
        #expect(batch.count == 0)
        #expect(lineError == nil)
        #expect(batch.scores(at: Self.asOf, threads: 2).total.isEmpty)
        Self.checkHealthy()
    }

    /// JSON cannot nest deeper than the parser allows, but a Swift-built
    /// predicate can: it must be a load error, not a stack overflow later.
    @Test func deepPredicatesFromTheSwiftAPI() {
        var deep: Predicate = .attr("budget", .atLeast(1))
        for _ in 0..<2_000 { deep = .not(deep) }
        var chain: [Criterion] = [Criterion("c0", .attr("budget", .atLeast(1)))]
        for i in 1..<600 { chain.append(Criterion("c\(i)", .all([.criterion("c\(i - 1)")]))) }
        let definition = ModelDefinition(
            attributes: [AttributeDeclaration("budget", .number)], criteria: chain,
            scoring: Scoring(fit: [FitRule("deep", if: deep, points: 1), FitRule("chain", if: .criterion("c599"), points: 1)]))
        do {
            _ = try Model(definition)
            Issue.record("a predicate nested 2,000 deep loaded")
        } catch {
            let found = error.faults.map(\.description)
            #expect(found.contains { $0.hasPrefix("scoring.fit[0].if: nests deeper than") }, "\(found.prefix(5))")
            #expect(found.contains { $0.contains("nests deeper than") && $0.hasPrefix("criteria.c") }, "\(found.prefix(5))")
        }
        Self.checkHealthy()
    }

    @Test func duplicateNamesFromTheSwiftAPI() {
        let definition = ModelDefinition(
            attributes: [AttributeDeclaration("a", .number), AttributeDeclaration("a", .string)],
            criteria: [Criterion("c", .all([])), Criterion("c", .any([]))],
            stages: Stages(initial: "s", list: [Stage("s"), Stage("s")], transitions: []))
        do {
            _ = try Model(definition)
            Issue.record("a definition with duplicate names loaded")
        } catch {
            let found = error.faults.map(\.description)
            #expect(found.contains(#"attributes.a: attribute "a" is declared twice"#), "\(found)")
            #expect(found.contains(#"criteria.c: criterion "c" is defined twice"#), "\(found)")
            #expect(found.contains(#"stages.list[1].id: duplicate stage id "s""#), "\(found)")
        }
        Self.checkHealthy()
    }

    // MARK: - Lead documents

    @Test(arguments: [
        ("", "", "unexpected end of input"),
        ("   \n ", "", "unexpected end of input"),
        (#"{"id": "a", "events": [{"type": "x", "at": 1"#, "", "unexpected end of input"),
        (#"{"id": "a", "attributes": {"industry": "Soft"#, "", "unexpected end of input"),
        ("[]", "", "expected an object, found an array"),
        (#""L-1""#, "", "expected an object, found a string"),
        ("17", "", "expected an object, found a number"),
        ("null", "", "expected an object, found null"),
        (#"{"id": "a", "attributes": {"employees": 1e999}}"#, "", "number out of range"),
        (#"{"id": "a", "attributes": {"employees": -1e999}}"#, "", "number out of range"),
        (#"{"id": "a", "events": [{"type": "x", "at": NaN}]}"#, "", "malformed JSON"),
        (#"{"id": "a", "events": [{"type": "x", "at": Infinity}]}"#, "", "malformed JSON"),
        (#"{"id": "a", "id": "b"}"#, "", #"duplicate key "id""#),
        (#"{"id": "a", "attributes": {"tags": [], "tags": ["x"]}}"#, "", #"duplicate key "tags""#),
        (#"{"attributes": {}}"#, "id", "required field is missing"),
        (#"{"id": ""}"#, "id", "expected a non-empty string"),
        (#"{"id": 7}"#, "id", "expected a non-empty string"),
        (#"{"id": "a", "attributes": ["industry"]}"#, "attributes", "expected an object, found an array"),
        (#"{"id": "a", "events": {"type": "x"}}"#, "events", "expected an array, found an object"),
        (#"{"id": "a", "events": [1]}"#, "events[0]", "expected an object, found a number"),
        (#"{"id": "a", "events": [{"at": 1}]}"#, "events[0].type", "required field is missing"),
        (#"{"id": "a", "events": [{"type": "", "at": 1}]}"#, "events[0].type", "expected a non-empty string"),
        (#"{"id": "a", "events": [{"type": "x"}]}"#, "events[0].at", "required field is missing"),
        (#"{"id": "a", "events": [{"type": "x", "at": true}]}"#, "events[0].at", "expected RFC 3339 text or seconds"),
        (#"{"id": "a", "events": [{"type": "x", "at": 1, "props": [1]}]}"#, "events[0].props", "expected an object, found an array"),
        (#"{"id": "a", "stage": ""}"#, "stage", "expected a stage id"),
        (#"{"id": "a", "events": [{"type": "x", "at": "2026-11-01T10:00:00"}]}"#, "events[0].at", "expected RFC 3339 date-time with a zone"),
        (#"{"id": "a", "events": [{"type": "x", "at": "2026-13-01T10:00:00Z"}]}"#, "events[0].at", "expected RFC 3339"),
        (#"{"id": "a", "events": [{"type": "x", "at": "2026-02-30T10:00:00Z"}]}"#, "events[0].at", "expected RFC 3339"),
        (#"{"id": "a", "events": [{"type": "x", "at": "2026-02-29T10:00:00Z"}]}"#, "events[0].at", "expected RFC 3339"),
        (#"{"id": "a", "events": [{"type": "x", "at": "2026-11-01T24:00:00Z"}]}"#, "events[0].at", "expected RFC 3339"),
        (#"{"id": "a", "events": [{"type": "x", "at": "2026-11-01T10:60:00Z"}]}"#, "events[0].at", "expected RFC 3339"),
        (#"{"id": "a", "events": [{"type": "x", "at": "2026-11-01T10:00:61Z"}]}"#, "events[0].at", "expected RFC 3339"),
        (#"{"id": "a", "events": [{"type": "x", "at": "2026-11-01T10:00:60Z"}]}"#, "events[0].at", "expected RFC 3339"),
        (#"{"id": "a", "events": [{"type": "x", "at": "2026-11-01"}]}"#, "events[0].at", "expected RFC 3339"),
        (#"{"id": "a", "events": [{"type": "x", "at": "2026-11-01T10:00:00+24:00"}]}"#, "events[0].at", "expected RFC 3339"),
        (#"{"id": "a", "events": [{"type": "x", "at": "2026-11-00T10:00:00Z"}]}"#, "events[0].at", "expected RFC 3339"),
        (#"{"id": "a", "events": [{"type": "x", "at": "2026-11-01T10:00:00.Z"}]}"#, "events[0].at", "expected RFC 3339"),
    ])
    func badLeadDocument(_ text: String, _ path: String, _ expected: String) {
        let error = Self.leadError(text)
        #expect(error?.path == path, "\(String(describing: error))")
        #expect(error?.message.contains(expected) == true, "expected “\(expected)” in \(String(describing: error))")
        Self.checkHealthy()
    }

    @Test func validButUnusualTimes() throws {
        func at(_ text: String) throws -> Double {
            try #require(Lead(json: #"{"id": "t", "events": [{"type": "x", "at": "\#(text)"}]}"#).events.first).at
        }
        #expect(try at("2028-02-29T00:00:00Z") == 1_835_395_200)
        #expect(try at("2026-11-01t10:00:00z") == 1_793_527_200)
        #expect(try at("2026-11-01T12:00:00+02:00") == 1_793_527_200)
        #expect(try at("2016-12-31T23:59:60Z") == 1_483_228_800)
        #expect(try at("2026-11-01T10:00:00.25Z") == 1_793_527_200.25)
    }

    @Test(arguments: [
        ("lone continuation byte", [0x80] as [UInt8]),
        ("overlong NUL", [0xC0, 0x80]),
        ("encoded surrogate", [0xED, 0xB0, 0x80]),
        ("beyond U+10FFFF", [0xF5, 0x80, 0x80, 0x80]),
        ("truncated 4-byte sequence", [0xF0, 0x9F, 0x98]),
        ("0xFE byte", [0xFE]),
    ])
    func invalidUTF8InALead(_ name: String, _ bad: [UInt8]) {
        let bytes = Array(#"{"id": "a", "attributes": {"industry": "x"#.utf8) + bad + Array(#""}}"#.utf8)
        let error = Self.leadError(bytes: bytes)
        #expect(error?.path == "")
        #expect(error?.message.contains("invalid UTF-8") == true, "\(name): \(String(describing: error))")
        // The same line in a JSON Lines batch stops ingestion there, naming the line.
        let lines = [Array(#"{"id": "first"}"#.utf8), bytes, Array(#"{"id": "third"}"#.utf8)]
        let (batch, lineError) = LeadBatch.ingest(lines: lines, numbers: [1, 2, 3], model: Self.model, threads: 1)
        #expect(batch.count == 1)
        #expect(lineError?.line == 2)
        #expect(lineError?.isParseError == true)
        #expect(lineError?.message.contains("invalid UTF-8") == true)
        Self.checkHealthy()
    }

    @Test func rawAndEscapedNULInALead() throws {
        let raw = Array(#"{"id": "a", "attributes": {"industry": "soft"#.utf8) + [0] + Array(#"ware"}}"#.utf8)
        #expect(Self.leadError(bytes: raw)?.message.contains("control character in string") == true)
        let lead = try Lead(json: #"{"id": "a\u0000", "attributes": {"industry": "soft\u0000ware"}}"#)
        #expect(lead.id == "a\u{0}")
        #expect(lead.attributes["industry"] == .string("soft\u{0}ware"))
        let r = try Self.model.score(lead, at: Self.asOf)
        #expect(r.id == "a\u{0}")
        #expect(r.fit == 0)  // "soft\0ware" is not "software"
        #expect(r.json.contains(#""id":"a\u0000""#))
        Self.checkHealthy()
    }

    @Test func deeplyNestedLeadValue() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = Self.leadError(#"{"id": "a", "attributes": {"tags": \#(deep)}}"#)
        #expect(error?.message.contains("nesting deeper than") == true, "\(String(describing: error))")
        Self.checkHealthy()
    }

    @Test func unknownFieldsInALeadAreIgnored() throws {
        let lead = try Lead(json: """
            {"id": "u", "owner": {"name": "maria"}, "attributes": {"industry": "fintech", "employees": 60},
             "events": [{"type": "email.reply", "at": \(Self.asOf), "source": "gmail", "props": {"x": [1, {"y": 2}]}}]}
            """)
        #expect(lead.events.first?.properties["x"] == .other)
        let r = try Self.model.score(lead, at: Self.asOf)
        #expect(r.fit == 25)
        #expect(r.behavior == 2)
        Self.checkHealthy()
    }

    @Test func undeclaredAttributeIsKeptButNeverMatched() throws {
        let lead = try Lead(json: #"{"id": "u", "attributes": {"Industry": "software", "sector": "fintech"}}"#)
        #expect(lead.attributes["Industry"] == .string("software"))
        let r = try Self.model.score(lead, at: Self.asOf)
        #expect(r.fit == 0)
        #expect(r.contributions.isEmpty)
        #expect(r.holds("icp") == false)
        Self.checkHealthy()
    }

    @Test(arguments: [
        (#"{"id": "a", "attributes": {"employees": "many"}}"#, "attributes.employees: expected a finite number, found a string"),
        (#"{"id": "a", "attributes": {"employees": true}}"#, "attributes.employees: expected a finite number, found a boolean"),
        (#"{"id": "a", "attributes": {"decision_maker": "true"}}"#, "attributes.decision_maker: expected a boolean, found a string"),
        (#"{"id": "a", "attributes": {"industry": 5}}"#, "attributes.industry: expected a string, found a number"),
        (#"{"id": "a", "attributes": {"industry": ["software"]}}"#, "attributes.industry: expected a string, found an array of strings"),
        (#"{"id": "a", "attributes": {"tags": "webinar"}}"#, "attributes.tags: expected an array of strings, found a string"),
        (#"{"id": "a", "attributes": {"tags": ["a", 1]}}"#, "attributes.tags: expected an array of strings, found a JSON value of another kind"),
        (#"{"id": "a", "attributes": {"need": {"text": "crm"}}}"#, "attributes.need: expected a string, found a JSON value of another kind"),
        (#"{"id": "a", "stage": "limbo"}"#, #"stage: unknown stage "limbo""#),
    ])
    func misTypedAttributeIsAnErrorThatNamesIt(_ text: String, _ expected: String) throws {
        #expect(Self.scoreError(text) == expected)
        // The batch refuses it too, naming the lead, and stays as it was.
        let lead = try Lead(json: text)
        var batch = try LeadBatch(model: Self.model, leads: [Self.normalLead])
        #expect(throws: LeadError.self) { try batch.append(lead) }
        #expect(batch.count == 1)
        #expect(batch.ids == ["OK"])
        #expect(abs(batch.scores(at: Self.asOf).total[0] - 26) < 1e-12)
        do {
            _ = try LeadBatch(model: Self.model, leads: [Self.normalLead, Self.normalLead, lead])
            Issue.record("a batch accepted \(text)")
        } catch {
            #expect(error.index == 2)
            #expect(error.leadID == "a")
            #expect(error.error.description == expected)
        }
        Self.checkHealthy()
    }

    @Test func missingAndNullAttributesAreAbsent() throws {
        let m = try Model(json: Self.document("""
            "criteria": {"no-need": {"attr": "need", "exists": false}, "ne": {"attr": "industry", "ne": "x"},
                         "not-in": {"attr": "employees", "not_in": [1]}}
            """))
        for text in [#"{"id": "a"}"#, #"{"id": "a", "attributes": {"need": null, "industry": null, "employees": null}}"#, #"{"id": "a", "attributes": null}"#] {
            let r = try m.score(Lead(json: text), at: Self.asOf)
            #expect(r.criteria.map(\.holds) == [true, false, false], "\(text)")
        }
    }

    // MARK: - Times and as_of from the Swift API

    @Test func eventsInTheFutureAreIgnored() throws {
        let lead = Lead(
            id: "f", attributes: ["industry": "software"],
            events: [
                Event("email.reply", at: Self.asOf + 1), Event("email.reply", at: Self.asOf + 1e9),
                Event("meeting.no_show", at: .greatestFiniteMagnitude),
            ])
        let r = try Self.model.score(lead, at: Self.asOf)
        #expect(r.behavior == 0)
        #expect(r.contributions.map(\.rule) == ["target-industry"])
        // One second later the first one counts, undecayed.
        #expect(try Self.model.score(lead, at: Self.asOf + 1).behavior == 2)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, .signalingNaN])
    func nonFiniteEventTimeIsAnError(_ at: Double) throws {
        let lead = Lead(id: "n", events: [Event("email.reply", at: Self.asOf), Event("email.reply", at: at)])
        do {
            _ = try Self.model.score(lead, at: Self.asOf)
            Issue.record("scored a lead with an event at \(at)")
        } catch {
            #expect(error.path == "events[1].at")
            #expect(error.message == "expected a finite time")
        }
        do {
            _ = try Self.model.advance(lead, at: Self.asOf)
            Issue.record("advanced a lead with an event at \(at)")
        } catch {
            guard error.code == .invalidLead, let inner = error.leadError else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(inner.path == "events[1].at")
        }
        var batch = LeadBatch(model: Self.model)
        #expect(throws: LeadError.self) { try batch.append(lead) }
        #expect(batch.count == 0)
        #expect(batch.scores(at: Self.asOf).total.isEmpty)
        Self.checkHealthy()
    }

    @Test(arguments: [Double.nan, -Double.nan])
    func nanAsOfCountsNothing(_ asOf: Double) throws {
        let lead = Lead(
            id: "nan", attributes: ["industry": "software", "employees": 10],
            events: [Event("email.reply", at: Self.asOf), Event("meeting.no_show", at: Self.asOf - 1)])
        let r = try Self.model.score(lead, at: asOf)
        #expect(r.fit == 15)
        #expect(r.behavior == 0)
        #expect(r.total == 15)
        #expect(r.grade == "B")
        #expect(r.contributions.map(\.rule) == ["target-industry"])
        let batch = try LeadBatch(model: Self.model, leads: [lead, Self.normalLead])
        let scores = batch.scores(at: asOf)
        #expect(scores.behavior == [0, 0])
        #expect(scores.fit == [15, 25])
        #expect(batch.results(at: asOf).map(\.behavior) == [0, 0])
        let advanced = try Self.model.advance(lead, at: asOf)
        #expect(advanced.stage == "new")
        #expect(advanced.moves.isEmpty)
        // The half-life model's "far from the reference" path too.
        let far = Lead(id: "far", events: [Event("email.reply", at: 0), Event("email.reply", at: Self.asOf)])
        #expect(try Self.model.score(far, at: asOf).behavior == 0)
        Self.checkHealthy()
    }

    @Test func infiniteAsOf() throws {
        let lead = Lead(id: "inf", events: [Event("email.reply", at: Self.asOf)])
        // +∞: every event is infinitely old, outside the window.
        #expect(try Self.model.score(lead, at: .infinity).behavior == 0)
        // -∞: every event is in the future.
        #expect(try Self.model.score(lead, at: -.infinity).behavior == 0)
        Self.checkHealthy()
    }

    // MARK: - Size

    @Test func fiftyMegabyteStringAttribute() throws {
        let clock = ContinuousClock()
        let big = String(repeating: "abcdefghij", count: 5_000_000) + "Software"
        let text = #"{"id": "big", "attributes": {"industry": ""# + big + #"", "need": "x"}}"#
        let start = clock.now
        let lead = try Lead(json: text)
        let parsed = clock.now - start
        guard case .string(let value)? = lead.attributes["industry"] else {
            Issue.record("the attribute was not read as a string")
            return
        }
        #expect(value.utf8.count == 50_000_008)
        let m = try Model(json: Self.document("""
            "criteria": {"tail": {"attr": "industry", "contains": "jSOFTWARE"},
                         "miss": {"attr": "industry", "contains": "jsoftwarex"}},
            "scoring": {"fit": [{"id": "sw", "if": {"attr": "industry", "eq": "software"}, "points": 1}]}
            """))
        let loaded = clock.now
        let r = try m.score(lead, at: Self.asOf)
        let elapsed = clock.now - start
        print("50 MB attribute: parse \(parsed), score \(clock.now - loaded)")
        #expect(r.fit == 0)
        #expect(r.criteria.map(\.holds) == [true, false])
        #expect(elapsed < Self.sizeLimit, "50 MB attribute took \(elapsed)")
        Self.checkHealthy()
    }

    @Test func oneMillionEvents() throws {
        // One reply a minute for a million minutes before as_of; points 1, half-life 30 days:
        // behaviour = Σ_{k<N} r^k = (1 - r^N) / (1 - r), r = 2^(-60 / (30 × 86400)).
        let m = try Model(json: Self.document("""
            "scoring": {"behavior": [{"id": "reply", "event": "email.reply", "points": 1},
                                     {"id": "all-mail", "event": "email.*", "points": -1, "cap": 1000}],
                        "half_life_days": 30}
            """))
        let n = 1_000_000
        let events = (0..<n).map { Event("email.reply", at: Self.asOf - Double($0) * 60) }
        let lead = Lead(id: "busy", events: events)
        let clock = ContinuousClock()
        let start = clock.now
        let r = try m.score(lead, at: Self.asOf)
        let elapsed = clock.now - start
        let ratio = exp2(-60 / (30 * day))
        let expected = (1 - pow(ratio, Double(n))) / (1 - ratio)
        let reply = try #require(r.contributions.first { $0.rule == "reply" })
        #expect(abs(reply.points - expected) <= 1e-7 * expected, "\(reply.points) vs \(expected)")
        #expect(reply.events == n)
        let capped = try #require(r.contributions.first { $0.rule == "all-mail" })
        #expect(capped.points == -1000)
        #expect(abs(r.behavior - (expected - 1000)) <= 1e-7 * expected)
        #expect(elapsed < Self.sizeLimit, "a million events took \(elapsed)")
        // The same lead in a batch, with as_of moved a day on: everything halves by 2^(-1/30).
        let batch = try LeadBatch(model: m, leads: [lead])
        let later = batch.scores(at: Self.asOf + day, threads: 2)
        #expect(abs(later.behavior[0] - (expected * exp2(-1.0 / 30) - 1000)) <= 1e-7 * expected)
        Self.checkHealthy()
    }
}
