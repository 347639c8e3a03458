#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A table given as record batches (struct arrays): its columns by name, each
/// a list of chunks, all checked. The arrays stay their owner's; a table read
/// from a stream owns the arrays it took and releases them when it is freed.
final class ArrowTable {
    /// `leads` or `events`, for messages.
    let label: String
    /// Column names in schema order.
    private(set) var names: [String] = []
    /// Per column, its chunks in order.
    private(set) var chunks: [[ArrowColumn]] = []
    private(set) var rowCount = 0
    /// Arrays taken from a stream, released with the table.
    private var owned: [UnsafeMutablePointer<ArrowArrayC>] = []
    private var ownedSchema: UnsafeMutablePointer<ArrowSchemaC>?

    init(label: String) { self.label = label }

    deinit {
        for array in owned {
            if let release = array.pointee.release { release(UnsafeMutableRawPointer(array)) }
            array.deallocate()
        }
        if let schema = ownedSchema {
            if let release = schema.pointee.release { release(UnsafeMutableRawPointer(schema)) }
            schema.deallocate()
        }
    }

    /// The index of column `name`, if any.
    func column(_ name: String) -> Int? { names.firstIndex(of: name) }

    /// Reads the column names from a struct schema (once).
    private func setSchema(_ schema: UnsafePointer<ArrowSchemaC>) throws(Failure) {
        let s = schema.pointee
        guard let format = s.format, String(validatingCString: format) == "+s" else {
            throw Failure(.argument, "\(label): expected a struct (record batch) schema, format \"+s\"")
        }
        guard s.n_children >= 0, s.n_children <= 1 << 16 else { throw Failure(.argument, "\(label): too many columns") }
        guard s.n_children == 0 || s.children != nil else { throw Failure(.argument, "\(label): schema children is NULL") }
        var names: [String] = []
        for i in 0..<Int(s.n_children) {
            guard let child = s.children![i] else { throw Failure(.argument, "\(label): schema child \(i) is NULL") }
            guard let namePointer = child.pointee.name else {
                throw Failure(.argument, "\(label): column \(i) has no name")
            }
            guard let name = String(validatingCString: namePointer) else {
                throw Failure(.parse, "\(label): the name of column \(i) is not valid UTF-8")
            }
            guard !names.contains(name) else { throw Failure(.argument, "\(label): two columns are named \"\(name)\"") }
            names.append(name)
        }
        self.names = names
        chunks = names.map { _ in [] }
    }

    /// Adds one record batch (a struct array) of `schema`.
    private func add(_ schema: UnsafePointer<ArrowSchemaC>, _ array: UnsafePointer<ArrowArrayC>) throws(Failure) {
        let a = array.pointee
        guard a.release != nil else { throw Failure(.argument, "\(label): the array is released") }
        guard a.length >= 0, a.offset >= 0, a.n_children >= 0 else {
            throw Failure(.argument, "\(label): negative length, offset or child count")
        }
        guard a.n_children == Int64(names.count) else {
            throw Failure(.argument, "\(label): the array has \(a.n_children) columns, its schema \(names.count)")
        }
        let (_, overflow) = a.offset.addingReportingOverflow(a.length)
        guard !overflow, a.offset + a.length < Int64.max / 16 else {
            throw Failure(.argument, "\(label): offset + length is too large")
        }
        guard a.n_buffers == 1 else { throw Failure(.argument, "\(label): a struct array has 1 buffer, not \(a.n_buffers)") }
        guard let buffers = a.buffers else { throw Failure(.argument, "\(label): buffers is NULL") }
        if a.null_count != 0, a.length > 0, let validity = buffers[0] {
            let bits = validity.assumingMemoryBound(to: UInt8.self)
            for i in 0..<Int(a.length) {
                let bit = Int(a.offset) + i
                if bits[bit >> 3] & (1 << UInt8(bit & 7)) == 0 {
                    throw Failure(.invalid, "\(label): row \(rowCount + i) is null")
                }
            }
        }
        guard names.isEmpty || a.children != nil else { throw Failure(.argument, "\(label): children is NULL") }
        let length = Int(a.length)
        guard rowCount <= Int(Int32.max) - length || label == "events", rowCount <= Int.max / 2 - length else {
            throw Failure(.limit, "\(label): more than \(Int32.max) rows")
        }
        var columns: [ArrowColumn] = []
        for i in 0..<names.count {
            guard let childSchema = schema.pointee.children![i], let childArray = a.children![i] else {
                throw Failure(.argument, "\(label).\(names[i]): child is NULL")
            }
            let column = try ArrowColumn.read(childSchema, childArray, label: "\(label).\(names[i])")
            // A struct's offset applies to its children too.
            guard column.offset <= Int.max - Int(a.offset), column.length >= Int(a.offset) + length else {
                throw Failure(.argument, "\(label).\(names[i]): shorter than the record batch")
            }
            columns.append(column.sliced(from: Int(a.offset), count: length))
        }
        for i in 0..<names.count { chunks[i].append(columns[i]) }
        rowCount += length
    }

