/// A lead document read from one JSON Lines line by ``LeadLineReader``:
/// everything `LeadBatch` needs of it, with strings as byte ranges of the
/// line and the variable parts in a ``LeadLineArena``.
struct LeadLineRecord {
    /// The `id`'s bytes (see ``LeadLineArena/text``).
    var idStart = 0
    var idCount = 0
    /// The stage's index; -1 for none.
    var stage: Int32 = -1
    /// `behavior_since`; -infinity for none.
    var since = -Double.infinity
    /// The first of the line's attribute values in the arena (one per declaration).
    var values = 0
    /// The line's events in the arena.
    var eventStart = 0
    var eventEnd = 0
    /// Set members, attribute and property ones (the batch's 32-bit limit).
    var members = 0
    /// Strings that may each need a symbol: members plus single strings.
    var texts = 0
    /// Which arena holds the line's parts (the index of its chunk's first line).
    var arena = 0
}

/// One attribute or property value of a ``LeadLineRecord``.
struct LineValue {
    /// `.missing` for absent or null.
    var kind: PropertyKind = .missing
    /// The number, or 0/1 for a bool.
    var number: Double = 0
    /// A string: its bytes (see ``LeadLineArena/text``); a set: its members in the arena.
    var start = 0
    var count = 0
    /// A string's symbol when the model knows its comparison key, else
    /// ``LineValue/unresolved``: the batch numbers it.
    var symbol: Int32 = LineValue.unresolved

    static let unresolved: Int32 = -1
}

/// One event of a ``LeadLineRecord``.
struct LineEvent {
    var typeStart: Int
    var typeCount: Int
    /// The type's rule class when the model names the type exactly, else
    /// ``LineValue/unresolved`` (the batch finds it, wildcards included).
    var eventClass: Int32
    var at: Double
    /// The first of its property values in the arena (one per property the
    /// model reads); -1 when it has no `props` (every one missing).
    var values: Int
}

/// The variable parts of the records of many lines, in flat arrays: reading
/// a line appends to them and allocates nothing once they have grown.
struct LeadLineArena {
    var values: [LineValue] = []
    var members: [LineValue] = []
    var events: [LineEvent] = []
    /// Strings that had escapes, decoded. A string whose `start` is negative
    /// lies here, at `-(start + 1)`; any other lies in its line.
    var text: [UInt8] = []

    /// Forgets every record's parts, keeping the memory (for a caller that
    /// adds each line to its batch before reading the next).
    mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with the bytes of the string at `start` (see ``text``).
    func withBytes<R>(
        _ start: Int, _ count: Int, line: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        if start >= 0 { return body(UnsafeBufferPointer(rebasing: line[start..<(start + count)])) }
        let offset = -(start + 1)
        return text.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[offset..<(offset + count)])) }
    }
}
