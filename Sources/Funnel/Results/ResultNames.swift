/// ``ResultText``'s names (escaped JSON string contents) and fit points in
/// one contiguous block of bytes, each at an (offset, length) pair, so that
/// ``Scorer/writeResult(lead:to:)`` reads them through one pointer: no array
/// is retained and released per name written (two threads writing results
/// would otherwise fight over the same reference counts).
///
/// The memory lives as long as the model does; read it through ``view``.
final class ResultNames: @unchecked Sendable {
    /// Where one name's bytes are.
    struct Span: BitwiseCopyable, Sendable {
        let offset: Int
        let count: Int
    }

    /// The bytes and spans as pointers, and where each group's spans start
    /// (in ``ResultText``'s order, the fit points after the descriptions):
    /// valid while the ``ResultNames`` is alive.
    struct View: BitwiseCopyable {
        let bytes: UnsafePointer<UInt8>
        let spans: UnsafePointer<Span>
        let starts: ResultGroupStarts
        /// Fit rule 0's points (a JSON number), the fit rules' after it.
        var fitPoints: Int { @inline(__always) get { starts.end } }

        /// The bytes of name `k` (a group's start plus an index).
        @inline(__always)
        func name(_ k: Int) -> (start: UnsafePointer<UInt8>, count: Int) {
            let span = spans[k]
            return (bytes + span.offset, span.count)
        }
    }

    private let bytes: UnsafeMutablePointer<UInt8>
    private let spans: UnsafeMutablePointer<Span>
    /// Every pointer and group start, made once.
    let view: View

    /// The names of `groups` (fit rules, behaviour rules, groups, criteria,
    /// disqualifiers, grades, engagement levels, descriptions), one group
    /// after the other, then `fitPoints` (each fit rule's points as JSON).
    init(_ groups: [[[UInt8]]], fitPoints: [[UInt8]]) {
        let names = groups.flatMap { $0 } + fitPoints
        let total = names.reduce(0) { $0 + $1.count }
        // At least one element each, so that the pointers are real memory.
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, total))
        let spans = UnsafeMutablePointer<Span>.allocate(capacity: max(1, names.count))
        var offset = 0
        for (k, name) in names.enumerated() {
            name.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { (bytes + offset).initialize(from: base, count: source.count) }
            }
            (spans + k).initialize(to: Span(offset: offset, count: name.count))
            offset += name.count
        }
        self.bytes = bytes
        self.spans = spans
        view = View(
            bytes: UnsafePointer(bytes), spans: UnsafePointer(spans),
            starts: ResultGroupStarts(first: 0, counts: groups.map(\.count)))
    }

    deinit {
        bytes.deallocate()
        spans.deallocate()
    }
}
