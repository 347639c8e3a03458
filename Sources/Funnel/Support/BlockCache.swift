#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Large blocks that freed columns gave back, kept for the next columns of
/// their size: a batch filled and scored once, then freed, then the next one
/// (a host scoring one batch after another) writes into pages it already has
/// instead of fresh ones, whose faults and zeroing cost a one-shot fill about
/// as much system time as its user time.
///
/// Bounded: at most ``maxBlocks`` blocks and ``maxBytes`` bytes (a host embedding
/// the library keeps at most that much it freed; a 100 k-lead batch's columns take
/// about 60 MB); past that the oldest go back to the allocator. A block is taken only
/// for a column of at least half its size, so a small column never pins a large block. A kept block's pages are marked free to
/// the kernel (`MADV_FREE` on Linux), which takes them back under memory
/// pressure instead of swapping them (they then read as zeros: a column's
/// uninitialised memory either way).
enum BlockCache {
    /// Blocks smaller than this go straight back to the allocator.
    static let minBytes = 256 << 10
    static let maxBlocks = 32
    static let maxBytes = 256 << 20

    private struct Block {
        var address: UnsafeMutableRawPointer
        var bytes: Int
    }

    private struct Blocks {
        var list: [Block] = []
        var bytes = 0
    }

    /// The kept blocks, behind a lock held across `fork()`: a host that forks
    /// (Python's multiprocessing) while another thread is inside ``take(_:)`` or
    /// ``keep(_:bytes:)`` would otherwise give the child a lock nobody releases,
    /// and its first large column would wait forever.
    private static let blocks: Locked<Blocks> = {
        let blocks = Locked(Blocks())
        _ = pthread_atfork(
            { BlockCache.blocks.lockForFork() },
            { BlockCache.blocks.unlockAfterFork() },
            { BlockCache.blocks.unlockAfterFork() })
        return blocks
    }()

    /// Runs `body` while holding the blocks' lock (tests: a fork meanwhile).
    static func withBlocksLocked<T>(_ body: () -> T) -> T {
        blocks.withLock { _ in body() }
    }

    /// A kept block of `bytes`...`2 * bytes` bytes (the smallest such) and its size, or `nil`.
    static func take(_ bytes: Int) -> (block: UnsafeMutableRawPointer, bytes: Int)? {
        guard bytes >= minBytes else { return nil }
        return blocks.withLock { blocks in
            var best = -1
            for (k, block) in blocks.list.enumerated() where block.bytes >= bytes && block.bytes / 2 <= bytes {
                if best < 0 || block.bytes < blocks.list[best].bytes { best = k }
            }
            guard best >= 0 else { return nil }
            let block = blocks.list.remove(at: best)
            blocks.bytes -= block.bytes
            return (block.address, block.bytes)
        }
    }

    /// Keeps `block` of `bytes` bytes for a later ``take(_:)``; false when
    /// it is too small or too large to keep (the caller frees it then).
    static func keep(_ block: UnsafeMutableRawPointer, bytes: Int) -> Bool {
        guard bytes >= minBytes, bytes <= maxBytes else { return false }
        #if os(Linux)
        // Whole pages only: the block's first and last may share theirs with other blocks.
        let page = 4096
        let start = (Int(bitPattern: block) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: block) + bytes) & ~(page - 1)
        if end > start, let first = UnsafeMutableRawPointer(bitPattern: start) {
            _ = madvise(first, end - start, Int32(MADV_FREE))
        }
        #endif
        var evicted: [Block] = []
        blocks.withLock { blocks in
            blocks.list.append(Block(address: block, bytes: bytes))
            blocks.bytes += bytes
            while blocks.list.count > maxBlocks || blocks.bytes > maxBytes {
                let oldest = blocks.list.removeFirst()
                blocks.bytes -= oldest.bytes
                evicted.append(oldest)
            }
        }
        for old in evicted { free(old.address) }
        return true
    }
}
