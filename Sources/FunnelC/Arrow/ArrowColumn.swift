/// What a NULL buffer of an empty column reads as: never dereferenced (its
/// length is 0), but a real address, so no optional has to be forced. Read-only, hence shared safely.
nonisolated(unsafe) private let emptyArrowBuffer = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16))

/// One Arrow column (a child of a record batch), checked against its schema
/// and ready to be read in place: nothing here copies a buffer.
///
/// Everything C hands over is checked before it is read: formats, lengths,
/// offsets, buffer and child counts, NULL buffers, dictionary indices, list
/// and string offsets (monotonic, inside the child or the view's buffer).
/// What the C Data Interface does not carry (the byte size of a utf8 data
/// buffer) cannot be checked: such a buffer is trusted up to its last offset.
struct ArrowColumn {
    /// How errors name it: `leads.industry`.
    let label: String
    let format: String
    let length: Int
    let offset: Int
    /// Bit-packed validity, or nil when every value is valid.
    let validity: UnsafePointer<UInt8>?
    let storage: Storage

    indirect enum Storage {
        case null
        case bool(UnsafePointer<UInt8>)
        case integer(UnsafeRawPointer, bytes: Int, signed: Bool)
        case float(UnsafeRawPointer, bytes: Int)
        /// Integers counted in 1/divisor seconds (timestamps) or in days (date32: divisor 0).
        case time(UnsafeRawPointer, divisor: Int64, bytes: Int)
        case utf8(offsets: UnsafeRawPointer, large: Bool, data: UnsafePointer<UInt8>)
        case view(views: UnsafeRawPointer, buffers: [UnsafePointer<UInt8>?], sizes: [Int64])
        case dictionary(indices: ArrowColumn, values: ArrowColumn)
        case list(offsets: UnsafeRawPointer, large: Bool, child: ArrowColumn)
    }

    var isStringLike: Bool {
        switch storage {
        case .utf8, .view: true
        case .dictionary(_, let values): values.isStringLike
        default: false
        }
    }

    var isNumeric: Bool {
        switch storage {
        case .integer, .float: true
        default: false
        }
    }

    /// Whether row `i` (0..<length) holds a value.
    @inline(__always) func isValid(_ i: Int) -> Bool {
        guard let validity else { return true }
        let bit = offset &+ i
        return validity[bit >> 3] & (1 << UInt8(bit & 7)) != 0
    }

    /// The integer at row `i` of an integer column (unsigned 64-bit values above Int64.max wrap).
    @inline(__always) func integer(_ i: Int) -> Int64 {
        guard case .integer(let base, let bytes, let signed) = storage else { return 0 }
        let at = offset &+ i
        switch (bytes, signed) {
        case (1, true): return Int64(base.load(fromByteOffset: at, as: Int8.self))
        case (1, false): return Int64(base.load(fromByteOffset: at, as: UInt8.self))
        case (2, true): return Int64(base.loadUnaligned(fromByteOffset: at &* 2, as: Int16.self))
        case (2, false): return Int64(base.loadUnaligned(fromByteOffset: at &* 2, as: UInt16.self))
        case (4, true): return Int64(base.loadUnaligned(fromByteOffset: at &* 4, as: Int32.self))
        case (4, false): return Int64(base.loadUnaligned(fromByteOffset: at &* 4, as: UInt32.self))
        default: return base.loadUnaligned(fromByteOffset: at &* 8, as: Int64.self)
        }
    }

    /// The number at row `i` of a numeric column.
    @inline(__always) func number(_ i: Int) -> Double {
        switch storage {
        case .float(let base, let bytes):
            let at = offset &+ i
            return bytes == 4
                ? Double(base.loadUnaligned(fromByteOffset: at &* 4, as: Float.self))
                : base.loadUnaligned(fromByteOffset: at &* 8, as: Double.self)
        case .integer(let base, let bytes, let signed):
            if bytes == 8 && !signed {
                return Double(base.loadUnaligned(fromByteOffset: (offset &+ i) &* 8, as: UInt64.self))
            }
            return Double(integer(i))
        default:
            return .nan
        }
    }

