import Funnel

/// `funnel_batch_new_jsonl`: a batch holding the leads of a JSON Lines text,
/// read as `funnel_score_jsonl` reads them, so that a host scores them into its
/// own arrays (`funnel_batch_score_levels`) instead of reading back one JSON
/// result a lead.
@_cdecl("funnel_batch_new_jsonl")
public func funnel_batch_new_jsonl(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ options: UnsafeRawPointer?,
    _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    guarded("funnel_batch_new_jsonl") { () throws(Failure) in
        let out = try Check.out(out, "out")
        let handle = try ModelHandle.from(model)
        let bytes = try Check.bytes(jsonl, length, "jsonl")
        let threads = try jsonlThreads(options)
        let batch = try ingest(bytes, handle.model, threads: threads)
        out.pointee = OpaquePointer(Unmanaged.passRetained(BatchHandle(batch)).toOpaque())
    }
}

/// `funnel_doubles_from_pickle`: the numbers of a pickled Python list, NaN for
/// None. Python's `pickle.dumps(values, 2)` runs in C at a few nanoseconds a
/// value whatever the mix of floats and Nones, where turning a list holding
/// None into an `array('d')` costs a Python call per value.
@_cdecl("funnel_doubles_from_pickle")
public func funnel_doubles_from_pickle(
    _ pickle: UnsafePointer<CChar>?, _ length: Int, _ out: UnsafeMutablePointer<Double>?, _ count: Int,
    _ kinds: UnsafeMutablePointer<UInt32>?
) -> Int32 {
    guarded("funnel_doubles_from_pickle") { () throws(Failure) in
        kinds?.pointee = 0
        let bytes = try Check.bytes(pickle, length, "pickle")
        guard count >= 0 else { throw Failure(.argument, "count is too large") }
        guard out != nil || count == 0 else { throw Failure(.argument, "out is NULL") }
        var reader = PickledList(bytes)
        try reader.numbers(into: UnsafeMutableBufferPointer(start: out, count: count))
        kinds?.pointee = reader.kinds
    }
}
