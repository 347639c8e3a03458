/// Reads a lead document (SPEC §6) from one JSON Lines line straight into a
/// ``LeadLineRecord``: no `JSONValue` tree, no `Lead`, no dictionaries.
/// Names and event types are matched as bytes against the model's tables,
/// numbers and RFC 3339 times are parsed in place, the same way the
/// reference path parses them (``JSONNumber``, ``Timestamp``).
///
/// It reads only the shapes leads usually have. Whatever else it meets —
/// an error of any kind, an escape in a string it keeps, a key it cannot
/// compare as bytes, a mixed array among read properties — makes ``read``
/// return false, and the caller takes the reference path (``JSONParser``,
/// `Lead(jsonValue:)`, `LeadBatch.append`) for that line. So every error is
/// the reference path's, with its line and field, by construction; what this
/// reader accepts it must read as the reference path does, which the
/// differential tests check.
struct LeadLineReader {
    private let tables: LeadLineTables
    private let model: CompiledModel
    private var p: UnsafePointer<UInt8>
    private var n = 0
    private var i = 0
    /// The keys of the objects open while reading, for the duplicate check
    /// (the reference parser rejects a repeated key in any object).
    /// Only keys the reader does not know go here: an object's first
    /// ``linearKeys`` from its `keysBase` on, then, once it has more, a
    /// mark (see ``checkUnknownInTable(_:_:_:)``), the rest in
    /// `bigObjectKeys`. Known ones are marked in a bit set per object (the
    /// first 64 names), beyond that in `attributeStamps` and `propertyStamps`.
    private var keyStarts: [Int] = []
    private var keyCounts: [Int] = []
    private var keyTop = 0
    /// The unknown keys of objects with more than ``linearKeys`` of them.
    private var bigObjectKeys = LineKeyTable()
    /// The last stamp given to an object (see ``newStamp()``).
    private var stamps: UInt64 = 0
    /// Per attribute past the 64th, the stamp of the last attributes object
    /// that had it: the same stamp again is a duplicate.
    private var attributeStamps: [UInt64]
    /// Per event property past the 64th, as `attributeStamps`.
    private var propertyStamps: [UInt64]
    /// A comparison key being made (trimmed, lower-cased ASCII).
    private var key: [UInt8] = []
    /// The line's strings that had escapes, decoded, one after another; they
    /// join the arena's `text` when the line is read. A string there has
    /// `start` `-(textBase + offset + 1)` (see ``LeadLineArena/text``).
    private var decoded: [UInt8] = []
    private var textBase = 0
    /// Event types met before, 64 slots by hash, two ways (a string is kept
    /// in its slot or the other of its pair, so that two that hash alike do
    /// not push each other out at every line; see ``eventClass(_:_:)``).
    private var typeCache = [CacheEntry](repeating: CacheEntry(), count: 64)
    /// Strings met before and their symbols, 64 slots by hash, two ways (see ``symbol(_:_:)``).
    private var symbolCache = [CacheEntry](repeating: CacheEntry(), count: 64)
    private var depth = 0

    /// Deeper than this inside ignored values, lines take the reference path.
    private static let maxSkipDepth = 64
    /// An object's unknown keys up to this many are checked by a linear
    /// scan (few keys, the usual case); past it, through `bigObjectKeys`,
    /// so that an object with any number of keys costs O(1) per key.
    private static let linearKeys = 8


    /// Where `p` points before the first line.
    private static let nothing: StaticString = " "

    /// A reason to leave the line to the reference path.
    struct Unusual: Error {}

    init(model: CompiledModel) {
        self.model = model
        self.tables = model.lineTables
        p = Self.nothing.utf8Start  // never read while n == 0
        attributeStamps = [UInt64](repeating: 0, count: Swift.max(0, tables.attributeNames.count - 64))
        propertyStamps = [UInt64](repeating: 0, count: Swift.max(0, tables.propertyNames.count - 64))
        keyStarts.reserveCapacity(32)
        keyCounts.reserveCapacity(32)
        key.reserveCapacity(64)
    }

    /// Reads `line` into `record` and `arena`; false (with the arena as it
    /// was) when the line must take the reference path.
    mutating func read(_ line: UnsafeBufferPointer<UInt8>, into record: inout LeadLineRecord, arena: inout LeadLineArena)
        -> Bool
    {
        guard tables.enabled, let base = line.baseAddress, line.count > 0 else { return false }
        p = base
        n = line.count
        i = 0
        depth = 0
        keyTop = 0
        bigObjectKeys.startLine(after: stamps)
        decoded.removeAll(keepingCapacity: true)
        textBase = arena.text.count
        let marks = (arena.values.count, arena.members.count, arena.events.count)
        do throws(Unusual) {
            try readLead(&record, &arena)
            if !decoded.isEmpty { arena.text.append(contentsOf: decoded) }
            return true
        } catch {
            arena.values.removeSubrange(marks.0...)
            arena.members.removeSubrange(marks.1...)
            arena.events.removeSubrange(marks.2...)
            return false
        }
    }

