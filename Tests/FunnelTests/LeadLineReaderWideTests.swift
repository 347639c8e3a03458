import Testing

@testable import Funnel

/// The JSON Lines fast reader on wide documents: objects with many keys it
/// does not know, and models with more than 64 attributes or event
/// properties. It must read them itself (no cliff to the reference path)
/// and still refuse every repeated key, in any object, as the reference
/// parser does (same line, same message).
@Suite struct LeadLineReaderWideTests {
    typealias Base = LeadLineReaderTests

    static func baseModel() throws -> Model {
        try Model(
                json: #"""
                    {"format": "funnel.model/1", "name": "t",
                     "attributes": {"industry": "string", "employees": "number", "dm": "bool", "tags": "strings"},
                     "scoring": {
                       "fit": [{"id": "f", "if": {"attr": "industry", "eq": "software"}, "points": 10},
                               {"id": "e", "if": {"attr": "employees", "gte": 50}, "points": 3},
                               {"id": "g", "if": {"attr": "tags", "contains": "trial"}, "points": 1.5}],
                       "behavior": [{"id": "b", "event": "email.reply", "points": 2, "cap": 9},
                                    {"id": "c", "event": "call", "if": {"prop": "minutes", "gte": 20}, "points": 5}],
                       "half_life_days": 30}}
                    """#)
    }

    /// `"<prefix>0":0,"<prefix>1":1,…` for `count` keys.
    static func members(_ prefix: String, _ count: Int) -> [String] {
        (0..<count).map { #""\#(prefix)\#($0)":\#($0)"# }
    }

    /// Lines whose objects of every kind hold `count` unknown keys: the
    /// lead, its attributes (known ones among them at the start, the middle
    /// and the end), an event, its properties, an object skipped inside
    /// them (keys equal to its parent's: not repeats), and two sibling
    /// events with the same keys.
    static func wideLines(_ count: Int) -> [[UInt8]] {
        let keys = members("x", count)
        let half = count / 2
        let attributes =
            [#""industry":"software""#] + keys[..<half] + [#""employees":120"#] + keys[half...]
            + [#""tags":["trial"]"#, #""dm":true"#]
        let nested = #""nested":{"# + keys.joined(separator: ",") + "}"
        let lines = [
            #"{"id":"a","attributes":{"# + attributes.joined(separator: ",") + "}}",
            #"{"id":"b","# + keys.joined(separator: ",") + #","attributes":{"industry":"software"}}"#,
            #"{"id":"c","events":[{"type":"call","at":1796000000,"# + keys.joined(separator: ",")
                + #","props":{"minutes":25}}]}"#,
            #"{"id":"d","events":[{"type":"call","at":1796000000,"props":{"# + keys.joined(separator: ",")
                + #","minutes":30}}]}"#,
            #"{"id":"e","attributes":{"# + (attributes + [nested]).joined(separator: ",") + "},"
                + #""owner":{"# + (keys + [nested]).joined(separator: ",") + "}}",
            #"{"id":"f","events":["# + [1_795_000_000, 1_796_000_000].map {
                #"{"type":"email.reply","at":\#($0),"# + keys.joined(separator: ",") + "}"
            }.joined(separator: ",") + "]}",
        ]
        return lines.map { Array($0.utf8) }
    }

    @Test(arguments: [65, 200, 2_000])
    func objectsWithManyUnknownKeysReadFast(_ count: Int) throws {
        let model = try Self.baseModel()
        let lines = Self.wideLines(count)
        #expect(Base.fastCount(lines, model) == lines.count, "\(count) keys")
        Base.compareIngest(lines, model, "\(count) keys")
        Base.compareOneLead(lines, model, "\(count) keys")
        Base.compareResults(lines, model, "\(count) keys")
    }

    /// Keys crafted to collide in the (unseeded) key table: past
    /// `LineKeyTable.maxProbes` an insert gives up (the reader then leaves
    /// the line to the reference path, whose dictionaries are seeded), so a
    /// crafted line costs no quadratic time; a repeat is still found.
    @Test func collidingKeysGiveUpAfterMaxProbes() {
        let stamp: UInt64 = 7
        func slot(_ key: [UInt8]) -> UInt32 {
            key.withUnsafeBufferPointer { LineKeyTable.slotHash(LineKeyTable.hash($0.baseAddress!, $0.count), stamp: stamp) } & 255
        }
        // Keys whose first slot in the first table (256 slots) is the same.
        let target = slot(Array("z0".utf8))
        var keys: [[UInt8]] = []
        var k = 0
        while keys.count < LineKeyTable.maxProbes + 10 {
            let key = Array("z\(k)".utf8)
            if slot(key) == target { keys.append(key) }
            k += 1
        }
        let line = keys.joined(separator: [UInt8(ascii: ",")]).map { $0 }
        var starts: [Int] = []
        var at = 0
        for key in keys {
            starts.append(at)
            at += key.count + 1
        }
        var table = LineKeyTable()
        table.startLine(after: stamp - 1)
        line.withUnsafeBufferPointer { p in
            let base = p.baseAddress!
            for (i, key) in keys.enumerated() {
                let inserted = table.insert(base, starts[i], key.count, stamp: stamp)
                #expect(inserted == (i < LineKeyTable.maxProbes), "key \(i)")
            }
            // A repeat of an early key is still found (false), and so is a new object's key (true).
            let repeated = table.insert(base, starts[3], keys[3].count, stamp: stamp)
            let otherObject = table.insert(base, starts[3], keys[3].count, stamp: stamp + 1)
            #expect(!repeated)
            #expect(otherObject)
        }
    }

    /// Many objects of one line with the same unknown keys (events with the
    /// same extra fields): each key is in many objects, and the line is still
    /// read fast.
    @Test func manyObjectsWithTheSameKeysReadFast() throws {
        let model = try Self.baseModel()
        let extra = Self.members("f", 12).joined(separator: ",")
        let events = (0..<300).map { #"{"type":"email.reply","at":\#(1_790_000_000 + $0),"# + extra + "}" }
        let lines = [Array((#"{"id":"m","events":["# + events.joined(separator: ",") + "]}").utf8)]
        #expect(Base.fastCount(lines, model) == 1)
        Base.compareResults(lines, model, "same keys in 300 events")
    }

    /// A line wide enough that the reader lets its key table go before the
    /// next line (past `LineKeyTable.keptSlots`); the lines after, read by
    /// the same reader, are still checked: a repeat refused, the rest read.
    @Test func aVeryWideLineThenOthers() throws {
        let model = try Self.baseModel()
        let keys = Self.members("y", 40_000)
        let wide = #"{"id":"v","attributes":{"# + keys.joined(separator: ",") + "}}"
        let repeated = #"{"id":"r","attributes":{"# + (keys.prefix(300) + [#""y299":1"#]).joined(separator: ",") + "}}"
        let lines = [wide, #"{"id":"s"}"#, wide, repeated, Self.placings(keys.prefix(100).joined(separator: ","))[0]]
            .map { Array($0.utf8) }
        var reader = LeadLineReader(model: model.compiled)
        var arena = LeadLineArena()
        var record = LeadLineRecord()
        let fast = lines.map { line in line.withUnsafeBufferPointer { reader.read($0, into: &record, arena: &arena) } }
        #expect(fast == [true, true, true, false, true])
        Base.compareIngest(lines, model, "very wide")
        Base.compareIngest(lines.filter { $0 != lines[3] }, model, "very wide, no repeat")
    }

    /// Where a repeated key goes, in objects of each kind.
    static func placings(_ body: String) -> [String] {
        [
            #"{"id":"a","attributes":{"industry":"software","# + body + "}}",
            #"{"id":"b","# + body + "}",
            #"{"id":"c","events":[{"type":"call","at":1796000000,"# + body + "}]}",
            #"{"id":"d","events":[{"type":"call","at":1796000000,"props":{"minutes":25,"# + body + "}}]}",
            #"{"id":"e","owner":{"a":1,"# + body + #"},"attributes":{"dm":false}}"#,
            #"{"id":"f","attributes":{"x":[{"# + body + "}]}}",
        ]
    }

    /// The reader scans an object's first 8 unknown keys, then hashes them:
    /// positions on both sides of that switch and of 64 (the old limit).
    @Test(arguments: [1, 8, 9, 64, 65, 1_999])
    func aRepeatedUnknownKeyIsTheReferenceError(_ position: Int) throws {
        let model = try Self.baseModel()
        var keys = Self.members("k", 2_000)
        let repeatLast = keys + [#""k\#(position - 1)":"again""#]
        // The first key again, at `position` (1-based).
        keys.insert(#""k0":"again""#, at: position)
        for (variant, body) in [("last", repeatLast), ("at", keys)] {
            for line in Self.placings(body.joined(separator: ",")) {
                let bytes = [Array(#"{"id":"ok"}"#.utf8), Array(line.utf8)]
                let context = "\(variant) \(position): \(line.prefix(40))"
                #expect(Base.fastCount([bytes[1]], model) == 0, "\(context)")
                let (_, error) = LeadBatch.referenceIngest(
                    lines: bytes, numbers: [1, 2], model: model, threads: 1)
                #expect(error?.line == 2, "\(context)")
                #expect(error?.message.contains("duplicate key") == true, "\(context): \(String(describing: error))")
                Base.compareIngest(bytes, model, context)
                Base.compareOneLead(bytes, model, context)
            }
        }
    }

    /// Objects nested in wide ones, opened at each point of the outer
    /// object's switch from scanning to hashing: a key of the inner object
    /// is new to the outer one, a key of the outer one repeated after the
    /// inner closes is still a repeat.
    @Test(arguments: [0, 7, 8, 9, 20])
    func nestedObjectsKeepTheirOwnKeys(_ before: Int) throws {
        let model = try Self.baseModel()
        let outer = Self.members("k", before + 20)
        let inner = "\"in\":{" + (Self.members("k", 30) + Self.members("n", 30)).joined(separator: ",") + "}"
        let head = Array(outer.prefix(before)) + [inner]
        let tail = Array(outer.dropFirst(before))
        let bodies: [(String, Bool)] = [
            ((head + tail).joined(separator: ","), true),
            ((head + tail + [#""n5":1"#, #""n29":1"#]).joined(separator: ","), true),
            ((head + tail + [#""k3":1"#]).joined(separator: ","), false),
            ((head + tail + [#""k\#(before + 19)":1"#]).joined(separator: ","), false),
            ((head + tail + [#""in":1"#]).joined(separator: ","), false),
        ]
        for (body, fast) in bodies {
            for line in Self.placings(body) {
                let bytes = [Array(line.utf8)]
                let context = "\(before) before: \(line.prefix(60))…\(line.suffix(30))"
                #expect(Base.fastCount(bytes, model) == (fast ? 1 : 0), "\(context)")
                Base.compareIngest(bytes, model, context)
            }
        }
    }

    /// A model with `attributes` attributes (number, string, bool, strings
    /// in turn, each read by a rule) and `properties` event properties read
    /// by a rule on `call`.
    static func wideModel(attributes: Int, properties: Int) throws -> Model {
        var declared: [String] = []
        var fit: [String] = []
        for k in 0..<attributes {
            let (type, test) = [
                ("number", #""gte": 5"#), ("string", #""eq": "v3""#), ("bool", #""eq": true"#),
                ("strings", #""contains": "t1""#),
            ][k % 4]
            declared.append(#""a\#(k)": "\#(type)""#)
            fit.append(#"{"id": "f\#(k)", "if": {"attr": "a\#(k)", \#(test)}, "points": \#(k % 7 + 1)}"#)
        }
        let conditions = (0..<properties).map { #"{"prop": "p\#($0)", "gte": \#($0 % 10)}"# }
        let json = #"""
            {"format": "funnel.model/1", "name": "wide",
             "attributes": {\#(declared.joined(separator: ", "))},
             "scoring": {
               "fit": [\#(fit.joined(separator: ", "))],
               "behavior": [{"id": "c", "event": "call", "if": {"any": [\#(conditions.joined(separator: ", "))]}, "points": 5},
                            {"id": "d", "event": "call", "if": {"all": [\#(conditions.joined(separator: ", "))]}, "points": 7},
                            {"id": "m", "event": "mail", "points": 1}],
               "half_life_days": 30}}
            """#
        return try Model(json: json)
    }

    /// Attribute `k`'s members, with value variant `v`.
    static func attributeMember(_ k: Int, _ v: Int) -> String {
        switch k % 4 {
        case 0: return #""a\#(k)":\#((k + v) % 11)"#
        case 1: return #""a\#(k)":"v\#((k + v) % 5)""#
        case 2: return #""a\#(k)":\#((k + v) % 2 == 0)"#
        default: return #""a\#(k)":["t\#((k + v) % 3)","z"]"#
        }
    }

    /// Leads with every attribute (in order, reversed, some left out or
    /// null) and events whose properties are all given.
    static func wideModelLines(attributes: Int, properties: Int) -> [String] {
        var lines: [String] = []
        for v in 0..<6 {
            var members = (0..<attributes).map { attributeMember($0, v) }
            if v % 2 == 1 { members.reverse() }
            if v == 2 { members = members.enumerated().filter { $0.offset % 3 != 0 }.map(\.element) }
            if v == 4 { members[members.count - 1] = #""a\#(members.count - 1)":null"# }
            let props = (0..<properties).map { #""p\#($0)":\#(($0 + v) % 12)"# }
            let events = [
                #"{"type":"call","at":\#(1_795_000_000 + v * 1000),"props":{\#(props.joined(separator: ","))}}"#,
                #"{"type":"call","at":1796000000,"props":{\#(props.reversed().joined(separator: ",")),"x":1}}"#,
                #"{"type":"mail","at":1796000000}"#,
            ]
            lines.append(
                #"{"id":"w\#(v)","attributes":{\#(members.joined(separator: ","))},"events":[\#(events.joined(separator: ","))]}"#
            )
        }
        return lines
    }

    @Test(arguments: [(70, 70), (130, 70), (130, 10), (10, 70)])
    func modelsWithManyNamesReadFast(_ attributes: Int, _ properties: Int) throws {
        let model = try Self.wideModel(attributes: attributes, properties: properties)
        #expect(model.compiled.lineTables.enabled)
        #expect(model.compiled.lineTables.attributeNames.count == attributes)
        #expect(model.compiled.lineTables.propertyNames.count == properties)
        let lines = Self.wideModelLines(attributes: attributes, properties: properties).map { Array($0.utf8) }
        let context = "\(attributes) attributes, \(properties) properties"
        #expect(Base.fastCount(lines, model) == lines.count, "\(context)")
        Base.compareIngest(lines, model, context)
        Base.compareOneLead(lines, model, context)
        Base.compareResults(lines, model, context)
    }

    @Test(arguments: [(70, 70), (130, 70)])
    func aRepeatedAttributeOrPropertyIsTheReferenceError(_ attributes: Int, _ properties: Int) throws {
        let model = try Self.wideModel(attributes: attributes, properties: properties)
        let members = (0..<attributes).map { Self.attributeMember($0, 0) }
        let props = (0..<properties).map { #""p\#($0)":\#($0 % 12)"# }
        var lines: [(String, String)] = []
        for k in [0, 63, 64, attributes - 1] {
            // Repeated at the end, and right after the first.
            var atEnd = members
            atEnd.append(Self.attributeMember(k, 1))
            var next = members
            next.insert(Self.attributeMember(k, 0), at: k + 1)
            for body in [atEnd, next] {
                lines.append(("attribute \(k)", #"{"id":"r","attributes":{\#(body.joined(separator: ","))}}"#))
            }
        }
        for k in [0, 63, 64, properties - 1] {
            var atEnd = props
            atEnd.append(#""p\#(k)":3"#)
            var next = props
            next.insert(#""p\#(k)":null"#, at: k + 1)
            for body in [atEnd, next] {
                lines.append(
                    (
                        "property \(k)",
                        #"{"id":"r","events":[{"type":"mail","at":1},{"type":"call","at":1796000000,"props":{\#(body.joined(separator: ","))}}]}"#
                    ))
            }
        }
        let good = Array(Self.wideModelLines(attributes: attributes, properties: properties)[0].utf8)
        for (what, line) in lines {
            let bytes = [good, Array(line.utf8)]
            let context = "\(attributes)/\(properties): \(what)"
            #expect(Base.fastCount([bytes[0]], model) == 1, "\(context)")
            #expect(Base.fastCount([bytes[1]], model) == 0, "\(context)")
            let (_, error) = LeadBatch.referenceIngest(lines: bytes, numbers: [1, 2], model: model, threads: 1)
            #expect(error?.line == 2, "\(context)")
            #expect(error?.message.contains("duplicate key") == true, "\(context): \(String(describing: error))")
            Base.compareIngest(bytes, model, context)
            Base.compareOneLead(bytes, model, context)
        }
    }
}
