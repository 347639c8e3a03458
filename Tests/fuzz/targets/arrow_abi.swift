// arrow_abi: the input describes two Arrow record batches — leads and, maybe,
// events — built in memory with the C Data Interface's structs (every format
// funnel.h accepts, validity bitmaps, array and struct offsets, dictionaries,
// lists, string views, several record batches through a stream), and maybe one
// flaw: a structural one the header says is checked, or a table the model
// cannot take (a column of the wrong kind, an unknown column, a null or empty
// id, a repeated id with events, an event of an unknown lead, a null or
// infinite time or number, a null list member, a null struct row).
// funnel_score_arrow (or funnel_score_arrow_stream) must refuse a flawed input
// with a status in 1...5, *out NULL and funnel_last_error() set, and take every
// other: each lead's fit, behavior and total bit for bit, and its grade, as the
// Swift API scores the same lead built as a `Lead`.
// Every buffer is allocated at exactly the size the interface gives it, so
// AddressSanitizer reports any read beyond what a producer promises.

#if canImport(Glibc)
import Glibc
#endif

// MARK: Memory for one run

/// Every buffer and struct of one run, freed together.
final class Arena {
    private var blocks: [UnsafeMutableRawPointer] = []

    /// `count` bytes (zeroed), exactly: AddressSanitizer's red zone starts right after.
    func bytes(_ count: Int) -> UnsafeMutableRawPointer {
        let p = malloc(max(count, 1))!
        memset(p, 0, max(count, 1))
        blocks.append(p)
        return p
    }

    func values<T>(_ values: [T]) -> UnsafeMutableRawPointer {
        let p = bytes(values.count * MemoryLayout<T>.stride)
        for (i, v) in values.enumerated() { p.storeBytes(of: v, toByteOffset: i * MemoryLayout<T>.stride, as: T.self) }
        return p
    }

    func cString(_ bytes: [UInt8]) -> UnsafePointer<CChar> {
        let p = self.bytes(bytes.count + 1)
        for (i, b) in bytes.enumerated() { p.storeBytes(of: b, toByteOffset: i, as: UInt8.self) }
        return UnsafePointer(p.assumingMemoryBound(to: CChar.self))
    }

    func cString(_ s: String) -> UnsafePointer<CChar> { cString(Array(s.utf8)) }

    func schema(_ s: ArrowSchemaC) -> UnsafeMutablePointer<ArrowSchemaC> {
        let p = bytes(MemoryLayout<ArrowSchemaC>.stride).bindMemory(to: ArrowSchemaC.self, capacity: 1)
        p.initialize(to: s)
        return p
    }

    func array(_ a: ArrowArrayC) -> UnsafeMutablePointer<ArrowArrayC> {
        let p = bytes(MemoryLayout<ArrowArrayC>.stride).bindMemory(to: ArrowArrayC.self, capacity: 1)
        p.initialize(to: a)
        return p
    }

    func pointers<T>(_ list: [UnsafeMutablePointer<T>?]) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?> {
        let p = bytes(max(1, list.count) * 8).bindMemory(to: UnsafeMutablePointer<T>?.self, capacity: max(1, list.count))
        for (i, x) in list.enumerated() { p[i] = x }
        return p
    }

    deinit { for p in blocks { free(p) } }
}

/// The producer's release callback: the arena owns everything, so releasing only marks the struct released.
let producerReleaseSchema: @convention(c) (UnsafeMutableRawPointer?) -> Void = { p in
    p?.assumingMemoryBound(to: ArrowSchemaC.self).pointee.release = nil
}
let producerReleaseArray: @convention(c) (UnsafeMutableRawPointer?) -> Void = { p in
    p?.assumingMemoryBound(to: ArrowArrayC.self).pointee.release = nil
}

// MARK: Logical columns

/// One value of a column as the Swift API sees it.
enum Cell {
    case null
    case number(Double)
    case integer(raw: UInt64, value: Double)  // what an integer or time column holds, and the number it means
    case bool(Bool)
    case text([UInt8])
    case texts([[UInt8]?])  // a nil member is a null member (an error)

    var leadValue: LeadValue? {
        switch self {
        case .null: nil
        case .number(let x): x.isNaN ? nil : .number(x)
        case .integer(_, let x): .number(x)
        case .bool(let b): .bool(b)
        case .text(let t): .string(String(decoding: t, as: UTF8.self))
        case .texts(let list): .strings(list.map { String(decoding: $0 ?? [], as: UTF8.self) })
        }
    }
}

/// How a column is laid out in Arrow.
enum Layout {
    case null
    case bool
    case integer(format: String, bytes: Int, signed: Bool)
    case float(bytes: Int)
    case time(format: String)  // tdD, tss:, tsm:UTC, tsu:, tsn:
    case utf8(large: Bool)
    case view
    case dictionary(indexBytes: Int, values: TextLayout)
    case list(large: Bool, member: TextLayout)

    enum TextLayout { case utf8, largeUTF8, view }
}

/// Built structs of one column, kept so that a flaw can be put into one of them.
struct Node {
    let schema: UnsafeMutablePointer<ArrowSchemaC>
    let array: UnsafeMutablePointer<ArrowArrayC>
    let layout: Layout
    /// Which record batch of its table: a stream's schema is its first batch's.
    let batch: Int
}

let words: [[UInt8]] = [
    "software", " SOFTWARE ", "fintech", "Compañía", "COMPAÑÍA", "ceo", "sales manager", "competitor", "webinar", "",
    "x", "a", "promo", "e\u{301}", "trial", "spam", "retail", "pro", "team", "a long value past twelve bytes",
].map { Array($0.utf8) }

