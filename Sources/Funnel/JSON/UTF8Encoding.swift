/// Appends the UTF-8 encoding of `scalar` (a valid Unicode scalar value) to
/// `bytes`: how the JSON parser and the lead line reader decode `\u` escapes.
@inline(__always)
func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
        bytes.append(UInt8(truncatingIfNeeded: scalar))
    case 0x80..<0x800:
        bytes.append(UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6))
        bytes.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
        bytes.append(UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12))
        bytes.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
        bytes.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
    default:
        bytes.append(UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18))
        bytes.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F))
        bytes.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
        bytes.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
    }
}