    /// A table of one record batch; the caller keeps ownership of both structs.
    static func borrowing(
        _ schema: UnsafePointer<ArrowSchemaC>?, _ array: UnsafePointer<ArrowArrayC>?, label: String
    ) throws(Failure) -> ArrowTable {
        guard let schema else { throw Failure(.argument, "\(label)_schema is NULL") }
        guard let array else { throw Failure(.argument, "\(label) is NULL") }
        guard schema.pointee.release != nil else { throw Failure(.argument, "\(label)_schema is released") }
        let table = ArrowTable(label: label)
        try table.setSchema(schema)
        try table.add(schema, array)
        return table
    }

    /// A table of every record batch of `stream`, read to its end. The stream
    /// stays the caller's; the arrays it gave are released with the table.
    static func reading(_ stream: UnsafeMutablePointer<ArrowArrayStreamC>?, label: String) throws(Failure) -> ArrowTable {
        guard let stream else { throw Failure(.argument, "\(label) stream is NULL") }
        guard stream.pointee.release != nil, let getSchema = stream.pointee.get_schema,
            let getNext = stream.pointee.get_next
        else { throw Failure(.argument, "\(label) stream is released or has NULL callbacks") }
        func streamError(_ code: Int32) -> Failure {
            var message = "error \(code)"
            if let lastError = stream.pointee.get_last_error, let text = lastError(UnsafeMutableRawPointer(stream)) {
                message += ": " + String(decoding: UnsafeRawBufferPointer(start: text, count: strlen(text)), as: UTF8.self)
            }
            return Failure(.argument, "\(label): the stream failed (\(message))")
        }
        let table = ArrowTable(label: label)
        let schema = UnsafeMutablePointer<ArrowSchemaC>.allocate(capacity: 1)
        schema.initialize(to: .released)
        table.ownedSchema = schema
        let code = getSchema(UnsafeMutableRawPointer(stream), UnsafeMutableRawPointer(schema))
        guard code == 0 else { throw streamError(code) }
        guard schema.pointee.release != nil else { throw Failure(.argument, "\(label): the stream gave a released schema") }
        try table.setSchema(schema)
        while true {
            let array = UnsafeMutablePointer<ArrowArrayC>.allocate(capacity: 1)
            array.initialize(to: .released)
            table.owned.append(array)
            let code = getNext(UnsafeMutableRawPointer(stream), UnsafeMutableRawPointer(array))
            guard code == 0 else { throw streamError(code) }
            if array.pointee.release == nil { break }  // the end of the stream
            try table.add(schema, array)
        }
        return table
    }

    /// The chunks of column `index` with the first row of each (from 0).
    func forEachRow(_ index: Int, _ body: (_ column: ArrowColumn, _ row: Int, _ i: Int) throws(Failure) -> Void)
        throws(Failure)
    {
        var base = 0
        for column in chunks[index] {
            for i in 0..<column.length { try body(column, base + i, i) }
            base += column.length
        }
    }
}

extension ArrowColumn {
    /// The rows `from..<from + count` of this column (the struct's offset moved into the child's).
    func sliced(from start: Int, count: Int) -> ArrowColumn {
        var storage = self.storage
        if case .dictionary(let indices, let values) = storage {
            storage = .dictionary(indices: indices.sliced(from: start, count: count), values: values)
        }
        return ArrowColumn(
            label: label, format: format, length: count, offset: offset + start, validity: validity, storage: storage)
    }
}
