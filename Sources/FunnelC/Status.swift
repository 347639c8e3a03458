import Funnel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `funnel_status` codes, as funnel.h numbers them.
enum Status: Int32 {
    case ok = 0
    case argument = 1
    case parse = 2
    case invalid = 3
    case refused = 4
    case limit = 5

    var name: String {
        switch self {
        case .ok: "ok"
        case .argument: "invalid argument"
        case .parse: "malformed JSON or invalid UTF-8"
        case .invalid: "invalid document"
        case .refused: "move refused"
        case .limit: "input too large"
        }
    }
}

/// A failure on its way to the caller: a status and what went wrong.
struct Failure: Error {
    var status: Status
    var message: String
    init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// Runs `body`; a failure is recorded as this thread's last error and becomes
/// its status. Nothing here can trap, so C and Python hosts never die with us.
func guarded(_ function: StaticString, _ body: () throws(Failure) -> Void) -> Int32 {
    do {
        try body()
        return Status.ok.rawValue
    } catch {
        setLastError("\(function): \(error.message)")
        return error.status.rawValue
    }
}

// MARK: Per-thread last error

/// One heap C string per thread, freed when the thread ends; created on the
/// first use in the process. `nil` when `pthread_key_create` failed (the
/// process ran out of keys): a key it did not fill in is no key of ours, so
/// messages are then never stored and `funnel_last_error` gives a static one.
private let errorKey: pthread_key_t? = {
    var key = pthread_key_t()
    guard pthread_key_create(&key, { free($0) }) == 0 else { return nil }
    return key
}()

nonisolated(unsafe) private let emptyString = makeStaticCString("")
nonisolated(unsafe) private let noKeyMessage = makeStaticCString(
    "the error message is unavailable: pthread_key_create failed, so funnel keeps no per-thread messages")

func setLastError(_ message: String) {
    guard let errorKey else { return }
    let old = pthread_getspecific(errorKey)
    let new = makeCString(message)
    guard pthread_setspecific(errorKey, UnsafeRawPointer(new)) == 0 else {
        // No memory for this thread's slot (so nothing was stored before):
        // the message is lost, never leaked; funnel_last_error() gives "".
        free(new)
        return
    }
    free(old)
}

/// A malloc'ed, NUL-terminated copy of `text` (NUL bytes inside become `?`).
func makeCString(_ text: String) -> UnsafeMutablePointer<CChar>? {
    makeCString(bytes: Array(text.utf8).map { $0 == 0 ? 0x3F : $0 })
}

func makeCString(bytes: [UInt8]) -> UnsafeMutablePointer<CChar>? {
    bytes.withUnsafeBufferPointer { makeCString(bytes: $0) }
}

/// A malloc'd, NUL-terminated copy of `bytes`; `nil` when out of memory.
func makeCString(bytes: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<CChar>? {
    guard let p = malloc(bytes.count + 1)?.assumingMemoryBound(to: UInt8.self) else { return nil }
    if let base = bytes.baseAddress { p.update(from: base, count: bytes.count) }
    p[bytes.count] = 0
    return UnsafeMutableRawPointer(p).assumingMemoryBound(to: CChar.self)
}

/// A malloc'd, NUL-terminated copy of result lines, each piece copied
/// straight into it (not joined first); `nil` when out of memory.
func makeCString(pieces output: JSONLinesResults.Output) -> UnsafeMutablePointer<CChar>? {
    let count = output.count
    guard let p = malloc(count + 1) else { return nil }
    let copied = output.copyBytes(to: UnsafeMutableRawBufferPointer(start: p, count: count))
    p.storeBytes(of: 0, toByteOffset: copied, as: UInt8.self)
    return p.assumingMemoryBound(to: CChar.self)
}

/// A C string that lives as long as the process (for static results).
func makeStaticCString(_ text: String) -> UnsafePointer<CChar> {
    if let p = makeCString(text) { return UnsafePointer(p) }
    return UnsafePointer(staticNul)
}

nonisolated(unsafe) private let staticNul: UnsafeMutablePointer<CChar> = {
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    p.initialize(to: 0)
    return p
}()

// MARK: Library functions

nonisolated(unsafe) private let versionString = makeStaticCString(funnelVersion)
nonisolated(unsafe) private let statusNames: [UnsafePointer<CChar>] = (0...5).map {
    makeStaticCString(Status(rawValue: Int32($0))?.name ?? "")
}
nonisolated(unsafe) private let unknownStatus = makeStaticCString("unknown status")

/// `funnel_version`: "MAJOR.MINOR.PATCH".
@_cdecl("funnel_version")
public func funnel_version() -> UnsafePointer<CChar> {
    versionString
}

/// `funnel_status_str`: a short English name for a status.
@_cdecl("funnel_status_str")
public func funnel_status_str(_ status: Int32) -> UnsafePointer<CChar> {
    guard status >= 0, Int(status) < statusNames.count else { return unknownStatus }
    return statusNames[Int(status)]
}

/// `funnel_last_error`: this thread's last failure message, or "".
@_cdecl("funnel_last_error")
public func funnel_last_error() -> UnsafePointer<CChar> {
    guard let errorKey else { return noKeyMessage }
    guard let p = pthread_getspecific(errorKey) else { return emptyString }
    return UnsafePointer(p.assumingMemoryBound(to: CChar.self))
}

/// `funnel_string_free`: releases a string the library returned; NULL is a no-op.
@_cdecl("funnel_string_free")
public func funnel_string_free(_ s: UnsafeMutablePointer<CChar>?) {
    free(s)
}
