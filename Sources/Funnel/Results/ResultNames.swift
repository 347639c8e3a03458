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
    /// (in ``ResultText``'s order): valid while the ``ResultNames`` is alive.
    struct View: BitwiseCopyable {
        let bytes: UnsafePointer<UInt8>
        let spans: UnsafePointer<Span>
        let fitRules: Int
        let behaviorRules: Int
        let groups: Int
        let criteria: Int
        let disqualifiers: Int
        let grades: Int
        let engagement: Int
        let fitPoints: Int
        let descriptions: Int
        let end: Int

        var criterionCount: Int { disqualifiers - criteria }
        var disqualifierCount: Int { grades - disqualifiers }
        var fitRuleCount: Int { behaviorRules - fitRules }
        var behaviorRuleCount: Int { groups - behaviorRules }
        var groupCount: Int { criteria - groups }

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
    /// disqualifiers, grades, engagement levels, fit points, descriptions),
    /// one group after the other.
    init(_ groups: [[[UInt8]]]) {
        let names = groups.flatMap { $0 }
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
        var starts: [Int] = []
        var start = 0
        for group in groups {
            starts.append(start)
            start += group.count
        }
        while starts.count < 9 { starts.append(start) }
        self.bytes = bytes
        self.spans = spans
        view = View(
            bytes: UnsafePointer(bytes), spans: UnsafePointer(spans), fitRules: starts[0], behaviorRules: starts[1],
            groups: starts[2], criteria: starts[3], disqualifiers: starts[4], grades: starts[5], engagement: starts[6],
            fitPoints: starts[7], descriptions: starts[8], end: start)
    }

    deinit {
        bytes.deallocate()
        spans.deallocate()
    }
}
