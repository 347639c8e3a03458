import Dispatch
import Synchronization

/// The number of threads batch work uses by default: every core, as in
/// `funnel_batch_score` and the JSON Lines functions of the C ABI.
public var defaultThreadCount: Int {
    max(1, activeProcessorCount())
}

/// Runs `work` on up to `threads` threads, one call per thread; each call
/// takes ranges of `0..<count` from its `next` until `next` returns nil.
///
/// The ranges are small (a few thousand items at most), so a thread slowed
/// by an uneven range or by another process takes fewer of them instead of
/// leaving the other cores idle at the end; per-thread state (a scorer) is
/// made once per call, not once per range.
package func inParallel(count: Int, threads: Int, _ work: @Sendable (_ next: () -> Range<Int>?) -> Void) {
    let threads = max(1, min(threads, count / 1024 + 1))
    if threads == 1 {
        var taken = false
        work {
            if taken { return nil }
            taken = true
            return 0..<count
        }
        return
    }
    let grain = max(256, min(4096, count / (threads * 16)))
    let cursor = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
        work {
            let start = cursor.wrappingAdd(grain, ordering: .relaxed).oldValue
            return start < count ? start..<min(count, start &+ grain) : nil
        }
    }
}

/// Runs `body` on disjoint ranges covering `0..<count`, on up to `threads` threads.
package func forEachChunk(count: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
    inParallel(count: count, threads: threads) { next in
        while let range = next() { body(range) }
    }
}

#if canImport(Glibc)
import Glibc
private func activeProcessorCount() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#elseif canImport(Darwin)
import Darwin
private func activeProcessorCount() -> Int { Int(sysconf(_SC_NPROCESSORS_ONLN)) }
#else
private func activeProcessorCount() -> Int { 1 }
#endif
