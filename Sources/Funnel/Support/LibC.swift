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
