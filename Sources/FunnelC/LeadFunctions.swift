import Funnel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses JSON from C: malformed JSON or invalid UTF-8 is FUNNEL_E_PARSE.
func parseJSON(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
    do {
        return try JSONParser.parse(bytes)
    } catch {
        throw Failure(.parse, "malformed JSON: \(error)")
    }
}

/// Parses one lead document, telling malformed JSON from a bad lead.
func parseLead(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> Lead {
    let value = try parseJSON(bytes)
    do {
        return try Lead(jsonValue: value)
    } catch {
        throw Failure(.invalid, error.description)
    }
}

public typealias CStringOut = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

/// What every one-lead call shares: the output slot, the model, the lead
/// document and the instant checked in that order, then `body`'s document
/// delivered to the caller.
private func oneLead(
    _ function: StaticString, _ model: OpaquePointer?, _ leadJSON: UnsafePointer<CChar>?, _ length: Int,
    _ asOf: Double, _ out: CStringOut?, _ body: (Model, Lead, Double) throws(Failure) -> String
) -> Int32 {
    guarded(function) { () throws(Failure) in
        let out = try Check.out(out, "out_json")
        let handle = try ModelHandle.from(model)
        let lead = try parseLead(try Check.bytes(leadJSON, length, "lead_json"))
        let asOf = try Check.instant(asOf)
        try deliver(Array(try body(handle.model, lead, asOf).utf8), to: out)
    }
}

/// `funnel_score_json`: one lead's SPEC §7 score result.
@_cdecl("funnel_score_json")
public func funnel_score_json(
    _ model: OpaquePointer?, _ leadJSON: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double, _ out: CStringOut?
) -> Int32 {
    guarded("funnel_score_json") { () throws(Failure) in
        let out = try Check.out(out, "out_json")
        let handle = try ModelHandle.from(model)
        let bytes = try Check.bytes(leadJSON, length, "lead_json")
        // The usual document is read and written straight (no tree, no Lead):
        // it is valid, so only the instant is left to check. Any other takes
        // the reference path below, which reports every error in its order.
        // The model's one-lead scratches keep the reader, batch, scorer
        // memory and result buffer, so that the steady state allocates
        // nothing but the result.
        let document = bytes.assumingMemoryBound(to: UInt8.self)
        let text = handle.model.withOneLeadScratch { scratch -> UnsafeMutablePointer<CChar>?? in
            guard scratch.scoreResultJSON(document, at: asOf) else { return .none }
            return .some(scratch.withResult { makeCString(bytes: $0) })
        }
        if let text {
            guard let text else { throw Failure(.limit, "out of memory for the result") }
            do throws(Failure) {
                _ = try Check.instant(asOf)
            } catch {
                free(text)
                throw error
            }
            out.pointee = text
            return
        }
        let lead = try parseLead(bytes)
        let asOf = try Check.instant(asOf)
        let result: ScoreResult
        do throws(LeadError) {
            result = try handle.model.score(lead, at: asOf)
        } catch {
            throw Failure(.invalid, error.description)
        }
        try deliver(Array(result.json.utf8), to: out)
    }
}

/// `funnel_advance_json`: one lead's SPEC §5 advance result.
@_cdecl("funnel_advance_json")
public func funnel_advance_json(
    _ model: OpaquePointer?, _ leadJSON: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double, _ out: CStringOut?
) -> Int32 {
    oneLead("funnel_advance_json", model, leadJSON, length, asOf, out) { model, lead, asOf throws(Failure) in
        do throws(MoveError) {
            return try model.advance(lead, at: asOf).json
        } catch {
            throw Failure(.invalid, error.description)
        }
    }
}

/// `funnel_move_json`: a manual move, or FUNNEL_E_REFUSED saying why not.
@_cdecl("funnel_move_json")
public func funnel_move_json(
    _ model: OpaquePointer?, _ leadJSON: UnsafePointer<CChar>?, _ length: Int, _ to: UnsafePointer<CChar>?,
    _ reason: UnsafePointer<CChar>?, _ by: UnsafePointer<CChar>?, _ asOf: Double, _ out: CStringOut?
) -> Int32 {
    guarded("funnel_move_json") { () throws(Failure) in
        let out = try Check.out(out, "out_json")
        let handle = try ModelHandle.from(model)
        let lead = try parseLead(try Check.bytes(leadJSON, length, "lead_json"))
        let target = try Check.string(to, "to")
        let reason = try Check.optionalString(reason, "reason")
        let actor = try Check.optionalString(by, "by") ?? "api"
        let asOf = try Check.instant(asOf)
        let move: StageMove
        do throws(MoveError) {
            move = try handle.model.move(lead, to: target, reason: reason, by: actor, at: asOf)
        } catch {
            switch error.code {
            case .invalidLead, .noStages: throw Failure(.invalid, error.description)
            default: throw Failure(.refused, error.description)
            }
        }
        let result = AdvanceResult(
            id: lead.id, stage: move.to, moves: [move],
            behaviorSince: handle.model.resetsBehavior(move.to) ? asOf : nil)
        try deliver(Array(result.json.utf8), to: out)
    }
}

/// `funnel_score_jsonl`: many leads, one score result a line, on every core.
@_cdecl("funnel_score_jsonl")
public func funnel_score_jsonl(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double, _ out: CStringOut?
) -> Int32 {
    guarded("funnel_score_jsonl") { () throws(Failure) in
        try scoreLines(model, jsonl, length, asOf, threads: defaultThreadCount, out)
    }
}

/// `funnel_advance_jsonl`: many leads, one advance result a line, on every core.
@_cdecl("funnel_advance_jsonl")
public func funnel_advance_jsonl(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double, _ out: CStringOut?
) -> Int32 {
    guarded("funnel_advance_jsonl") { () throws(Failure) in
        try advanceLines(model, jsonl, length, asOf, threads: defaultThreadCount, out)
    }
}

/// `funnel_score_jsonl_opts`: as `funnel_score_jsonl`, on the threads `options` allows.
@_cdecl("funnel_score_jsonl_opts")
public func funnel_score_jsonl_opts(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double,
    _ options: UnsafeRawPointer?, _ out: CStringOut?
) -> Int32 {
    guarded("funnel_score_jsonl_opts") { () throws(Failure) in
        let out = try Check.out(out, "out_jsonl")
        try scoreLines(model, jsonl, length, asOf, threads: try jsonlThreads(options), out)
    }
}

/// `funnel_advance_jsonl_opts`: as `funnel_advance_jsonl`, on the threads `options` allows.
@_cdecl("funnel_advance_jsonl_opts")
public func funnel_advance_jsonl_opts(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double,
    _ options: UnsafeRawPointer?, _ out: CStringOut?
) -> Int32 {
    guarded("funnel_advance_jsonl_opts") { () throws(Failure) in
        let out = try Check.out(out, "out_jsonl")
        try advanceLines(model, jsonl, length, asOf, threads: try jsonlThreads(options), out)
    }
}

/// The thread count a `funnel_jsonl_options` asks for; NULL means the defaults.
///
/// The struct is read by its version, libgit2 style: `version` comes first in
/// every version, and only fields the caller's version has are read, so a host
/// built against an older header keeps working with a newer library.
func jsonlThreads(_ options: UnsafeRawPointer?) throws(Failure) -> Int {
    guard let options else { return defaultThreadCount }
    let version = options.load(as: UInt32.self)
    guard version == 1 else {
        throw Failure(.argument, "options->version is \(version); this library knows version 1 (FUNNEL_JSONL_OPTIONS_VERSION)")
    }
    let threads = options.load(fromByteOffset: MemoryLayout<UInt32>.stride, as: UInt32.self)
    return threads == 0 ? defaultThreadCount : Int(threads)
}

private func scoreLines(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double, threads: Int,
    _ out: CStringOut?
) throws(Failure) {
    let out = try Check.out(out, "out_jsonl")
    try deliver(pieces: try resultLines(model, jsonl, length, asOf, kind: .score, threads: threads), to: out)
}

private func advanceLines(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double, threads: Int,
    _ out: CStringOut?
) throws(Failure) {
    let out = try Check.out(out, "out_jsonl")
    try deliver(pieces: try resultLines(model, jsonl, length, asOf, kind: .advance, threads: threads), to: out)
}

/// Every lead's result line, read, scored and written a chunk of lines per
/// thread (`JSONLinesResults`), in the pieces the threads wrote. A bad
/// `as_of`, or advancing without stages, fails after the lines are read, as
/// it always has: those take the batch way.
private func resultLines(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double,
    kind: JSONLinesResults.Kind, threads: Int
) throws(Failure) -> JSONLinesResults.Output {
    let handle = try ModelHandle.from(model)
    let bytes = try Check.bytes(jsonl, length, "jsonl")
    guard asOf.isFinite,
        let output = JSONLinesResults.results(of: bytes, model: handle.model, kind: kind, asOf: asOf, threads: threads)
    else {
        let batch = try ingest(bytes, handle.model, threads: threads)
        let asOf = try Check.instant(asOf)
        let lines: [UInt8]
        switch kind {
        case .score, .scorePickle, .scorePickleAs: lines = batch.scoreLines(at: asOf, threads: threads)
        case .advance:
            guard let advanced = batch.advanceLines(at: asOf, threads: threads) else {
                throw Failure(.invalid, "the model has no stages")
            }
            lines = advanced
        }
        return JSONLinesResults.Output(pieces: [.init(lines)], leads: batch.count, lines: 0)
    }
    if let error = output.error { throw Failure(error.isParseError ? .parse : .invalid, error.description) }
    return output
}

/// JSON Lines of lead documents in a batch: a bad line fails the call
/// (FUNNEL_E_PARSE for malformed JSON, FUNNEL_E_INVALID for a bad lead).
func ingest(_ bytes: UnsafeRawBufferPointer, _ model: Model, threads: Int) throws(Failure) -> LeadBatch {
    let (lines, numbers) = JSONLines.split(bytes)
    let (batch, error) = LeadBatch.ingest(lines: lines, numbers: numbers, model: model, threads: threads)
    if let error { throw Failure(error.isParseError ? .parse : .invalid, error.description) }
    return batch
}