    // MARK: The lead

    private mutating func readLead(_ record: inout LeadLineRecord, _ arena: inout LeadLineArena) throws(Unusual) {
        skipWhitespace()
        try expect(UInt8(ascii: "{"))
        record = LeadLineRecord()
        record.values = arena.values.count
        for _ in 0..<tables.attributeTypes.count { arena.values.append(LineValue()) }
        record.eventStart = arena.events.count
        var hasID = false
        var seen: UInt64 = 0
        let keysBase = keyTop
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { throw Unusual() }  // no id
        while true {
            let (start, count) = try readKey()
            switch count {
            case 2 where match(start, "id"):
                try mark(0, in: &seen)
                (record.idStart, record.idCount) = try readString()
                if record.idCount == 0 { throw Unusual() }
                hasID = true
            case 10 where match(start, "attributes"):
                try mark(1, in: &seen)
                if try !readNull() {
                    try expect(UInt8(ascii: "{"))
                    try readAttributes(&record, &arena)
                }
            case 6 where match(start, "events"):
                try mark(2, in: &seen)
                if try !readNull() {
                    try expect(UInt8(ascii: "["))
                    try readEvents(&record, &arena)
                }
            case 5 where match(start, "stage"):
                try mark(3, in: &seen)
                if try !readNull() {
                    let (s, c) = try readString()
                    guard c > 0, let stages = model.stages else { throw Unusual() }
                    let name = withBytes(s, c) { String(decoding: $0, as: UTF8.self) }
                    guard let index = stages.index[name] else { throw Unusual() }
                    record.stage = index
                }
            case 7 where match(start, "account"):
                try mark(4, in: &seen)
                if try !readNull() {
                    let (_, c) = try readString()
                    if c == 0 { throw Unusual() }
                }
            case 14 where match(start, "behavior_since"):
                try mark(5, in: &seen)
                if try !readNull() { record.since = try readInstant() }
            default:
                // `owner` among them: the batch never reads it.
                try checkUnknown(keysBase, start, count)
                try skipValue()
            }
            skipWhitespace()
            let c = try next()
            if c == UInt8(ascii: "}") { break }
            if c != UInt8(ascii: ",") { throw Unusual() }
            skipWhitespace()
        }
        keyTop = keysBase
        skipWhitespace()
        guard i == n, hasID else { throw Unusual() }
        record.eventEnd = arena.events.count
    }

    private mutating func readAttributes(_ record: inout LeadLineRecord, _ arena: inout LeadLineArena) throws(Unusual) {
        try readMembers(attributes: true) { reader, index throws(Unusual) in
            let slot = record.values + index
            switch reader.tables.attributeTypes[index] {
            case .number:
                if try !reader.readNull() { arena.values[slot] = LineValue(kind: .number, number: try reader.readNumber()) }
            case .bool:
                if try !reader.readNull() {
                    arena.values[slot] = LineValue(kind: .bool, number: try reader.readBool() ? 1 : 0)
                }
            case .string:
                if try !reader.readNull() {
                    arena.values[slot] = try reader.readText()
                    record.texts += 1
                }
            case .strings:
                if try !reader.readNull() {
                    guard let set = try reader.readStrings(&arena) else { throw Unusual() }
                    arena.values[slot] = set
                    record.members += set.count
                    record.texts += set.count
                }
            }
        }
    }