let eventTypes: [[UInt8]] = [
    "email.reply", "call.completed", "newsletter.subscribe", "newsletter.unsubscribe", "meeting.no_show", "email.open",
    "purchase", "signup", "visit", "app.open", "café.visit", "unknown.kind",
].map { Array($0.utf8) }

// MARK: Building Arrow structs

final class Builder {
    let arena = Arena()
    var input: FuzzInput
    /// Every column node built (children included), for flaws.
    var nodes: [Node] = []
    /// The record batch being built (0 for the first of each table).
    var batchIndex = 0

    init(_ input: FuzzInput) { self.input = input }

    func makeSchema(_ format: String, name: String, children: [UnsafeMutablePointer<ArrowSchemaC>] = [],
                    dictionary: UnsafeMutablePointer<ArrowSchemaC>? = nil) -> UnsafeMutablePointer<ArrowSchemaC> {
        arena.schema(ArrowSchemaC(
            format: arena.cString(format), name: arena.cString(name), metadata: nil, flags: arrowFlagNullable,
            n_children: Int64(children.count), children: children.isEmpty ? nil : arena.pointers(children),
            dictionary: dictionary, release: producerReleaseSchema, private_data: nil))
    }

    func makeArray(length: Int, nullCount: Int, offset: Int, buffers: [UnsafeRawPointer?],
                   children: [UnsafeMutablePointer<ArrowArrayC>] = [], dictionary: UnsafeMutablePointer<ArrowArrayC>? = nil)
        -> UnsafeMutablePointer<ArrowArrayC>
    {
        let list = arena.bytes(max(1, buffers.count) * 8).bindMemory(to: UnsafeRawPointer?.self, capacity: max(1, buffers.count))
        for (i, b) in buffers.enumerated() { list[i] = b }
        return arena.array(ArrowArrayC(
            length: Int64(length), null_count: Int64(nullCount), offset: Int64(offset), n_buffers: Int64(buffers.count),
            n_children: Int64(children.count), buffers: list, children: children.isEmpty ? nil : arena.pointers(children),
            dictionary: dictionary, release: producerReleaseArray, private_data: nil))
    }

    /// A validity bitmap for `valid` behind `pad` rows (nil when every row is valid and the input says so),
    /// and the null count to state (sometimes -1: unknown).
    func validity(_ valid: [Bool], pad: Int) -> (UnsafeRawPointer?, Int) {
        let nulls = valid.filter { !$0 }.count
        if nulls == 0 && input.int(3) != 0 { return (nil, 0) }
        let bits = arena.bytes((pad + valid.count + 7) / 8).assumingMemoryBound(to: UInt8.self)
        for i in 0..<pad where input.bool() { bits[i >> 3] |= 1 << UInt8(i & 7) }
        for (i, v) in valid.enumerated() where v { bits[(pad + i) >> 3] |= 1 << UInt8((pad + i) & 7) }
        return (UnsafeRawPointer(bits), input.int(4) == 0 ? -1 : nulls)
    }

