import Dispatch

/// The number of threads batch work uses by default: every core.
public var defaultThreadCount: Int {
    max(1, activeProcessorCount())
}

/// Runs `body` on disjoint chunks of `0..<count`, on up to `threads` threads.
///
/// Chunks are a few times more than threads so that an uneven lead (many
/// events) does not leave a core idle at the end.
package func forEachChunk(count: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let threads = max(1, min(threads, count / 1024 + 1))
    if threads == 1 {
        body(0..<count)
        return
    }
    let chunks = threads * 4
    let size = (count + chunks - 1) / chunks
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let start = chunk * size
        let end = min(count, start + size)
        if start < end { body(start..<end) }
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
