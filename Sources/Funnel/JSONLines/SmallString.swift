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