    /// A column of `cells` laid out as `layout`, `pad` rows in front (the array's offset).
    func column(_ cells: [Cell], _ layout: Layout, name: String) -> (UnsafeMutablePointer<ArrowSchemaC>, UnsafeMutablePointer<ArrowArrayC>) {
        let pad = input.int(4)
        let n = cells.count
        let all = pad + n
        let valid = cells.map { if case .null = $0 { false } else { true } }
        let schema: UnsafeMutablePointer<ArrowSchemaC>
        let array: UnsafeMutablePointer<ArrowArrayC>
        switch layout {
        case .null:
            schema = makeSchema("n", name: name)
            array = makeArray(length: n, nullCount: n, offset: pad, buffers: [])
        case .bool:
            let (bitmap, nulls) = validity(valid, pad: pad)
            let data = arena.bytes((all + 7) / 8).assumingMemoryBound(to: UInt8.self)
            for (i, c) in cells.enumerated() {
                if case .bool(true) = c { data[(pad + i) >> 3] |= 1 << UInt8((pad + i) & 7) }
            }
            schema = makeSchema("b", name: name)
            array = makeArray(length: n, nullCount: nulls, offset: pad, buffers: [bitmap, UnsafeRawPointer(data)])
        case .integer(let format, let bytes, _):
            let (bitmap, nulls) = validity(valid, pad: pad)
            let data = arena.bytes(all * bytes)
            for (i, c) in cells.enumerated() {
                guard case .integer(let raw, _) = c else { continue }
                for b in 0..<bytes { data.storeBytes(of: UInt8(truncatingIfNeeded: raw >> (8 * UInt64(b))), toByteOffset: (pad + i) * bytes + b, as: UInt8.self) }
            }
            schema = makeSchema(format, name: name)
            array = makeArray(length: n, nullCount: nulls, offset: pad, buffers: [bitmap, UnsafeRawPointer(data)])
        case .float(let bytes):
            let (bitmap, nulls) = validity(valid, pad: pad)
            let data = arena.bytes(all * bytes)
            for (i, c) in cells.enumerated() {
                guard case .number(let x) = c else { continue }
                if bytes == 4 { data.storeBytes(of: Float(x), toByteOffset: (pad + i) * 4, as: Float.self) }
                else { data.storeBytes(of: x, toByteOffset: (pad + i) * 8, as: Double.self) }
            }
            schema = makeSchema(bytes == 4 ? "f" : "g", name: name)
            array = makeArray(length: n, nullCount: nulls, offset: pad, buffers: [bitmap, UnsafeRawPointer(data)])
        case .time(let format):
            let (bitmap, nulls) = validity(valid, pad: pad)
            let width = format == "tdD" ? 4 : 8
            let data = arena.bytes(all * width)
            for (i, c) in cells.enumerated() {
                guard case .integer(let raw, _) = c else { continue }
                if width == 4 { data.storeBytes(of: Int32(truncatingIfNeeded: raw), toByteOffset: (pad + i) * 4, as: Int32.self) }
                else { data.storeBytes(of: raw, toByteOffset: (pad + i) * 8, as: UInt64.self) }
            }
            schema = makeSchema(format, name: name)
            array = makeArray(length: n, nullCount: nulls, offset: pad, buffers: [bitmap, UnsafeRawPointer(data)])
        case .utf8(let large):
            let texts = cells.map { if case .text(let t) = $0 { t } else { [UInt8]() } }
            (schema, array) = utf8Column(Array(repeating: Array("pad".utf8), count: pad) + texts, valid: valid, pad: pad, large: large, name: name)
        case .view:
            let texts = cells.map { if case .text(let t) = $0 { t } else { [UInt8]() } }
            (schema, array) = viewColumn(Array(repeating: Array("padding past twelve".utf8), count: pad) + texts, valid: valid, pad: pad, name: name)
        case .dictionary(let indexBytes, let values):
            // Values: the distinct texts in a shuffled order, maybe with a null value and unused ones.
            var distinct: [[UInt8]] = []
            for case .text(let t) in cells where !distinct.contains(t) { distinct.append(t) }
            if input.bool() { distinct.append(Array("unused".utf8)) }
            if distinct.count > 1 && input.bool() { distinct.swapAt(0, distinct.count - 1) }
            let nullValue = input.bool()
            var valueCells = distinct.map { Cell.text($0) }
            if nullValue { valueCells.insert(.null, at: input.int(valueCells.count + 1)) }
            let (vs, va) = column(valueCells, textLayout(values), name: "")
            let (bitmap, nulls) = nullValue && input.bool() ? (nil, 0) : validity(valid, pad: pad)
            let nullIndex = valueCells.firstIndex { if case .null = $0 { true } else { false } }
            let data = arena.bytes(all * indexBytes)
            for (i, c) in cells.enumerated() {
                var index = 0
                if case .text(let t) = c {
                    index = valueCells.firstIndex { if case .text(let u) = $0 { u == t } else { false } }!
                } else if bitmap == nil {
                    index = nullIndex!  // null through the dictionary
                }
                for b in 0..<indexBytes {
                    data.storeBytes(of: UInt8(truncatingIfNeeded: index >> (8 * b)), toByteOffset: (pad + i) * indexBytes + b, as: UInt8.self)
                }
            }
            let format = indexBytes == 1 ? "c" : indexBytes == 2 ? "S" : indexBytes == 4 ? "i" : "l"
            schema = makeSchema(format, name: name, dictionary: vs)
            array = makeArray(length: n, nullCount: nulls, offset: pad, buffers: [bitmap, UnsafeRawPointer(data)], dictionary: va)
        case .list(let large, let member):
            // Members behind a few that no list row takes; offsets count from the child's first row.
            var members = Array(repeating: Cell.text(Array("unlisted".utf8)), count: input.int(3))
            var offsets: [Int] = Array(repeating: members.count, count: pad)
            for c in cells {
                offsets.append(members.count)
                if case .texts(let list) = c { members += list.map { $0.map(Cell.text) ?? .null } }
            }
            offsets.append(members.count)
            let (cs, ca) = column(members, textLayout(member), name: "item")
            let (bitmap, nulls) = validity(valid, pad: pad)
            let data = large ? arena.values(offsets.map { Int64($0) }) : arena.values(offsets.map { Int32($0) })
            schema = makeSchema(large ? "+L" : "+l", name: name, children: [cs])
            array = makeArray(length: n, nullCount: nulls, offset: pad, buffers: [bitmap, UnsafeRawPointer(data)], children: [ca])
        }
        nodes.append(Node(schema: schema, array: array, layout: layout, batch: batchIndex))
        return (schema, array)
    }

    func textLayout(_ t: Layout.TextLayout) -> Layout {
        switch t {
        case .utf8: .utf8(large: false)
        case .largeUTF8: .utf8(large: true)
        case .view: .view
        }
    }

    private func utf8Column(_ texts: [[UInt8]], valid: [Bool], pad: Int, large: Bool, name: String)
        -> (UnsafeMutablePointer<ArrowSchemaC>, UnsafeMutablePointer<ArrowArrayC>)
    {
        let (bitmap, nulls) = validity(valid, pad: pad)
        let start = input.int(3)  // offsets need not start at 0
        var offsets = [start]
        var bytes: [UInt8] = Array(repeating: 0x2A, count: start)
        for t in texts {
            bytes += t
            offsets.append(bytes.count)
        }
        let data = bytes.isEmpty && input.bool() ? nil : UnsafeRawPointer(arena.values(bytes))
        let offsetBuffer = large ? arena.values(offsets.map { Int64($0) }) : arena.values(offsets.map { Int32($0) })
        let schema = makeSchema(large ? "U" : "u", name: name)
        let array = makeArray(length: texts.count - pad, nullCount: nulls, offset: pad,
                              buffers: [bitmap, UnsafeRawPointer(offsetBuffer), data])
        return (schema, array)
    }

