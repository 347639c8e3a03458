#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `funnel_score_jsonl_pickle`: the results of `funnel_score_jsonl_opts` as one
/// pickle (protocol 4) of a Python list of dicts, the objects `json.loads`
/// makes of each result line. A Python host's `pickle.loads` builds them at a
/// few hundred nanoseconds a result, sharing one str object for every
/// repeated key and name, where parsing the JSON text costs microseconds.
@_cdecl("funnel_score_jsonl_pickle")
public func funnel_score_jsonl_pickle(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ asOf: Double,
    _ options: UnsafeRawPointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ outLength: UnsafeMutablePointer<Int>?
) -> Int32 {
    guarded("funnel_score_jsonl_pickle") { () throws(Failure) in
        outLength?.pointee = 0
        let out = try Check.out(out, "out")
        guard let outLength else { throw Failure(.argument, "out_length is NULL") }
        let lines = try resultLines(model, jsonl, length, asOf, kind: .score, threads: try jsonlThreads(options))
        var pickler = JSONPickler(capacity: lines.count + lines.count / 4 + 64)
        let done = lines.withUnsafeBufferPointer { pickler.list(ofLines: $0) }
        guard done, let bytes = pickler.take() else {
            throw Failure(.limit, "a result this function does not pickle (score the JSON Lines instead)")
        }
        out.pointee = bytes.pointer
        outLength.pointee = bytes.count
    }
}

/// JSON Lines text (one document a line, as the library writes it) to a
/// pickle of the list `[json.loads(line) for line in lines]`: objects as
/// dicts, arrays as lists, integer literals as int, other numbers as float
/// (the correctly rounded double), `true`/`false`/`null` as True/False/None.
/// Object keys and short strings are memoised, so that equal ones load as one
/// str object. Anything the writer does not take (a lone surrogate escape, an
/// integer beyond 64 bits, malformed text) fails the whole pickling.
struct JSONPickler: ~Copyable {
    private var out: MallocBuffer
    private var memo = StringMemo()
    private var scratch: [UInt8] = []

    init(capacity: Int) { out = MallocBuffer(capacity: capacity) }

    /// Hands the pickle over (malloc'ed, for `funnel_string_free`).
    mutating func take() -> (pointer: UnsafeMutablePointer<CChar>, count: Int)? { out.take() }

    /// Pickles the documents of `text`, one a line (blank lines skipped).
    mutating func list(ofLines text: UnsafeBufferPointer<UInt8>) -> Bool {
        out.bytes(0x80, 4)  // PROTO 4
        out.byte(UInt8(ascii: "]"))  // EMPTY_LIST
        guard let p = text.baseAddress else {
            out.byte(UInt8(ascii: "."))
            return true
        }
        var reader = Reader(p, text.count)
        var inRun = false
        while true {
            reader.skipSpace(newlines: true)
            if reader.atEnd { break }
            if !inRun {
                out.byte(UInt8(ascii: "("))  // MARK
                inRun = true
            }
            guard value(&reader, depth: 0, memoise: true) else { return false }
            reader.skipSpace(newlines: false)
            guard reader.atEnd || reader.peek == 0x0A || reader.peek == 0x0D else { return false }
        }
        if inRun { out.byte(UInt8(ascii: "e")) }  // APPENDS
        out.byte(UInt8(ascii: "."))  // STOP
        return true
    }

