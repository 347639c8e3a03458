#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Appends `"`, the `length` ASCII bytes at `data` and `"` when none of them
    /// needs a JSON escape (a control character, `"` or `\\`): copied and checked 8
    /// bytes at a time in one pass, the last (or only) 8 overlapping the ones
    /// before. With `headerBefore`, the 8 bytes before `data` may be read (a
    /// CPython str's header: text of fewer than 8 bytes is then read as one word);
    /// nothing past `length` is read. Returns false, with nothing appended, when
    /// some byte needs an escape.
    @inline(__always)
    mutating func appendQuotedPlainASCII(_ data: UnsafePointer<UInt8>, _ length: Int, headerBefore: Bool) -> Bool {
        // 8 bytes to spare: a short text is stored as a whole word.
        guard let p = reserve(length &+ 10) else { return true }  // out of memory: take() says so
        p[0] = UInt8(ascii: "\"")
        let to = UnsafeMutableRawPointer(p + 1)
        let from = UnsafeRawPointer(data)
        let spaces: UInt64 = 0x2020_2020_2020_2020
        var flags: UInt64 = 0
        if length >= 8 {
            var k = 0
            while k &+ 8 <= length {
                let word = from.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                flags |= JSONEscapes.flags(word)
                to.storeBytes(of: word, toByteOffset: k, as: UInt64.self)
                k &+= 8
            }
            if k < length {
                let word = from.loadUnaligned(fromByteOffset: length &- 8, as: UInt64.self)
                flags |= JSONEscapes.flags(word)
                to.storeBytes(of: word, toByteOffset: length &- 8, as: UInt64.self)
            }
        } else if length > 0 {
            // The bytes as the low end of a word (little-endian), the rest spaces (which need no escape).
            let unused = UInt64(truncatingIfNeeded: 8 &- length) &* 8
            var word: UInt64 = 0
            if headerBefore {
                word = from.loadUnaligned(fromByteOffset: length &- 8, as: UInt64.self) >> unused
            } else {
                var k = length
                while k > 0 {
                    k &-= 1
                    word = word << 8 | UInt64(data[k])
                }
            }
            to.storeBytes(of: word.littleEndian, as: UInt64.self)
            flags = JSONEscapes.flags(word | spaces << (64 &- unused))
        }
        guard flags == 0 else { return false }
        p[length &+ 1] = UInt8(ascii: "\"")
        count &+= length &+ 2
        return true
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

extension MallocBuffer {
    /// Appends trusted text.
    mutating func append(_ s: StaticString) {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }
}

/// Which bytes of ASCII text JSON escapes, 8 at a time.
enum JSONEscapes {
    /// Nonzero when a byte of `v` (each below 0x80) is a control character, `"`
    /// or `\\`: a zero byte of `x` shows in `(x - 0x01…) & ~x & 0x80…`.
    @inline(__always)
    static func flags(_ v: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = v ^ (0x22 &* ones)
        let backslash = v ^ (0x5C &* ones)
        // v < 0x20 in some byte: (v - 0x20…) sets its high bit.
        let control = (v &- 0x20 &* ones) & ~v
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        return (control | zeroQuote | zeroBackslash) & highs
    }
}
