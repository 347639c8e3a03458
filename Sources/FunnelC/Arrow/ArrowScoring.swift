import Funnel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte string inside an Arrow buffer (or the result), hashed and compared by content.
struct ByteKey: Hashable {
    let bytes: UnsafeRawBufferPointer

    static func == (a: ByteKey, b: ByteKey) -> Bool {
        a.bytes.count == b.bytes.count
            && (a.bytes.count == 0 || memcmp(a.bytes.baseAddress!, b.bytes.baseAddress!, a.bytes.count) == 0)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(bytes: bytes) }
}

/// Whether `bytes` are valid UTF-8 (ASCII checked first, in one pass).
func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var ascii = true
    for byte in bytes where byte >= 0x80 {
        ascii = false
        break
    }
    if ascii { return true }
    return String(validating: bytes, as: UTF8.self) != nil
}

/// Numbers strings: each distinct text gets an id in `dictionary`, in order of appearance.
struct StringEncoder {
    private var ids: [ByteKey: Int32] = [:]
    private(set) var dictionary: [String] = []

    /// The id of `bytes`; FUNNEL_E_PARSE when they are not UTF-8.
    mutating func id(_ bytes: UnsafeRawBufferPointer, _ where_: @autoclosure () -> String) throws(Failure) -> Int32 {
        let key = ByteKey(bytes: bytes)
        if let known = ids[key] { return known }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(.parse, "\(where_()): not valid UTF-8")
        }
        let id = Int32(dictionary.count)
        ids[key] = id
        dictionary.append(text)
        return id
    }
}

/// Reads a string-like column (utf8, large utf8, string view, or a dictionary of them)
/// into dictionary ids: per chunk, a dictionary's entries are numbered once.
private func encodeStrings(
    _ table: ArrowTable, _ index: Int, into encoder: inout StringEncoder,
    _ body: (_ row: Int, _ id: Int32?) throws(Failure) -> Void
) throws(Failure) {
    var base = 0
    for column in table.chunks[index] {
        switch column.storage {
        case .dictionary(let indices, let values):
            var entries = [Int32](repeating: -2, count: values.length)
            for i in 0..<column.length {
                guard indices.isValid(i) else {
                    try body(base + i, nil)
                    continue
                }
                let k = Int(indices.integer(i))
                if entries[k] == -2 {
                    entries[k] = values.isValid(k) ? try encoder.id(values.bytes(k), "\(column.label)[\(base + i)]") : -1
                }
                try body(base + i, entries[k] < 0 ? nil : entries[k])
            }
        case .utf8, .view:
            for i in 0..<column.length {
                try body(base + i, column.isValid(i) ? try encoder.id(column.bytes(i), "\(column.label)[\(base + i)]") : nil)
            }
        case .null:
            for i in 0..<column.length { try body(base + i, nil) }
        default:
            throw Failure(.invalid, "\(column.label): expected strings, found \(column.typeName)")
        }
        base += column.length
    }
}

/// Memory that lives as long as one call (or one result), freed with this object.
final class ArrowScratch {
    private var blocks: [UnsafeMutableRawPointer] = []

    func buffer<T>(_ count: Int, _ value: T) throws(Failure) -> UnsafeMutableBufferPointer<T> {
        let (bytes, overflow) = max(1, count).multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow, let raw = malloc(bytes) else { throw Failure(.limit, "not enough memory for \(count) values") }
        blocks.append(raw)
        let typed = raw.bindMemory(to: T.self, capacity: max(1, count))
        typed.initialize(repeating: value, count: count)
        return UnsafeMutableBufferPointer(start: typed, count: count)
    }

    deinit { for block in blocks { free(block) } }
}

/// Scores the leads of an Arrow table (with the events of another, if given)
/// and returns the scores as a table of their own.
struct ArrowScoring {
    let model: Model
    let leads: ArrowTable
    let events: ArrowTable?
    let ignoreUnknown: Bool
    let scratch = ArrowScratch()

    func run(asOf: Double, threads: Int) throws(Failure) -> ScoreTable {
        guard let idColumn = leads.column("id") else {
            throw Failure(.argument, "leads: no \"id\" column (the lead ids)")
        }
        let n = leads.rowCount
        let ids = try ScoreTable.Text(leads, idColumn)
        var batch: LeadBatch
        do throws(ColumnError) {
            batch = try LeadBatch(model: model, count: n)
        } catch {
            throw Failure(.limit, error.message)
        }
        try fillAttributes(&batch, skipping: idColumn)
        if let events { try fillEvents(&batch, events, ids: ids) }
        let result = try ScoreTable(ids: ids, count: n, grades: model.definition.scoring.grades.map(\.grade))
        batch.scores(
            at: asOf, threads: threads > 0 ? threads : defaultThreadCount, fit: result.fit, behavior: result.behavior,
            total: result.total, grade: result.gradeIndex)
        try result.finishGrades()
        return result
    }

