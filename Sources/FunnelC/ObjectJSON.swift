#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Funnel

/// `funnel_jsonl_from_objects`: JSON Lines text of a host's lead documents,
/// read in place. A Python list of lead dicts is an array of pointers to dict
/// objects holding str, int, float, bool, None, list and dict objects at
/// offsets the host finds on probe objects (`funnel_document_layout`); writing
/// their JSON here costs a microsecond or two a lead, where Python's `json`
/// (its float repr above all) costs tens. Every number keeps its exact value
/// (a float's shortest round-trip text, an int's digits), so the library reads
/// the same lead as from Python's own JSON. Anything else — another type (a
/// subclass too), an int over 60 bits, a non-finite float, a str that is not
/// compact or holds a surrogate, a key that is not a str, a dict that is not
/// one combined table, nesting deeper than 64 — stops the writing before its
/// value is read (FUNNEL_E_ARGUMENT), and the host takes its general path.
@_cdecl("funnel_jsonl_from_objects")
public func funnel_jsonl_from_objects(
    _ objects: UnsafePointer<UInt>?, _ count: Int, _ layout: UnsafeRawPointer?,
    _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ outLength: UnsafeMutablePointer<Int>?
) -> Int32 {
    guarded("funnel_jsonl_from_objects") { () throws(Failure) in
        outLength?.pointee = 0
        let out = try Check.out(out, "out")
        guard let outLength else { throw Failure(.argument, "out_length is NULL") }
        let objects = try Check.array(objects, count, "objects")
        guard let layout = layout.map(DocumentLayout.init) else { throw Failure(.argument, "layout is NULL") }
        guard layout.version == 1 else { throw Failure(.argument, "layout->version is \(layout.version), not 1") }
        guard layout.valid else { throw Failure(.argument, "a form or offset of layout is not one this library reads") }
        var writer = ObjectJSONWriter(layout: layout, capacity: min(count, 1 << 14) * 1280 + 64)
        for i in 0..<count {
            guard writer.document(objects[i]) else {
                throw Failure(.argument, "objects[\(i)] holds a value this function does not read")
            }
            writer.out.byte(0x0A)
        }
        guard let text = writer.out.take() else { throw Failure(.limit, "out of memory for the text") }
        out.pointee = text.pointer
        outLength.pointee = text.count
    }
}

/// A `funnel_document_layout`, read field by field at the C struct's offsets
/// (four `unsigned`, then pointer-sized fields).
struct DocumentLayout {
    let version: UInt32
    let intForm: UInt32
    let dictForm: UInt32
    let strForm: UInt32
    let none: UInt
    let trueObject: UInt
    let falseObject: UInt
    let floatType: UInt
    let intType: UInt
    let strType: UInt
    let listType: UInt
    let dictType: UInt
    let typeOffset: Int
    let floatOffset: Int
    let intSizeOffset: Int
    let intDigitsOffset: Int
    let listSizeOffset: Int
    let listItemsOffset: Int
    let dictUsedOffset: Int
    let dictKeysOffset: Int
    let dictValuesOffset: Int
    let strLengthOffset: Int
    let strStateOffset: Int
    let strASCIIDataOffset: Int
    let strDataOffset: Int

    init(_ raw: UnsafeRawPointer) {
        let word = MemoryLayout<UInt>.stride
        func field(_ k: Int) -> UInt { raw.loadUnaligned(fromByteOffset: 16 + k * word, as: UInt.self) }
        func offset(_ k: Int) -> Int { Int(bitPattern: field(k)) }
        version = raw.loadUnaligned(as: UInt32.self)
        intForm = raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        dictForm = raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        strForm = raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
        none = field(0)
        trueObject = field(1)
        falseObject = field(2)
        floatType = field(3)
        intType = field(4)
        strType = field(5)
        listType = field(6)
        dictType = field(7)
        typeOffset = offset(8)
        floatOffset = offset(9)
        intSizeOffset = offset(10)
        intDigitsOffset = offset(11)
        listSizeOffset = offset(12)
        listItemsOffset = offset(13)
        dictUsedOffset = offset(14)
        dictKeysOffset = offset(15)
        dictValuesOffset = offset(16)
        strLengthOffset = offset(17)
        strStateOffset = offset(18)
        strASCIIDataOffset = offset(19)
        strDataOffset = offset(20)
    }

