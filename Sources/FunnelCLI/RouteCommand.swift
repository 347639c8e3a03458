import Funnel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Help {
    static let route = """
        funnel route — route leads to teams and people (SPEC §10), one result a line

        USAGE
          funnel route --model FILE --routing FILE [--state FILE] [--as-of TIME] [--reassign] [FILE]

        Reads leads as JSON Lines from FILE (or standard input, or `-`) and routes
        them in input order, each at its line's "at" field when present (RFC 3339
        text with a zone or seconds since the epoch), else at --as-of. Writes one
        route result a line:
          {"id":"L-1","team":"iberia","owner":"maria","queue":null,"kept":false,"skipped":[]}
        A lead whose "owner" is set keeps it unless --reassign is given.

        OPTIONS
          --model FILE     the funnel.model/1 document (required)
          --routing FILE   the funnel.routing/1 document (required)
          --state FILE     a funnel.roster/1 document: read when it exists, and
                           written back whole at the end (FILE.tmp, then renamed)
          --as-of TIME     the instant of lines without "at" (default: now)
          --reassign       route leads that already have an owner too

        Routing instants never go backwards: a line earlier than the last routed
        one stops the run. A bad line stops the run with exit status 1 and a
        message naming the line and the field; the results of the lines before
        it are written, and so is the state, which then matches them. A bad
        model, routing document or state file exits with status 2.

        """
}

/// `funnel route`: JSON Lines leads in, one route result a line out, the
/// router's state optionally read from and written back to a file.
struct RouteCommand {
    let arguments: Arguments

    static let blockSize = 4096

    func run() throws(CLIError) {
        try arguments.check(
            options: ["--model", "--routing", "--state", "--as-of"], flags: ["--reassign"], maxFiles: 1)
        let model = try arguments.model()
        guard let routingPath = arguments.options["--routing"] else {
            throw CLIError.usage("--routing FILE is required")
        }
        var router: Router
        let routingBytes = try LineReader.readAll(path: routingPath)
        do throws(RoutingError) {
            router = try Router(model: model, routingJSONBytes: routingBytes)
        } catch {
            throw CLIError.usage(error.faults.map { "\(routingPath): \($0)" }.joined(separator: "\n"))
        }
        let statePath = arguments.options["--state"]
        if let statePath, access(statePath, F_OK) == 0 {
            let stateBytes = try LineReader.readAll(path: statePath)
            do throws(RoutingError) {
                try router.restoreState(jsonBytes: stateBytes)
            } catch {
                throw CLIError.usage(error.faults.map { "\(statePath): \($0)" }.joined(separator: "\n"))
            }
        }
        let asOf = try arguments.asOf()
        let reassign = arguments.flags.contains("--reassign")
        var reader = try LineReader(path: arguments.files.first)
        var out = Output.standardOutput

        // The state as of the results written so far: saved however the run ends.
        var failure: CLIError?
        var done = false
        while !done && failure == nil {
            var lines: [[UInt8]] = []
            var numbers: [Int] = []
            do {
                try reader.readBlock(into: &lines, numbers: &numbers, limit: Self.blockSize)
                done = lines.count < Self.blockSize
            } catch {
                failure = error
            }
            let before = router
            var bytes: [UInt8] = []
            let bad = router.routeLines(lines, numbers: numbers, at: asOf, reassign: reassign, into: &bytes)
            out.write(bytes: bytes)
            do {
                try out.flush()
            } catch {
                router = before  // these results were not delivered
                failure = error
                break
            }
            if let bad { failure = CLIError.input(bad.description) }
        }
        if let statePath {
            do {
                try Self.save(router.stateJSON, to: statePath)
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    /// Writes `text` to `path` whole and atomically: `path.tmp`, fsync, rename.
    static func save(_ text: String, to path: String) throws(CLIError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CLIError.output("cannot write state \(temporary): \(errnoText())") }
        let file = CheckedOutput(fd: fd)
        do {
            try file.write(Array((text + "\n").utf8))
        } catch {
            close(fd)
            unlink(temporary)
            throw CLIError.output("cannot write state \(temporary): \(error.message)")
        }
        if fsync(fd) != 0 {
            let reason = errnoText()
            close(fd)
            unlink(temporary)
            throw CLIError.output("cannot write state \(temporary): \(reason)")
        }
        if close(fd) != 0 {
            let reason = errnoText()
            unlink(temporary)
            throw CLIError.output("cannot write state \(temporary): \(reason)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = errnoText()
            unlink(temporary)
            throw CLIError.output("cannot replace state \(path): \(reason)")
        }
    }
}

/// Writes bytes to a file descriptor (the state file) at once, retrying short
/// writes and interrupted calls; a failure is an error, never silently dropped.
struct CheckedOutput {
    let fd: Int32

    func write(_ bytes: [UInt8]) throws(CLIError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Self.systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError.output("write failed: \(errnoText())")
            }
            offset += n
        }
    }

    private static func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, bytes, count)
        #elseif canImport(Musl)
        Musl.write(fd, bytes, count)
        #else
        Darwin.write(fd, bytes, count)
        #endif
    }
}
