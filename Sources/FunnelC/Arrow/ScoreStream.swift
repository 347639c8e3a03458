#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The scores as an Arrow C stream (`funnel_arrow_result_export_stream`):
/// readers that take only streams (DuckDB's, `pyarrow.RecordBatchReader`)
/// read the same struct array `ScoreTable.export` gives, as one record batch.
///
/// What the stream's private_data holds: the table (kept alive until the
/// stream is released, so the result may be freed first), whether the batch
/// was given, and the last error's text. A stream is read by one thread at a
/// time, as the interface says; nothing here is shared between streams.
final class ScoreStream {
    let table: ScoreTable
    private var given = false
    /// The text `get_last_error` returns: valid until the next callback or release.
    private var lastError: UnsafeMutablePointer<CChar>?

    init(_ table: ScoreTable) { self.table = table }
    deinit { free(lastError) }

    /// Fills `stream` with a new stream over `table`; the caller owns it.
    static func export(_ table: ScoreTable, into stream: UnsafeMutablePointer<ArrowArrayStreamC>) {
        stream.pointee = ArrowArrayStreamC(
            get_schema: getSchema, get_next: getNext, get_last_error: getLastError, release: release,
            private_data: Unmanaged.passRetained(ScoreStream(table)).toOpaque())
    }

    /// The stream behind a callback's argument; nil for NULL or a released stream.
    fileprivate static func of(_ raw: UnsafeMutableRawPointer?) -> ScoreStream? {
        guard let stream = raw?.assumingMemoryBound(to: ArrowArrayStreamC.self), stream.pointee.release != nil,
            let owner = stream.pointee.private_data
        else { return nil }
        return Unmanaged<ScoreStream>.fromOpaque(owner).takeUnretainedValue()
    }

    /// Keeps `failure`'s text for `get_last_error`; the errno code the interface expects.
    fileprivate func fail(_ failure: Failure) -> Int32 {
        free(lastError)
        lastError = strdup(failure.message)
        return failure.status == .limit ? ENOMEM : EINVAL
    }

    fileprivate func schema(_ out: UnsafeMutablePointer<ArrowSchemaC>) -> Int32 {
        do {
            try table.export(schema: out, array: nil)
            return 0
        } catch {
            return fail(error)
        }
    }

    /// The one batch, then the end (a released array).
    fileprivate func next(_ out: UnsafeMutablePointer<ArrowArrayC>) -> Int32 {
        if given {
            out.pointee = .released
            return 0
        }
        do {
            try table.export(schema: nil, array: out)
            given = true
            return 0
        } catch {
            return fail(error)
        }
    }

    fileprivate var errorText: UnsafePointer<CChar>? { lastError.map { UnsafePointer($0) } }
}

private let getSchema: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int32 = { stream, out in
    guard let owner = ScoreStream.of(stream), let out else { return EINVAL }
    return owner.schema(out.assumingMemoryBound(to: ArrowSchemaC.self))
}

private let getNext: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int32 = { stream, out in
    guard let owner = ScoreStream.of(stream), let out else { return EINVAL }
    return owner.next(out.assumingMemoryBound(to: ArrowArrayC.self))
}

private let getLastError: @convention(c) (UnsafeMutableRawPointer?) -> UnsafePointer<CChar>? = { stream in
    ScoreStream.of(stream)?.errorText
}

private let release: @convention(c) (UnsafeMutableRawPointer?) -> Void = { raw in
    guard let stream = raw?.assumingMemoryBound(to: ArrowArrayStreamC.self), stream.pointee.release != nil else { return }
    if let owner = stream.pointee.private_data { Unmanaged<ScoreStream>.fromOpaque(owner).release() }
    stream.pointee.private_data = nil
    stream.pointee.release = nil
}
