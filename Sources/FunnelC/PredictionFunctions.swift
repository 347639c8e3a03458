import Funnel

/// What a `funnel_winmodel *` points to: a win model compiled for prediction,
/// immutable, shared by any number of threads.
final class WinModelHandle: Sendable {
    let predictor: WinPredictor

    init(_ winModel: WinModel) {
        predictor = winModel.predictor
    }

    static func from(_ pointer: OpaquePointer?) throws(Failure) -> WinModelHandle {
        guard let pointer else { throw Failure(.argument, "win_model is NULL") }
        return Unmanaged<WinModelHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    /// This win model, checked to belong to `model`.
    static func from(_ pointer: OpaquePointer?, for model: Model) throws(Failure) -> WinPredictor {
        let predictor = try from(pointer).predictor
        guard predictor.winModel.model.compiles(like: model) else {
            throw Failure(.argument, "win_model was loaded for another model")
        }
        return predictor
    }
}

/// `funnel_winmodel_train_jsonl`: examples in, a funnel.winmodel/1 document out.
@_cdecl("funnel_winmodel_train_jsonl")
public func funnel_winmodel_train_jsonl(
    _ model: OpaquePointer?, _ examples: UnsafePointer<CChar>?, _ length: Int, _ out: CStringOut?
) -> Int32 {
    guarded("funnel_winmodel_train_jsonl") { () throws(Failure) in
        let out = try Check.out(out, "out_json")
        let handle = try ModelHandle.from(model)
        let bytes = try Check.bytes(examples, length, "examples_jsonl")
        var win = WinModel(model: handle.model)
        do throws(WinExampleError) {
            try win.learn(jsonLines: bytes)
        } catch {
            throw Failure(error.isParseError ? .parse : .invalid, error.description)
        }
        try deliver(Array(win.json.utf8), to: out)
    }
}

/// `funnel_winmodel_load`: reads a funnel.winmodel/1 document for `model`.
@_cdecl("funnel_winmodel_load")
public func funnel_winmodel_load(
    _ model: OpaquePointer?, _ json: UnsafePointer<CChar>?, _ length: Int,
    _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    guarded("funnel_winmodel_load") { () throws(Failure) in
        let out = try Check.out(out, "out")
        let handle = try ModelHandle.from(model)
        let bytes = try Check.bytes(json, length, "json")
        let win: WinModel
        do throws(WinModelError) {
            win = try WinModel(jsonBytes: bytes, model: handle.model)
        } catch {
            throw Failure(error.isParseError ? .parse : .invalid, error.faults.map(\.description).joined(separator: "\n"))
        }
        out.pointee = OpaquePointer(Unmanaged.passRetained(WinModelHandle(win)).toOpaque())
    }
}

/// `funnel_winmodel_free`: releases a win model; NULL is a no-op.
@_cdecl("funnel_winmodel_free")
public func funnel_winmodel_free(_ win: OpaquePointer?) {
    guard let win else { return }
    Unmanaged<WinModelHandle>.fromOpaque(UnsafeRawPointer(win)).release()
}

/// `funnel_score_json_win`: one lead's score result with `win_probability` and `win_factors`.
@_cdecl("funnel_score_json_win")
public func funnel_score_json_win(
    _ model: OpaquePointer?, _ win: OpaquePointer?, _ leadJSON: UnsafePointer<CChar>?, _ length: Int,
    _ asOf: Double, _ out: CStringOut?
) -> Int32 {
    guarded("funnel_score_json_win") { () throws(Failure) in
        let out = try Check.out(out, "out_json")
        let handle = try ModelHandle.from(model)
        let predictor = try WinModelHandle.from(win, for: handle.model)
        let bytes = try Check.bytes(leadJSON, length, "lead_json")
        let asOf = try Check.instant(asOf)
        let lead = try parseLead(bytes)
        let result: ScoreResult
        do throws(LeadError) {
            result = try handle.model.score(lead, at: asOf, predictor: predictor)
        } catch {
            throw Failure(.invalid, error.description)
        }
        try deliver(Array(result.json.utf8), to: out)
    }
}

/// `funnel_score_jsonl_win`: many leads, one score result with the win fields a line.
@_cdecl("funnel_score_jsonl_win")
public func funnel_score_jsonl_win(
    _ model: OpaquePointer?, _ win: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int,
    _ asOf: Double, _ out: CStringOut?
) -> Int32 {
    guarded("funnel_score_jsonl_win") { () throws(Failure) in
        let out = try Check.out(out, "out_jsonl")
        let handle = try ModelHandle.from(model)
        let predictor = try WinModelHandle.from(win, for: handle.model)
        let bytes = try Check.bytes(jsonl, length, "jsonl")
        let asOf = try Check.instant(asOf)
        let batch = try ingest(bytes, handle.model, threads: defaultThreadCount)
        let results: [ScoreResult]
        do throws(WinBatchMismatch) {
            results = try predictor.results(of: batch, at: asOf, threads: defaultThreadCount)
        } catch {
            throw Failure(.argument, error.description)
        }
        try deliver(ScoreResult.jsonLines(results), to: out)
    }
}
