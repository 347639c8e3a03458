/// Every string a pickled result names, as the pickle opcodes that write it,
/// in one block of bytes read through one pointer (as ``ResultNames`` for the
/// JSON writer): no array is retained and released per name written, and no
/// str header is worked out per lead.
///
/// Each name has a memo index: the keys first, then the model's names in
/// ``ResultText``'s groups, then the descriptions `lacking` lists
/// (``ResultText/flatUnmet``'s, in order); the result class, when there is
/// one, comes after them. A name's first use in a run of results writes the
/// str and a `PUT`, later ones a `GET`, so that a Python host loads one str
/// object for each however many results name it. The block also holds each
/// fit rule's points, each (grade, engagement level) priority str, and what
/// opens a result (an empty dict, or an instance of the class).
///
/// The memory lives as long as the object does; read it through ``view``.
final class ResultPickleNames: @unchecked Sendable {
    static let keys = [
        "id", "fit", "behavior", "total", "grade", "criteria", "disqualified_by", "contributions", "rule", "points",
        "lacking", "groups", "group", "engagement", "priority",
    ]
    static let id = 0, fit = 1, behavior = 2, total = 3, grade = 4, criteria = 5, disqualifiedBy = 6
    static let contributions = 7, rule = 8, points = 9, lacking = 10, groups = 11, group = 12
    static let engagement = 13, priority = 14

    /// The opcodes as pointers and where each group starts: valid while the
    /// ``ResultPickleNames`` is alive.
    struct View: BitwiseCopyable {
        let bytes: UnsafePointer<UInt8>
        let spans: UnsafePointer<ResultNames.Span>
        /// The number of memoised names (and the class's memo index): name
        /// k's first use is span k, a later one span `count + k`.
        let count: Int
        /// Memo indices of each group's first name.
        let starts: ResultGroupStarts
        /// Span of fit rule 0's points (a number opcode).
        let fitPoints: Int
        /// Span of grade 0 and engagement level 0's priority str; grade g and
        /// level l's is at `priorities + g × engagementCount + l`.
        let priorities: Int
        /// Spans that open a result: the first of a run, and the others.
        let openFirst: Int
        let openAgain: Int

        /// Writes span `k`.
        @inline(__always)
        func write(_ k: Int, _ w: inout ByteWriter) {
            let span = spans[k]
            w.raw(bytes + span.offset, count: span.count)
        }
    }

    private let bytes: UnsafeMutablePointer<UInt8>
    private let spans: UnsafeMutablePointer<ResultNames.Span>
    /// Every pointer and group start, made once.
    let view: View

    /// nil when a fit rule's points do not read back as a number (not
    /// reached: the library wrote them).
    init?(_ resultText: ResultText, resultClass: ResultPickleClass? = nil) {
        var text = Self.keys.map { Array($0.utf8) }
        let groups = resultText.nameGroups
        let starts = ResultGroupStarts(first: text.count, counts: groups.map(\.count))
        for group in groups { text.append(contentsOf: group) }
        // Every piece appended to one writer, its span noted: made once a call
        // (and thread), so no array is made per piece.
        var w = ByteWriter(capacity: text.reduce(64) { $0 + $1.count + 16 })
        var pieces: [ResultNames.Span] = []
        pieces.reserveCapacity(2 * text.count + resultText.fitPoints.count + 2)
        func piece(_ write: (inout ByteWriter) -> Void) {
            let offset = w.count
            write(&w)
            pieces.append(ResultNames.Span(offset: offset, count: w.count - offset))
        }
        for (k, name) in text.enumerated() {
            piece {
                Self.string(name, &$0)
                Self.memo(0x71, 0x72, k, &$0)
            }
        }
        for k in text.indices { piece { Self.memo(0x68, 0x6A, k, &$0) } }
        let fitPoints = pieces.count
        for p in resultText.fitPoints {
            guard let number = ResultPickleNumber(text: p) else { return nil }
            piece { number.write(&$0) }
        }
        let priorities = pieces.count
        let (grades, engagement) = (starts.grades, starts.engagement)
        for g in 0..<resultText.grades.count {
            for l in 0..<resultText.engagement.count {
                piece { Self.string(text[grades + g] + text[engagement + l], &$0) }
            }
        }
        let openFirst = pieces.count
        if let resultClass {
            // The class by name (STACK_GLOBAL) put in the memo after the names, then
            // called with no arguments (EMPTY_TUPLE, NEWOBJ); later results get it back.
            piece {
                Self.string(resultClass.module, &$0)
                Self.string(resultClass.name, &$0)
                $0.byte(0x93)
                Self.memo(0x71, 0x72, text.count, &$0)
                $0.bytes(0x29, 0x81)
            }
            piece {
                Self.memo(0x68, 0x6A, text.count, &$0)
                $0.bytes(0x29, 0x81)
            }
        } else {
            piece { $0.byte(0x7D) }  // EMPTY_DICT
            piece { $0.byte(0x7D) }
        }
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, w.count))
        w.withBytes { written in
            if let base = written.baseAddress { bytes.initialize(from: base, count: written.count) }
        }
        let spans = UnsafeMutablePointer<ResultNames.Span>.allocate(capacity: max(1, pieces.count))
        pieces.withUnsafeBufferPointer { all in
            if let base = all.baseAddress { spans.initialize(from: base, count: all.count) }
        }
        self.bytes = bytes
        self.spans = spans
        view = View(
            bytes: UnsafePointer(bytes), spans: UnsafePointer(spans), count: text.count, starts: starts,
            fitPoints: fitPoints, priorities: priorities, openFirst: openFirst, openAgain: openFirst + 1)
    }

    deinit {
        bytes.deallocate()
        spans.deallocate()
    }

    /// Whether every fit rule's points read back as a number, as the
    /// initialiser needs (not reached otherwise: the library wrote them),
    /// without making the opcodes: the check a call makes before it starts.
    static func readable(_ resultText: ResultText) -> Bool {
        resultText.fitPoints.allSatisfy { ResultPickleNumber(text: $0) != nil }
    }

    /// A str of UTF-8 bytes: `SHORT_BINUNICODE` under 256 bytes, else `BINUNICODE`.
    static func string(_ utf8: [UInt8], _ w: inout ByteWriter) {
        if utf8.count < 256 {
            w.bytes(0x8C, UInt8(utf8.count))
        } else {
            w.byte(0x58)
            w.littleEndian(UInt32(truncatingIfNeeded: utf8.count))
        }
        w.raw(utf8)
    }

    /// A memo opcode for index k: the 1-byte form (`short`) below 256, else the 4-byte one (`long`).
    static func memo(_ short: UInt8, _ long: UInt8, _ k: Int, _ w: inout ByteWriter) {
        if k < 256 {
            w.bytes(short, UInt8(k))
        } else {
            w.byte(long)
            w.littleEndian(UInt32(truncatingIfNeeded: k))
        }
    }
}
