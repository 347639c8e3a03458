/// A growable array of plain values whose memory the scoring kernel can read
/// through a raw pointer, without bounds checks or reference counting.
///
/// It has value semantics like `Array` (copy on write), but unlike `Array` it
/// lends out its buffer for as long as the caller holds the column, which is
/// what lets a scorer keep pointers across millions of leads.
struct Column<Element: BitwiseCopyable>: RandomAccessCollection, @unchecked Sendable {
    private var storage: ColumnStorage<Element>

    var startIndex: Int { 0 }
    var endIndex: Int { storage.count }

    init() { storage = ColumnStorage(capacity: 0) }

    init(_ elements: [Element]) {
        storage = ColumnStorage(capacity: elements.count)
        append(contentsOf: elements)
    }

    init(repeating value: Element, count: Int) {
        storage = ColumnStorage(capacity: count)
        storage.base.initialize(repeating: value, count: count)
        storage.count = count
    }

    /// Like ``init(repeating:count:)``, but `nil` when the memory cannot be had,
    /// for sizes a caller asks for (the C ABI must not abort on them).
    init?(tryRepeating value: Element, count: Int) {
        guard count >= 0, let storage = ColumnStorage<Element>(tryCapacity: count) else { return nil }
        storage.base.initialize(repeating: value, count: count)
        storage.count = count
        self.storage = storage
    }

    /// `count` elements not yet written, or `nil` when the memory cannot be had:
    /// for a fill that writes every element once, so that each page is touched
    /// by that write alone, not first by an initialising pass. Every element
    /// must be written (through ``mutableBase()``) before any is read.
    init?(tryUninitializedCount count: Int) {
        guard count >= 0, let storage = ColumnStorage<Element>(tryCapacity: count) else { return nil }
        storage.count = count
        self.storage = storage
    }

    /// The first element, writable: valid while this column is alive and
    /// neither copied nor resized (a fill keeps it for one pass).
    mutating func mutableBase() -> UnsafeMutablePointer<Element> {
        makeUnique(capacity: storage.capacity)
        return storage.base
    }

    /// Makes room for `n` elements in all; false when the memory cannot be had.
    mutating func tryReserveCapacity(_ n: Int) -> Bool {
        guard n > storage.capacity else { return true }
        guard let copy = ColumnStorage<Element>(tryCapacity: n) else { return false }
        copy.base.initialize(from: storage.base, count: storage.count)
        copy.count = storage.count
        storage = copy
        return true
    }


    /// The elements; valid while this column (or a copy of it) is alive and unmutated.
    var buffer: UnsafeBufferPointer<Element> {
        UnsafeBufferPointer(start: storage.base, count: storage.count)
    }

    subscript(index: Int) -> Element {
        get { buffer[index] }
        set {
            makeUnique(capacity: storage.capacity)
            storage.base[index] = newValue
        }
    }

    mutating func reserveCapacity(_ n: Int) {
        if n > storage.capacity || !isKnownUniquelyReferenced(&storage) {
            makeUnique(capacity: Swift.max(n, storage.capacity))
        }
    }

    /// Inlined where it is called (readers append three values an event);
    /// growing, or copying a shared storage, is out of line.
    @inline(__always)
    mutating func append(_ element: Element) {
        if _slowPath(storage.count == storage.capacity || !isKnownUniquelyReferenced(&storage)) {
            makeRoomForOne()
        }
        (storage.base + storage.count).initialize(to: element)
        storage.count += 1
    }

    /// Makes the storage unique with room for `n` more elements (growing
    /// geometrically), so that the next `n` ``appendReserved(_:)`` calls
    /// need no check: one uniqueness test for a lead's events, not one an event.
    @inline(__always)
    mutating func reserveUnique(more n: Int) {
        if _slowPath(storage.capacity - storage.count < n || !isKnownUniquelyReferenced(&storage)) {
            makeRoom(more: n)
        }
    }

