/// What a look-up gave for small strings (``SmallString``) met before: 64
/// slots by hash, two ways (a string is kept in its slot or the other of its
/// pair, so that two that hash alike do not push each other out at every
/// lead); made on first use.
/// A lead's events repeat a few types, its attributes a few names and words.
struct SmallStringCache {
    private var entries: [(key: SmallString, value: Int32)] = []

    private static let slots = 64

    @inline(__always)
    private static func slot(_ key: SmallString) -> Int {
        Int(truncatingIfNeeded: ((key.low ^ (key.high &* 31)) &* 0x9E37_79B9_7F4A_7C15) >> 58)
    }

    /// The value kept for `key`, if it is still there.
    @inline(__always)
    func value(_ key: SmallString) -> Int32? {
        guard !entries.isEmpty else { return nil }
        let slot = Self.slot(key)
        let entry = entries[slot]
        if entry.key == key { return entry.value }
        let other = entries[slot ^ 1]
        return other.key == key ? other.value : nil
    }

    /// Keeps `value` for `key` in its slot, whose entry moves to the other
    /// slot of the pair.
    mutating func keep(_ key: SmallString, _ value: Int32) {
        if entries.isEmpty { entries = Array(repeating: (SmallString.none, 0), count: Self.slots) }
        let slot = Self.slot(key)
        entries[slot ^ 1] = entries[slot]
        entries[slot] = (key, value)
    }
}
