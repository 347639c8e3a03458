import Funnel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file or standard input in large chunks and hands out lines.
struct LineReader {
    private let fd: Int32
    /// `read` lands straight in here, after the bytes not handed out yet
    /// (no copy from a separate chunk); it doubles only for a longer line.
    /// Empty until the first read, and after ``takeBlock(atLeast:spare:)``
    /// hands it over with no spare to go on in: new memory is made by the
    /// next read, which lands in it before anything else is written there
    /// (``refill(size:)``), so it is not zero-filled first.
    private var buffer: [UInt8] = []
    /// The size of the next new buffer.
    private var capacity = 1 << 20
    /// While `buffer` is empty, the bytes not handed out yet (part of a
    /// line), for the next read to put at the front of the new buffer;
    /// `start` and `end` are 0 meanwhile.
    private var carried: [UInt8] = []
    /// The bytes read so far end here.
    private var end = 0
    private var start = 0
    private var atEnd = false
    /// The 1-based number of the last line returned.
    private(set) var lineNumber = 0

    /// Opens `path`, or standard input for `nil` or `-`.
    init(path: String?) throws(CLIError) {
        if let path, path != "-" {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw CLIError.usage("cannot open \(path): \(errnoText())") }
            self.fd = fd
        } else {
            fd = 0
        }
    }

    /// The next line without its terminator (`\n` or `\r\n`); `nil` at the end.
    mutating func nextLine() throws(CLIError) -> ArraySlice<UInt8>? {
        while true {
            if let newline = Self.firstNewline(in: buffer, from: start, to: end) {
                var stop = newline
                if stop > start && buffer[stop - 1] == 0x0D { stop -= 1 }
                let line = buffer[start..<stop]
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start < end else { return nil }
                let line = buffer[start..<end]
                start = end
                lineNumber += 1
                return line
            }
            try fill()
        }
    }

    /// The index of the first `\n` in `bytes[start..<end]` (`memchr`).
    private static func firstNewline(in bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        bytes.withUnsafeBytes { raw in
            guard start < end, end <= raw.count, let base = raw.baseAddress,
                let found = memchr(base + start, 0x0A, end - start)
            else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }

    /// The next run of whole lines, each with its `\n`, as much as one read
    /// brought in (`terminated` true); at the end, the last line if it has no
    /// `\n` (`terminated` false, the text as it is); `nil` when nothing is left.
    /// For readers that split lines themselves; ``lineNumber`` is not kept.
    mutating func nextLines() throws(CLIError) -> (lines: ArraySlice<UInt8>, terminated: Bool)? {
        while true {
            if let newline = buffer[start..<end].lastIndex(of: 0x0A) {
                let lines = buffer[start...newline]
                start = newline + 1
                return (lines, true)
            }
            if atEnd {
                guard start < end else { return nil }
                let line = buffer[start..<end]
                start = end
                return (line, false)
            }
            try fill()
        }
    }

    /// The next run of whole lines, each with its `\n`, of at least `size`
    /// bytes unless the input ends first, or more when the buffer holds more
    /// (`terminated` true); at the end,
    /// the last line if it has no `\n` (`terminated` false, the text as it
    /// is); `nil` when nothing is left. ``lineNumber`` is not kept. The
    /// lines are handed over rather than lent: they are `bytes[range]`, and
    /// the reader goes on in `spare` (a block given back, or a new buffer
    /// when nil), so that the block can be scored while the next is read,
    /// without a copy.
    mutating func takeBlock(
        atLeast size: Int, spare: inout [UInt8]?
    ) throws(CLIError) -> (bytes: [UInt8], range: Range<Int>, terminated: Bool)? {
        // New memory is made `size` bytes at once, not grown to it by doubling and copying.
        capacity = max(capacity, size)
        if buffer.isEmpty, spare?.count ?? 0 >= max(capacity, carried.count), let next = spare.take() {
            // Read into the block given back rather than into new memory
            // (whose every page is a fault): the bytes carried go to its front.
            buffer = consume next
            let kept = carried.count
            buffer.withUnsafeMutableBufferPointer { to in
                carried.withUnsafeBufferPointer { from in
                    if kept > 0, let to = to.baseAddress, let from = from.baseAddress { to.update(from: from, count: kept) }
                }
            }
            carried = []
            (start, end) = (0, kept)
        }
        while !atEnd && end - start < size { try fill() }
        while true {
            if let newline = buffer[start..<end].lastIndex(of: 0x0A) {
                let rest = end - (newline + 1)
                let block = (buffer, start..<(newline + 1), true)
                if var next = spare.take(), next.count >= buffer.count {
                    next.withUnsafeMutableBytes { to in
                        buffer.withUnsafeBytes { from in
                            if rest > 0, let to = to.baseAddress, let from = from.baseAddress {
                                _ = memcpy(to, from + newline + 1, rest)
                            }
                        }
                    }
                    buffer = next
                    (start, end) = (0, rest)
                } else if atEnd {
                    // Nothing more to read: the rest is all there is.
                    buffer = Array(buffer[(newline + 1)..<end])
                    (start, end) = (0, rest)
                } else {
                    // New memory is made by the next read (no zero fill).
                    carried = Array(buffer[(newline + 1)..<end])
                    capacity = buffer.count
                    buffer = []
                    (start, end) = (0, 0)
                }
                return block
            }
            if atEnd {
                guard start < end else { return nil }
                let line = Array(buffer[start..<end])
                start = end
                return (line, line.indices, false)
            }
            try fill()
        }
    }

    /// The next line that is not blank (JSON Lines: blank lines are skipped but
    /// still counted by ``lineNumber``); `nil` at the end.
    mutating func nextDocument() throws(CLIError) -> ArraySlice<UInt8>? {
        while let line = try nextLine() {
            if !JSONLines.isBlank(line) { return line }
        }
        return nil
    }

    /// Appends up to `limit` non-blank lines and their 1-based numbers; fewer
    /// only at the end. Lines read before a failed read stay appended.
    mutating func readBlock(into lines: inout [[UInt8]], numbers: inout [Int], limit: Int) throws(CLIError) {
        while lines.count < limit, let line = try nextDocument() {
            lines.append(Array(line))
            numbers.append(lineNumber)
        }
    }

    private mutating func fill() throws(CLIError) {
        if buffer.isEmpty || end - start == buffer.count {
            // New memory: none yet, or the bytes not handed out fill it (a longer line).
            try refill(size: buffer.isEmpty ? max(capacity, 2 * carried.count) : 2 * buffer.count)
            return
        }
        if start > 0 {
            // The bytes not handed out yet (part of a line) move to the front.
            let (from, count) = (start, end - start)
            buffer.withUnsafeMutableBytes { raw in
                if count > 0, let base = raw.baseAddress { _ = memmove(base, base + from, count) }
            }
            end = count
            start = 0
        }
        let free = end
        let n = buffer.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress.map { $0 + free }, raw.count - free) }
        if n < 0 { throw CLIError.input("read failed: \(errnoText())") }
        if n == 0 { atEnd = true }
        end += n
    }

    /// New memory of `size` bytes for `buffer`: the bytes not handed out
    /// yet (`buffer[start..<end]`, or `carried`) go to its front and one
    /// read lands after them; only what the read leaves is zeroed, not the
    /// whole (megabytes, most of which the read fills).
    private mutating func refill(size: Int) throws(CLIError) {
        let kept = buffer.isEmpty ? carried.count : end - start
        let from = buffer.isEmpty ? 0 : start
        let old = buffer.isEmpty ? carried : buffer
        var n = 0
        var failure: String? = nil
        let fd = fd
        buffer = [UInt8](unsafeUninitializedCapacity: size) { to, count in
            guard let to = to.baseAddress else { return }
            old.withUnsafeBufferPointer { old in
                if kept > 0, let old = old.baseAddress { to.initialize(from: old + from, count: kept) }
            }
            n = read(fd, to + kept, size - kept)
            if n < 0 { failure = errnoText() }
            let filled = kept + max(0, n)
            (to + filled).initialize(repeating: 0, count: size - filled)
            count = size
        }
        carried = []
        capacity = size
        (start, end) = (0, kept)
        if let failure { throw CLIError.input("read failed: \(failure)") }
        if n == 0 { atEnd = true }
        end += n
    }

    /// Reads everything (for a model file).
    static func readAll(path: String) throws(CLIError) -> [UInt8] {
        var reader = try LineReader(path: path)
        while !reader.atEnd { try reader.fill() }
        return Array(reader.buffer[0..<reader.end])
    }
}

