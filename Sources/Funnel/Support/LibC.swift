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

/// `malloc`, which reports failure instead of trapping. On Linux, blocks of
/// at least ``hugeBlockBytes`` are aligned to it and offered transparent huge
/// pages: a fresh column is then faulted in one fault per 2 MiB instead of one
/// per 4 KiB, which on a one-shot fill (new columns, each written once) costs
/// more than writing them.
///
/// A large block a freed column gave back (``BlockCache``) is taken first:
/// its pages are already there. Returns the block and its size, at least
/// `bytes` (a kept block may be larger), for ``releaseAllocation(_:bytes:)``.
func tryAllocate(_ bytes: Int) -> (block: UnsafeMutableRawPointer, bytes: Int)? {
    if let kept = BlockCache.take(bytes) { return kept }
    #if os(Linux)
    if bytes >= 2 * hugeBlockBytes {
        var block: UnsafeMutableRawPointer?
        guard posix_memalign(&block, hugeBlockBytes, bytes) == 0, let block else { return nil }
        // Advice only: where huge pages are off or short, the block is used as it is.
        _ = madvise(block, bytes & ~(hugeBlockBytes - 1), Int32(MADV_HUGEPAGE))
        return (block, bytes)
    }
    #endif
    return malloc(bytes).map { ($0, bytes) }
}

/// The size (and alignment) of a transparent huge page on x86-64 and most arm64 Linux.
private let hugeBlockBytes = 2 << 20

/// Frees a block of `bytes` bytes from ``tryAllocate(_:)``, or keeps it
/// for the next (``BlockCache``).
func releaseAllocation(_ block: UnsafeMutableRawPointer, bytes: Int) {
    if BlockCache.keep(block, bytes: bytes) { return }
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