    /// Forms this library reads and offsets within an object's first 4 KiB.
    var valid: Bool {
        let offsets = [
            typeOffset, floatOffset, intSizeOffset, intDigitsOffset, listSizeOffset, listItemsOffset,
            dictUsedOffset, dictKeysOffset, dictValuesOffset, strLengthOffset, strStateOffset,
            strASCIIDataOffset, strDataOffset,
        ]
        return (intForm == 1 || intForm == 2) && (dictForm == 1 || dictForm == 2) && strForm == 1
            && offsets.allSatisfy { $0 >= 0 && $0 < 4096 }
    }
}

/// Writes the JSON of host objects read through a ``DocumentLayout``.
struct ObjectJSONWriter: ~Copyable {
    let layout: DocumentLayout
    var out: MallocBuffer

    /// Whether the 8 bytes before an ASCII str's text are its own (its header), so
    /// that a text of fewer than 8 bytes can be read as the word that ends it.
    let shortReadsHeader: Bool

    init(layout: DocumentLayout, capacity: Int) {
        self.layout = layout
        out = MallocBuffer(capacity: capacity)
        shortReadsHeader = layout.strASCIIDataOffset >= 8 && 1.littleEndian == 1
    }

    /// One lead document: a dict.
    mutating func document(_ object: UInt) -> Bool {
        guard let base = UnsafeRawPointer(bitPattern: object), type(base) == layout.dictType else { return false }
        return value(object, depth: 0)
    }

    @inline(__always)
    private func type(_ base: UnsafeRawPointer) -> UInt {
        base.loadUnaligned(fromByteOffset: layout.typeOffset, as: UInt.self)
    }

    private mutating func value(_ object: UInt, depth: Int) -> Bool {
        if object == layout.none {
            out.append("null")
            return true
        }
        if object == layout.trueObject {
            out.append("true")
            return true
        }
        if object == layout.falseObject {
            out.append("false")
            return true
        }
        guard let base = UnsafeRawPointer(bitPattern: object) else { return false }
        let type = type(base)
        if type == layout.strType { return string(base) }
        if type == layout.floatType { return float(base.loadUnaligned(fromByteOffset: layout.floatOffset, as: Double.self)) }
        if type == layout.intType { return integer(base) }
        guard depth < 64 else { return false }
        if type == layout.dictType { return dict(base, depth: depth) }
        if type == layout.listType { return list(base, depth: depth) }
        return false
    }

    private mutating func list(_ base: UnsafeRawPointer, depth: Int) -> Bool {
        let count = base.loadUnaligned(fromByteOffset: layout.listSizeOffset, as: Int.self)
        guard count >= 0 else { return false }
        out.byte(UInt8(ascii: "["))
        if count > 0 {
            guard let items = UnsafePointer<UInt>(bitPattern: base.loadUnaligned(fromByteOffset: layout.listItemsOffset, as: UInt.self))
            else { return false }
            for i in 0..<count {
                if i > 0 { out.byte(UInt8(ascii: ",")) }
                guard value(items[i], depth: depth + 1) else { return false }
            }
        }
        out.byte(UInt8(ascii: "]"))
        return true
    }

