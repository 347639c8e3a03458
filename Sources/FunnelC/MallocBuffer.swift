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