    private func viewColumn(_ texts: [[UInt8]], valid: [Bool], pad: Int, name: String)
        -> (UnsafeMutablePointer<ArrowSchemaC>, UnsafeMutablePointer<ArrowArrayC>)
    {
        let (bitmap, nulls) = validity(valid, pad: pad)
        let bufferCount = 1 + input.int(2)
        var data: [[UInt8]] = Array(repeating: [], count: bufferCount)
        let views = arena.bytes(texts.count * 16)
        for (k, t) in texts.enumerated() {
            views.storeBytes(of: Int32(t.count), toByteOffset: k * 16, as: Int32.self)
            if t.count <= 12 {
                for (j, b) in t.enumerated() { views.storeBytes(of: b, toByteOffset: k * 16 + 4 + j, as: UInt8.self) }
            } else {
                let which = input.int(bufferCount)
                for (j, b) in t.prefix(4).enumerated() { views.storeBytes(of: b, toByteOffset: k * 16 + 4 + j, as: UInt8.self) }
                views.storeBytes(of: Int32(which), toByteOffset: k * 16 + 8, as: Int32.self)
                views.storeBytes(of: Int32(data[which].count), toByteOffset: k * 16 + 12, as: Int32.self)
                data[which] += t
            }
        }
        var buffers: [UnsafeRawPointer?] = [bitmap, UnsafeRawPointer(views)]
        for d in data { buffers.append(UnsafeRawPointer(arena.values(d))) }
        buffers.append(UnsafeRawPointer(arena.values(data.map { Int64($0.count) })))
        let schema = makeSchema("vu", name: name)
        let array = makeArray(length: texts.count - pad, nullCount: nulls, offset: pad, buffers: buffers)
        return (schema, array)
    }

    /// A record batch of `columns` (name, cells, layout), maybe behind `pad` rows of the struct's own offset.
    func recordBatch(_ columns: [(String, [Cell], Layout)], rows: Int, nullRow: Int? = nil)
        -> (UnsafeMutablePointer<ArrowSchemaC>, UnsafeMutablePointer<ArrowArrayC>)
    {
        let pad = input.int(3)
        var schemas: [UnsafeMutablePointer<ArrowSchemaC>] = []
        var arrays: [UnsafeMutablePointer<ArrowArrayC>] = []
        for (name, cells, layout) in columns {
            // The struct's offset applies to its children: give them `pad` rows more in front.
            let padCells = Array(repeating: padCell(layout), count: pad)
            let (s, a) = column(padCells + cells, layout, name: name)
            schemas.append(s)
            arrays.append(a)
        }
        var bitmap: UnsafeRawPointer? = nil
        var nulls = 0
        if let nullRow {
            let bits = arena.bytes((pad + rows + 7) / 8).assumingMemoryBound(to: UInt8.self)
            for i in 0..<(pad + rows) where i != pad + nullRow { bits[i >> 3] |= 1 << UInt8(i & 7) }
            bitmap = UnsafeRawPointer(bits)
            nulls = 1
        }
        let schema = makeSchema("+s", name: "", children: schemas)
        let array = makeArray(length: rows, nullCount: nulls, offset: pad, buffers: [bitmap], children: arrays)
        return (schema, array)
    }

    /// A value of `layout`'s kind for rows that only pad (never read).
    func padCell(_ layout: Layout) -> Cell {
        switch layout {
        case .null: .null
        case .bool: .bool(true)
        case .integer, .time: .integer(raw: 7, value: 7)
        case .float: .number(7)
        case .utf8, .view, .dictionary: .text(Array("pad".utf8))
        case .list: .texts([Array("pad".utf8)])
        }
    }
}

// MARK: Generating tables

extension Builder {
    func pickText() -> [UInt8] { words[input.int(words.count)] }

    func numberLayout() -> Layout {
        switch input.int(11) {
        case 0: .integer(format: "c", bytes: 1, signed: true)
        case 1: .integer(format: "C", bytes: 1, signed: false)
        case 2: .integer(format: "s", bytes: 2, signed: true)
        case 3: .integer(format: "S", bytes: 2, signed: false)
        case 4: .integer(format: "i", bytes: 4, signed: true)
        case 5: .integer(format: "I", bytes: 4, signed: false)
        case 6: .integer(format: "l", bytes: 8, signed: true)
        case 7: .integer(format: "L", bytes: 8, signed: false)
        case 8: .float(bytes: 4)
        default: .float(bytes: 8)
        }
    }

    func textLayout() -> Layout.TextLayout { [.utf8, .largeUTF8, .view][input.int(3)] }

    func stringLayout() -> Layout {
        switch input.int(4) {
        case 0: .utf8(large: false)
        case 1: .utf8(large: true)
        case 2: .view
        default: .dictionary(indexBytes: [1, 2, 4, 8][input.int(4)], values: textLayout())
        }
    }

    /// A value of a number column laid out as `layout`, with the number the reader makes of it
    /// (floats may be NaN, missing, or infinite).
    func number(_ layout: Layout) -> Cell {
        guard case .integer(_, let bytes, let signed) = layout else {
            var x = input.double(around: 100)
            if case .float(4) = layout { x = Double(Float(x)) }
            return .number(x)
        }
        let raw = input.uint64()
        let bits = UInt64(bytes * 8)
        let masked = bits == 64 ? raw : raw & ((1 << bits) - 1)
        if signed {
            let shift = 64 - bits
            let value = Int64(bitPattern: masked << shift) >> shift
            return .integer(raw: UInt64(bitPattern: value), value: Double(value))
        }
        return .integer(raw: masked, value: Double(masked))
    }
}

