/// A number as `json.loads` reads the library's text of it, and its pickle opcode.
struct ResultPickleNumber: Sendable {
    private enum Form: Sendable {
        case none
        case integer(Int64)
        case float(Double)
    }

    private let form: Form

    /// As ``ByteWriter/number(_:)`` writes `x`.
    @inline(__always)
    init(_ x: Double) {
        if !x.isFinite {
            form = .none
        } else if x == 0 {
            form = .integer(0)
        } else if x.magnitude < 9_007_199_254_740_992.0, Double(Int64(x)) == x {
            form = .integer(Int64(x))
        } else {
            form = .float(x)
        }
    }

    /// As `json.loads` reads JSON number `text` (an integer, or a float).
    init?(text: [UInt8]) {
        guard let string = String(validating: text, as: UTF8.self) else { return nil }
        if text.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let value = Double(string) else { return nil }
            form = .float(value)
        } else if string == "null" {
            form = .none
        } else {
            guard let value = Int64(string) else { return nil }
            form = .integer(value)
        }
    }

    /// Writes the opcode: `None`, the smallest int opcode that holds it, or a
    /// big-endian `BINFLOAT` (written in place: no array).
    @inline(__always)
    func write(_ w: inout ByteWriter) {
        switch form {
        case .none: w.byte(0x4E)
        case .integer(let v):
            if v >= 0 && v < 256 {
                w.bytes(0x4B, UInt8(truncatingIfNeeded: v))  // BININT1
            } else if v >= 0 && v < 65536 {
                w.bytes(0x4D, UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8))  // BININT2
            } else if let v32 = Int32(exactly: v) {
                w.byte(0x4A)  // BININT
                w.littleEndian(UInt32(bitPattern: v32))
            } else {
                w.bytes(0x8A, 8)  // LONG1, 8 bytes
                w.littleEndian(UInt64(bitPattern: v))
            }
        case .float(let x):
            w.byte(0x47)  // BINFLOAT
            w.bigEndian(x.bitPattern)
        }
    }
}
