#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-wise order of two byte strings (memcmp, then length).
func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int32 {
    let n = min(a.count, b.count)
    if n > 0 {
        let order = memcmp(a.baseAddress!, b.baseAddress!, n)
        if order != 0 { return order }
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// What a `funnel_arrow_result *` points to: the scores of one call, in
/// memory of its own, exported as Arrow (id, fit, behavior, total, grade)
/// as many times as asked; each export keeps it alive until released.
final class ScoreTable {
    /// Text in Arrow's utf8 layout: offsets (from 0) and bytes.
    final class Text {
        let count: Int
        let offsets: UnsafeMutableBufferPointer<Int64>
        let data: UnsafeMutableRawBufferPointer
        /// Int32 offsets when the bytes fit them (Arrow utf8), else nil (large utf8).
        let offsets32: UnsafeMutableBufferPointer<Int32>?
        private let memory = ArrowScratch()

        /// The lead ids of column `index` of `leads`: strings as they are, integers in decimal.
        init(_ leads: ArrowTable, _ index: Int) throws(Failure) {
            let count = leads.rowCount
            let memory = self.memory
            let offsets = try memory.buffer(count + 1, Int64(0))
            var bytes: [UInt8] = []
            let digits = UnsafeMutableRawBufferPointer(try memory.buffer(24, UInt8(0)))
            var checkedEntries: [Int: Bool] = [:]
            try leads.forEachRow(index) { (column, row, i) throws(Failure) in
                let text: UnsafeRawBufferPointer
                switch column.storage {
                case .integer:
                    guard column.isValid(i) else { throw Failure(.invalid, "leads.id[\(row)]: null") }
                    text = decimal(column.integer(i), digits, unsigned: column.isUnsigned64)
                case .utf8, .view, .dictionary:
                    guard column.isStringLike, let t = stringBytes(column, i) else {
                        if column.isStringLike { throw Failure(.invalid, "leads.id[\(row)]: null") }
                        throw Failure(.invalid, "leads.id: expected strings or integers, found \(column.typeName)")
                    }
                    guard !t.isEmpty else { throw Failure(.invalid, "leads.id[\(row)]: empty (an id is a non-empty string)") }
                    var valid: Bool
                    if case .dictionary(let indices, _) = column.storage {
                        let entry = Int(indices.integer(i))
                        if let known = checkedEntries[entry] {
                            valid = known
                        } else {
                            valid = isValidUTF8(t)
                            checkedEntries[entry] = valid
                        }
                    } else {
                        valid = isValidUTF8(t)
                    }
                    guard valid else { throw Failure(.parse, "leads.id[\(row)]: not valid UTF-8") }
                    text = t
                default:
                    throw Failure(.invalid, "leads.id: expected strings or integers, found \(column.typeName)")
                }
                bytes.append(contentsOf: text)
                offsets[row + 1] = Int64(bytes.count)
            }
            self.count = count
            self.offsets = offsets
            data = UnsafeMutableRawBufferPointer(try memory.buffer(bytes.count, UInt8(0)))
            let target = data
            bytes.withUnsafeBytes { source in
                if !source.isEmpty { target.copyMemory(from: source) }
            }
            if bytes.count <= Int(Int32.max) {
                let small = try memory.buffer(count + 1, Int32(0))
                for r in 0...count { small[r] = Int32(truncatingIfNeeded: offsets[r]) }
                offsets32 = small
            } else {
                offsets32 = nil
            }
        }

        /// The bytes of row `r`.
        @inline(__always) func bytes(_ r: Int) -> UnsafeRawBufferPointer {
            let start = Int(offsets[r])
            return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(data)[start..<Int(offsets[r + 1])])
        }

        /// Finds rows by id. Ids in strictly increasing byte order (sorted
        /// exports, generated keys) are searched by bisection with no table;
        /// others go into a hash table. FUNNEL_E_INVALID when an id repeats
        /// (events could not tell those leads apart).
        func rowIndex() throws(Failure) -> RowIndex {
            var sorted = true
            for r in 1..<max(1, count) where !(compare(bytes(r - 1), bytes(r)) < 0) {
                sorted = false
                break
            }
            if sorted { return RowIndex(text: self, table: nil) }
            var rows: [ByteKey: Int32] = [:]
            rows.reserveCapacity(count)
            for r in 0..<count {
                if let first = rows.updateValue(Int32(r), forKey: ByteKey(bytes: bytes(r))) {
                    let text = String(decoding: bytes(r), as: UTF8.self)
                    throw Failure(
                        .invalid, "leads.id[\(r)]: the id \"\(text)\" is also the id of row \(first): events could not tell them apart")
                }
            }
            return RowIndex(text: self, table: rows)
        }
    }

    /// Rows by id: bisection over sorted ids, or a hash table.
    struct RowIndex {
        let text: Text
        let table: [ByteKey: Int32]?

        subscript(key: ByteKey) -> Int32? {
            if let table { return table[key] }
            var (low, high) = (0, text.count)
            while low < high {
                let mid = (low + high) / 2
                let order = compare(text.bytes(mid), key.bytes)
                if order == 0 { return Int32(mid) }
                if order < 0 { low = mid + 1 } else { high = mid }
            }
            return nil
        }
    }

    let count: Int
    let ids: Text
    let fit: UnsafeMutableBufferPointer<Double>
    let behavior: UnsafeMutableBufferPointer<Double>
    let total: UnsafeMutableBufferPointer<Double>
    let gradeIndex: UnsafeMutableBufferPointer<Int32>
    private let gradeNames: [[UInt8]]
    private(set) var gradeOffsets: UnsafeMutableBufferPointer<Int32>
    private(set) var gradeData: UnsafeMutableRawBufferPointer
    private(set) var gradeValidity: UnsafeMutableBufferPointer<UInt8>
    private(set) var gradeNulls = 0
    private let memory = ArrowScratch()

    init(ids: Text, count: Int, grades: [String]) throws(Failure) {
        self.count = count
        self.ids = ids
        fit = try memory.buffer(count, 0.0)
        behavior = try memory.buffer(count, 0.0)
        total = try memory.buffer(count, 0.0)
        gradeIndex = try memory.buffer(count, Int32(-1))
        gradeNames = grades.map { Array($0.utf8) }
        gradeOffsets = try memory.buffer(count + 1, Int32(0))
        gradeValidity = try memory.buffer((count + 7) / 8, UInt8(0))
        gradeData = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    }

    /// Turns grade indices into the utf8 grade column (null where no grade holds).
    func finishGrades() throws(Failure) {
        var size = 0
        for r in 0..<count where gradeIndex[r] >= 0 && Int(gradeIndex[r]) < gradeNames.count {
            size += gradeNames[Int(gradeIndex[r])].count
        }
        guard size <= Int(Int32.max) else { throw Failure(.limit, "the grade column is larger than 2 GiB") }
        gradeData = UnsafeMutableRawBufferPointer(try memory.buffer(size, UInt8(0)))
        var at = 0
        gradeNulls = 0
        for r in 0..<count {
            let g = Int(gradeIndex[r])
            if g >= 0 && g < gradeNames.count {
                for byte in gradeNames[g] {
                    gradeData[at] = byte
                    at += 1
                }
                gradeValidity[r >> 3] |= 1 << UInt8(r & 7)
            } else {
                gradeNulls += 1
            }
            gradeOffsets[r + 1] = Int32(at)
        }
    }
}

// MARK: Export

/// What an exported struct's private_data holds: the table it reads, and the
/// memory of the struct's own pointer arrays and children.
private final class Export {
    let table: ScoreTable
    var pointers: [UnsafeMutableRawPointer] = []
    init(_ table: ScoreTable) { self.table = table }
    deinit { for p in pointers { free(p) } }

    func allocate<T>(_ count: Int, _ value: T) throws(Failure) -> UnsafeMutablePointer<T> {
        guard let raw = malloc(max(1, count) * MemoryLayout<T>.stride) else {
            throw Failure(.limit, "not enough memory for the export")
        }
        pointers.append(raw)
        let typed = raw.bindMemory(to: T.self, capacity: max(1, count))
        typed.initialize(repeating: value, count: count)
        return typed
    }
}

private let releaseArray: @convention(c) (UnsafeMutableRawPointer?) -> Void = { raw in
    guard let array = raw?.assumingMemoryBound(to: ArrowArrayC.self), array.pointee.release != nil else { return }
    if let children = array.pointee.children {
        for i in 0..<Int(array.pointee.n_children) {
            if let child = children[i], let release = child.pointee.release { release(UnsafeMutableRawPointer(child)) }
        }
    }
    if let owner = array.pointee.private_data { Unmanaged<Export>.fromOpaque(owner).release() }
    array.pointee.release = nil
}

private let releaseSchema: @convention(c) (UnsafeMutableRawPointer?) -> Void = { raw in
    guard let schema = raw?.assumingMemoryBound(to: ArrowSchemaC.self), schema.pointee.release != nil else { return }
    if let children = schema.pointee.children {
        for i in 0..<Int(schema.pointee.n_children) {
            if let child = children[i], let release = child.pointee.release { release(UnsafeMutableRawPointer(child)) }
        }
    }
    if let owner = schema.pointee.private_data { Unmanaged<Export>.fromOpaque(owner).release() }
    schema.pointee.release = nil
}

nonisolated(unsafe) private let staticTexts: [String: UnsafePointer<CChar>] = Dictionary(
    uniqueKeysWithValues: ["+s", "u", "U", "g", "", "id", "fit", "behavior", "total", "grade"].map {
        ($0, makeStaticCString($0))
    })

/// A process-lifetime C string for one of the texts above.
private func staticText(_ text: String) -> UnsafePointer<CChar>? { staticTexts[text] }

extension ScoreTable {
    /// The columns: (name, format, nullable, null count, buffers).
    private var columns: [(String, String, Bool, Int, [UnsafeRawPointer?])] {
        let idOffsets: UnsafeRawPointer? = ids.offsets32.map { UnsafeRawPointer($0.baseAddress!) } ?? UnsafeRawPointer(ids.offsets.baseAddress!)
        return [
            ("id", ids.offsets32 == nil ? "U" : "u", false, 0, [nil, idOffsets, UnsafeRawPointer(ids.data.baseAddress)]),
            ("fit", "g", false, 0, [nil, UnsafeRawPointer(fit.baseAddress)]),
            ("behavior", "g", false, 0, [nil, UnsafeRawPointer(behavior.baseAddress)]),
            ("total", "g", false, 0, [nil, UnsafeRawPointer(total.baseAddress)]),
            ("grade", "u", true, gradeNulls,
             [gradeNulls > 0 ? UnsafeRawPointer(gradeValidity.baseAddress) : nil, UnsafeRawPointer(gradeOffsets.baseAddress),
              UnsafeRawPointer(gradeData.baseAddress) ?? UnsafeRawPointer(gradeOffsets.baseAddress)]),
        ]
    }

    /// Fills `schema` and `array` (either may be NULL) with a new, independent export.
    func export(schema: UnsafeMutablePointer<ArrowSchemaC>?, array: UnsafeMutablePointer<ArrowArrayC>?) throws(Failure) {
        let columns = self.columns
        if let schema {
            let owner = Export(self)
            let children = try owner.allocate(columns.count, UnsafeMutablePointer<ArrowSchemaC>?.none)
            for (i, (name, format, nullable, _, _)) in columns.enumerated() {
                let childOwner = Export(self)
                let child = try owner.allocate(1, ArrowSchemaC.released)
                child.pointee = ArrowSchemaC(
                    format: staticText(format), name: staticText(name), metadata: nil, flags: nullable ? arrowFlagNullable : 0,
                    n_children: 0, children: nil, dictionary: nil, release: releaseSchema,
                    private_data: Unmanaged.passRetained(childOwner).toOpaque())
                children[i] = child
            }
            schema.pointee = ArrowSchemaC(
                format: staticText("+s"), name: staticText(""), metadata: nil, flags: 0, n_children: Int64(columns.count),
                children: children, dictionary: nil, release: releaseSchema,
                private_data: Unmanaged.passRetained(owner).toOpaque())
        }
        if let array {
            let owner = Export(self)
            let children = try owner.allocate(columns.count, UnsafeMutablePointer<ArrowArrayC>?.none)
            for (i, (_, _, _, nulls, buffers)) in columns.enumerated() {
                let childOwner = Export(self)
                let list = try childOwner.allocate(buffers.count, UnsafeRawPointer?.none)
                for (k, buffer) in buffers.enumerated() { list[k] = buffer }
                let child = try owner.allocate(1, ArrowArrayC.released)
                child.pointee = ArrowArrayC(
                    length: Int64(count), null_count: Int64(nulls), offset: 0, n_buffers: Int64(buffers.count),
                    n_children: 0, buffers: list, children: nil, dictionary: nil, release: releaseArray,
                    private_data: Unmanaged.passRetained(childOwner).toOpaque())
                children[i] = child
            }
            let list = try owner.allocate(1, UnsafeRawPointer?.none)
            array.pointee = ArrowArrayC(
                length: Int64(count), null_count: 0, offset: 0, n_buffers: 1, n_children: Int64(columns.count),
                buffers: list, children: children, dictionary: nil, release: releaseArray,
                private_data: Unmanaged.passRetained(owner).toOpaque())
        }
    }
}
