extension Scorer {
    /// Scores lead `lead` and writes its SPEC §7 document as pickle opcodes
    /// (protocol 4): the objects Python's `json.loads` makes of the text
    /// ``writeResult(lead:to:)`` writes — dicts, lists, str, int where the text
    /// has an integer, float (the same double) elsewhere, True, False, None —
    /// in the same order. Keys and the model's names are memoised at fixed
    /// indices (``ResultPickleNames``), so that a Python host loads one str
    /// object for each, however many results name it.
    mutating func writePickledResult(lead: Int, names: ResultPickleNames, memo: inout ResultPickleMemo,
                                     to w: inout ByteWriter) {
        let (fit, behavior) = score(lead: lead)
        let model = evaluator.model
        memo.openResult(&w)
        w.byte(0x28)  // MARK
        memo.name(ResultPickleNames.id, names, &w)
        Self.pickleString(Array(evaluator.leadID.utf8), &w)
        memo.name(ResultPickleNames.fit, names, &w)
        Self.pickleNumber(fit, &w)
        memo.name(ResultPickleNames.behavior, names, &w)
        Self.pickleNumber(behavior, &w)
        memo.name(ResultPickleNames.total, names, &w)
        Self.pickleNumber(evaluator.total, &w)
        memo.name(ResultPickleNames.grade, names, &w)
        let grade = Int(model.scoring.grades.index(fit))
        if grade >= 0 { memo.name(names.grades + grade, names, &w) } else { w.byte(0x4E) }
        memo.name(ResultPickleNames.criteria, names, &w)
        w.byte(0x7D)
        let criteria = model.resultText.criteria.count
        if criteria > 0 {
            w.byte(0x28)
            for i in 0..<criteria {
                memo.name(names.criteria + i, names, &w)
                w.byte(evaluator.criterion(i) ? 0x88 : 0x89)  // NEWTRUE / NEWFALSE
            }
            w.byte(0x75)  // SETITEMS
        }
        memo.name(ResultPickleNames.disqualifiedBy, names, &w)
        w.byte(0x5D)  // EMPTY_LIST
        var open = false
        for i in 0..<model.resultText.disqualifiers.count where evaluator.holds(model.disqualifierRoots[i]) {
            if !open {
                w.byte(0x28)
                open = true
            }
            memo.name(names.disqualifiers + i, names, &w)
        }
        if open { w.byte(0x65) }  // APPENDS
        memo.name(ResultPickleNames.contributions, names, &w)
        w.byte(0x5D)
        open = false
        for r in 0..<model.resultText.fitRules.count where fitHit(r) {
            if !open {
                w.byte(0x28)
                open = true
            }
            w.byte(0x7D)
            w.byte(0x28)
            memo.name(ResultPickleNames.rule, names, &w)
            memo.name(names.fitRules + r, names, &w)
            memo.name(ResultPickleNames.points, names, &w)
            names.fitPoints[r].write(&w)
            w.byte(0x75)
        }
        var groupsHit = false
        for r in 0..<model.resultText.behaviorRules.count where ruleHits(r) > 0 {
            if !open {
                w.byte(0x28)
                open = true
            }
            w.byte(0x7D)
            w.byte(0x28)
            memo.name(ResultPickleNames.rule, names, &w)
            memo.name(names.behaviorRules + r, names, &w)
            memo.name(ResultPickleNames.points, names, &w)
            Self.pickleNumber(cappedTotal(r), &w)
            w.byte(0x75)
            if group(ofRule: r) >= 0 { groupsHit = true }
        }
        if open { w.byte(0x65) }
        memo.name(ResultPickleNames.lacking, names, &w)
        w.byte(0x7D)
        open = false
        let flat = model.resultText.flatUnmet
        for i in 0..<criteria where !evaluator.criterion(i) {
            if !open {
                w.byte(0x28)
                open = true
            }
            memo.name(names.criteria + i, names, &w)
            w.byte(0x5D)
            var parts = false
            pickleUnmet(Int(flat.roots[i]), flat.steps.buffer, flat.links.buffer, names, &memo, &parts, &w)
            if parts { w.byte(0x65) }
        }
        if open { w.byte(0x75) }
        memo.name(ResultPickleNames.groups, names, &w)
        w.byte(0x5D)
        if groupsHit {
            open = false
            for g in 0..<model.resultText.groups.count where groupContributes(g) {
                if !open {
                    w.byte(0x28)
                    open = true
                }
                w.byte(0x7D)
                w.byte(0x28)
                memo.name(ResultPickleNames.group, names, &w)
                memo.name(names.groups + g, names, &w)
                memo.name(ResultPickleNames.points, names, &w)
                Self.pickleNumber(groupTotal(g), &w)
                w.byte(0x75)
            }
            if open { w.byte(0x65) }
        }
        memo.name(ResultPickleNames.engagement, names, &w)
        let level = Int(model.scoring.engagement.index(behavior))
        if level >= 0 { memo.name(names.engagement + level, names, &w) } else { w.byte(0x4E) }
        memo.name(ResultPickleNames.priority, names, &w)
        if grade >= 0 && level >= 0 {
            Self.pickleString(names.text[names.grades + grade] + names.text[names.engagement + level], &w)
        } else {
            w.byte(0x4E)
        }
        w.byte(0x75)
    }

