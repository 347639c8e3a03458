/// Bytes a ``ByteWriter`` wrote, taken from it whole by
/// ``ByteWriter/handOver(to:)``: its memory passes on instead of a copy of
/// the bytes (results are tens of megabytes on a long input).
///
/// A class so that the same memory can go round: once its reader is done,
/// a block goes back to a writer (`handOver` again) to be written into, and
/// no chunk of results needs fresh memory in the steady state. Not changed
/// between hand-overs, so it may be read from any thread.
package final class WrittenBytes: @unchecked Sendable {
    var base: UnsafeMutablePointer<UInt8>
    var capacity: Int
    /// The number of bytes written.
    package internal(set) var count = 0

    /// An empty block with room for `capacity` bytes.
    init(capacity: Int = 64) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Calls `body` with the bytes written.
    package func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
