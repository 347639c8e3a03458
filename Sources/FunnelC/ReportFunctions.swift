import Funnel

/// A history log being read for reports (`funnel_report_builder`).
final class ReportBuilderHandle {
    var log: HistoryLog

    init(_ model: Model) {
        log = HistoryLog(model: model)
    }

    static func from(_ pointer: OpaquePointer?) throws(Failure) -> ReportBuilderHandle {
        guard let pointer else { throw Failure(.argument, "builder is NULL") }
        return Unmanaged<ReportBuilderHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }
}

/// A period end from C: NaN is open (`nil`); an infinity is refused.
private func periodEnd(_ value: Double, _ name: String) throws(Failure) -> Double? {
    if value.isNaN { return nil }
    guard value.isFinite else { throw Failure(.argument, "\(name) must be a finite number of seconds, or NaN for open") }
    return value
}

private func period(_ from: Double, _ to: Double) throws(Failure) -> (Double?, Double?) {
    let start = try periodEnd(from, "from")
    let end = try periodEnd(to, "to")
    if let start, let end, start > end { throw Failure(.argument, "from is after to") }
    return (start, end)
}

/// Adds JSON Lines to a log: malformed JSON or invalid UTF-8 is FUNNEL_E_PARSE,
/// a line that breaks SPEC §12 FUNNEL_E_INVALID, both naming the line and field.
private func add(_ bytes: UnsafeRawBufferPointer, to log: inout HistoryLog) throws(Failure) {
    do {
        try log.add(jsonLines: bytes)
    } catch {
        throw Failure(error.isMalformed ? .parse : .invalid, error.description)
    }
}

/// `funnel_report_json`: the funnel.report/1 document of a whole history log.
@_cdecl("funnel_report_json")
public func funnel_report_json(
    _ model: OpaquePointer?, _ history: UnsafePointer<CChar>?, _ length: Int, _ from: Double, _ to: Double,
    _ out: CStringOut?
) -> Int32 {
    guarded("funnel_report_json") { () throws(Failure) in
        let out = try Check.out(out, "out_json")
        let handle = try ModelHandle.from(model)
        let bytes = try Check.bytes(history, length, "history_jsonl")
        let (start, end) = try period(from, to)
        var log = HistoryLog(model: handle.model)
        try add(bytes, to: &log)
        try deliver(log.report(from: start, to: end).jsonBytes, to: out)
    }
}

/// `funnel_report_builder_new`: an empty history log for `model`.
@_cdecl("funnel_report_builder_new")
public func funnel_report_builder_new(_ model: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded("funnel_report_builder_new") { () throws(Failure) in
        let out = try Check.out(out, "out")
        let handle = try ModelHandle.from(model)
        out.pointee = OpaquePointer(Unmanaged.passRetained(ReportBuilderHandle(handle.model)).toOpaque())
    }
}

/// `funnel_report_builder_add`: more lines of the log; line numbers run on across calls.
@_cdecl("funnel_report_builder_add")
public func funnel_report_builder_add(_ builder: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int)
    -> Int32
{
    guarded("funnel_report_builder_add") { () throws(Failure) in
        let handle = try ReportBuilderHandle.from(builder)
        let bytes = try Check.bytes(jsonl, length, "jsonl")
        try add(bytes, to: &handle.log)
    }
}

/// `funnel_report_builder_finish`: the report for a period of the lines added so far.
@_cdecl("funnel_report_builder_finish")
public func funnel_report_builder_finish(_ builder: OpaquePointer?, _ from: Double, _ to: Double, _ out: CStringOut?)
    -> Int32
{
    guarded("funnel_report_builder_finish") { () throws(Failure) in
        let out = try Check.out(out, "out_json")
        let handle = try ReportBuilderHandle.from(builder)
        let (start, end) = try period(from, to)
        try deliver(handle.log.report(from: start, to: end).jsonBytes, to: out)
    }
}

/// `funnel_report_builder_free`: releases a builder; NULL is a no-op.
@_cdecl("funnel_report_builder_free")
public func funnel_report_builder_free(_ builder: OpaquePointer?) {
    guard let builder else { return }
    Unmanaged<ReportBuilderHandle>.fromOpaque(UnsafeRawPointer(builder)).release()
}