// MARK: The target

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let b = Builder(FuzzInput(data, size))
    let modelIndex = b.input.int(fixedModels.count)
    let model = fixedModels[modelIndex]
    let asOf = fuzzAsOf
    var invalid: [String] = []  // why the table should be refused (empty: it must be taken)

    // Leads: ids, then a subset of the model's attributes.
    let n = b.input.int(7)
    let intIDs = b.input.int(4) == 0
    var ids: [String] = []
    var idCells: [Cell] = []
    for i in 0..<n {
        if intIDs {
            let v = Int64(b.input.int(5)) - 1 + Int64(i) * 1000  // distinct, some negative
            ids.append(String(v))
            idCells.append(.integer(raw: UInt64(bitPattern: v), value: Double(v)))
        } else {
            switch b.input.int(12) {
            case 0: ids.append(ids.last ?? "L-x")  // repeated (taken without events)
            case 1 where b.input.int(4) == 0: ids.append("")
            case 2 where b.input.int(4) == 0: ids.append("<null>")
            default: ids.append("L-\(i)" + (b.input.bool() ? " with a name past twelve bytes" : ""))
            }
            idCells.append(ids.last == "<null>" ? .null : .text(Array(ids.last!.utf8)))
        }
    }
    if ids.contains("") || ids.contains("<null>") { invalid.append("a null or empty id") }
    let idLayout: Layout = intIDs ? [.integer(format: "l", bytes: 8, signed: true), .integer(format: "i", bytes: 4, signed: true)][b.input.int(2)] : b.stringLayout()

    var leadColumns: [(String, [Cell], Layout)] = [("id", idCells, idLayout)]
    var attributes: [[String: LeadValue]] = Array(repeating: [:], count: n)
    for attribute in model.attributes where b.input.int(4) != 0 {
        var layout: Layout
        var cells: [Cell] = []
        let nullRate = b.input.int(4)
        func isNull() -> Bool { nullRate > 0 && b.input.int(4) < nullRate - 1 }
        switch attribute.type {
        case .number:
            layout = b.input.int(10) == 0 ? .null : b.numberLayout()
            for _ in 0..<n {
                if case .null = layout { cells.append(.null); continue }
                if isNull() { cells.append(.null); continue }
                let cell = b.number(layout)
                if case .number(let x) = cell, x.isInfinite { invalid.append("an infinite number") }
                cells.append(cell)
            }
        case .bool:
            layout = b.input.int(10) == 0 ? .null : .bool
            for _ in 0..<n { cells.append(isNull() || { if case .null = layout { true } else { false } }() ? .null : .bool(b.input.bool())) }
        case .string:
            layout = b.input.int(10) == 0 ? .null : b.stringLayout()
            for _ in 0..<n { cells.append(isNull() || { if case .null = layout { true } else { false } }() ? .null : .text(b.pickText())) }
        case .strings:
            layout = b.input.int(10) == 0 ? .null : .list(large: b.input.bool(), member: b.textLayout())
            for _ in 0..<n {
                if isNull() || { if case .null = layout { true } else { false } }() { cells.append(.null); continue }
                var list: [[UInt8]?] = []
                for _ in 0..<b.input.int(4) { list.append(b.input.int(24) == 0 ? nil : b.pickText()) }
                if list.contains(where: { $0 == nil }) { invalid.append("a null list member") }
                cells.append(.texts(list))
            }
        }
        // Sometimes a column of the wrong kind.
        if b.input.int(16) == 0 {
            switch attribute.type {
            case .number, .bool, .strings:
                layout = .utf8(large: false)
                cells = cells.map { _ in .text(Array("1".utf8)) }
            case .string:
                layout = .float(bytes: 8)
                cells = cells.map { _ in .number(1) }
            }
            invalid.append("a column of the wrong kind")
        }
        for (i, c) in cells.enumerated() { if let v = c.leadValue { attributes[i][attribute.name] = v } }
        leadColumns.append((attribute.name, cells, layout))
    }
    // Unknown columns: refused unless FUNNEL_ARROW_IGNORE_UNKNOWN, which covers both tables.
    var flags: UInt32 = 0
    var unknownColumn = false
    if b.input.int(8) == 0 {
        leadColumns.append(("not_an_attribute", (0..<n).map { _ in .number(1) }, .float(bytes: 8)))
        unknownColumn = true
        if b.input.bool() { flags = 1 }
    }
    if leadColumns.count > 1 && b.input.bool() { leadColumns.swapAt(0, b.input.int(leadColumns.count)) }

    // Events: a few per lead, of known and unknown types, with the properties rules read.
    var events: [[Event]] = Array(repeating: [], count: n)
    var eventColumns: [(String, [Cell], Layout)]? = nil
    if b.input.int(3) != 0 {
        if Set(ids).count != ids.count && n > 0 { invalid.append("repeated ids with events") }
        let m = n == 0 ? b.input.int(2) : b.input.int(13)
        var leadCells: [Cell] = []
        var typeCells: [Cell] = []
        var atCells: [Cell] = []
        let atLayout: Layout = [.float(bytes: 8), .integer(format: "l", bytes: 8, signed: true), .time(format: "tdD"),
                                .time(format: "tss:"), .time(format: "tsm:UTC"), .time(format: "tsu:"), .time(format: "tsn:")][b.input.int(7)]
        let propertyNames = LeadBatchSupport.propertyNames(model)
        var propertyColumns: [(String, Layout, [Cell])] = []
        for name in propertyNames where b.input.bool() {
            let layout: Layout = [.float(bytes: 8), .integer(format: "i", bytes: 4, signed: true), .bool, b.stringLayout(),
                                  .list(large: false, member: .utf8)][b.input.int(5)]
            propertyColumns.append((name, layout, []))
        }
        var eventLeads: [Int] = []
        for _ in 0..<m {
            let row = n == 0 ? -1 : b.input.int(n)
            eventLeads.append(row)
            if row < 0 || b.input.int(40) == 0 {
                leadCells.append(intIDs ? .integer(raw: 999_999, value: 999_999) : .text(Array("nobody".utf8)))
                invalid.append("an event of an unknown lead")
            } else if case .null = idCells[row] {
                leadCells.append(.null)
            } else {
                leadCells.append(intIDs ? idCells[row] : .text(Array(ids[row].utf8)))
            }
            typeCells.append(b.input.int(50) == 0 ? .null : .text(eventTypes[b.input.int(eventTypes.count)]))
            if case .null = typeCells.last! { invalid.append("a null event type") }
            // Times: the raw value the column holds, and the seconds it means.
            var seconds: Double
            let day = 86_400.0
            switch atLayout {
            case .float:
                seconds = b.input.int(30) == 0 ? [Double.nan, .infinity][b.input.int(2)] : (asOf - Double(b.input.int(200)) * day / 3 + Double(b.input.int(1000)) / 7)
                atCells.append(.number(seconds))
            case .integer:
                seconds = asOf - Double(b.input.int(400)) * 7919
                atCells.append(.integer(raw: UInt64(bitPattern: Int64(seconds)), value: seconds))
            case .time(let format):
                let raw: Int64
                switch format {
                case "tdD": raw = Int64(asOf / day) - Int64(b.input.int(400)); seconds = Double(raw) * day
                case "tss:": raw = Int64(asOf) - Int64(b.input.int(1 << 16)) * 97; seconds = Double(raw)
                default:
                    let divisor: Int64 = format == "tsm:UTC" ? 1000 : format == "tsu:" ? 1_000_000 : 1_000_000_000
                    raw = Int64(asOf) * divisor - Int64(b.input.uint32()) * 997 * (divisor / 1000) - Int64(b.input.int(1000))
                    let (whole, part) = raw.quotientAndRemainder(dividingBy: divisor)
                    seconds = Double(whole) + Double(part) / Double(divisor)
                }
                atCells.append(.integer(raw: UInt64(bitPattern: raw), value: seconds))
            default: fatalError("unreachable")
            }
            if b.input.int(50) == 0 { atCells[atCells.count - 1] = .null; invalid.append("a null time") }
            if !seconds.isFinite { invalid.append("a time that is not finite") }
            var properties: [String: LeadValue] = [:]
            for k in propertyColumns.indices {
                let (name, layout, _) = propertyColumns[k]
                var cell: Cell
                if b.input.int(4) == 0 {
                    cell = .null
                } else {
                    switch layout {
                    case .float, .integer:
                        cell = b.number(layout)
                        if case .number(let x) = cell, x.isInfinite { invalid.append("an infinite property") }
                    case .bool: cell = .bool(b.input.bool())
                    case .list: cell = .texts((0..<b.input.int(3)).map { _ in b.pickText() })
                    default: cell = .text(b.pickText())
                    }
                }
                propertyColumns[k].2.append(cell)
                if let v = cell.leadValue { properties[name] = v }
            }
            if row >= 0, case .text(let t) = typeCells.last!, seconds.isFinite {
                events[row].append(Event(String(decoding: t, as: UTF8.self), at: seconds, properties: properties))
            }
        }
        eventColumns = [("lead", leadCells, intIDs ? idLayout : b.stringLayout()), ("type", typeCells, b.stringLayout()),
                        ("at", atCells, atLayout)]
        eventColumns! += propertyColumns.map { ($0.0, $0.2, $0.1) }
        if b.input.int(10) == 0 {
            eventColumns!.append(("not_a_property", (0..<m).map { _ in .number(1) }, .float(bytes: 8)))
            unknownColumn = true
            if b.input.bool() { flags = 1 }
        }
        if b.input.bool() { eventColumns!.swapAt(0, b.input.int(eventColumns!.count)) }
    }

    if unknownColumn && flags == 0 { invalid.append("an unknown column") }

    // The tables, one record batch each or streams of several.
    let useStream = b.input.int(3) == 0
    var leadBatches: [(UnsafeMutablePointer<ArrowSchemaC>, UnsafeMutablePointer<ArrowArrayC>)] = []
    var eventBatches: [(UnsafeMutablePointer<ArrowSchemaC>, UnsafeMutablePointer<ArrowArrayC>)] = []
    func split(_ columns: [(String, [Cell], Layout)], rows: Int, into batches: inout [(UnsafeMutablePointer<ArrowSchemaC>, UnsafeMutablePointer<ArrowArrayC>)], nullRow: Int?) {
        var start = 0
        repeat {
            let count = !useStream ? rows : rows == start ? 0 : 1 + b.input.int(rows - start)
            let part = columns.map { ($0.0, Array($0.1[start..<(start + count)]), $0.2) }
            let null = nullRow.flatMap { (start..<(start + count)).contains($0) ? $0 - start : nil }
            b.batchIndex = batches.count
            batches.append(b.recordBatch(part, rows: count, nullRow: null))
            start += count
        } while start < rows || (useStream && b.input.int(4) == 0 && batches.count < 4)
    }
    let nullRow = n > 0 && b.input.int(20) == 0 ? b.input.int(n) : nil
    if nullRow != nil { invalid.append("a null struct row") }
    split(leadColumns, rows: n, into: &leadBatches, nullRow: nullRow)
    if let eventColumns { split(eventColumns, rows: eventColumns[0].1.count, into: &eventBatches, nullRow: nil) }

    // Maybe one structural flaw.
    var flawed = ""
    if !b.input.isEmpty && b.input.int(6) == 0, !b.nodes.isEmpty {
        let node = b.nodes[b.input.int(b.nodes.count)]
        let a = node.array
        switch b.input.int(6) {
        case 0:
            // Fewer buffers than the format has (more would read past the producer's list).
            switch node.layout {
            case .null, .view: break
            default: a.pointee.n_buffers -= 1; flawed = "n_buffers - 1"
            }
        case 1: a.pointee.release = nil; flawed = "a released child"
        case 2:
            if case .null = node.layout { break }
            a.pointee.null_count = 1
            a.pointee.buffers![0] = nil
            flawed = "null_count 1 without a validity buffer"
        case 3:
            // A stream's later batches share the first one's schema.
            if !useStream || node.batch == 0 { node.schema.pointee.format = b.arena.cString("z"); flawed = "format z" }
        case 4:
            if case .utf8(let large) = node.layout, a.pointee.length > 0 {
                let at = Int(a.pointee.offset)
                let offsets = UnsafeMutableRawPointer(mutating: a.pointee.buffers![1]!)
                if large { offsets.storeBytes(of: -1, toByteOffset: at * 8, as: Int64.self) }
                else { offsets.storeBytes(of: -1, toByteOffset: at * 4, as: Int32.self) }
                flawed = "a negative string offset"
            }
        default:
            if case .utf8 = node.layout, a.pointee.length > 0 { a.pointee.length = -1; flawed = "a negative length" }
        }
    }
    let expectOK = invalid.isEmpty && flawed.isEmpty

    // Call the ABI.
    var handle: OpaquePointer? = nil
    let modelText = Array(fixedModelTexts[modelIndex].utf8)
    let loaded = modelText.withUnsafeBufferPointer { p in
        p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { funnel_model_load($0, p.count, &handle) }
    }
    check(loaded == 0 && handle != nil, "a fixed model does not load through the ABI")
    defer { funnel_model_free(handle) }
    var options = ArrowOptionsC(version: 1, threads: UInt32(1 + b.input.int(2)), flags: flags)
    var result: OpaquePointer? = OpaquePointer(bitPattern: 0xdead)
    let status: Int32
    if useStream {
        let leadsStream = StreamSource.make(b.arena, leadBatches)
        let eventsStream = eventColumns == nil ? nil : StreamSource.make(b.arena, eventBatches)
        status = funnel_score_arrow_stream(handle, UnsafeMutableRawPointer(leadsStream), eventsStream.map { UnsafeMutableRawPointer($0) },
                                           asOf, &options, &result)
        // The streams stay the caller's.
        check(leadsStream.pointee.release != nil, "the leads stream was released by the call")
        leadsStream.pointee.release!(UnsafeMutableRawPointer(leadsStream))
        if let eventsStream { eventsStream.pointee.release?(UnsafeMutableRawPointer(eventsStream)) }
    } else {
        let (es, ea) = eventColumns == nil ? (nil, nil) : (UnsafeRawPointer(eventBatches[0].0), UnsafeRawPointer(eventBatches[0].1))
        status = funnel_score_arrow(handle, UnsafeRawPointer(leadBatches[0].0), UnsafeRawPointer(leadBatches[0].1), es, ea,
                                    asOf, &options, &result)
    }
    let message = status == 0 ? "" : String(cString: funnel_last_error())
    if arrowStats { fputs(status == 0 ? "taken: \(n) leads\n" : "refused (\(status)): \(message)\n", stderr) }
    check((0...5).contains(status), "status \(status)")
    guard status == 0 else {
        check(!message.isEmpty, "status \(status) with an empty last error")
        check(result == nil, "a refused call left *out set")
        check(!expectOK, "a valid table was refused (\(status): \(message)); ids \(ids)")
        return 0
    }
    check(expectOK, "taken although \(flawed.isEmpty ? invalid.joined(separator: ", ") : flawed); ids \(ids)")
    defer { funnel_arrow_result_free(result) }
    check(funnel_arrow_result_count(result) == n, "result count \(funnel_arrow_result_count(result)) != \(n)")

    // Read the scores back and compare with the Swift API.
    var schema = ArrowSchemaC.released
    var array = ArrowArrayC.released
    check(funnel_arrow_result_export(result, &schema, &array) == 0, "export failed")
    defer {
        array.release?(&array)
        schema.release?(&schema)
    }
    check(array.n_children == 5 && array.length == Int64(n), "exported struct: \(array.n_children) children, \(array.length) rows")
    let columns = (0..<5).map { array.children![$0]!.pointee }

    // The same scores as a stream: its schema, one batch on the same buffers, then the end.
    var stream = ArrowArrayStreamC(get_schema: nil, get_next: nil, get_last_error: nil, release: nil, private_data: nil)
    check(funnel_arrow_result_export_stream(result, &stream) == 0, "stream export failed")
    var streamSchema = ArrowSchemaC.released
    var batch = ArrowArrayC.released
    var end = ArrowArrayC.released
    check(stream.get_schema!(&stream, &streamSchema) == 0 && streamSchema.n_children == 5, "stream get_schema")
    check(stream.get_next!(&stream, &batch) == 0 && batch.length == Int64(n) && batch.n_children == 5, "stream get_next")
    for c in 0..<5 {
        let child = batch.children![c]!.pointee
        check(child.n_buffers == columns[c].n_buffers && child.null_count == columns[c].null_count, "stream column \(c)")
        for b in 0..<Int(child.n_buffers) {
            check(child.buffers![b] == columns[c].buffers![b], "stream column \(c) buffer \(b) differs from the export's")
        }
        check(String(cString: streamSchema.children![c]!.pointee.format!) == String(cString: schema.children![c]!.pointee.format!),
              "stream column \(c) format")
    }
    check(stream.get_next!(&stream, &end) == 0 && end.release == nil, "the stream did not end after one batch")
    batch.release!(&batch)
    streamSchema.release!(&streamSchema)
    stream.release!(&stream)
    check(stream.release == nil && batch.release == nil, "a stream or its batch not marked released")

    func double(_ c: Int, _ i: Int) -> Double {
        columns[c].buffers![1]!.loadUnaligned(fromByteOffset: (Int(columns[c].offset) + i) * 8, as: Double.self)
    }
    func text(_ c: Int, _ i: Int) -> String? {
        let col = columns[c]
        let at = Int(col.offset) + i
        if let validity = col.buffers![0], col.null_count != 0 {
            if validity.load(fromByteOffset: at >> 3, as: UInt8.self) & (1 << UInt8(at & 7)) == 0 { return nil }
        }
        let large = String(cString: schema.children![c]!.pointee.format!) == "U"
        let (s, e) = large
            ? (Int(col.buffers![1]!.loadUnaligned(fromByteOffset: at * 8, as: Int64.self)), Int(col.buffers![1]!.loadUnaligned(fromByteOffset: at * 8 + 8, as: Int64.self)))
            : (Int(col.buffers![1]!.loadUnaligned(fromByteOffset: at * 4, as: Int32.self)), Int(col.buffers![1]!.loadUnaligned(fromByteOffset: at * 4 + 4, as: Int32.self)))
        return String(decoding: UnsafeRawBufferPointer(start: col.buffers![2].map { $0 + s }, count: e - s), as: UTF8.self)
    }
    for i in 0..<n {
        let lead = Lead(id: ids[i], attributes: attributes[i], events: events[i])
        var expected: ScoreResult
        do { expected = try model.score(lead, at: asOf) } catch {
            fatalError("invariant failed: taken by the Arrow call, refused by the Swift API: \(error); lead \(lead)")
        }
        if arrowSelfTest { expected.total = expected.total.nextUp }  // the comparison must catch one ulp
        check(text(0, i) == ids[i], "id[\(i)] = \(text(0, i) ?? "null"), expected \(ids[i])")
        check(same(double(1, i), expected.fit), "fit[\(i)] = \(double(1, i)), Swift API \(expected.fit); lead \(lead)")
        check(same(double(2, i), expected.behavior), "behavior[\(i)] = \(double(2, i)), Swift API \(expected.behavior); lead \(lead)")
        check(same(double(3, i), expected.total), "total[\(i)] = \(double(3, i)), Swift API \(expected.total); lead \(lead)")
        check(text(4, i) == expected.grade, "grade[\(i)] = \(text(4, i) ?? "null"), Swift API \(expected.grade ?? "null")")
    }
    return 0
}

