import Funnel

/// `funnel_arrow_options`, version 1, as funnel.h lays it out.
struct ArrowOptionsC {
    var version: UInt32
    var threads: UInt32
    var flags: UInt32
}

/// `FUNNEL_ARROW_IGNORE_UNKNOWN`.
private let ignoreUnknownFlag: UInt32 = 1

/// The options a caller passed (NULL: the defaults), checked.
private func arrowSettings(_ pointer: UnsafePointer<ArrowOptionsC>?) throws(Failure) -> (threads: Int, ignoreUnknown: Bool) {
    guard let pointer else { return (0, false) }
    guard pointer.pointee.version == 1 else {
        throw Failure(.argument, "options->version \(pointer.pointee.version) is not one this library knows (1)")
    }
    guard pointer.pointee.flags & ~ignoreUnknownFlag == 0 else {
        throw Failure(.argument, "options->flags has unknown bits \(pointer.pointee.flags & ~ignoreUnknownFlag)")
    }
    return (Int(pointer.pointee.threads), pointer.pointee.flags & ignoreUnknownFlag != 0)
}

private func scoreTables(
    _ model: OpaquePointer?, _ asOf: Double, _ options: UnsafePointer<ArrowOptionsC>?,
    _ out: UnsafeMutablePointer<OpaquePointer?>?, _ tables: () throws(Failure) -> (ArrowTable, ArrowTable?)
) throws(Failure) {
    let out = try Check.out(out, "out")
    let handle = try ModelHandle.from(model)
    let asOf = try Check.instant(asOf)
    let settings = try arrowSettings(options)
    guard arrowLayoutMatches else { throw Failure(.argument, "this platform's Arrow struct layout is not the header's") }
    let (leads, events) = try tables()
    let scoring = ArrowScoring(model: handle.model, leads: leads, events: events, ignoreUnknown: settings.ignoreUnknown)
    let table = try scoring.run(asOf: asOf, threads: settings.threads)
    out.pointee = OpaquePointer(Unmanaged.passRetained(table).toOpaque())
}

@_cdecl("funnel_score_arrow")
public func funnel_score_arrow(
    _ model: OpaquePointer?, _ leadsSchema: UnsafeRawPointer?, _ leads: UnsafeRawPointer?,
    _ eventsSchema: UnsafeRawPointer?, _ events: UnsafeRawPointer?, _ asOf: Double,
    _ options: UnsafeRawPointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    guarded("funnel_score_arrow") { () throws(Failure) in
        try scoreTables(model, asOf, options?.assumingMemoryBound(to: ArrowOptionsC.self), out) { () throws(Failure) in
            let leadTable = try ArrowTable.borrowing(
                leadsSchema?.assumingMemoryBound(to: ArrowSchemaC.self), leads?.assumingMemoryBound(to: ArrowArrayC.self),
                label: "leads")
            guard eventsSchema != nil || events != nil else { return (leadTable, nil) }
            let eventTable = try ArrowTable.borrowing(
                eventsSchema?.assumingMemoryBound(to: ArrowSchemaC.self), events?.assumingMemoryBound(to: ArrowArrayC.self),
                label: "events")
            return (leadTable, eventTable)
        }
    }
}

@_cdecl("funnel_score_arrow_stream")
public func funnel_score_arrow_stream(
    _ model: OpaquePointer?, _ leads: UnsafeMutableRawPointer?, _ events: UnsafeMutableRawPointer?, _ asOf: Double,
    _ options: UnsafeRawPointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    guarded("funnel_score_arrow_stream") { () throws(Failure) in
        try scoreTables(model, asOf, options?.assumingMemoryBound(to: ArrowOptionsC.self), out) { () throws(Failure) in
            let leadTable = try ArrowTable.reading(leads?.assumingMemoryBound(to: ArrowArrayStreamC.self), label: "leads")
            guard let events else { return (leadTable, nil) }
            let eventTable = try ArrowTable.reading(events.assumingMemoryBound(to: ArrowArrayStreamC.self), label: "events")
            return (leadTable, eventTable)
        }
    }
}

@_cdecl("funnel_arrow_result_count")
public func funnel_arrow_result_count(_ result: OpaquePointer?) -> Int {
    guard let result else { return 0 }
    return Unmanaged<ScoreTable>.fromOpaque(UnsafeRawPointer(result)).takeUnretainedValue().count
}

@_cdecl("funnel_arrow_result_export")
public func funnel_arrow_result_export(
    _ result: OpaquePointer?, _ schema: UnsafeMutableRawPointer?, _ array: UnsafeMutableRawPointer?
) -> Int32 {
    guarded("funnel_arrow_result_export") { () throws(Failure) in
        guard let result else { throw Failure(.argument, "result is NULL") }
        guard schema != nil || array != nil else { throw Failure(.argument, "out_schema and out_array are both NULL") }
        guard arrowLayoutMatches else { throw Failure(.argument, "this platform's Arrow struct layout is not the header's") }
        let table = Unmanaged<ScoreTable>.fromOpaque(UnsafeRawPointer(result)).takeUnretainedValue()
        try table.export(
            schema: schema?.assumingMemoryBound(to: ArrowSchemaC.self), array: array?.assumingMemoryBound(to: ArrowArrayC.self))
    }
}

@_cdecl("funnel_arrow_result_export_stream")
public func funnel_arrow_result_export_stream(_ result: OpaquePointer?, _ stream: UnsafeMutableRawPointer?) -> Int32 {
    guarded("funnel_arrow_result_export_stream") { () throws(Failure) in
        guard let result else { throw Failure(.argument, "result is NULL") }
        guard let stream else { throw Failure(.argument, "out_stream is NULL") }
        guard arrowLayoutMatches else { throw Failure(.argument, "this platform's Arrow struct layout is not the header's") }
        let table = Unmanaged<ScoreTable>.fromOpaque(UnsafeRawPointer(result)).takeUnretainedValue()
        ScoreStream.export(table, into: stream.assumingMemoryBound(to: ArrowArrayStreamC.self))
    }
}

@_cdecl("funnel_arrow_result_free")
public func funnel_arrow_result_free(_ result: OpaquePointer?) {
    guard let result else { return }
    Unmanaged<ScoreTable>.fromOpaque(UnsafeRawPointer(result)).release()
}
