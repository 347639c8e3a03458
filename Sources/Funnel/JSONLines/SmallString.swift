/// A `String` of up to 15 UTF-8 bytes as its two words: such a string holds
/// its bytes, count and flags in them (no storage elsewhere, zero-padded),
/// so equal words are equal strings, byte for byte, whatever made them.
/// A key for caches of a few short names (event types, attribute names and
/// values), read without touching the bytes or hashing them.
struct SmallString: Equatable, BitwiseCopyable {
    let low: UInt64
    let high: UInt64

    /// No string: the key of an empty cache slot (a small string's second
    /// word always has its small-string flag set).
    static let none = SmallString(low: 0, high: 0)

    private init(low: UInt64, high: UInt64) {
        (self.low, self.high) = (low, high)
    }

    /// `text`'s two words when it is a small string, else nil (a large
    /// string's words point to storage that may hold other bytes later).
    @inline(__always)
    init?(_ text: String) {
        #if arch(x86_64) || arch(arm64)
        guard MemoryLayout<String>.size == 16 else { return nil }
        let words = unsafeBitCast(text, to: (UInt64, UInt64).self)
        // The discriminator's small-string flag (bit 61 of the second word).
        guard words.1 & (1 << 61) != 0 else { return nil }
        (low, high) = words
        #else
        return nil
        #endif
    }
}

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