/// `FUZZ_ARROW_STATS=1`: say on stderr whether each input was taken or refused (and why), to see
/// that the corpus reaches both. `FUZZ_ARROW_SELFTEST=1`: expect totals one ulp off, so that the
/// first table taken with a lead must crash (the comparison is live).
let arrowStats = getenv("FUZZ_ARROW_STATS") != nil
let arrowSelfTest = getenv("FUZZ_ARROW_SELFTEST") != nil

// MARK: Streams

/// A stream over record batches built in the arena: get_next copies each array struct out.
final class StreamSource {
    let batches: [(UnsafeMutablePointer<ArrowSchemaC>, UnsafeMutablePointer<ArrowArrayC>)]
    var next = 0

    init(_ batches: [(UnsafeMutablePointer<ArrowSchemaC>, UnsafeMutablePointer<ArrowArrayC>)]) { self.batches = batches }

    static func make(_ arena: Arena, _ batches: [(UnsafeMutablePointer<ArrowSchemaC>, UnsafeMutablePointer<ArrowArrayC>)])
        -> UnsafeMutablePointer<ArrowArrayStreamC>
    {
        let source = StreamSource(batches)
        let p = arena.bytes(MemoryLayout<ArrowArrayStreamC>.stride).bindMemory(to: ArrowArrayStreamC.self, capacity: 1)
        p.initialize(to: ArrowArrayStreamC(
            get_schema: { stream, out in
                let s = StreamSource.of(stream)
                out!.assumingMemoryBound(to: ArrowSchemaC.self).pointee = s.batches[0].0.pointee
                return 0
            },
            get_next: { stream, out in
                let s = StreamSource.of(stream)
                let target = out!.assumingMemoryBound(to: ArrowArrayC.self)
                if s.next < s.batches.count {
                    target.pointee = s.batches[s.next].1.pointee
                    s.next += 1
                } else {
                    target.pointee = .released
                }
                return 0
            },
            get_last_error: { _ in nil },
            release: { stream in
                let p = stream!.assumingMemoryBound(to: ArrowArrayStreamC.self)
                Unmanaged<StreamSource>.fromOpaque(p.pointee.private_data!).release()
                p.pointee.release = nil
            },
            private_data: Unmanaged.passRetained(source).toOpaque()))
        return p
    }

    static func of(_ stream: UnsafeMutableRawPointer?) -> StreamSource {
        let p = stream!.assumingMemoryBound(to: ArrowArrayStreamC.self)
        return Unmanaged<StreamSource>.fromOpaque(p.pointee.private_data!).takeUnretainedValue()
    }
}

/// The names of event properties the model's rules read.
enum LeadBatchSupport {
    static func propertyNames(_ model: Model) -> [String] {
        (try? LeadBatch(model: model, count: 0))?.eventPropertyNames ?? []
    }
}