/// Buffered standard output or error. A failed write is not lost: later
/// output is dropped and `flush` reports the failure, so that a full disk or
/// a closed descriptor fails the command instead of truncating its output.
struct Output {
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// Why the first failed write failed; nil while every write succeeded.
    private var failure: String?

    static var standardOutput: Output { Output(fd: 1) }
    static var standardError: Output { Output(fd: 2) }

    private init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    var isTerminal: Bool { isatty(fd) == 1 }

    private var name: String { fd == 1 ? "standard output" : fd == 2 ? "standard error" : "descriptor \(fd)" }

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { drain() }
    }

    mutating func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { drain() }
    }

    /// Writes `bytes`, which may be large, without copying them into the
    /// buffer first.
    mutating func write(large bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 1 << 16 else {
            buffer.append(contentsOf: bytes)
            if buffer.count >= 1 << 16 { drain() }
            return
        }
        drain()
        drain(bytes)
    }

    /// Writes out what is buffered.
    ///
    /// - Throws: ``CLIError/output(_:)`` naming the stream and the reason when
    ///   this or an earlier write failed.
    mutating func flush() throws(CLIError) {
        drain()
        if let failure { throw CLIError.output("cannot write to \(name): \(failure)") }
    }

    /// Writes the buffer out, or records why it could not and drops it.
    private mutating func drain() {
        defer { buffer.removeAll(keepingCapacity: true) }
        buffer.withUnsafeBytes { drain($0) }
    }

    /// Writes `bytes` out, or records why it could not.
    private mutating func drain(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = writeBytes(fd, base + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                failure = n < 0 ? errnoText() : "nothing was written"
                return
            }
            offset += n
        }
    }
}

private func writeBytes(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, bytes, count)
}

/// Writes one line to standard error at once; if that fails there is
/// nowhere left to say so, and the exit status tells.
func printError(_ text: String) {
    var err = Output.standardError
    err.write(text + "\n")
    try? err.flush()
}

func errnoText() -> String {
    String(cString: strerror(errno))
}

/// Seconds since the epoch, now.
func currentTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Monotonic seconds, for progress and timing.
func monotonicTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Ends the process with `status`.
func exit(_ status: Int32) -> Never {
    #if canImport(Glibc)
    Glibc.exit(status)
    #else
    Darwin.exit(status)
    #endif
}