    private mutating func value(_ r: inout Reader, depth: Int, memoise: Bool) -> Bool {
        guard depth < 512, !r.atEnd else { return false }
        switch r.peek {
        case UInt8(ascii: "{"):
            r.advance()
            out.byte(UInt8(ascii: "}"))  // EMPTY_DICT
            r.skipSpace(newlines: false)
            if !r.atEnd && r.peek == UInt8(ascii: "}") {
                r.advance()
                return true
            }
            out.byte(UInt8(ascii: "("))
            while true {
                r.skipSpace(newlines: false)
                guard !r.atEnd, r.peek == UInt8(ascii: "\"") else { return false }
                let isID = depth == 0 && r.startsWith("\"id\"")
                guard string(&r, memoise: true) else { return false }
                r.skipSpace(newlines: false)
                guard !r.atEnd, r.peek == UInt8(ascii: ":") else { return false }
                r.advance()
                r.skipSpace(newlines: false)
                // A lead's id is its own: memoising it would only fill the memo.
                guard value(&r, depth: depth + 1, memoise: !isID) else { return false }
                r.skipSpace(newlines: false)
                guard !r.atEnd else { return false }
                let c = r.peek
                r.advance()
                if c == UInt8(ascii: ",") { continue }
                guard c == UInt8(ascii: "}") else { return false }
                out.byte(UInt8(ascii: "u"))  // SETITEMS
                return true
            }
        case UInt8(ascii: "["):
            r.advance()
            out.byte(UInt8(ascii: "]"))
            r.skipSpace(newlines: false)
            if !r.atEnd && r.peek == UInt8(ascii: "]") {
                r.advance()
                return true
            }
            out.byte(UInt8(ascii: "("))
            while true {
                r.skipSpace(newlines: false)
                guard value(&r, depth: depth + 1, memoise: true) else { return false }
                r.skipSpace(newlines: false)
                guard !r.atEnd else { return false }
                let c = r.peek
                r.advance()
                if c == UInt8(ascii: ",") { continue }
                guard c == UInt8(ascii: "]") else { return false }
                out.byte(UInt8(ascii: "e"))
                return true
            }
        case UInt8(ascii: "\""):
            return string(&r, memoise: memoise)
        case UInt8(ascii: "t"):
            guard r.startsWith("true") else { return false }
            r.advance(4)
            out.byte(0x88)  // NEWTRUE
            return true
        case UInt8(ascii: "f"):
            guard r.startsWith("false") else { return false }
            r.advance(5)
            out.byte(0x89)  // NEWFALSE
            return true
        case UInt8(ascii: "n"):
            guard r.startsWith("null") else { return false }
            r.advance(4)
            out.byte(UInt8(ascii: "N"))
            return true
        default:
            return number(&r)
        }
    }