    /// Seconds since the epoch at row `i` of a time or numeric column.
    func seconds(_ i: Int) -> Double {
        guard case .time(let base, let divisor, let bytes) = storage else { return number(i) }
        let at = offset &+ i
        let raw =
            bytes == 4
            ? Int64(base.loadUnaligned(fromByteOffset: at &* 4, as: Int32.self))
            : base.loadUnaligned(fromByteOffset: at &* 8, as: Int64.self)
        if divisor == 0 { return Double(raw) * 86400 }
        if divisor == 1 { return Double(raw) }
        let (whole, part) = raw.quotientAndRemainder(dividingBy: divisor)
        return Double(whole) + Double(part) / Double(divisor)
    }

    /// The bytes of row `i` of a utf8, large utf8 or string view column.
    @inline(__always) func bytes(_ i: Int) -> UnsafeRawBufferPointer {
        let at = offset &+ i
        switch storage {
        case .utf8(let offsets, let large, let data):
            let (start, end) =
                large
                ? (Int(offsets.loadUnaligned(fromByteOffset: at &* 8, as: Int64.self)),
                   Int(offsets.loadUnaligned(fromByteOffset: (at &+ 1) &* 8, as: Int64.self)))
                : (Int(offsets.loadUnaligned(fromByteOffset: at &* 4, as: Int32.self)),
                   Int(offsets.loadUnaligned(fromByteOffset: (at &+ 1) &* 4, as: Int32.self)))
            return UnsafeRawBufferPointer(start: data + start, count: end &- start)
        case .view(let views, let buffers, _):
            let view = views + at &* 16
            let count = Int(view.loadUnaligned(as: Int32.self))
            if count <= 12 { return UnsafeRawBufferPointer(start: view + 4, count: count) }
            let buffer = Int(view.loadUnaligned(fromByteOffset: 8, as: Int32.self))
            let start = Int(view.loadUnaligned(fromByteOffset: 12, as: Int32.self))
            return UnsafeRawBufferPointer(start: buffers[buffer].map { UnsafeRawPointer($0) + start }, count: count)
        default:
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
    }

    /// The range of list row `i`'s members in `child`.
    @inline(__always) func members(_ i: Int) -> Range<Int> {
        guard case .list(let offsets, let large, _) = storage else { return 0..<0 }
        let at = offset &+ i
        if large {
            return Int(offsets.loadUnaligned(fromByteOffset: at &* 8, as: Int64.self))..<Int(
                offsets.loadUnaligned(fromByteOffset: (at &+ 1) &* 8, as: Int64.self))
        }
        return Int(offsets.loadUnaligned(fromByteOffset: at &* 4, as: Int32.self))..<Int(
            offsets.loadUnaligned(fromByteOffset: (at &+ 1) &* 4, as: Int32.self))
    }

    /// A short description of the type, for messages.
    var typeName: String {
        switch storage {
        case .null: "null"
        case .bool: "bool"
        case .integer(_, let bytes, let signed): "\(signed ? "int" : "uint")\(bytes * 8)"
        case .float(_, let bytes): "float\(bytes * 8)"
        case .time: "timestamp"
        case .utf8(_, let large, _): large ? "large_utf8" : "utf8"
        case .view: "string_view"
        case .dictionary(_, let values): "dictionary<\(values.typeName)>"
        case .list(_, let large, let child): "\(large ? "large_list" : "list")<\(child.typeName)>"
        }
    }
}

// MARK: Reading and checking

extension ArrowColumn {
    /// Checks `array` against `schema` and describes it. `label` names the column in errors.
    static func read(
        _ schema: UnsafePointer<ArrowSchemaC>, _ array: UnsafePointer<ArrowArrayC>, label: String
    ) throws(Failure) -> ArrowColumn {
        try read(schema, array, label: label, depth: 0)
    }