    /// Writes what flat step `k` lacks, as `writeUnmet` does (list items, a MARK before the first).
    private mutating func pickleUnmet(
        _ k: Int, _ steps: UnsafeBufferPointer<FlatLackingStep>, _ links: UnsafeBufferPointer<Int32>,
        _ names: ResultPickleNames, _ memo: inout ResultPickleMemo, _ open: inout Bool, _ w: inout ByteWriter
    ) {
        let step = steps[k]
        if evaluator.holds(step.node) { return }
        switch step.kind {
        case .all:
            for j in Int(step.first)..<Int(step.first &+ step.count) {
                pickleUnmet(Int(links[j]), steps, links, names, &memo, &open, &w)
            }
        case .criterion:
            pickleUnmet(Int(step.first), steps, links, names, &memo, &open, &w)
        case .part:
            if !open {
                w.byte(0x28)
                open = true
            }
            memo.name(names.descriptions + Int(step.first), names, &w)
        }
    }

    /// A str of UTF-8 bytes, not memoised.
    static func pickleString(_ utf8: [UInt8], _ w: inout ByteWriter) {
        if utf8.count < 256 {
            w.byte(0x8C)  // SHORT_BINUNICODE
            w.byte(UInt8(utf8.count))
        } else {
            w.byte(0x58)  // BINUNICODE
            ResultPickleNumber.littleEndian(UInt32(truncatingIfNeeded: utf8.count), &w)
        }
        w.raw(utf8)
    }

    /// ``ByteWriter/number(_:)``'s text as `json.loads` reads it: None for a
    /// non-finite value (`null`), an int for zero and integers below 2^53, else
    /// the float.
    static func pickleNumber(_ x: Double, _ w: inout ByteWriter) {
        ResultPickleNumber(x).write(&w)
    }
}

/// A number as `json.loads` reads the library's text of it.
struct ResultPickleNumber: Sendable {
    private enum Form: Sendable {
        case none
        case integer(Int64)
        case float(Double)
    }

    private let form: Form

    /// As ``ByteWriter/number(_:)`` writes `x`.
    init(_ x: Double) {
        if !x.isFinite {
            form = .none
        } else if x == 0 {
            form = .integer(0)
        } else if x.magnitude < 9_007_199_254_740_992.0, Double(Int64(x)) == x {
            form = .integer(Int64(x))
        } else {
            form = .float(x)
        }
    }

    /// As `json.loads` reads JSON number `text` (an integer, or a float).
    init?(text: [UInt8]) {
        guard let string = String(validating: text, as: UTF8.self) else { return nil }
        if text.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let value = Double(string) else { return nil }
            form = .float(value)
        } else if string == "null" {
            form = .none
        } else {
            guard let value = Int64(string) else { return nil }
            form = .integer(value)
        }
    }

    func write(_ w: inout ByteWriter) {
        switch form {
        case .none: w.byte(0x4E)
        case .integer(let v):
            if v >= 0 && v < 256 {
                w.byte(0x4B)  // BININT1
                w.byte(UInt8(v))
            } else if v >= 0 && v < 65536 {
                w.byte(0x4D)  // BININT2
                w.byte(UInt8(v & 0xFF))
                w.byte(UInt8(v >> 8))
            } else if let v32 = Int32(exactly: v) {
                w.byte(0x4A)  // BININT
                Self.littleEndian(UInt32(bitPattern: v32), &w)
            } else {
                w.byte(0x8A)  // LONG1, 8 bytes
                w.byte(8)
                var bits = UInt64(bitPattern: v)
                for _ in 0..<8 {
                    w.byte(UInt8(truncatingIfNeeded: bits))
                    bits >>= 8
                }
            }
        case .float(let x):
            w.byte(0x47)  // BINFLOAT, big-endian
            var bits = x.bitPattern
            var bytes = [UInt8](repeating: 0, count: 8)
            for k in (0..<8).reversed() {
                bytes[k] = UInt8(truncatingIfNeeded: bits)
                bits >>= 8
            }
            w.raw(bytes)
        }
    }

    static func littleEndian(_ v: UInt32, _ w: inout ByteWriter) {
        w.byte(UInt8(truncatingIfNeeded: v))
        w.byte(UInt8(truncatingIfNeeded: v >> 8))
        w.byte(UInt8(truncatingIfNeeded: v >> 16))
        w.byte(UInt8(truncatingIfNeeded: v >> 24))
    }
}