    /// A JSON number: an int for an integer literal (as `json.loads`), else the
    /// correctly rounded double.
    private mutating func number(_ r: inout Reader) -> Bool {
        let start = r.at
        var negative = false
        if !r.atEnd && r.peek == UInt8(ascii: "-") {
            negative = true
            r.advance()
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var intDigits = 0
        var fraction = false
        var exponent = 0
        var exponentSeen = false
        while !r.atEnd, r.peek &- UInt8(ascii: "0") < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(r.peek &- UInt8(ascii: "0")) }
            digits += 1
            intDigits += 1
            r.advance()
        }
        guard intDigits > 0 else { return false }
        if !r.atEnd && r.peek == UInt8(ascii: ".") {
            fraction = true
            r.advance()
            var fractionDigits = 0
            while !r.atEnd, r.peek &- UInt8(ascii: "0") < 10 {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(r.peek &- UInt8(ascii: "0"))
                    exponent -= 1
                }
                digits += 1
                fractionDigits += 1
                r.advance()
            }
            guard fractionDigits > 0 else { return false }
        }
        if !r.atEnd && (r.peek == UInt8(ascii: "e") || r.peek == UInt8(ascii: "E")) {
            exponentSeen = true
            r.advance()
            var sign = 1
            if !r.atEnd && (r.peek == UInt8(ascii: "+") || r.peek == UInt8(ascii: "-")) {
                if r.peek == UInt8(ascii: "-") { sign = -1 }
                r.advance()
            }
            var e = 0
            var expDigits = 0
            while !r.atEnd, r.peek &- UInt8(ascii: "0") < 10 {
                if e < 100_000 { e = e * 10 + Int(r.peek &- UInt8(ascii: "0")) }
                expDigits += 1
                r.advance()
            }
            guard expDigits > 0 else { return false }
            exponent += sign * e
        }
        if !fraction && !exponentSeen {
            // json.loads: an int, of any size (here: 64 bits at most).
            guard digits <= 19 else { return false }
            if negative {
                guard mantissa <= UInt64(Int64.max) + 1 else { return false }
                integer(mantissa == 0 ? 0 : Int64(bitPattern: 0 &- mantissa))
            } else {
                guard mantissa <= UInt64(Int64.max) else { return false }
                integer(Int64(mantissa))
            }
            return true
        }
        var value: Double
        if digits <= 19, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            // Both exact: one correctly rounded operation (Clinger's fast path).
            value = Double(mantissa)
            if exponent < 0 { value /= Self.powersOfTen[-exponent] } else { value *= Self.powersOfTen[exponent] }
            if negative { value = -value }
        } else if digits <= 19, let exact = Self.nearest(mantissa, exponent) {
            value = negative ? -exact : exact
        } else {
            let text = String(decoding: UnsafeBufferPointer(start: r.base + start, count: r.at - start), as: UTF8.self)
            guard let parsed = Double(text) else { return false }
            value = parsed
        }
        out.byte(UInt8(ascii: "G"))  // BINFLOAT, big-endian
        out.uint64BigEndian(value.bitPattern)
        return true
    }

    /// The double nearest to `mantissa` × 10^`exponent` (ties to even) for a
    /// power of ten that fits in 64 bits, by integer arithmetic: the quotient or
    /// product to 63 or more bits, then rounded to 53 with the rest as a sticky
    /// bit (what shortest round-trip texts of 16 and 17 digits need); nil when
    /// the result would not be a normal double (or `mantissa` is 0).
    static func nearest(_ mantissa: UInt64, _ exponent: Int) -> Double? {
        guard mantissa != 0, exponent >= -19, exponent <= 19 else { return nil }
        let power = powersOfTen64[Int(exponent.magnitude)]
        var q: UInt64
        var sticky: Bool
        var scale: Int  // value = q × 2^scale (before rounding)
        if exponent <= 0 {
            // (mantissa << s) / power with s chosen so that the quotient has 63 or 64 bits.
            let s = 63 - (64 - mantissa.leadingZeroBitCount) + (64 - power.leadingZeroBitCount)
            let high = s >= 64 ? mantissa << (s - 64) : (s == 0 ? 0 : mantissa >> (64 - s))
            let low = s >= 64 ? 0 : mantissa << s
            guard high < power else { return nil }
            let (quotient, remainder) = power.dividingFullWidth((high, low))
            q = quotient
            sticky = remainder != 0
            scale = -s
        } else {
            let (high, low) = mantissa.multipliedFullWidth(by: power)
            if high == 0 {
                q = low
                sticky = false
                scale = 0
            } else {
                let shift = 64 - high.leadingZeroBitCount
                q = high << (64 - shift) | low >> shift
                sticky = low & ((1 << shift) &- 1) != 0
                scale = shift
            }
        }
        // Round q to 53 bits.
        let extra = (64 - q.leadingZeroBitCount) - 53
        var m: UInt64
        if extra > 0 {
            m = q >> extra
            let rest = q & ((1 << extra) - 1)
            let half: UInt64 = 1 << (extra - 1)
            if rest > half || (rest == half && (sticky || m & 1 == 1)) { m += 1 }
            scale += extra
            if m == 1 << 53 {
                m >>= 1
                scale += 1
            }
        } else {
            guard !sticky else { return nil }  // fewer than 54 bits with a remainder: not reached
            m = q
        }
        let value = Double(m) * Self.powerOfTwo(scale)
        guard value.isNormal else { return nil }
        return value
    }

    /// 2^k for k within a normal double's range (exact).
    private static func powerOfTwo(_ k: Int) -> Double {
        Double(sign: .plus, exponent: k, significand: 1)
    }

    private static let powersOfTen64: [UInt64] = (0...19).map { k in
        var p: UInt64 = 1
        for _ in 0..<k { p *= 10 }
        return p
    }

    private static let powersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }

    private mutating func integer(_ v: Int64) {
        if v >= 0 && v < 256 {
            out.bytes(UInt8(ascii: "K"), UInt8(v))  // BININT1
        } else if v >= 0 && v < 65536 {
            out.bytes(UInt8(ascii: "M"), UInt8(v & 0xFF), UInt8(v >> 8))  // BININT2
        } else if let v32 = Int32(exactly: v) {
            out.byte(UInt8(ascii: "J"))  // BININT, little-endian
            out.uint32LittleEndian(UInt32(bitPattern: v32))
        } else {
            out.bytes(0x8A, 8)  // LONG1: 8 bytes of two's complement, little-endian
            var bits = UInt64(bitPattern: v)
            for _ in 0..<8 {
                out.byte(UInt8(truncatingIfNeeded: bits))
                bits >>= 8
            }
        }
    }

    /// A JSON string as a str: unescaped, memoised when asked and short.
    private mutating func string(_ r: inout Reader, memoise: Bool) -> Bool {
        r.advance()  // the opening quote
        let start = r.at
        // Plain bytes (not a quote, a backslash or a control character) in one loop.
        var k = r.at
        let end = r.end
        let base = r.base
        while k < end {
            let c = base[k]
            if c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { break }
            k &+= 1
        }
        r.at = k
        guard r.atEnd || r.peek >= 0x20 else { return false }
        guard !r.atEnd else { return false }
        if r.peek == UInt8(ascii: "\"") {
            let text = UnsafeBufferPointer(start: r.base + start, count: r.at - start)
            r.advance()
            emit(text, memoise: memoise)
            return true
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: r.base + start, count: r.at - start))
        while true {
            guard !r.atEnd else { return false }
            let c = r.peek
            r.advance()
            if c == UInt8(ascii: "\"") { break }
            guard c >= 0x20 else { return false }
            guard c == UInt8(ascii: "\\") else {
                scratch.append(c)
                continue
            }
            guard !r.atEnd else { return false }
            let e = r.peek
            r.advance()
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(e)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = r.hex4() else { return false }
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A pair, or a lone surrogate (which UTF-8 cannot hold: refused).
                    guard r.startsWith("\\u") else { return false }
                    r.advance(2)
                    guard let low = r.hex4(), low >= 0xDC00, low < 0xE000 else { return false }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    return false
                }
                appendUTF8(scalar)
            default: return false
            }
        }
        scratch.withUnsafeBufferPointer { emit($0, memoise: memoise) }
        return true
    }

    private mutating func appendUTF8(_ v: UInt32) {
        if v < 0x80 {
            scratch.append(UInt8(v))
        } else if v < 0x800 {
            scratch.append(UInt8(0xC0 | v >> 6))
            scratch.append(UInt8(0x80 | v & 0x3F))
        } else if v < 0x10000 {
            scratch.append(UInt8(0xE0 | v >> 12))
            scratch.append(UInt8(0x80 | v >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | v & 0x3F))
        } else {
            scratch.append(UInt8(0xF0 | v >> 18))
            scratch.append(UInt8(0x80 | v >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | v >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | v & 0x3F))
        }
    }

    /// A str of UTF-8 `text`: a memo reference when an equal one was memoised.
    private mutating func emit(_ text: UnsafeBufferPointer<UInt8>, memoise: Bool) {
        let memoised = memoise && text.count <= StringMemo.longest
        if memoised, let index = memo.find(text) {
            if index < 256 {
                out.bytes(UInt8(ascii: "h"), UInt8(index))  // BINGET
            } else {
                out.byte(UInt8(ascii: "j"))  // LONG_BINGET
                out.uint32LittleEndian(UInt32(index))
            }
            return
        }
        if text.count < 256 {
            out.bytes(0x8C, UInt8(text.count))  // SHORT_BINUNICODE
        } else {
            out.byte(UInt8(ascii: "X"))  // BINUNICODE
            out.uint32LittleEndian(UInt32(text.count))
        }
        out.append(text)
        if memoised && memo.insert(text) {
            out.byte(0x94)  // MEMOIZE: the next memo index, as `memo.insert` numbers them
        }
    }

    /// A cursor over the JSON text.
    struct Reader {
        let base: UnsafePointer<UInt8>
        let end: Int
        var at = 0

        init(_ base: UnsafePointer<UInt8>, _ count: Int) {
            self.base = base
            end = count
        }

        var atEnd: Bool { at >= end }
        var peek: UInt8 { base[at] }
        mutating func advance(_ n: Int = 1) { at += n }

        func startsWith(_ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            guard end - at >= n else { return false }
            return memcmp(base + at, s.utf8Start, n) == 0
        }

        mutating func skipSpace(newlines: Bool) {
            while at < end {
                let c = base[at]
                guard c == 0x20 || c == 0x09 || (newlines && (c == 0x0A || c == 0x0D)) else { return }
                at += 1
            }
        }

        /// Four hex digits, the cursor after them.
        mutating func hex4() -> UInt32? {
            guard end - at >= 4 else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                let c = base[at + k]
                let d: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
                default: return nil
                }
                v = v << 4 | UInt32(d)
            }
            at += 4
            return v
        }
    }
}