    /// The members of an object whose names are the model's attributes (or,
    /// `attributes` false, its event properties), the cursor after its `{`
    /// and left after its `}`: each known name's value read by `value` with
    /// the name's index, an unknown name's skipped; a name twice is unusual.
    @inline(__always)
    private mutating func readMembers(
        attributes: Bool, _ value: (inout Self, Int) throws(Unusual) -> Void
    ) throws(Unusual) {
        let keysBase = keyTop
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            i += 1
            return
        }
        var seen: UInt64 = 0
        var stamp: UInt64 = 0  // taken when a name past the 64th is met
        while true {
            let (start, count) = try readKey()
            let names = attributes ? tables.attributeNames : tables.propertyNames
            if let index = names.find(p + start, count) {
                if index < 64 {
                    try mark(index, in: &seen)
                } else {
                    if stamp == 0 { stamp = newStamp() }
                    if attributes {
                        try Self.mark(index - 64, in: &attributeStamps, stamp)
                    } else {
                        try Self.mark(index - 64, in: &propertyStamps, stamp)
                    }
                }
                try value(&self, index)
            } else {
                try checkUnknown(keysBase, start, count)
                try skipValue()
            }
            skipWhitespace()
            let c = try next()
            if c == UInt8(ascii: "}") { break }
            if c != UInt8(ascii: ",") { throw Unusual() }
            skipWhitespace()
        }
        keyTop = keysBase
    }

    private mutating func readEvents(_ record: inout LeadLineRecord, _ arena: inout LeadLineArena) throws(Unusual) {
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            i += 1
            return
        }
        let width = tables.propertyNames.count
        while true {
            try expect(UInt8(ascii: "{"))
            if let plain = try plainEvent() {
                arena.events.append(
                    LineEvent(
                        typeStart: plain.start, typeCount: plain.count, eventClass: eventClass(plain.start, plain.count),
                        at: plain.at, values: -1))
            } else {
                // The event's property values, made when it has `props` (-1: none).
                var values = -1
                var type: (start: Int, count: Int)? = nil
                var at: Double? = nil
                var seen: UInt64 = 0
                let keysBase = keyTop
                skipWhitespace()
                if peek() == UInt8(ascii: "}") { throw Unusual() }  // no type
                while true {
                    // `"type":"` and `"at":` as most documents spell them, in one
                    // compare each; any other spelling through `readKey`.
                    var key = EventKey.other
                    var (start, count) = (0, 0)
                    let word = n - i >= 8 ? UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) : 0
                    if word == Self.typeKeyWord {
                        key = .type
                        i += 7
                    } else if word & 0xFF_FFFF_FFFF == Self.atKeyWord {
                        key = .at
                        i += 5
                        skipWhitespace()
                    } else {
                        (start, count) = try readKey()
                        switch count {
                        case 4 where match(start, "type"): key = .type
                        case 2 where match(start, "at"): key = .at
                        case 5 where match(start, "props"): key = .props
                        default: break
                        }
                    }
                    switch key {
                    case .type:
                        try mark(0, in: &seen)
                        let t = try readString()
                        if t.count == 0 { throw Unusual() }
                        type = t
                    case .at:
                        try mark(1, in: &seen)
                        at = try readInstant()
                    case .props:
                        try mark(2, in: &seen)
                        if try !readNull() {
                            try expect(UInt8(ascii: "{"))
                            values = arena.values.count
                            for _ in 0..<width { arena.values.append(LineValue()) }
                            try readProperties(values, &record, &arena)
                        }
                    case .other:
                        try checkUnknown(keysBase, start, count)
                        try skipValue()
                    }
                    skipWhitespace()
                    let c = try next()
                    if c == UInt8(ascii: "}") { break }
                    if c != UInt8(ascii: ",") { throw Unusual() }
                    skipWhitespace()
                }
                keyTop = keysBase
                guard let type, let at, at.isFinite else { throw Unusual() }
                arena.events.append(
                    LineEvent(
                        typeStart: type.start, typeCount: type.count, eventClass: eventClass(type.start, type.count), at: at,
                        values: values))
            }
            skipWhitespace()
            let c = try next()
            if c == UInt8(ascii: "]") { return }
            if c != UInt8(ascii: ",") { throw Unusual() }
            skipWhitespace()
        }
    }

    /// An event as most documents spell it, `"type":"…","at":` and 1 to 15
    /// digits then `}`, read in one pass with the cursor after its `}`: its
    /// type's place and time (the same double ``readNumber()`` gives such
    /// digits). Any other spelling gives nil, with the cursor where it was,
    /// for the general loop; an error in the type is the general loop's too.
    @inline(__always)
    private mutating func plainEvent() throws(Unusual) -> (start: Int, count: Int, at: Double)? {
        let begin = i
        let decodedCount = decoded.count
        guard n - i >= 8, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) == Self.typeKeyWord else {
            return nil
        }
        i += 7
        let type: (start: Int, count: Int)
        if let plain = plainString() { type = plain } else { type = try readString() }
        guard type.count > 0, n - i >= 8,
            UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0xFFFF_FFFF_FFFF == Self.commaAtKeyWord
        else {
            i = begin
            decoded.removeSubrange(decodedCount...)
            return nil
        }
        let digits = i + 6
        var j = digits
        var mantissa: UInt64 = 0
        if n - j >= 8, let eight = Self.eightDigitsValue(UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)) {
            mantissa = eight
            j += 8
            // Two more digits then `}` (seconds since 1970 of this era): taken at once.
            if n - j >= 3 && isDigit(p[j]) && isDigit(p[j + 1]) && p[j + 2] == UInt8(ascii: "}") {
                mantissa = mantissa &* 100 &+ UInt64(p[j] &- UInt8(ascii: "0")) &* 10 &+ UInt64(p[j + 1] &- UInt8(ascii: "0"))
                j += 2
            }
        }
        while j < n && j - digits < 15 && isDigit(p[j]) {
            mantissa = mantissa &* 10 &+ UInt64(p[j] &- UInt8(ascii: "0"))
            j += 1
        }
        // No digits, a leading zero or more than 15 digits: the general loop.
        guard j > digits, j < n, p[j] == UInt8(ascii: "}"), p[digits] != UInt8(ascii: "0") || j == digits + 1 else {
            i = begin
            decoded.removeSubrange(decodedCount...)
            return nil
        }
        i = j + 1
        return (type.start, type.count, Double(mantissa))
    }

    /// A string of ASCII without escapes (most types) whose closing quote
    /// lies in the words read, eight bytes at a time, with the cursor after
    /// it; else nil with the cursor where it was, for ``readString()``.
    @inline(__always)
    private mutating func plainString() -> (start: Int, count: Int)? {
        guard i < n, p[i] == UInt8(ascii: "\"") else { return nil }
        let start = i + 1
        var k = start
        while n - k >= 8 {
            let special = Self.specialBytes(UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self))
            if special != 0 {
                // The lowest flagged byte is the first special one.
                let end = k + special.trailingZeroBitCount >> 3
                guard p[end] == UInt8(ascii: "\"") else { return nil }
                i = end + 1
                return (start, end - start)
            }
            k += 8
        }
        return nil
    }

    /// The value of eight ASCII digits loaded as a little-endian word, or
    /// nil when one of the bytes is not a digit.
    @inline(__always)
    private static func eightDigitsValue(_ w: UInt64) -> UInt64? {
        let t = w &- 0x3030_3030_3030_3030
        // A byte below '0' sets its high bit in `t`, one above '9' in `t + 0x76`;
        // the lowest such byte is flagged exactly (no borrow or carry reaches it).
        guard (t | (t &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080 == 0 else { return nil }
        var v = t &* 10 &+ (t >> 8)
        v = ((v & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064
            &+ ((v >> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001) >> 32
        return v & 0xFFFF_FFFF
    }

    /// The rule class of the event type at `start` when the model names it
    /// exactly, else ``LineValue/unresolved``. Types of 8 to 16 bytes (most)
    /// are remembered by their length and first and last eight bytes, which
    /// between them are every byte: a lead's events repeat a few types.
    @inline(__always)
    private mutating func eventClass(_ start: Int, _ count: Int) -> Int32 {
        guard start >= 0, count >= 8, count <= 16 else { return uncachedEventClass(start, count) }
        let first = UnsafeRawPointer(p + start).loadUnaligned(as: UInt64.self)
        let last = UnsafeRawPointer(p + start + count - 8).loadUnaligned(as: UInt64.self)
        let slot = Int(truncatingIfNeeded: ((first ^ last ^ UInt64(count)) &* 0x9E37_79B9_7F4A_7C15) >> 58)
        let cached = typeCache[slot]
        if cached.count == count && cached.first == first && cached.last == last { return cached.value }
        let other = typeCache[slot ^ 1]
        if other.count == count && other.first == first && other.last == last { return other.value }
        return missedEventClass(start, count, first, last, slot)
    }

    /// ``eventClass(_:_:)`` for a type not in the cache: looked up, then kept
    /// in `slot`, whose entry moves to the other slot of the pair.
    @inline(never)
    private mutating func missedEventClass(_ start: Int, _ count: Int, _ first: UInt64, _ last: UInt64, _ slot: Int)
        -> Int32
    {
        let found = tables.typeNames.find(p + start, count).map { tables.typeClasses[$0] } ?? LineValue.unresolved
        typeCache[slot ^ 1] = typeCache[slot]
        typeCache[slot] = CacheEntry(count: count, first: first, last: last, value: found)
        return found
    }

    /// ``eventClass(_:_:)`` for a type the cache does not take (decoded, or
    /// shorter than 8 or longer than 16 bytes).
    @inline(never)
    private func uncachedEventClass(_ start: Int, _ count: Int) -> Int32 {
        let found = withBytes(start, count) { bytes in tables.typeNames.find(bytes.baseAddress, bytes.count) }
        return found.map { tables.typeClasses[$0] } ?? LineValue.unresolved
    }

    /// A string of up to 16 bytes looked up before (every byte is in
    /// `first` and `last`), and what the look-up gave.
    private struct CacheEntry {
        var count = -1
        var first: UInt64 = 0
        var last: UInt64 = 0
        var value: Int32 = LineValue.unresolved
    }

    /// The `count` (1 to 8) bytes of the line at `start` as a little-endian
    /// word, zero-padded: two overlapping loads, not a loop.
    @inline(__always)
    private func word(_ start: Int, _ count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p + start)
        if count == 8 { return raw.loadUnaligned(as: UInt64.self) }
        if count >= 4 {
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return low | high << UInt64((count - 4) * 8)
        }
        if count >= 2 {
            let low = UInt64(raw.loadUnaligned(as: UInt16.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self))
            return low | high << UInt64((count - 2) * 8)
        }
        return UInt64(p[start])
    }

    /// The keys of an event object.
    private enum EventKey { case type, at, props, other }

    /// `"type":"` and `"at":` as little-endian words.
    private static let typeKeyWord: UInt64 = 0x223A_2265_7079_7422
    private static let atKeyWord: UInt64 = 0x3A_2274_6122
    /// `,"at":` as a little-endian word (its low six bytes).
    private static let commaAtKeyWord: UInt64 = 0x3A22_7461_222C

    private mutating func readProperties(_ values: Int, _ record: inout LeadLineRecord, _ arena: inout LeadLineArena)
        throws(Unusual)
    {
        try readMembers(attributes: false) { reader, index throws(Unusual) in
            let slot = values + index
            switch reader.peek() {
            case UInt8(ascii: "n"):
                try reader.literal("null")
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                arena.values[slot] = LineValue(kind: .bool, number: try reader.readBool() ? 1 : 0)
            case UInt8(ascii: "\""):
                arena.values[slot] = try reader.readText()
                record.texts += 1
            case UInt8(ascii: "["):
                // A mixed array is `other`; it takes the reference path.
                guard let set = try reader.readStrings(&arena) else { throw Unusual() }
                arena.values[slot] = set
                record.members += set.count
                record.texts += set.count
            case UInt8(ascii: "{"):
                try reader.skipValue()
                arena.values[slot] = LineValue(kind: .other)
            default:
                arena.values[slot] = LineValue(kind: .number, number: try reader.readNumber())
            }
        }
    }

    // MARK: Values

    /// A string value with its symbol when the model knows it.
    private mutating func readText() throws(Unusual) -> LineValue {
        let (start, count) = try readString()
        return LineValue(kind: .string, start: start, count: count, symbol: symbol(start, count))
    }

    /// An array of strings into `arena.members`; `nil` for an array holding
    /// anything else (the cursor is then somewhere inside it).
    private mutating func readStrings(_ arena: inout LeadLineArena) throws(Unusual) -> LineValue? {
        try expect(UInt8(ascii: "["))
        let first = arena.members.count
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            i += 1
            return LineValue(kind: .strings, start: first, count: 0)
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else { return nil }
            arena.members.append(try readText())
            skipWhitespace()
            let c = try next()
            if c == UInt8(ascii: "]") { break }
            if c != UInt8(ascii: ",") { throw Unusual() }
            skipWhitespace()
        }
        return LineValue(kind: .strings, start: first, count: arena.members.count - first)
    }

    /// The model's symbol for the string at `start` when it is ASCII and its
    /// comparison key (trimmed, lower-cased) is one of the model's. Strings
    /// of 1 to 16 bytes in the line (most values: a lead's attributes repeat
    /// a few words) are remembered by their bytes.
    private mutating func symbol(_ start: Int, _ count: Int) -> Int32 {
        guard start >= 0, count >= 1, count <= 16 else { return lookUpSymbol(start, count) }
        let first = word(start, min(count, 8))
        let last = count > 8 ? UnsafeRawPointer(p + start + count - 8).loadUnaligned(as: UInt64.self) : 0
        let slot = Int(truncatingIfNeeded: ((first ^ (last &* 31) ^ UInt64(count)) &* 0x9E37_79B9_7F4A_7C15) >> 58)
        let cached = symbolCache[slot]
        if cached.count == count && cached.first == first && cached.last == last { return cached.value }
        let other = symbolCache[slot ^ 1]
        if other.count == count && other.first == first && other.last == last { return other.value }
        let found = lookUpSymbol(start, count)
        // The slot's entry moves to the other slot of its pair (two ways).
        symbolCache[slot ^ 1] = cached
        symbolCache[slot] = CacheEntry(count: count, first: first, last: last, value: found)
        return found
    }

    /// ``symbol(_:_:)`` without the cache.
    private mutating func lookUpSymbol(_ start: Int, _ count: Int) -> Int32 {
        guard start >= 0 else {
            // Decoded text: trimmed and lower-cased into `key` from there.
            key.removeAll(keepingCapacity: true)
            let offset = -(start + 1) - textBase
            var low = offset
            var high = offset + count
            while low < high && isASCIIWhiteSpace(decoded[low]) { low += 1 }
            while high > low && isASCIIWhiteSpace(decoded[high - 1]) { high -= 1 }
            for k in low..<high {
                let c = decoded[k]
                if c >= 0x80 { return LineValue.unresolved }
                key.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c)
            }
            let id = key.withUnsafeBufferPointer { tables.symbols.find($0) }
            return id.map { tables.symbolIDs[Int($0)] } ?? LineValue.unresolved
        }
        var low = start
        var high = start + count
        while low < high && isASCIIWhiteSpace(p[low]) { low += 1 }
        while high > low && isASCIIWhiteSpace(p[high - 1]) { high -= 1 }
        var plain = true
        for k in low..<high {
            let c = p[k]
            if c >= 0x80 { return LineValue.unresolved }
            if c >= 0x41 && c <= 0x5A { plain = false }
        }
        let id: Int32?
        if plain {
            // Already its own comparison key: looked up where it lies.
            id = tables.symbols.find(UnsafeBufferPointer(start: p + low, count: high - low))
        } else {
            // Lower-cased into memory on the stack (short keys), not appended byte by byte.
            let (source, length) = (p + low, high - low)
            id = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { lowered in
                for k in 0..<length {
                    let c = source[k]
                    lowered[k] = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
                }
                return tables.symbols.find(UnsafeBufferPointer(lowered))
            }
        }
        return id.map { tables.symbolIDs[Int($0)] } ?? LineValue.unresolved
    }

    /// RFC 3339 text with a zone, or seconds since the epoch.
    private mutating func readInstant() throws(Unusual) -> Double {
        if peek() == UInt8(ascii: "\"") {
            let (start, count) = try readString()
            guard let seconds = withBytes(start, count, { Timestamp.parseRFC3339($0) }),
                seconds.isFinite
            else { throw Unusual() }
            return seconds
        }
        return try readNumber()
    }

    /// `null` (consumed: true) or something else (untouched: false).
    @inline(__always)
    private mutating func readNull() throws(Unusual) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func readBool() throws(Unusual) -> Bool {
        switch peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default:
            throw Unusual()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Unusual) {
        let count = word.utf8CodeUnitCount
        guard n - i >= count, bytesEqual(p + i, word.utf8Start, count) else { throw Unusual() }
        i += count
    }

    /// A number with the strict JSON grammar, converted as ``JSONParser`` does.
    private mutating func readNumber() throws(Unusual) -> Double {
        let start = i
        let negative = peek() == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        var isExact = true
        var fractionDigits = 0
        guard i < n else { throw Unusual() }
        if p[i] == UInt8(ascii: "0") {
            i += 1
            if i < n && isDigit(p[i]) { throw Unusual() }
        } else if isDigit(p[i]) {
            var integerDigits = 0
            eightDigits(&mantissa, &integerDigits)
            while i < n && isDigit(p[i]) {
                if mantissa < 100_000_000_000_000_000 {
                    mantissa = mantissa &* 10 &+ UInt64(p[i] &- UInt8(ascii: "0"))
                } else {
                    isExact = false
                }
                i += 1
            }
        } else {
            throw Unusual()
        }
        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n, isDigit(p[i]) else { throw Unusual() }
            eightDigits(&mantissa, &fractionDigits)
            while i < n && isDigit(p[i]) {
                if mantissa < 100_000_000_000_000_000 {
                    mantissa = mantissa &* 10 &+ UInt64(p[i] &- UInt8(ascii: "0"))
                } else {
                    isExact = false
                }
                fractionDigits += 1
                i += 1
            }
        }
        var exponent = 0
        if i < n && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            guard i < n else { throw Unusual() }
            let exponentIsNegative = p[i] == UInt8(ascii: "-")
            if exponentIsNegative || p[i] == UInt8(ascii: "+") { i += 1 }
            guard i < n, isDigit(p[i]) else { throw Unusual() }
            while i < n && isDigit(p[i]) {
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(p[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            if exponentIsNegative { exponent = -exponent }
        }
        if let value = JSONNumber.exactValue(
            mantissa: mantissa, isExact: isExact, negative: negative, power: exponent - fractionDigits)
        {
            return value
        }
        guard let value = JSONNumber.roundedValue(UnsafeBufferPointer(start: p + start, count: i - start)),
            value.isFinite
        else { throw Unusual() }
        return value
    }

    /// Takes digits eight at a time into `mantissa` (and counts them in
    /// `digits`) while it stays small enough that the digit-by-digit
    /// loop would have taken each of them whole (below 10^17 before each),
    /// leaving the cursor at the first of the last few digits.
    @inline(__always)
    private mutating func eightDigits(_ mantissa: inout UInt64, _ digits: inout Int) {
        while n - i >= 8 && mantissa < 1_000_000_000 {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            let t = w &- 0x3030_3030_3030_3030
            // A byte below '0' sets its high bit in `t`, one above '9' in `t + 0x76`;
            // the lowest such byte is flagged exactly (no borrow or carry reaches it).
            guard (t | (t &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080 == 0 else { return }
            var v = t &* 10 &+ (t >> 8)
            v = ((v & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064
                &+ ((v >> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001) >> 32
            mantissa = mantissa &* 100_000_000 &+ (v & 0xFFFF_FFFF)
            digits += 8
            i += 8
        }
    }

    /// Moves past plain ASCII bytes eight at a time (none a quote, a
    /// backslash, a control character or above 0x7F), up to the first other
    /// byte or the last seven bytes of the line, which the caller reads one
    /// at a time.
    @inline(__always)
    private mutating func skipPlainWords() {
        while n - i >= 8 {
            let special = Self.specialBytes(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            if special != 0 {
                // The lowest flagged byte is the first special one; the bytes before it are plain.
                i += special.trailingZeroBitCount >> 3
                return
            }
            i += 8
        }
    }

    /// The high bit of each byte of `w` that is a quote, a backslash, a
    /// control character or above 0x7F. Exact for the lowest such byte (no
    /// borrow reaches it); a byte above it may be flagged wrongly.
    @inline(__always)
    private static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        return (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | (w &- ones &* 0x20) | w)
            & 0x8080_8080_8080_8080
    }

    /// A string without escapes, after checking its UTF-8; returns its bytes'
    /// place (between the quotes).
    private mutating func readString() throws(Unusual) -> (start: Int, count: Int) {
        try expect(UInt8(ascii: "\""))
        let start = i
        while true {
            skipPlainWords()
            guard i < n else { throw Unusual() }
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return (start, i - 1 - start)
            }
            if c == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            if c < 0x20 { throw Unusual() }
            if c < 0x80 {
                i += 1
            } else {
                guard let length = validUTF8Length(at: i) else { throw Unusual() }
                i += length
            }
        }
    }

    /// The rest of a string with escapes, decoded as ``JSONParser`` decodes
    /// them into ``decoded``; returns its place there (a negative `start`).
    private mutating func readEscapedString(from start: Int) throws(Unusual) -> (start: Int, count: Int) {
        let first = decoded.count
        decoded.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
        while i < n {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return (-(textBase + first + 1), decoded.count - first)
            }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < n else { throw Unusual() }
                let e = p[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(e)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xDC00 && scalar <= 0xDFFF { throw Unusual() }
                    if scalar >= 0xD800 && scalar <= 0xDBFF {
                        guard n - i >= 2, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else { throw Unusual() }
                        i += 2
                        let low = try hex4()
                        guard low >= 0xDC00 && low <= 0xDFFF else { throw Unusual() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    appendUTF8(scalar, to: &decoded)
                default:
                    throw Unusual()
                }
                continue
            }
            if c < 0x20 { throw Unusual() }
            if c < 0x80 {
                decoded.append(c)
                i += 1
            } else {
                guard let length = validUTF8Length(at: i) else { throw Unusual() }
                decoded.append(contentsOf: UnsafeBufferPointer(start: p + i, count: length))
                i += length
            }
        }
        throw Unusual()
    }

    /// Calls `body` with a string's bytes: in the line, or decoded.
    private func withBytes<R>(_ start: Int, _ count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if start >= 0 { return body(UnsafeBufferPointer(start: p + start, count: count)) }
        let offset = -(start + 1) - textBase
        return decoded.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[offset..<(offset + count)])) }
    }

    /// A key (ASCII, no escapes) and the `:` after it, leaving the cursor at
    /// the value. The caller checks it is not repeated in its object: with
    /// ``mark(_:in:)`` for a key it knows, ``checkUnknown(_:_:_:)`` otherwise.
    @inline(__always)
    private mutating func readKey() throws(Unusual) -> (start: Int, count: Int) {
        try expect(UInt8(ascii: "\""))
        let start = i
        // Eight bytes at a time while they last, as in ``readString()``
        // (one byte at a time cost a document about a thousand instructions);
        // the first special byte ends the key if it is its quote.
        skipPlainWords()
        while i < n {
            let c = p[i]
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 || c >= 0x80 || c == UInt8(ascii: "\\") { throw Unusual() }
            i += 1
        }
        guard i < n else { throw Unusual() }
        let count = i - start
        i += 1
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        skipWhitespace()
        return (start, count)
    }

    /// Marks known key `bit` seen in an object; a second time is a duplicate.
    @inline(__always)
    private func mark(_ bit: Int, in seen: inout UInt64) throws(Unusual) {
        let mask: UInt64 = 1 << UInt64(bit)
        if seen & mask != 0 { throw Unusual() }
        seen |= mask
    }

    /// Marks known key `index` (past the first 64, which ``mark(_:in:)``
    /// marks) seen in the object stamped `stamp`; a second time is a duplicate.
    @inline(__always)
    private static func mark(_ index: Int, in stamps: inout [UInt64], _ stamp: UInt64) throws(Unusual) {
        if stamps[index] == stamp { throw Unusual() }
        stamps[index] = stamp
    }

    /// A stamp no object had before (never 0).
    @inline(__always)
    private mutating func newStamp() -> UInt64 {
        stamps &+= 1
        return stamps
    }

    /// Checks that an unknown key was not seen before in its object (whose
    /// unknown keys start at `keysBase` on the stack) and records it: on the
    /// stack while the object has fewer than ``linearKeys``, then in
    /// `bigObjectKeys`.
    private mutating func checkUnknown(_ keysBase: Int, _ start: Int, _ count: Int) throws(Unusual) {
        if keyTop - keysBase >= Self.linearKeys { return try checkUnknownInTable(keysBase, start, count) }
        for k in keysBase..<keyTop where keyCounts[k] == count {
            if bytesEqualOrEmpty(p + keyStarts[k], p + start, count) { throw Unusual() }
        }
        if keyTop < keyStarts.count {
            keyStarts[keyTop] = start
            keyCounts[keyTop] = count
        } else {
            keyStarts.append(start)
            keyCounts.append(count)
        }
        keyTop += 1
    }

    /// ``checkUnknown(_:_:_:)`` for an object with ``linearKeys`` unknown
    /// keys or more. The first time, they move from the stack to the table
    /// under a new stamp (they differ: the scans checked them), and the
    /// stamp is pushed after them as a mark: an object nested in this one
    /// starts above it, so the stamp at `keysBase + linearKeys` stays this
    /// object's while it is open.
    @inline(never)
    private mutating func checkUnknownInTable(_ keysBase: Int, _ start: Int, _ count: Int) throws(Unusual) {
        let mark = keysBase + Self.linearKeys
        let stamp: UInt64
        if keyTop == mark {
            stamp = newStamp()
            for k in keysBase..<keyTop {
                _ = bigObjectKeys.insert(p, keyStarts[k], keyCounts[k], stamp: stamp)
            }
            // The mark: its start is the stamp, its count -1 (no key's).
            if keyTop < keyStarts.count {
                keyStarts[keyTop] = Int(truncatingIfNeeded: stamp)
                keyCounts[keyTop] = -1
            } else {
                keyStarts.append(Int(truncatingIfNeeded: stamp))
                keyCounts.append(-1)
            }
            keyTop += 1
        } else {
            stamp = UInt64(truncatingIfNeeded: keyStarts[mark])
        }
        if !bigObjectKeys.insert(p, start, count, stamp: stamp) { throw Unusual() }
    }

    /// Checks and passes over one value of any kind, as the reference parser
    /// would accept it (escapes included), without keeping it.
    private mutating func skipValue() throws(Unusual) {
        guard i < n else { throw Unusual() }
        switch p[i] {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "["):
            depth += 1
            if depth > Self.maxSkipDepth { throw Unusual() }
            i += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                i += 1
            } else {
                while true {
                    try skipValue()
                    skipWhitespace()
                    let c = try next()
                    if c == UInt8(ascii: "]") { break }
                    if c != UInt8(ascii: ",") { throw Unusual() }
                    skipWhitespace()
                }
            }
            depth -= 1
        case UInt8(ascii: "{"):
            depth += 1
            if depth > Self.maxSkipDepth { throw Unusual() }
            i += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                i += 1
            } else {
                let keysBase = keyTop
                while true {
                    let (start, count) = try readKey()
                    try checkUnknown(keysBase, start, count)
                    try skipValue()
                    skipWhitespace()
                    let c = try next()
                    if c == UInt8(ascii: "}") { break }
                    if c != UInt8(ascii: ",") { throw Unusual() }
                    skipWhitespace()
                }
                keyTop = keysBase
            }
            depth -= 1
        default:
            _ = try readNumber()
        }
    }

    /// A string whose escapes are checked, not decoded.
    private mutating func skipString() throws(Unusual) {
        try expect(UInt8(ascii: "\""))
        while i < n {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return
            }
            if c < 0x20 { throw Unusual() }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < n else { throw Unusual() }
                switch p[i] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 1
                case UInt8(ascii: "u"):
                    i += 1
                    let scalar = try hex4()
                    // Surrogates are left to the reference parser.
                    if scalar >= 0xD800 && scalar <= 0xDFFF { throw Unusual() }
                default:
                    throw Unusual()
                }
                continue
            }
            if c < 0x80 {
                i += 1
            } else {
                guard let length = validUTF8Length(at: i) else { throw Unusual() }
                i += length
            }
        }
        throw Unusual()
    }

    private mutating func hex4() throws(Unusual) -> UInt32 {
        guard n - i >= 4 else { throw Unusual() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c &- UInt8(ascii: "A") &+ 10
            default: throw Unusual()
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }

    // MARK: Bytes

    @inline(__always)
    private func peek() -> UInt8 {
        i < n ? p[i] : 0
    }

    @inline(__always)
    private mutating func next() throws(Unusual) -> UInt8 {
        guard i < n else { throw Unusual() }
        let c = p[i]
        i += 1
        return c
    }

    @inline(__always)
    private mutating func expect(_ c: UInt8) throws(Unusual) {
        guard i < n, p[i] == c else { throw Unusual() }
        i += 1
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < n {
            let c = p[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i += 1
        }
    }

    /// Whether the key at `start` is `word` (whose length the caller checked).
    @inline(__always)
    private func match(_ start: Int, _ word: StaticString) -> Bool {
        let w = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount where p[start + k] != w[k] { return false }
        return true
    }

    @inline(__always)
    private func isDigit(_ c: UInt8) -> Bool {
        c &- UInt8(ascii: "0") < 10
    }

    @inline(__always)
    private func isASCIIWhiteSpace(_ c: UInt8) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0D)
    }

    @inline(__always)
    private func bytesEqualOrEmpty(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        count == 0 || bytesEqual(a, b, count)
    }

    /// The length of the well-formed UTF-8 sequence at `offset` (Unicode
    /// Table 3-7, as the reference parser checks it), or `nil`.
    private func validUTF8Length(at offset: Int) -> Int? {
        let b0 = p[offset]
        @inline(__always) func byte(_ k: Int, in range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            offset + k < n && range.contains(p[offset + k])
        }
        switch b0 {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return byte(1) ? 2 : nil
        case 0xE0: return byte(1, in: 0xA0...0xBF) && byte(2) ? 3 : nil
        case 0xED: return byte(1, in: 0x80...0x9F) && byte(2) ? 3 : nil
        case 0xE1...0xEF: return byte(1) && byte(2) ? 3 : nil
        case 0xF0: return byte(1, in: 0x90...0xBF) && byte(2) && byte(3) ? 4 : nil
        case 0xF1...0xF3: return byte(1) && byte(2) && byte(3) ? 4 : nil
        case 0xF4: return byte(1, in: 0x80...0x8F) && byte(2) && byte(3) ? 4 : nil
        default: return nil
        }
    }
}
