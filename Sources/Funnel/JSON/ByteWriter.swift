/// One growable byte buffer that result documents are written into: the
/// same text ``JSONWriter`` writes for the same calls, but each piece is a
/// copy into memory already reserved instead of an `Array` append, which is
/// what writing millions of small pieces costs most.
///
/// Noncopyable: it owns its memory, which goes with it.
///
/// - Complexity: every write is O(its length), amortised.
struct ByteWriter: ~Copyable {
    private var storage: Storage
    /// The number of bytes written.
    private(set) var count = 0

    private struct Storage {
        var base: UnsafeMutablePointer<UInt8>
        var capacity: Int
    }

    /// An empty buffer with room for `capacity` bytes.
    init(capacity: Int = 4096) {
        let capacity = max(64, capacity)
        storage = Storage(base: .allocate(capacity: capacity), capacity: capacity)
    }

    deinit { storage.base.deallocate() }

    /// Makes room for `n` more bytes.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count &+ n > storage.capacity { grow(count + n) }
    }

    @inline(never)
    private mutating func grow(_ needed: Int) {
        var capacity = storage.capacity * 2
        while capacity < needed { capacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        bigger.update(from: storage.base, count: count)
        storage.base.deallocate()
        storage = Storage(base: bigger, capacity: capacity)
    }

    /// Appends trusted text such as `,"fit":`.
    @inline(__always)
    mutating func raw(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        reserve(n)
        Self.copy(s.utf8Start, to: storage.base + count, count: n)
        count &+= n
    }

    /// Appends bytes as they are.
    @inline(__always)
    mutating func raw(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            guard let source = buffer.baseAddress else { return }
            reserve(buffer.count)
            Self.copy(source, to: storage.base + count, count: buffer.count)
            count &+= buffer.count
        }
    }

    /// Appends `count` bytes at `start` as they are (a model's name, read
    /// through ``ResultNames/View``).
    @inline(__always)
    mutating func raw(_ start: UnsafePointer<UInt8>, count n: Int) {
        reserve(n)
        Self.copy(start, to: storage.base + count, count: n)
        count &+= n
    }

    /// Appends already-escaped string contents (`count` bytes at `start`) between quotes.
    @inline(__always)
    mutating func quoted(_ start: UnsafePointer<UInt8>, count n: Int) {
        reserve(n &+ 2)
        let out = storage.base + count
        out[0] = UInt8(ascii: "\"")
        Self.copy(start, to: out + 1, count: n)
        out[n &+ 1] = UInt8(ascii: "\"")
        count &+= n &+ 2
    }

    /// Copies `n` bytes: up to 16 with two overlapping loads and stores
    /// (the model's names, a result's usual pieces), more with `memcpy`,
    /// whose call costs more than the copy of a short name.
    @inline(__always)
    private static func copy(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count n: Int) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        if n >= 8 && n <= 16 {
            let low = from.loadUnaligned(as: UInt64.self)
            let high = from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            to.storeBytes(of: low, as: UInt64.self)
            to.storeBytes(of: high, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 && n < 8 {
            let low = from.loadUnaligned(as: UInt32.self)
            let high = from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            to.storeBytes(of: low, as: UInt32.self)
            to.storeBytes(of: high, toByteOffset: n - 4, as: UInt32.self)
        } else if n < 4 {
            // 1 to 3 bytes as first, middle and last: a loop here is compiled
            // into a call of memmove, which costs more than the bytes.
            guard n > 0 else { return }
            target[0] = source[0]
            target[n >> 1] = source[n >> 1]
            target[n &- 1] = source[n &- 1]
        } else {
            target.update(from: source, count: n)
        }
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        reserve(1)
        storage.base[count] = b
        count &+= 1
    }

    /// Appends two bytes (a pickle opcode and its argument).
    @inline(__always)
    mutating func bytes(_ a: UInt8, _ b: UInt8) {
        reserve(2)
        storage.base[count] = a
        storage.base[count &+ 1] = b
        count &+= 2
    }

    /// Appends three bytes.
    @inline(__always)
    mutating func bytes(_ a: UInt8, _ b: UInt8, _ c: UInt8) {
        reserve(3)
        storage.base[count] = a
        storage.base[count &+ 1] = b
        storage.base[count &+ 2] = c
        count &+= 3
    }

    /// Appends `v`'s 4 bytes, least significant first.
    @inline(__always)
    mutating func littleEndian(_ v: UInt32) {
        reserve(4)
        UnsafeMutableRawPointer(storage.base + count).storeBytes(of: v.littleEndian, as: UInt32.self)
        count &+= 4
    }

    /// Appends `v`'s 8 bytes, least significant first.
    @inline(__always)
    mutating func littleEndian(_ v: UInt64) {
        reserve(8)
        UnsafeMutableRawPointer(storage.base + count).storeBytes(of: v.littleEndian, as: UInt64.self)
        count &+= 8
    }

    /// Appends `v`'s 8 bytes, most significant first.
    @inline(__always)
    mutating func bigEndian(_ v: UInt64) {
        reserve(8)
        UnsafeMutableRawPointer(storage.base + count).storeBytes(of: v.bigEndian, as: UInt64.self)
        count &+= 8
    }

    /// Appends already-escaped string contents between quotes.
    @inline(__always)
    mutating func quoted(_ escaped: [UInt8]) {
        byte(UInt8(ascii: "\""))
        raw(escaped)
        byte(UInt8(ascii: "\""))
    }

    mutating func null() { raw("null") }

    mutating func bool(_ b: Bool) {
        if b { raw("true") } else { raw("false") }
    }

    /// ``JSONWriter/writeNumber(_:)``'s text: `null` for NaN and infinities,
    /// integers without `.0`, `-0.0` as `0`, else the shortest round-trip form.
    mutating func number(_ x: Double) {
        guard x.isFinite else {
            raw("null")
            return
        }
        if x == 0 {
            byte(UInt8(ascii: "0"))
            return
        }
        if x.magnitude < 9_007_199_254_740_992.0 {
            let integer = Int64(x)
            if Double(integer) == x {
                self.integer(integer)
                return
            }
        }
        reserve(NumberText.capacity)
        if let written = ShortestDouble.write(x, to: storage.base + count) {
            count &+= written
            return
        }
        // `write(to:)` gives `description`'s text; the standard library hands
        // it to `_writeASCII` from a buffer of its own, so no `String` is made.
        var text = NumberText(storage.base + count)
        x.write(to: &text)
        if !text.overflowed {
            count &+= text.count
            return
        }
        var fallback = x.description
        fallback.withUTF8 { utf8 in
            guard let source = utf8.baseAddress else { return }
            reserve(utf8.count)
            (storage.base + count).update(from: source, count: utf8.count)
            count &+= utf8.count
        }
    }

    /// A number's text written into the room reserved for it at the end of
    /// a ``ByteWriter`` (a `Double` needs at most 24 bytes). More than that
    /// is never written: `overflowed` tells the writer to use `description`.
    private struct NumberText: TextOutputStream {
        static let capacity = 64
        let start: UnsafeMutablePointer<UInt8>
        var count = 0
        var overflowed = false

        init(_ start: UnsafeMutablePointer<UInt8>) { self.start = start }

        mutating func write(_ string: String) {
            var string = string
            string.withUTF8 { _writeASCII($0) }
        }

        mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
            guard let source = buffer.baseAddress, !overflowed else { return }
            guard buffer.count <= Self.capacity - count else {
                overflowed = true
                return
            }
            (start + count).update(from: source, count: buffer.count)
            count += buffer.count
        }
    }

    private mutating func integer(_ value: Int64) {
        reserve(21)
        let out = storage.base + count
        var magnitude = value.magnitude
        var digits = 0
        repeat {
            digits &+= 1
            magnitude /= 10
        } while magnitude > 0
        var k = 0
        if value < 0 {
            out[0] = UInt8(ascii: "-")
            k = 1
        }
        magnitude = value.magnitude
        var end = k &+ digits
        let total = end
        repeat {
            end &-= 1
            out[end] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        count &+= total
    }

    /// ``JSONWriter/writeString(_:)``'s text: `s` quoted, escaping only `"`,
    /// `\` and control characters.
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            reserve(utf8.count * 6 + 2)
            let out = storage.base
            var k = count
            out[k] = UInt8(ascii: "\"")
            k &+= 1
            for c in utf8 {
                if c >= 0x20 && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") {
                    out[k] = c
                    k &+= 1
                    continue
                }
                out[k] = UInt8(ascii: "\\")
                switch c {
                case UInt8(ascii: "\""): out[k + 1] = UInt8(ascii: "\"")
                case UInt8(ascii: "\\"): out[k + 1] = UInt8(ascii: "\\")
                case 0x08: out[k + 1] = UInt8(ascii: "b")
                case 0x0C: out[k + 1] = UInt8(ascii: "f")
                case 0x0A: out[k + 1] = UInt8(ascii: "n")
                case 0x0D: out[k + 1] = UInt8(ascii: "r")
                case 0x09: out[k + 1] = UInt8(ascii: "t")
                default:
                    out[k + 1] = UInt8(ascii: "u")
                    out[k + 2] = UInt8(ascii: "0")
                    out[k + 3] = UInt8(ascii: "0")
                    out[k + 4] = Self.hexDigit(c >> 4)
                    out[k + 5] = Self.hexDigit(c & 0x0F)
                    k &+= 4
                }
                k &+= 2
            }
            out[k] = UInt8(ascii: "\"")
            count = k &+ 1
        }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble &- 10)
    }

    /// The bytes written, as an array.
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: storage.base, count: count))
    }

    /// Calls `body` with the bytes written.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(start: storage.base, count: count))
    }

    /// Forgets what was written, keeping the memory.
    mutating func removeAll() { count = 0 }

    /// Hands what was written over to `block`, memory and all, and goes on
    /// empty in the memory `block` held (whatever it held is forgotten):
    /// the bytes pass on without a copy.
    mutating func handOver(to block: WrittenBytes) {
        swap(&storage.base, &block.base)
        swap(&storage.capacity, &block.capacity)
        block.count = count
        count = 0
    }
}