/// The memoised strings of a pickle and their memo indices (0, 1, … in the
/// order inserted, as MEMOIZE numbers them). A string of at most 16 bytes is
/// its key: its length and its first and last 8 bytes (zero-padded), compared
/// as three words; longer ones are compared byte by byte.
struct StringMemo {
    /// Longer strings are written out each time.
    static let longest = 64
    /// Past this many entries nothing more is memoised.
    static let capacity = 1 << 16

    private struct Key: Equatable {
        var count: Int
        var first: UInt64
        var last: UInt64
    }

    private var keys: [Key] = []
    /// The bytes of entries longer than 16 bytes (offset; others: -1).
    private var offsets: [Int] = []
    private var bytes: [UInt8] = []
    /// Slot -> entry index + 1 (0: empty).
    private var slots = [Int32](repeating: 0, count: 1 << 10)

    private static func key(_ text: UnsafeBufferPointer<UInt8>) -> Key {
        guard let base = text.baseAddress, text.count > 0 else { return Key(count: 0, first: 0, last: 0) }
        let n = text.count
        if n >= 8 {
            let raw = UnsafeRawPointer(base)
            return Key(count: n, first: raw.loadUnaligned(as: UInt64.self),
                       last: raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        }
        var word: UInt64 = 0
        withUnsafeMutableBytes(of: &word) { $0.baseAddress!.copyMemory(from: base, byteCount: n) }
        return Key(count: n, first: word, last: 0)
    }

    private static func hash(_ key: Key) -> Int {
        var h = (key.first ^ UInt64(key.count) &* 0x9E37_79B9_7F4A_7C15) &* 0xFF51_AFD7_ED55_8CCD
        h = (h ^ (h >> 32) ^ key.last) &* 0xC4CE_B9FE_1A85_EC53
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    func find(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        let key = Self.key(text)
        let mask = slots.count - 1
        var slot = Self.hash(key) & mask
        return slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                while true {
                    let e = Int(slots[slot])
                    if e == 0 { return nil }
                    if keys[e - 1] == key && (key.count <= 16 || longEqual(e - 1, text)) { return e - 1 }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Adds `text` (not present); false when the memo is full.
    mutating func insert(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard keys.count < Self.capacity else { return false }
        if 2 * (keys.count + 1) > slots.count { grow() }
        let key = Self.key(text)
        keys.append(key)
        if text.count > 16 {
            offsets.append(bytes.count)
            bytes.append(contentsOf: text)
        } else {
            offsets.append(-1)
        }
        place(keys.count - 1, hash: Self.hash(key))
        return true
    }

    private func longEqual(_ k: Int, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let offset = offsets[k]
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + offset, text.baseAddress!, text.count) == 0 }
    }

    private mutating func place(_ k: Int, hash: Int) {
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(k + 1)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        for k in keys.indices { place(k, hash: Self.hash(keys[k])) }
    }
}

/// A growable malloc'ed byte buffer, handed over to C as it is (freed with
/// `funnel_string_free`), NUL-terminated.
struct MallocBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>?
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = malloc(self.capacity)?.assumingMemoryBound(to: UInt8.self)
    }

