#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// 2^x from the C library: ``power2(_:)``'s path outside its table's range.
@inline(never)
func libraryPower2(_ x: Double) -> Double {
    exp2(x)
}

/// `malloc`, which reports failure instead of trapping.
func tryAllocate(_ bytes: Int) -> UnsafeMutableRawPointer? {
    malloc(bytes)
}

/// Frees a block from ``tryAllocate(_:)``.
func releaseAllocation(_ block: UnsafeMutableRawPointer) {
    free(block)
}

/// True when the `count` bytes at `a` and at `b` are equal (`memcmp`).
@inline(__always)
func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    memcmp(a, b, count) == 0
}

/// The offset of the first `byte` among the `count` bytes at `start`, or `count` when there is none (`memchr`).
@inline(__always)
func offsetOfByte(_ byte: UInt8, in start: UnsafeRawPointer, count: Int) -> Int {
    guard let found = memchr(start, Int32(byte), count) else { return count }
    return start.distance(to: UnsafeRawPointer(found))
}
