#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whose failures are never hidden: every error becomes a `CLIError`
/// (exit status 1) with the file and the reason.
enum FileOutput {
    /// Writes every byte to `fd`, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], name: String) throws(CLIError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress! + offset, raw.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError.input("cannot write \(name): \(errnoText())")
            }
            offset += n
        }
    }

    /// Writes `bytes` to standard output, failing loudly (a closed pipe, a full disk).
    static func standardOutput(_ bytes: [UInt8]) throws(CLIError) {
        try writeAll(1, bytes, name: "standard output")
    }

    /// Replaces `path` atomically: writes `path.tmp`, flushes it to disk, renames it over `path`.
    /// On failure the temporary file is removed and `path` is left as it was.
    static func replaceAtomically(_ path: String, with bytes: [UInt8]) throws(CLIError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CLIError.input("cannot write \(temporary): \(errnoText())") }
        do throws(CLIError) {
            try writeAll(fd, bytes, name: temporary)
            if fsync(fd) != 0 { throw CLIError.input("cannot write \(temporary): \(errnoText())") }
            if close(fd) != 0 {
                unlink(temporary)
                throw CLIError.input("cannot write \(temporary): \(errnoText())")
            }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        if rename(temporary, path) != 0 {
            let reason = errnoText()
            unlink(temporary)
            throw CLIError.input("cannot write \(path): \(reason)")
        }
    }
}

/// Appends whole lines to a file (`funnel advance --history`): each append is
/// one write of complete lines, undone (the file truncated back) if it fails
/// part way, and `finish` flushes the file to disk.
struct LineAppender {
    let path: String
    private let fd: Int32

    init(path: String) throws(CLIError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw CLIError.usage("cannot open \(path): \(errnoText())") }
        self.fd = fd
    }

    /// Appends `bytes` (whole lines) or nothing.
    func append(_ bytes: [UInt8]) throws(CLIError) {
        guard !bytes.isEmpty else { return }
        let size = lseek(fd, 0, SEEK_END)
        do throws(CLIError) {
            try FileOutput.writeAll(fd, bytes, name: path)
        } catch {
            if size >= 0 { _ = ftruncate(fd, size) }
            throw error
        }
    }

    /// Flushes to disk and closes.
    func finish() throws(CLIError) {
        let synced = fsync(fd) == 0
        let reason = synced ? "" : errnoText()
        if close(fd) != 0 || !synced {
            throw CLIError.input("cannot write \(path): \(synced ? errnoText() : reason)")
        }
    }
}