    deinit { free(base) }

    @inline(__always)
    private mutating func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8>? {
        if count &+ n > capacity { grow(count + n) }
        return base.map { $0 + count }
    }

    @inline(never)
    private mutating func grow(_ needed: Int) {
        var bigger = capacity * 2
        while bigger < needed { bigger *= 2 }
        guard let p = realloc(base, bigger) else {
            free(base)
            base = nil
            capacity = Int.max / 2
            return
        }
        base = p.assumingMemoryBound(to: UInt8.self)
        capacity = bigger
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        guard let p = reserve(1) else { return }
        p[0] = b
        count &+= 1
    }

    @inline(__always)
    mutating func bytes(_ a: UInt8, _ b: UInt8) {
        guard let p = reserve(2) else { return }
        p[0] = a
        p[1] = b
        count &+= 2
    }

    @inline(__always)
    mutating func bytes(_ a: UInt8, _ b: UInt8, _ c: UInt8) {
        guard let p = reserve(3) else { return }
        p[0] = a
        p[1] = b
        p[2] = c
        count &+= 3
    }

    mutating func uint32LittleEndian(_ v: UInt32) {
        guard let p = reserve(4) else { return }
        UnsafeMutableRawPointer(p).storeBytes(of: v.littleEndian, as: UInt32.self)
        count &+= 4
    }

    mutating func uint64BigEndian(_ v: UInt64) {
        guard let p = reserve(8) else { return }
        UnsafeMutableRawPointer(p).storeBytes(of: v.bigEndian, as: UInt64.self)
        count &+= 8
    }

    mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
        guard let source = text.baseAddress, text.count > 0, let p = reserve(text.count) else { return }
        p.update(from: source, count: text.count)
        count &+= text.count
    }

    /// The bytes, NUL-terminated, for the caller to free; nil when out of memory.
    mutating func take() -> (pointer: UnsafeMutablePointer<CChar>, count: Int)? {
        byte(0)
        guard let p = base else { return nil }
        base = nil
        let n = count - 1
        count = 0
        capacity = 0
        return (UnsafeMutableRawPointer(p).assumingMemoryBound(to: CChar.self), n)
    }
}
