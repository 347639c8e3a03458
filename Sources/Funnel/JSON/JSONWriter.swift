/// Appends compact JSON (no spaces) to a byte buffer; used to emit result documents fast.
///
/// Callers compose documents from `writeRaw` for fixed punctuation and keys plus the
/// typed writers for data, so there is no intermediate `JSONValue` on the hot path.
/// The writer does not check that the pieces form a valid document.
package struct JSONWriter {
    /// The document so far, as UTF-8.
    package var bytes: [UInt8]

    /// The text of one document written by `body`: what every result's `json` returns.
    package static func document(reservingCapacity: Int, _ body: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter(reservingCapacity: reservingCapacity)
        body(&writer)
        return writer.string
    }

    package init(reservingCapacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(max(0, reservingCapacity))
    }

    package mutating func writeNull() {
        writeRaw("null")
    }

    package mutating func writeBool(_ b: Bool) {
        if b { writeRaw("true") } else { writeRaw("false") }
    }

    /// Writes the shortest text that parses back to the same Double.
    ///
    /// JSON has no NaN or infinity, and emitting either would make the document
    /// unreadable, so they become `null`. Integral values print without `.0` so
    /// counts and timestamps look like integers to other tools; `-0.0` prints as
    /// `0` for the same reason.
    package mutating func writeNumber(_ x: Double) {
        guard x.isFinite else {
            writeRaw("null")
            return
        }
        if x == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        // Conversions instead of `rounded()`: on Linux that calls libm's `trunc`,
        // which executables built without Foundation fail to link.
        if x.magnitude < 9_007_199_254_740_992.0 {
            // |x| < 2^53, so the conversion cannot trap, and is exact when x is integral.
            let integer = Int64(x)
            if Double(integer) == x {
                writeInteger(integer)
                return
            }
        }
        // Swift's `description` is the shortest round-trip form and is always
        // valid JSON for finite values: `0.1`, `1e-05`, `1.5e+20`, `5e-324`.
        bytes.append(contentsOf: x.description.utf8)
    }

    private mutating func writeInteger(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        var low = start
        var high = bytes.count - 1
        while low < high {
            bytes.swapAt(low, high)
            low += 1
            high -= 1
        }
    }

    /// Writes `s` quoted, escaping only what JSON requires (`"`, `\` and control
    /// characters); everything else is copied as UTF-8, which is the cheapest output
    /// and the most readable.
    package mutating func writeString(_ s: String) {
        var s = s
        s.withUTF8 { writeEscaped($0) }
    }

    private mutating func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for k in utf8.indices {
            let c = utf8[k]
            guard c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") else { continue }
            if runStart < k {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<k]))
            }
            switch c {
            case UInt8(ascii: "\""): writeRaw("\\\"")
            case UInt8(ascii: "\\"): writeRaw("\\\\")
            case 0x08: writeRaw("\\b")
            case 0x0C: writeRaw("\\f")
            case 0x0A: writeRaw("\\n")
            case 0x0D: writeRaw("\\r")
            case 0x09: writeRaw("\\t")
            default:
                writeRaw("\\u00")
                bytes.append(Self.hexDigit(c >> 4))
                bytes.append(Self.hexDigit(c & 0x0F))
            }
            runStart = k + 1
        }
        if runStart < utf8.count {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble &- 10)
    }

    /// Writes trusted, already-encoded text such as `{` or `"fit":` without escaping.
    package mutating func writeRaw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Writes a whole tree, members in their stored order.
    ///
    /// Iterative rather than recursive, so a tree built by hand as deep as memory
    /// allows still cannot overflow the stack here.
    package mutating func writeValue(_ v: JSONValue) {
        /// An open container and the index of its next child; updated in place so
        /// the arrays are not retained and released once per child.
        struct Open {
            var elements: [JSONValue] = []
            var members: [JSONMember] = []
            var isObject: Bool
            var next = 0
        }
        var stack: [Open] = []
        var current = v
        while true {
            switch current {
            case .null: writeNull()
            case .bool(let b): writeBool(b)
            case .number(let x): writeNumber(x)
            case .string(let s): writeString(s)
            case .array(let elements):
                if elements.isEmpty {
                    writeRaw("[]")
                } else {
                    bytes.append(UInt8(ascii: "["))
                    stack.append(Open(elements: elements, isObject: false))
                }
            case .object(let members):
                if members.isEmpty {
                    writeRaw("{}")
                } else {
                    bytes.append(UInt8(ascii: "{"))
                    stack.append(Open(members: members, isObject: true))
                }
            }

            // Find the next value to write, closing containers that are finished.
            while true {
                let top = stack.count - 1
                guard top >= 0 else { return }
                let next = stack[top].next
                if stack[top].isObject {
                    if next < stack[top].members.count {
                        if next > 0 { bytes.append(UInt8(ascii: ",")) }
                        writeString(stack[top].members[next].key)
                        bytes.append(UInt8(ascii: ":"))
                        current = stack[top].members[next].value
                        stack[top].next = next + 1
                        break
                    }
                    bytes.append(UInt8(ascii: "}"))
                } else {
                    if next < stack[top].elements.count {
                        if next > 0 { bytes.append(UInt8(ascii: ",")) }
                        current = stack[top].elements[next]
                        stack[top].next = next + 1
                        break
                    }
                    bytes.append(UInt8(ascii: "]"))
                }
                stack.removeLast()
            }
        }
    }

    /// The document as a `String`; the bytes are valid UTF-8 when only the typed
    /// writers and ASCII raw text were used.
    package var string: String {
        String(decoding: bytes, as: UTF8.self)
    }
}
