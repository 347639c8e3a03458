/// JSON Lines (one document a line), as every front end reads it: lines end
/// at `\n`, a `\r` before it is dropped, and a line of nothing but spaces and
/// tabs is blank and skipped, though it still counts in line numbers.
package enum JSONLines {
    /// Whether `line` (without its terminator) is blank.
    @inline(__always)
    package static func isBlank(_ line: some Collection<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// Splits JSON Lines text into non-blank lines and their 1-based numbers.
    package static func split(_ bytes: UnsafeRawBufferPointer) -> (lines: [[UInt8]], numbers: [Int]) {
        var lines: [[UInt8]] = []
        var numbers: [Int] = []
        var start = 0
        var number = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            number += 1
            var last = end
            if last > start && bytes[last - 1] == 0x0D { last -= 1 }
            let line = bytes[start..<last]
            if !isBlank(line) {
                lines.append(Array(line))
                numbers.append(number)
            }
            start = end + 1
        }
        return (lines, numbers)
    }
}

/// A JSON Lines input line that is not a document the reader accepts.
package struct LineError: Error, Sendable, CustomStringConvertible {
    /// 1-based line number in the input.
    package var line: Int
    /// True for malformed JSON or invalid UTF-8; false for a document that breaks the contract.
    package var isParseError: Bool
    package var message: String
    /// `line 3: attributes.employees: expected a finite number, found a string`.
    package var description: String { "line \(line): \(message)" }
}
