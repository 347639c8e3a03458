#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

@testable import Funnel

/// Blocks that freed columns give back (other tests run at the same time
/// and may take a kept block first: only what holds whoever takes it is checked).
@Suite("Block cache")
struct BlockCacheTests {
    @Test func smallBlocksAreNotKept() {
        let block = malloc(1024)!
        #expect(!BlockCache.keep(block, bytes: 1024))
        free(block)
        #expect(BlockCache.take(1024) == nil)
    }

    @Test func aTakenBlockIsAtLeastAsLargeAsAsked() {
        let bytes = BlockCache.minBytes * 3
        let block = malloc(bytes)!
        #expect(BlockCache.keep(block, bytes: bytes))
        if let taken = BlockCache.take(bytes) {
            #expect(taken.bytes >= bytes)
            // Writable to its end.
            taken.block.initializeMemory(as: UInt8.self, repeating: 7, count: taken.bytes)
            free(taken.block)
        }
    }

    @Test func aSmallColumnDoesNotTakeALargeBlock() {
        let bytes = BlockCache.minBytes * 8
        let block = malloc(bytes)!
        #expect(BlockCache.keep(block, bytes: bytes))
        // Whatever is taken (another test's block, maybe) is at most twice the size asked.
        if let taken = BlockCache.take(BlockCache.minBytes) {
            #expect(taken.bytes >= BlockCache.minBytes && taken.bytes <= 2 * BlockCache.minBytes)
            free(taken.block)
        }
        if let large = BlockCache.take(bytes) { free(large.block) }
    }

    @Test func columnsFromKeptBlocksHoldWhatIsWritten() {
        let count = BlockCache.minBytes / 8 + 1000
        for round in 0..<3 {
            guard var column = Column<Double>(tryUninitializedCount: count) else {
                Issue.record("no memory")
                return
            }
            let base = column.mutableBase()
            for k in 0..<count { base[k] = Double(k &* (round + 1)) }
            #expect(column[count - 1] == Double((count - 1) * (round + 1)))
            #expect(column.count == count)
        }
    }
}
