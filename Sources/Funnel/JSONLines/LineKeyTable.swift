/// The keys of a line's big objects, for ``LeadLineReader``'s duplicate
/// check (the reference parser rejects a repeated key in any object): an
/// open-addressing table of places in the line, each with the stamp of its
/// object, so that the keys of objects open at once (one nested in another)
/// share it and a key only matches one of its own object.
///
/// Nothing is cleared between objects or lines: a slot whose stamp is below
/// the line's first stamp (``startLine(after:)``) is empty. The table grows
/// (at most half full) with the line's keys, so an object of any size is
/// checked in O(1) expected per key; a table grown past ``keptSlots`` by a
/// very wide line is let go before the next, so that a reader kept from
/// line to line does not hold it.
struct LineKeyTable {
    private struct Entry {
        /// The object's stamp; below `lineBase`: an empty slot.
        var stamp: UInt64 = 0
        var start = 0
        var count: UInt32 = 0
        /// The key's hash, high half; its low bits are its first slot.
        var hash: UInt32 = 0
    }

    private var entries: [Entry] = []
    /// Stamps from here on are the current line's.
    private var lineBase: UInt64 = 1
    /// Entries of the current line.
    private var live = 0

    /// The most slots kept from one line to the next (1.5 MiB).
    static let keptSlots = 1 << 16

    /// The longest probe taken: the hash is not seeded, so a line crafted
    /// with keys that collide would otherwise cost time quadratic in its
    /// keys; past this the line goes to the reference path (whose
    /// dictionaries are seeded), as for a repeated key.
    static let maxProbes = 64

    /// Starts a line whose objects' stamps are all above `stamp`.
    @inline(__always)
    mutating func startLine(after stamp: UInt64) {
        lineBase = stamp &+ 1
        live = 0
        if entries.count > Self.keptSlots { entries = [] }
    }

    /// Records the `count` bytes at `start` of `line` as a key of the object
    /// stamped `stamp` (at least the line's first stamp); false when that
    /// object has it already, or when the key is too long to record (over
    /// 4 GiB) or its probe too long (``maxProbes``), which the reader leaves
    /// to the reference path as well.
    mutating func insert(_ line: UnsafePointer<UInt8>, _ start: Int, _ count: Int, stamp: UInt64) -> Bool {
        guard let count32 = UInt32(exactly: count) else { return false }
        if (live + 1) * 2 > entries.count { grow() }
        let hash = Self.slotHash(Self.hash(line + start, count), stamp: stamp)
        let mask = entries.count - 1
        let base = lineBase
        let inserted = entries.withUnsafeMutableBufferPointer { entries in
            var h = Int(hash) & mask
            for _ in 0..<Self.maxProbes {
                let entry = entries[h]
                if entry.stamp < base {
                    entries[h] = Entry(stamp: stamp, start: start, count: count32, hash: hash)
                    return true
                }
                if entry.stamp == stamp && entry.hash == hash && entry.count == count32
                    && (count == 0 || bytesEqual(line + entry.start, line + start, count))
                {
                    return false
                }
                h = (h + 1) & mask
            }
            return false
        }
        if inserted { live += 1 }
        return inserted
    }

    /// Doubles the table (256 slots at first), keeping the line's entries.
    @inline(never)
    private mutating func grow() {
        let old = entries
        entries = [Entry](repeating: Entry(), count: Swift.max(256, old.count * 2))
        let mask = entries.count - 1
        for entry in old where entry.stamp >= lineBase {
            var h = Int(entry.hash) & mask
            while entries[h].stamp >= lineBase { h = (h + 1) & mask }
            entries[h] = entry
        }
    }

    /// Where a key of the object stamped `stamp` starts probing: its hash
    /// mixed with the stamp (the same key in many objects of a line — events
    /// with the same extra fields — would otherwise pile up on one slot), its
    /// low bits avalanched (keys that differ in a last byte would otherwise
    /// land on neighbouring slots and merge into long runs).
    @inline(__always)
    static func slotHash(_ keyHash: UInt32, stamp: UInt64) -> UInt32 {
        var h = (UInt64(keyHash) ^ stamp &* 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        h = h &* 0x94D0_49BB_1331_11EB
        h ^= h >> 32
        return UInt32(truncatingIfNeeded: h)
    }

    /// A hash of every byte of a key, eight at a time (the high half of
    /// a 64-bit mix).
    @inline(__always)
    static func hash(_ key: UnsafePointer<UInt8>, _ count: Int) -> UInt32 {
        let raw = UnsafeRawPointer(key)
        var h = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        var k = 0
        while count - k >= 8 {
            h = (h ^ raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            k += 8
        }
        var tail: UInt64 = 0
        while k < count {
            tail = tail << 8 | UInt64(key[k])
            k += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return UInt32(truncatingIfNeeded: h >> 32)
    }
}