    /// Appends `n` copies of `value` (none when `n` <= 0): one uniqueness
    /// and capacity check and one fill, where `append(contentsOf:)` of a
    /// `repeatElement` iterated (a lead's row of missing attributes).
    @inline(__always)
    mutating func append(repeating value: Element, count n: Int) {
        guard n > 0 else { return }
        reserveUnique(more: n)
        (storage.base + storage.count).initialize(repeating: value, count: n)
        storage.count += n
    }

    @inline(never)
    private mutating func makeRoom(more n: Int) {
        let needed = storage.count + n
        makeUnique(capacity: needed > storage.capacity ? Swift.max(needed, 16, storage.capacity * 2) : storage.capacity)
    }

    /// Appends into room made by ``reserveUnique(more:)`` since the last
    /// other mutation, without checking for it.
    @inline(__always)
    mutating func appendReserved(_ element: Element) {
        assert(storage.count < storage.capacity)
        (storage.base + storage.count).initialize(to: element)
        storage.count += 1
    }

    @inline(never)
    private mutating func makeRoomForOne() {
        makeUnique(capacity: storage.count == storage.capacity ? Swift.max(16, storage.capacity * 2) : storage.capacity)
    }

    mutating func append(contentsOf elements: some Collection<Element>) {
        let needed = storage.count + elements.count
        if needed > storage.capacity || !isKnownUniquelyReferenced(&storage) {
            makeUnique(capacity: Swift.max(needed, storage.capacity * 2))
        }
        var p = storage.base + storage.count
        for element in elements {
            p.initialize(to: element)
            p += 1
        }
        storage.count = needed
    }

    /// Truncates to `n` elements (used to undo a partial append). Inlined,
    /// unique storage checked in place: a one-lead call empties a score of
    /// columns this way.
    @inline(__always)
    mutating func removeLast(toCount n: Int) {
        guard n < storage.count else { return }
        if !isKnownUniquelyReferenced(&storage) { makeUnique(capacity: storage.capacity) }
        storage.count = Swift.max(0, n)
    }

    /// Writes in place, after making the storage unique.
    mutating func withMutableBuffer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        makeUnique(capacity: storage.capacity)
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }

    private mutating func makeUnique(capacity: Int) {
        if isKnownUniquelyReferenced(&storage) && capacity == storage.capacity { return }
        let copy = ColumnStorage<Element>(capacity: Swift.max(capacity, storage.count))
        copy.base.initialize(from: storage.base, count: storage.count)
        copy.count = storage.count
        storage = copy
    }
}

/// The heap block behind a ``Column``.
final class ColumnStorage<Element: BitwiseCopyable> {
    let base: UnsafeMutablePointer<Element>
    let capacity: Int
    var count = 0
    /// The block's size when it came from ``tryAllocate(_:)``, which takes
    /// it back; 0 when it came from Swift's allocator.
    private let mallocBytes: Int

    /// Growing inside the library: Swift's allocator, for which running out of
    /// memory is fatal, as it is for any Swift array. Sizes a caller asks for
    /// go through `tryCapacity`, which fails instead.
    init(capacity: Int) {
        self.capacity = capacity
        base = UnsafeMutablePointer<Element>.allocate(capacity: Swift.max(1, capacity))
        mallocBytes = 0
    }

    /// `nil` instead of a trap when `capacity` elements cannot be allocated.
    init?(tryCapacity capacity: Int) {
        let (bytes, overflow) = Swift.max(1, capacity).multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        guard !overflow, let allocated = tryAllocate(bytes) else { return nil }
        self.capacity = capacity
        base = allocated.block.bindMemory(to: Element.self, capacity: Swift.max(1, capacity))
        mallocBytes = allocated.bytes
    }

    deinit {
        if mallocBytes > 0 {
            releaseAllocation(UnsafeMutableRawPointer(base), bytes: mallocBytes)
        } else {
            base.deallocate()
        }
    }
}