    /// A dict's entries in insertion order (what iterating it gives): the
    /// entries of its keys object, deleted ones (value NULL) skipped.
    private mutating func dict(_ base: UnsafeRawPointer, depth: Int) -> Bool {
        let used = base.loadUnaligned(fromByteOffset: layout.dictUsedOffset, as: Int.self)
        guard used >= 0 else { return false }
        if used == 0 {
            // Empty, whatever its table (CPython 3.10 gives `{}` a shared empty split one).
            out.append("{}")
            return true
        }
        // A split table (an instance's __dict__) keeps its values elsewhere.
        guard base.loadUnaligned(fromByteOffset: layout.dictValuesOffset, as: UInt.self) == 0,
            let keys = UnsafeRawPointer(bitPattern: base.loadUnaligned(fromByteOffset: layout.dictKeysOffset, as: UInt.self))
        else { return false }
        let entries: UnsafeRawPointer
        let entrySize: Int
        let keyOffset: Int
        let nentries: Int
        if layout.dictForm == 1 {
            // CPython 3.10: dk_size, dk_lookup, dk_usable, dk_nentries, then the indices.
            let size = keys.loadUnaligned(fromByteOffset: 8, as: Int.self)
            nentries = keys.loadUnaligned(fromByteOffset: 32, as: Int.self)
            guard size > 0, size.nonzeroBitCount == 1, nentries >= 0, nentries <= size else { return false }
            let indexBytes = size <= 0xFF ? 1 : size <= 0xFFFF ? 2 : size <= 0xFFFF_FFFF ? 4 : 8
            entries = keys + 40 + size * indexBytes
            entrySize = 24
            keyOffset = 8
        } else {
            // CPython 3.11–3.13: dk_log2_size, dk_log2_index_bytes, dk_kind (bytes 8–10),
            // dk_nentries at 24, the indices at 32; entries (hash, key, value) or,
            // for a table of str keys only, (key, value).
            let log2Size = Int(keys.load(fromByteOffset: 8, as: UInt8.self))
            let log2IndexBytes = Int(keys.load(fromByteOffset: 9, as: UInt8.self))
            let kind = keys.load(fromByteOffset: 10, as: UInt8.self)
            nentries = keys.loadUnaligned(fromByteOffset: 24, as: Int.self)
            guard log2Size < 40, log2IndexBytes < 44, kind <= 1, nentries >= 0, nentries <= 1 << log2Size else {
                return false
            }
            entries = keys + 32 + (1 << log2IndexBytes)
            entrySize = kind == 0 ? 24 : 16
            keyOffset = kind == 0 ? 8 : 0
        }
        guard used <= nentries else { return false }
        out.byte(UInt8(ascii: "{"))
        var written = 0
        for k in 0..<nentries {
            let entry = entries + k * entrySize
            let value = entry.loadUnaligned(fromByteOffset: keyOffset + 8, as: UInt.self)
            if value == 0 { continue }
            let key = entry.loadUnaligned(fromByteOffset: keyOffset, as: UInt.self)
            guard written < used, let keyBase = UnsafeRawPointer(bitPattern: key), type(keyBase) == layout.strType
            else { return false }
            if written > 0 { out.byte(UInt8(ascii: ",")) }
            guard string(keyBase) else { return false }
            out.byte(UInt8(ascii: ":"))
            guard self.value(value, depth: depth + 1) else { return false }
            written += 1
        }
        guard written == used else { return false }
        out.byte(UInt8(ascii: "}"))
        return true
    }

