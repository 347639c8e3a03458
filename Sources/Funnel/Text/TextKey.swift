/// The form strings are compared in (SPEC §3): surrounding white space
/// removed, Unicode NFC, default lower-case mapping.
///
/// Computed once when a model is compiled or a lead is ingested, never while
/// scoring; after that, equal strings are equal integers.
func comparisonKey(_ text: String) -> String {
    var isASCII = true
    for byte in text.utf8 where byte >= 0x80 {
        isASCII = false
        break
    }
    if isASCII { return asciiComparisonKey(text) }
    let trimmed = text.trimmingWhiteSpace()
    let composed = nfc(trimmed)
    // Lower-casing can decompose (e.g. U+0130), so compose once more.
    return nfc(lowercasedWithFinalSigma(composed))
}

/// The default lower-case mapping including its one context rule, which
/// `String.lowercased()` leaves out: a capital sigma that ends a word becomes
/// final sigma (ς), as in "ΟΔΌΣ" → "οδός".
private func lowercasedWithFinalSigma(_ text: String) -> String {
    guard text.unicodeScalars.contains("\u{03A3}") else { return text.lowercased() }
    let scalars = Array(text.unicodeScalars)
    var marked = String.UnicodeScalarView()
    for (i, scalar) in scalars.enumerated() {
        marked.append(scalar == "\u{03A3}" && isFinalSigma(scalars, at: i) ? "\u{03C2}" : scalar)
    }
    return String(marked).lowercased()
}

/// Unicode's Final_Sigma condition: a cased letter before (case-ignorable
/// characters aside) and none after.
private func isFinalSigma(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
    var before = index - 1
    while before >= 0 && scalars[before].properties.isCaseIgnorable { before -= 1 }
    guard before >= 0 && scalars[before].properties.isCased else { return false }
    var after = index + 1
    while after < scalars.count && scalars[after].properties.isCaseIgnorable { after += 1 }
    return !(after < scalars.count && scalars[after].properties.isCased)
}

private func asciiComparisonKey(_ text: String) -> String {
    let bytes = Array(text.utf8)
    var start = 0
    var end = bytes.count
    while start < end, isASCIIWhiteSpace(bytes[start]) { start += 1 }
    while end > start, isASCIIWhiteSpace(bytes[end - 1]) { end -= 1 }
    var lowered = [UInt8]()
    lowered.reserveCapacity(end - start)
    for byte in bytes[start..<end] {
        lowered.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
    }
    return String(decoding: lowered, as: UTF8.self)
}

/// ASCII characters with the Unicode White_Space property: tab…CR and space.
private func isASCIIWhiteSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
}

extension String {
    /// Drops leading and trailing scalars with the Unicode White_Space property.
    ///
    /// Scalars, not characters: a combining mark after a space makes one
    /// `Character` with it ("\u{3000}\u{0307}"), and trimming characters
    /// would drop the mark with the space.
    func trimmingWhiteSpace() -> Substring {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while start < end {
            let before = scalars.index(before: end)
            guard scalars[before].properties.isWhitespace else { break }
            end = before
        }
        // Through the scalar view: String's own subscript rounds to characters.
        return Substring(scalars[start..<end])
    }
}

/// True when `needle` occurs in `haystack`, byte for byte (both comparison keys).
func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    if needle.isEmpty { return true }
    if needle.count > haystack.count { return false }
    let first = needle[0]
    var i = 0
    let last = haystack.count - needle.count
    while i <= last {
        if haystack[i] == first {
            var j = 1
            while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
            if j == needle.count { return true }
        }
        i += 1
    }
    return false
}
