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

/// A fork while another thread holds the cache's lock: the child's first
/// large column must not wait forever for a lock that thread held.
@Suite("Block cache and fork")
struct BlockCacheForkTests {
    @Test func aChildForkedWhileTheLockIsHeldCanTakeBlocks() throws {
        let holding = Flag()
        let holder = Thread {
            BlockCache.withBlocksLocked {
                holding.set()
                usleep(50_000)  // the fork below begins meanwhile
            }
        }
        while !holding.isSet { usleep(100) }
        let child = fork()
        if child == 0 {
            // The child: take and keep a block (both lock), then leave at once.
            let bytes = BlockCache.minBytes
            if let taken = BlockCache.take(bytes) { free(taken.block) }
            if let block = malloc(bytes), !BlockCache.keep(block, bytes: bytes) { free(block) }
            _exit(0)
        }
        holder.join()
        try #require(child > 0)
        var status: Int32 = 0
        var waited = 0
        // A child stuck on the lock never exits: give up after 10 s and kill it.
        while waitpid(child, &status, WNOHANG) == 0 {
            if waited >= 10_000 {
                kill(child, SIGKILL)
                _ = waitpid(child, &status, 0)
                Issue.record("the forked child waited for the block cache's lock for 10 s")
                return
            }
            usleep(1000)
            waited += 1
        }
        #expect(status & 0x7f == 0 && (status >> 8) & 0xff == 0, "child status \(status)")
    }
}

/// A flag one thread sets and another reads.
private final class Flag: @unchecked Sendable {
    private let value = Locked(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

/// A pthread running `body`, joined once.
private final class Thread: @unchecked Sendable {
    private var handle = pthread_t()

    init(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        pthread_create(&handle, nil, { raw in
            let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
            body.run()
            return nil
        }, box)
    }

    func join() { pthread_join(handle, nil) }

    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}