/// Every string a pickled result names, unescaped, at a fixed memo index:
/// the keys first, then the model's names in ``ResultText``'s groups, then
/// the descriptions `lacking` lists (``ResultText/flatUnmet``'s, in order).
struct ResultPickleNames: Sendable {
    static let keys = [
        "id", "fit", "behavior", "total", "grade", "criteria", "disqualified_by", "contributions", "rule", "points",
        "lacking", "groups", "group", "engagement", "priority",
    ]
    static let id = 0, fit = 1, behavior = 2, total = 3, grade = 4, criteria = 5, disqualifiedBy = 6
    static let contributions = 7, rule = 8, points = 9, lacking = 10, groups = 11, group = 12
    static let engagement = 13, priority = 14

    /// UTF-8 of name k (memo index k).
    let text: [[UInt8]]
    let fitRules: Int
    let behaviorRules: Int
    let groups: Int
    let criteria: Int
    let disqualifiers: Int
    let grades: Int
    let engagement: Int
    let descriptions: Int
    let fitPoints: [ResultPickleNumber]

    /// nil when some text does not read back (not reached: the library wrote it).
    init?(_ resultText: ResultText) {
        var text = Self.keys.map { Array($0.utf8) }
        var starts: [Int] = []
        for group in [resultText.fitRules, resultText.behaviorRules, resultText.groups, resultText.criteria,
                      resultText.disqualifiers, resultText.grades, resultText.engagement,
                      resultText.flatUnmet.descriptions] {
            starts.append(text.count)
            for escaped in group {
                guard let plain = Self.unescaped(escaped) else { return nil }
                text.append(plain)
            }
        }
        (fitRules, behaviorRules, groups, criteria) = (starts[0], starts[1], starts[2], starts[3])
        (disqualifiers, grades, engagement, descriptions) = (starts[4], starts[5], starts[6], starts[7])
        var points: [ResultPickleNumber] = []
        for p in resultText.fitPoints {
            guard let number = ResultPickleNumber(text: p) else { return nil }
            points.append(number)
        }
        fitPoints = points
        self.text = text
    }

    /// JSON string contents (as ``ResultText`` escapes them) back to UTF-8.
    static func unescaped(_ escaped: [UInt8]) -> [UInt8]? {
        guard escaped.contains(UInt8(ascii: "\\")) else { return escaped }
        var out: [UInt8] = []
        var k = 0
        while k < escaped.count {
            let c = escaped[k]
            k += 1
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                continue
            }
            guard k < escaped.count else { return nil }
            let e = escaped[k]
            k += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                // The writer escapes only control characters this way.
                guard k + 4 <= escaped.count,
                    let v = UInt8(String(decoding: escaped[k..<k + 4], as: UTF8.self), radix: 16), v < 0x20
                else { return nil }
                out.append(v)
                k += 4
            default: return nil
            }
        }
        return out
    }
}

/// Which names a run of pickled results has already put in the memo, and
/// the class each result is made as (nil: a `dict`), memoised after the names.
struct ResultPickleMemo {
    private var put: [Bool]
    private let resultClass: ResultPickleClass?
    private var classPut = false

    init(_ names: ResultPickleNames, resultClass: ResultPickleClass? = nil) {
        put = Array(repeating: false, count: names.text.count)
        self.resultClass = resultClass
    }

    /// Forgets every name (a new run of results, whose memo starts afresh).
    mutating func reset() {
        for k in put.indices { put[k] = false }
        classPut = false
    }

    /// Pushes a result's empty dict: `EMPTY_DICT`, or the class (a memo
    /// reference once it is in the memo, else `STACK_GLOBAL` and a put at
    /// the index after the names) called with no arguments (`NEWOBJ`).
    mutating func openResult(_ w: inout ByteWriter) {
        guard let resultClass else {
            w.byte(0x7D)  // EMPTY_DICT
            return
        }
        let k = put.count
        if classPut {
            Self.get(k, &w)
        } else {
            classPut = true
            Scorer.pickleString(resultClass.module, &w)
            Scorer.pickleString(resultClass.name, &w)
            w.byte(0x93)  // STACK_GLOBAL
            Self.put(k, &w)
        }
        w.byte(0x29)  // EMPTY_TUPLE
        w.byte(0x81)  // NEWOBJ
    }

    private static func get(_ k: Int, _ w: inout ByteWriter) {
        if k < 256 {
            w.byte(0x68)  // BINGET
            w.byte(UInt8(k))
        } else {
            w.byte(0x6A)  // LONG_BINGET
            ResultPickleNumber.littleEndian(UInt32(k), &w)
        }
    }

    private static func put(_ k: Int, _ w: inout ByteWriter) {
        if k < 256 {
            w.byte(0x71)  // BINPUT
            w.byte(UInt8(k))
        } else {
            w.byte(0x72)  // LONG_BINPUT
            ResultPickleNumber.littleEndian(UInt32(k), &w)
        }
    }

    /// Writes name k: a memo reference once it is in the memo, else the str and a PUT.
    mutating func name(_ k: Int, _ names: ResultPickleNames, _ w: inout ByteWriter) {
        if put[k] {
            Self.get(k, &w)
            return
        }
        put[k] = true
        Scorer.pickleString(names.text[k], &w)
        Self.put(k, &w)
    }
}