    /// A str (PEP 393: compact, 1, 2 or 4 bytes a code point) as a JSON string
    /// in UTF-8, escaping what Python's encoder escapes (`"`, `\`, controls).
    private mutating func string(_ base: UnsafeRawPointer) -> Bool {
        let length = base.loadUnaligned(fromByteOffset: layout.strLengthOffset, as: Int.self)
        let state = base.loadUnaligned(fromByteOffset: layout.strStateOffset, as: UInt32.self)
        let kind = Int(state >> 2 & 7)
        let compact = state >> 5 & 1 == 1
        let ascii = state >> 6 & 1 == 1
        guard compact, length >= 0, kind == 1 || kind == 2 || kind == 4, !ascii || kind == 1 else { return false }
        if ascii,
            out.appendQuotedPlainASCII(
                (base + layout.strASCIIDataOffset).assumingMemoryBound(to: UInt8.self), length,
                headerBefore: shortReadsHeader)
        {
            return true
        }
        out.byte(UInt8(ascii: "\""))
        if ascii {
            let data = (base + layout.strASCIIDataOffset).assumingMemoryBound(to: UInt8.self)
            var start = 0
            for i in 0..<length where data[i] < 0x20 || data[i] == UInt8(ascii: "\"") || data[i] == UInt8(ascii: "\\") {
                out.append(UnsafeBufferPointer(start: data + start, count: i - start))
                escape(data[i])
                start = i + 1
            }
            out.append(UnsafeBufferPointer(start: data + start, count: length - start))
        } else {
            let data = base + layout.strDataOffset
            for i in 0..<length {
                let c: UInt32
                switch kind {
                case 1: c = UInt32(data.load(fromByteOffset: i, as: UInt8.self))
                case 2: c = UInt32(data.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                default: c = data.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
                }
                if c < 0x80 {
                    if c < 0x20 || c == 0x22 || c == 0x5C { escape(UInt8(c)) } else { out.byte(UInt8(c)) }
                } else if c < 0x800 {
                    out.bytes(UInt8(0xC0 | c >> 6), UInt8(0x80 | c & 0x3F))
                } else if c < 0x10000 {
                    // A surrogate code point has no UTF-8 (Python's encode refuses it too).
                    guard c < 0xD800 || c >= 0xE000 else { return false }
                    out.bytes(UInt8(0xE0 | c >> 12), UInt8(0x80 | c >> 6 & 0x3F), UInt8(0x80 | c & 0x3F))
                } else {
                    guard c < 0x11_0000 else { return false }
                    out.bytes(UInt8(0xF0 | c >> 18), UInt8(0x80 | c >> 12 & 0x3F))
                    out.bytes(UInt8(0x80 | c >> 6 & 0x3F), UInt8(0x80 | c & 0x3F))
                }
            }
        }
        out.byte(UInt8(ascii: "\""))
        return true
    }

    private mutating func escape(_ c: UInt8) {
        switch c {
        case UInt8(ascii: "\""): out.bytes(UInt8(ascii: "\\"), UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.bytes(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
        case 0x0A: out.bytes(UInt8(ascii: "\\"), UInt8(ascii: "n"))
        case 0x0D: out.bytes(UInt8(ascii: "\\"), UInt8(ascii: "r"))
        case 0x09: out.bytes(UInt8(ascii: "\\"), UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            out.append("\\u00")
            out.bytes(hex.utf8Start[Int(c >> 4)], hex.utf8Start[Int(c & 15)])
        }
    }

    /// A finite float as its shortest round-trip text (non-finite ones: Python's
    /// encoder refuses them, so the host's path says so).
    private mutating func float(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        var text = FloatText()
        x.write(to: &text)
        guard !text.overflowed else { return false }
        withUnsafeBytes(of: &text.storage) { raw in
            out.append(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: text.count))
        }
        return true
    }

    /// An int of at most two 30-bit digits as its decimal digits.
    private mutating func integer(_ base: UnsafeRawPointer) -> Bool {
        guard
            let (value, negative) = CPythonInt.read(
                base, intForm: layout.intForm, sizeOffset: layout.intSizeOffset, digitsOffset: layout.intDigitsOffset)
        else { return false }
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            out.append(UnsafeBufferPointer(start: p, count: DecimalDigits.write(value, negative: negative, to: p)))
        }
        return true
    }
}

/// A double's text from `write(to:)`, kept in 32 bytes of inline storage (a
/// `Double` needs at most 24); more than that sets `overflowed`.
private struct FloatText: TextOutputStream {
    var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    var count = 0
    var overflowed = false

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { _writeASCII($0) }
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress, !overflowed else { return }
        guard buffer.count <= 32 - count else {
            overflowed = true
            return
        }
        let at = count
        withUnsafeMutableBytes(of: &storage) { raw in
            (raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + at).update(from: source, count: buffer.count)
        }
        count += buffer.count
    }
}
