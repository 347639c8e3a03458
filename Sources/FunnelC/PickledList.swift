/// A reader of one pickled list of numbers (protocol 2, as `pickle.dumps(list, 2)`
/// writes it): PROTO, EMPTY_LIST, its memo entry, then its items in MARK …
/// APPENDS runs (or one APPEND), then STOP. Anything else is refused, so that
/// the host converts such a list its own way.
struct PickledList {
    private let bytes: UnsafeRawBufferPointer
    private var at = 0
    /// The kinds of item read: FUNNEL_PICKLED_FLOAT 1, _INT 2, _BOOL 4, _NONE 8, _NONFINITE 16.
    private(set) var kinds: UInt32 = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Reads every item into `out`, which must have exactly as many slots.
    ///
    /// - Throws: ``Failure`` (FUNNEL_E_ARGUMENT) for anything but a list of
    ///   float, int of at most 64 bits, bool or None, or another item count.
    mutating func numbers(into out: UnsafeMutableBufferPointer<Double>) throws(Failure) {
        guard try byte() == 0x80, try byte() == 2, try byte() == UInt8(ascii: "]") else {
            throw refused("it does not start a pickled list")
        }
        guard let base = bytes.baseAddress else { throw refused("it ends early") }
        let end = bytes.count
        var written = 0
        var inRun = false
        while true {
            // The usual items inline: BINFLOAT (8 bytes, big-endian) and NONE.
            if at < end, written < out.count {
                let op = base.load(fromByteOffset: at, as: UInt8.self)
                if op == UInt8(ascii: "G"), end - at >= 9 {
                    let bits = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: at + 1, as: UInt64.self))
                    let value = Double(bitPattern: bits)
                    kinds |= value.isFinite ? 1 : 1 | 16
                    out[written] = value
                    written += 1
                    at += 9
                    continue
                }
                if op == UInt8(ascii: "N") {
                    kinds |= 8
                    out[written] = .nan
                    written += 1
                    at += 1
                    continue
                }
            }
            let op = try byte()
            switch op {
            case UInt8(ascii: "q"): _ = try take(1)  // BINPUT: the list's memo entry
            case UInt8(ascii: "r"): _ = try take(4)  // LONG_BINPUT
            case UInt8(ascii: "("):
                guard !inRun else { throw refused("a MARK inside a MARK") }
                inRun = true
            case UInt8(ascii: "e"):
                guard inRun else { throw refused("APPENDS without a MARK") }
                inRun = false
            case UInt8(ascii: "a"):
                guard !inRun, written > 0 else { throw refused("a misplaced APPEND") }
            case UInt8(ascii: "."):
                guard !inRun, at == bytes.count else { throw refused("STOP before the end") }
                guard written == out.count else {
                    throw Failure(.argument, "the pickled list holds \(written) values, expected \(out.count)")
                }
                return
            default:
                guard written < out.count else {
                    throw Failure(.argument, "the pickled list holds more than the \(out.count) values expected")
                }
                out[written] = try value(op)
                written += 1
            }
        }
    }

    /// One item: its opcode `op` and the bytes after it.
    private mutating func value(_ op: UInt8) throws(Failure) -> Double {
        switch op {
        case UInt8(ascii: "G"):  // BINFLOAT: 8 bytes, big-endian
            var bits: UInt64 = 0
            let b = try take(8)
            for i in 0..<8 { bits = bits << 8 | UInt64(bytes[b + i]) }
            let value = Double(bitPattern: bits)
            kinds |= value.isFinite ? 1 : 1 | 16
            return value
        case UInt8(ascii: "N"):
            kinds |= 8
            return .nan
        case 0x88:  // NEWTRUE
            kinds |= 4
            return 1
        case 0x89:  // NEWFALSE
            kinds |= 4
            return 0
        default:
            kinds |= 2
            return try integer(op)
        }
    }

    /// An int item: its opcode `op` and the bytes after it.
    private mutating func integer(_ op: UInt8) throws(Failure) -> Double {
        switch op {
        case UInt8(ascii: "K"): return Double(bytes[try take(1)])  // BININT1
        case UInt8(ascii: "M"):  // BININT2: unsigned, little-endian
            let b = try take(2)
            return Double(Int(bytes[b]) | Int(bytes[b + 1]) << 8)
        case UInt8(ascii: "J"):  // BININT: signed 32 bits, little-endian
            let b = try take(4)
            var bits: UInt32 = 0
            for i in (0..<4).reversed() { bits = bits << 8 | UInt32(bytes[b + i]) }
            return Double(Int32(bitPattern: bits))
        case 0x8a:  // LONG1: n bytes of two's complement, little-endian
            let n = Int(bytes[try take(1)])
            guard n <= 8 else { throw refused("an int beyond 64 bits") }
            guard n > 0 else { return 0 }
            let b = try take(n)
            var bits: UInt64 = bytes[b + n - 1] & 0x80 != 0 ? ~0 : 0
            for i in (0..<n).reversed() { bits = bits << 8 | UInt64(bytes[b + i]) }
            return Double(Int64(bitPattern: bits))
        default:
            throw refused("an item that is not a float, an int, a bool or None")
        }
    }

    private mutating func byte() throws(Failure) -> UInt8 {
        guard at < bytes.count else { throw refused("it ends early") }
        at += 1
        return bytes[at - 1]
    }

    /// Where the next `n` bytes start; they are skipped.
    private mutating func take(_ n: Int) throws(Failure) -> Int {
        guard bytes.count - at >= n else { throw refused("it ends early") }
        at += n
        return at - n
    }

    private func refused(_ why: String) -> Failure {
        Failure(.argument, "not a pickled list of numbers: \(why) (byte \(at))")
    }
}
