import Funnel

/// `funnel_score_jsonl_pickle`: the results of `funnel_score_jsonl_opts` as one
/// pickle (protocol 4) of a Python list of dicts, the objects `json.loads`
/// makes of each result line, written straight from the scorer
/// (`JSONLinesResults`, kind `.scorePickle`). A Python host's `pickle.loads`
/// builds them at a few hundred nanoseconds a result, sharing one str object
/// for every key and name, where parsing the JSON text costs microseconds.
/// Errors are those of `funnel_score_jsonl_opts`, found the same way.
@_cdecl("funnel_score_jsonl_pickle")
public func funnel_score_jsonl_pickle(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double,
    _ options: UnsafeRawPointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ outLength: UnsafeMutablePointer<Int>?
) -> Int32 {
    guarded("funnel_score_jsonl_pickle") { () throws(Failure) in
        try pickleResults(model, jsonl, length, asOf, options, out, outLength, kind: .scorePickle)
    }
}

/// `funnel_score_jsonl_pickle_class`: as `funnel_score_jsonl_pickle`, each
/// result an instance of the Python `dict` subclass `module`.`name` (made by
/// `NEWOBJ` and filled in place), so that a host whose results are such a
/// subclass loads them as they are, with no copy of every dict.
@_cdecl("funnel_score_jsonl_pickle_class")
public func funnel_score_jsonl_pickle_class(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double,
    _ options: UnsafeRawPointer?, _ module: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?,
    _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ outLength: UnsafeMutablePointer<Int>?
) -> Int32 {
    guarded("funnel_score_jsonl_pickle_class") { () throws(Failure) in
        outLength?.pointee = 0
        out?.pointee = nil
        guard let module else { throw Failure(.argument, "module is NULL") }
        guard let name else { throw Failure(.argument, "name is NULL") }
        guard let resultClass = ResultPickleClass(module: cBytes(module), name: cBytes(name)) else {
            throw Failure(.argument, "module and name must be 1 to 255 ASCII letters, digits, '_' and '.'")
        }
        try pickleResults(model, jsonl, length, asOf, options, out, outLength, kind: .scorePickleAs(resultClass))
    }
}

/// The bytes of a NUL-terminated string, at most 256 (more is refused anyway).
private func cBytes(_ text: UnsafePointer<CChar>) -> [UInt8] {
    var bytes: [UInt8] = []
    var k = 0
    while k <= 256, text[k] != 0 {
        bytes.append(UInt8(bitPattern: text[k]))
        k += 1
    }
    return bytes
}

private func pickleResults(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double,
    _ options: UnsafeRawPointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ outLength: UnsafeMutablePointer<Int>?, kind: JSONLinesResults.Kind
) throws(Failure) {
    outLength?.pointee = 0
    let out = try Check.out(out, "out")
    guard let outLength else { throw Failure(.argument, "out_length is NULL") }
    let handle = try ModelHandle.from(model)
    let bytes = try Check.bytes(jsonl, length, "jsonl")
    let threads = try jsonlThreads(options)
    guard asOf.isFinite,
        let output = JSONLinesResults.results(
            of: bytes, model: handle.model, kind: kind, asOf: asOf, threads: threads)
    else {
        // As funnel_score_jsonl_opts: a bad line is reported before a bad as_of.
        _ = try ingest(bytes, handle.model, threads: threads)
        _ = try Check.instant(asOf)
        throw Failure(.limit, "the model's names do not pickle (score the JSON Lines instead)")
    }
    if let error = output.error { throw Failure(error.isParseError ? .parse : .invalid, error.description) }
    var pickle = MallocBuffer(capacity: output.pieces.reduce(8) { $0 + $1.count })
    pickle.bytes(0x80, 4)  // PROTO 4
    pickle.bytes(UInt8(ascii: "]"), UInt8(ascii: "("))  // EMPTY_LIST, MARK
    for piece in output.pieces {
        piece.withUnsafeBytes { pickle.append($0.assumingMemoryBound(to: UInt8.self)) }
    }
    pickle.bytes(UInt8(ascii: "e"), UInt8(ascii: "."))  // APPENDS, STOP
    guard let text = pickle.take() else { throw Failure(.limit, "out of memory for the pickle") }
    out.pointee = text.pointer
    outLength.pointee = text.count
}