    private static func read(
        _ schema: UnsafePointer<ArrowSchemaC>, _ array: UnsafePointer<ArrowArrayC>, label: String, depth: Int
    ) throws(Failure) -> ArrowColumn {
        guard depth < 4 else { throw Failure(.argument, "\(label): nested too deeply") }
        let s = schema.pointee
        let a = array.pointee
        guard let formatPointer = s.format else { throw Failure(.argument, "\(label): the schema's format is NULL") }
        guard let format = String(validatingCString: formatPointer) else {
            throw Failure(.argument, "\(label): the schema's format is not UTF-8")
        }
        guard a.release != nil else { throw Failure(.argument, "\(label): the array is released") }
        guard a.length >= 0, a.offset >= 0, a.null_count >= -1, a.n_buffers >= 0, a.n_children >= 0 else {
            throw Failure(.argument, "\(label): negative length, offset, null count or buffer count")
        }
        let length = Int(a.length)
        let offset = Int(a.offset)
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end < Int.max / 16 else { throw Failure(.argument, "\(label): offset + length is too large") }
        guard a.n_buffers <= 1 << 20, a.n_children <= 1 << 20 else {
            throw Failure(.argument, "\(label): too many buffers or children")
        }
        let bufferCount = Int(a.n_buffers)
        var buffers: [UnsafeRawPointer?] = []
        if bufferCount > 0 {
            guard let list = a.buffers else { throw Failure(.argument, "\(label): buffers is NULL") }
            buffers = (0..<bufferCount).map { UnsafeRawPointer(list[$0]) }
        }
        // The dictionary, when the schema has one, is the value type; `format` is then the index type.
        let isDictionary = s.dictionary != nil
        guard isDictionary == (a.dictionary != nil) else {
            throw Failure(.argument, "\(label): the schema and the array disagree on a dictionary")
        }
        func expectBuffers(_ n: Int) throws(Failure) {
            guard bufferCount == n else {
                throw Failure(.argument, "\(label): format \"\(format)\" has \(n) buffers, the array \(bufferCount)")
            }
        }
        func expectChildren(_ n: Int) throws(Failure) {
            guard a.n_children == n, s.n_children == n else {
                throw Failure(.argument, "\(label): format \"\(format)\" has \(n) children")
            }
        }
        func data(_ index: Int) throws(Failure) -> UnsafeRawPointer {
            guard let p = buffers[index] else {
                if length == 0 { return emptyArrowBuffer }
                throw Failure(.argument, "\(label): buffer \(index) is NULL")
            }
            return p
        }
        // Validity: buffer 0 of every layout but null and views' own (they have it too).
        var validity: UnsafePointer<UInt8>?
        if format != "n", bufferCount > 0, let bitmap = buffers[0] {
            validity = bitmap.assumingMemoryBound(to: UInt8.self)
        }
        if validity == nil, a.null_count > 0, format != "n" {
            throw Failure(.argument, "\(label): null_count is \(a.null_count) but the validity buffer is NULL")
        }
        if a.null_count == 0 { validity = nil }
        func column(_ storage: Storage) -> ArrowColumn {
            ArrowColumn(label: label, format: format, length: length, offset: offset, validity: validity, storage: storage)
        }
        let plain: Storage
        switch format {
        case "n":
            try expectBuffers(0)
            try expectChildren(0)
            let all = ArrowColumn(label: label, format: format, length: length, offset: offset, validity: nil, storage: .null)
            return all
        case "b":
            try expectBuffers(2)
            try expectChildren(0)
            plain = .bool(try data(1).assumingMemoryBound(to: UInt8.self))
        case "c", "C", "s", "S", "i", "I", "l", "L":
            // Lower case is signed; c, s, i, l are 1, 2, 4 and 8 bytes wide.
            try expectBuffers(2)
            try expectChildren(0)
            let lower = format.lowercased()
            let bytes = lower == "c" ? 1 : lower == "s" ? 2 : lower == "i" ? 4 : 8
            plain = .integer(try data(1), bytes: bytes, signed: lower == format)
        case "f", "g":
            try expectBuffers(2)
            try expectChildren(0)
            plain = .float(try data(1), bytes: format == "f" ? 4 : 8)
        case "tdD":
            try expectBuffers(2)
            try expectChildren(0)
            plain = .time(try data(1), divisor: 0, bytes: 4)
        case _ where format.hasPrefix("ts") && format.count >= 4 && format.dropFirst(3).first == ":":
            try expectBuffers(2)
            try expectChildren(0)
            let divisor: Int64
            switch format.dropFirst(2).first {
            case "s": divisor = 1
            case "m": divisor = 1000
            case "u": divisor = 1_000_000
            case "n": divisor = 1_000_000_000
            default: throw Failure(.argument, "\(label): unknown timestamp unit in \"\(format)\"")
            }
            plain = .time(try data(1), divisor: divisor, bytes: 8)
        case "u", "U":
            try expectBuffers(3)
            try expectChildren(0)
            let large = format == "U"
            let offsets = try data(1)
            let bytes = buffers[2] ?? emptyArrowBuffer
            // Offsets: from 0 up, never decreasing; a NULL data buffer only when every string is empty.
            if length > 0 {
                var previous: Int64 = -1
                for k in offset...end {
                    let o =
                        large
                        ? offsets.loadUnaligned(fromByteOffset: k * 8, as: Int64.self)
                        : Int64(offsets.loadUnaligned(fromByteOffset: k * 4, as: Int32.self))
                    guard o >= 0, o >= previous else {
                        throw Failure(.argument, "\(label): string offsets[\(k)] = \(o) is negative or decreasing")
                    }
                    previous = o
                }
                if buffers[2] == nil, previous > 0 { throw Failure(.argument, "\(label): buffer 2 is NULL") }
            }
            plain = .utf8(offsets: offsets, large: large, data: bytes.assumingMemoryBound(to: UInt8.self))
        case "vu":
            // validity, views, the variadic data buffers, then their sizes (int64 each).
            guard bufferCount >= 3 else { throw Failure(.argument, "\(label): a string view needs at least 3 buffers") }
            try expectChildren(0)
            let views = try data(1)
            let variadic = bufferCount - 3
            guard let sizesPointer = buffers[bufferCount - 1] ?? (variadic == 0 ? UnsafeRawPointer(bitPattern: 8) : nil)
            else { throw Failure(.argument, "\(label): the variadic buffer sizes are NULL") }
            let sizes = (0..<variadic).map { sizesPointer.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self) }
            let dataBuffers = (0..<variadic).map { buffers[2 + $0].map { $0.assumingMemoryBound(to: UInt8.self) } }
            for k in offset..<end {
                let view = views + k * 16
                let count = view.loadUnaligned(as: Int32.self)
                guard count >= 0 else { throw Failure(.argument, "\(label): view \(k) has a negative length") }
                if count <= 12 { continue }
                let buffer = Int(view.loadUnaligned(fromByteOffset: 8, as: Int32.self))
                let start = Int64(view.loadUnaligned(fromByteOffset: 12, as: Int32.self))
                guard buffer >= 0, buffer < variadic, start >= 0, start + Int64(count) <= sizes[buffer],
                    dataBuffers[buffer] != nil
                else {
                    throw Failure(.argument, "\(label): view \(k) points outside its data buffers")
                }
            }
            plain = .view(views: views, buffers: dataBuffers, sizes: sizes)
        case "+l", "+L":
            try expectBuffers(2)
            try expectChildren(1)
            guard let childSchema = s.children?[0], let childArray = a.children?[0] else {
                throw Failure(.argument, "\(label): a list's child is NULL")
            }
            let child = try read(childSchema, childArray, label: label + "[]", depth: depth + 1)
            let large = format == "+L"
            let offsets = try data(1)
            if length > 0 {
                var previous: Int64 = -1
                for k in offset...end {
                    let o =
                        large
                        ? offsets.loadUnaligned(fromByteOffset: k * 8, as: Int64.self)
                        : Int64(offsets.loadUnaligned(fromByteOffset: k * 4, as: Int32.self))
                    guard o >= 0, o >= previous, o <= Int64(child.length) else {
                        throw Failure(
                            .argument, "\(label): list offsets[\(k)] = \(o) is negative, decreasing or beyond the \(child.length) members")
                    }
                    previous = o
                }
            }
            plain = .list(offsets: offsets, large: large, child: child)
        default:
            throw Failure(.argument, "\(label): unsupported Arrow format \"\(format)\"")
        }
        guard isDictionary else { return column(plain) }
        guard case .integer = plain else {
            throw Failure(.argument, "\(label): dictionary indices must be integers, not \"\(format)\"")
        }
        let values = try read(s.dictionary!, a.dictionary!, label: label + ".dictionary", depth: depth + 1)
        let indices = column(plain)
        for i in 0..<length where indices.isValid(i) {
            let index = indices.integer(i)
            guard index >= 0, index < Int64(values.length) else {
                throw Failure(.argument, "\(label)[\(i)]: dictionary index \(index) is outside the \(values.length) values")
            }
        }
        return column(.dictionary(indices: indices, values: values))
    }
}