    private func fill(_ body: () throws(ColumnError) -> Void) throws(Failure) {
        do {
            try body()
        } catch {
            throw Failure(error.isLimit ? .limit : .invalid, error.message)
        }
    }

    private func fillAttributes(_ batch: inout LeadBatch, skipping idColumn: Int) throws(Failure) {
        let declared = Dictionary(model.attributes.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let n = leads.rowCount
        for (index, name) in leads.names.enumerated() where index != idColumn {
            guard let type = declared[name] else {
                if ignoreUnknown { continue }
                throw Failure(
                    .argument,
                    "leads.\(name): the model has no attribute \"\(name)\" (drop the column, or ignore unknown columns)")
            }
            let label = "leads.\(name)"
            switch type {
            case .number:
                let values = try numbers(leads, index, count: n)
                try fill { () throws(ColumnError) in try batch.setNumbers(name, UnsafeBufferPointer(values)) }
            case .bool:
                let values = try bools(leads, index, count: n)
                try fill { () throws(ColumnError) in try batch.setBools(name, UnsafeBufferPointer(values)) }
            case .string:
                var encoder = StringEncoder()
                let ids = try scratch.buffer(n, Int32(-1))
                try encodeStrings(leads, index, into: &encoder) { (row, id) throws(Failure) in ids[row] = id ?? -1 }
                let dictionary = encoder.dictionary
                try fill { () throws(ColumnError) in
                    try batch.setStrings(name, dictionary: dictionary, ids: UnsafeBufferPointer(ids))
                }
            case .strings:
                let sets = try stringSets(leads, index, count: n, label: label)
                try fill { () throws(ColumnError) in
                    try batch.setStringSets(
                        name, dictionary: sets.dictionary, offsets: UnsafeBufferPointer(sets.offsets),
                        memberIDs: UnsafeBufferPointer(sets.members), present: UnsafeBufferPointer(sets.present))
                }
            }
        }
    }

    /// A number column: NaN where null. Integers, floats; FUNNEL_E_INVALID for other kinds.
    private func numbers(_ table: ArrowTable, _ index: Int, count: Int) throws(Failure) -> UnsafeMutableBufferPointer<Double> {
        let values = try scratch.buffer(count, Double.nan)
        var base = 0
        for column in table.chunks[index] {
            switch column.storage {
            case .integer, .float:
                if column.validity == nil {
                    for i in 0..<column.length { values[base &+ i] = column.number(i) }
                } else {
                    for i in 0..<column.length where column.isValid(i) { values[base &+ i] = column.number(i) }
                }
            case .null: break
            default:
                throw Failure(.invalid, "\(column.label): expected numbers, found \(column.typeName)")
            }
            base += column.length
        }
        return values
    }

    /// A bool column: 1, 0, -1 where null.
    private func bools(_ table: ArrowTable, _ index: Int, count: Int) throws(Failure) -> UnsafeMutableBufferPointer<Int8> {
        let values = try scratch.buffer(count, Int8(-1))
        var base = 0
        for column in table.chunks[index] {
            switch column.storage {
            case .bool(let bits):
                for i in 0..<column.length where column.isValid(i) {
                    let bit = column.offset &+ i
                    values[base &+ i] = bits[bit >> 3] & (1 << UInt8(bit & 7)) != 0 ? 1 : 0
                }
            case .null: break
            default:
                throw Failure(.invalid, "\(column.label): expected booleans, found \(column.typeName)")
            }
            base += column.length
        }
        return values
    }

    private struct Sets {
        var dictionary: [String]
        var offsets: UnsafeMutableBufferPointer<Int64>
        var members: UnsafeMutableBufferPointer<Int32>
        var present: UnsafeMutableBufferPointer<UInt8>
    }

    /// A list-of-strings column as dictionary ids with offsets.
    private func stringSets(_ table: ArrowTable, _ index: Int, count: Int, label: String) throws(Failure) -> Sets {
        var total = 0
        for column in table.chunks[index] {
            switch column.storage {
            case .list(_, _, let child):
                guard child.isStringLike || child.length == 0 || { if case .null = child.storage { true } else { false } }()
                else {
                    throw Failure(.invalid, "\(column.label): expected lists of strings, found \(column.typeName)")
                }
                for i in 0..<column.length where column.isValid(i) { total += column.members(i).count }
            case .null: break
            default:
                throw Failure(.invalid, "\(column.label): expected lists of strings, found \(column.typeName)")
            }
        }
        let offsets = try scratch.buffer(count + 1, Int64(0))
        let members = try scratch.buffer(total, Int32(0))
        let present = try scratch.buffer(count, UInt8(0))
        var encoder = StringEncoder()
        var base = 0
        var m = 0
        for column in table.chunks[index] {
            if case .list(_, _, let child) = column.storage {
                // The child's strings, numbered once each (a dictionary child's entries once per entry).
                var childIDs = [Int32](repeating: -1, count: child.length)
                var seen = [Bool](repeating: false, count: child.length)
                for i in 0..<column.length {
                    offsets[base + i] = Int64(m)
                    guard column.isValid(i) else { continue }
                    present[base + i] = 1
                    for j in column.members(i) {
                        if !seen[j] {
                            seen[j] = true
                            guard let bytes = stringBytes(child, j) else {
                                throw Failure(.invalid, "\(label)[\(base + i)]: a null member")
                            }
                            childIDs[j] = try encoder.id(bytes, "\(label)[\(base + i)]")
                        }
                        guard childIDs[j] >= 0 else { throw Failure(.invalid, "\(label)[\(base + i)]: a null member") }
                        members[m] = childIDs[j]
                        m += 1
                    }
                }
            } else {
                for i in 0..<column.length { offsets[base + i] = Int64(m) }
            }
            base += column.length
        }
        offsets[count] = Int64(m)
        return Sets(dictionary: encoder.dictionary, offsets: offsets, members: members, present: present)
    }

    private func fillEvents(_ batch: inout LeadBatch, _ events: ArrowTable, ids: ScoreTable.Text) throws(Failure) {
        guard let leadColumn = events.column("lead"), let typeColumn = events.column("type"),
            let atColumn = events.column("at")
        else {
            throw Failure(.argument, "events: expected columns \"lead\", \"type\" and \"at\" (found \(events.names))")
        }
        let e = events.rowCount
        guard e <= Int(Int32.max) * 64 else { throw Failure(.limit, "events: too many rows") }
        // Lead ids to rows: the next rows first (events usually come grouped in the leads' order), else a table.
        let rows = try ids.rowIndex()
        let lead = try scratch.buffer(e, UInt32(0))
        var cursor = 0
        let keyScratch = UnsafeMutableRawBufferPointer(try scratch.buffer(24, UInt8(0)))
        func row(_ key: UnsafeRawBufferPointer, _ k: Int) throws(Failure) -> UInt32 {
            let probe = ByteKey(bytes: key)
            var r = cursor
            while r < min(cursor + 2, ids.count) {
                if ByteKey(bytes: ids.bytes(r)) == probe {
                    cursor = r
                    return UInt32(r)
                }
                r += 1
            }
            guard let found = rows[probe] else {
                let text = String(decoding: key, as: UTF8.self)
                throw Failure(.invalid, "events.lead[\(k)]: no lead has the id \"\(text)\"")
            }
            cursor = Int(found)
            return UInt32(found)
        }
        var base = 0
        for column in events.chunks[leadColumn] {
            switch column.storage {
            case .dictionary(let indices, let values):
                var entries = [Int64](repeating: -1, count: values.length)
                for i in 0..<column.length {
                    let k = base + i
                    guard indices.isValid(i), values.isValid(Int(indices.integer(i))) else {
                        throw Failure(.invalid, "events.lead[\(k)]: null")
                    }
                    let entry = Int(indices.integer(i))
                    if entries[entry] < 0 {
                        let key: UnsafeRawBufferPointer
                        switch values.storage {
                        case .integer: key = decimal(values.integer(entry), keyScratch, unsigned: values.isUnsigned64)
                        case .utf8, .view: key = values.bytes(entry)
                        default: throw Failure(.invalid, "events.lead: expected lead ids, found \(column.typeName)")
                        }
                        entries[entry] = Int64(try row(key, k))
                    }
                    lead[k] = UInt32(entries[entry])
                }
            case .utf8, .view:
                for i in 0..<column.length {
                    guard column.isValid(i) else { throw Failure(.invalid, "events.lead[\(base + i)]: null") }
                    lead[base + i] = try row(column.bytes(i), base + i)
                }
            case .integer:
                for i in 0..<column.length {
                    guard column.isValid(i) else { throw Failure(.invalid, "events.lead[\(base + i)]: null") }
                    lead[base + i] = try row(decimal(column.integer(i), keyScratch, unsigned: column.isUnsigned64), base + i)
                }
            default:
                throw Failure(.invalid, "events.lead: expected lead ids (strings or integers), found \(column.typeName)")
            }
            base += column.length
        }
        // Types.
        var typeEncoder = StringEncoder()
        let type = try scratch.buffer(e, Int32(0))
        try encodeStrings(events, typeColumn, into: &typeEncoder) { (k, id) throws(Failure) in
            guard let id else { throw Failure(.invalid, "events.type[\(k)]: null") }
            type[k] = id
        }
        // Times.
        let at = try scratch.buffer(e, Double.nan)
        try events.forEachRow(atColumn) { (column, k, i) throws(Failure) in
            switch column.storage {
            case .integer, .float, .time: break
            default: throw Failure(.invalid, "events.at: expected seconds or a timestamp, found \(column.typeName)")
            }
            guard column.isValid(i) else { throw Failure(.invalid, "events.at[\(k)]: null") }
            let t = column.seconds(i)
            guard t.isFinite else { throw Failure(.invalid, "events.at[\(k)]: expected a finite time") }
            at[k] = t
        }
        // Properties the model reads.
        let readable = Set(batch.eventPropertyNames)
        var properties: [String: EventPropertyColumn] = [:]
        for (index, name) in events.names.enumerated() where index != leadColumn && index != typeColumn && index != atColumn {
            guard readable.contains(name) else {
                if ignoreUnknown { continue }
                throw Failure(
                    .argument,
                    "events.\(name): no rule of the model reads a property \"\(name)\" (drop the column, or ignore unknown columns)")
            }
            guard let first = events.chunks[index].first(where: { if case .null = $0.storage { false } else { true } }) else {
                continue  // every chunk null: absent everywhere
            }
            switch first.storage {
            case .integer, .float:
                properties[name] = .numbers(UnsafeBufferPointer(try numbers(events, index, count: e)))
            case .bool:
                properties[name] = .bools(UnsafeBufferPointer(try bools(events, index, count: e)))
            case .list:
                let sets = try stringSets(events, index, count: e, label: "events.\(name)")
                properties[name] = .stringSets(
                    dictionary: sets.dictionary, offsets: UnsafeBufferPointer(sets.offsets),
                    members: UnsafeBufferPointer(sets.members), present: UnsafeBufferPointer(sets.present))
            default:
                guard first.isStringLike else {
                    throw Failure(.invalid, "events.\(name): unsupported property type \(first.typeName)")
                }
                var encoder = StringEncoder()
                let ids = try scratch.buffer(e, Int32(-1))
                try encodeStrings(events, index, into: &encoder) { (k, id) throws(Failure) in ids[k] = id ?? -1 }
                properties[name] = .strings(dictionary: encoder.dictionary, ids: UnsafeBufferPointer(ids))
            }
        }
        let types = typeEncoder.dictionary
        let props = properties
        try fill { () throws(ColumnError) in
            try batch.setEvents(
                types: types, lead: UnsafeBufferPointer(lead), type: UnsafeBufferPointer(type),
                at: UnsafeBufferPointer(at), properties: props)
        }
    }
}

/// The bytes of row `j` of a string-like column; nil when null.
func stringBytes(_ column: ArrowColumn, _ j: Int) -> UnsafeRawBufferPointer? {
    guard column.isValid(j) else { return nil }
    if case .dictionary(let indices, let values) = column.storage {
        let k = Int(indices.integer(j))
        return values.isValid(k) ? values.bytes(k) : nil
    }
    return column.bytes(j)
}

/// `value` in decimal, written into `scratch` (at least 21 bytes).
func decimal(_ value: Int64, _ scratch: UnsafeMutableRawBufferPointer, unsigned: Bool = false) -> UnsafeRawBufferPointer {
    let text = unsigned ? String(UInt64(bitPattern: value)) : String(value)
    var count = 0
    for byte in text.utf8 where count < scratch.count {
        scratch[count] = byte
        count += 1
    }
    return UnsafeRawBufferPointer(start: scratch.baseAddress, count: count)
}

extension ArrowColumn {
    var isUnsigned64: Bool {
        if case .integer(_, 8, false) = storage { return true }
        return false
    }
}
