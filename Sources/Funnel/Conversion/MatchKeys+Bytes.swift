/// The SPEC §11 keys computed over UTF-8 bytes, for the hot paths of matching
/// and dedupe: plain ASCII text (nearly all of it) is keyed in place or into a
/// caller's buffer, without making a `String`; any other text goes through the
/// `String` functions of ``MatchKeys`` and ``NameKey``, so both paths give the
/// same key by construction (and `ByteKeyTests` holds them equal).
extension MatchKeys {
    /// Where the email domain of `email` is, when it can be read in place.
    enum PlainDomain {
        /// No `@`: no domain.
        case none
        /// The domain key is `email[range]` as it stands (plain lower-case ASCII).
        case plain(Range<Int>)
        /// Anything else: ask ``emailDomain(_:)``.
        case general
    }

    /// The email domain of `email` when it is its own key: the bytes after the
    /// last `@`, non-empty, printable lower-case ASCII, not ending in `.`.
    @inline(__always)
    static func plainEmailDomain(_ email: UnsafeBufferPointer<UInt8>) -> PlainDomain {
        var at = email.count - 1
        while at >= 0 && email[at] != UInt8(ascii: "@") { at -= 1 }
        guard at >= 0 else { return .none }
        let start = at + 1
        guard start < email.count, email[email.count - 1] != UInt8(ascii: ".") else { return .general }
        for k in start..<email.count {
            let b = email[k]
            if b <= 0x20 || b >= 0x80 || (b >= 0x41 && b <= 0x5A) { return .general }
        }
        return .plain(start..<email.count)
    }

    /// Calls `body` with the bytes of the email domain of `email` (`nil`: none),
    /// read in place when plain.
    @inline(__always)
    static func withEmailDomain<R>(_ email: String, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        let plain: KeyedInPlace<R> = withUTF8Bytes(email) { bytes in
            switch plainEmailDomain(bytes) {
            case .none: return .done(body(nil))
            case .plain(let range): return .done(body(UnsafeBufferPointer(rebasing: bytes[range])))
            case .general: return .general
            }
        }
        if case .done(let result) = plain { return result }
        guard let domain = emailDomain(email) else { return body(nil) }
        return withUTF8Bytes(domain) { body($0) }
    }

    /// Calls `body` with the bytes of the email key of `email` (`nil`: none),
    /// the text itself when it is its own key.
    @inline(__always)
    static func withEmailKey<R>(_ email: String, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        let plain: KeyedInPlace<R> = withUTF8Bytes(email) { bytes in
            guard bytes.contains(UInt8(ascii: "@")) else { return .done(body(nil)) }
            return isPlainASCIIKey(bytes) ? .done(body(bytes)) : .general
        }
        if case .done(let result) = plain { return result }
        guard let key = emailKey(email) else { return body(nil) }
        return withUTF8Bytes(key) { body($0) }
    }

    /// Calls `body` with the bytes of the phone key of `phone` (`nil`: none);
    /// ASCII text is keyed into a temporary buffer.
    @inline(__always)
    static func withPhoneKey<R>(_ phone: String, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        let plain: KeyedInPlace<R> = withUTF8Bytes(phone) { bytes in
            guard isASCII(bytes) else { return .general }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 1) { out in
                var count = 0
                var digits = 0
                var started = false
                for byte in bytes {
                    if !started {
                        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { continue }
                        started = true
                        if byte == UInt8(ascii: "+") {
                            out[count] = byte
                            count += 1
                        }
                    }
                    if byte >= 0x30 && byte <= 0x39 {
                        out[count] = byte
                        count += 1
                        digits += 1
                    }
                }
                guard digits >= 7 else { return .done(body(nil)) }
                return .done(body(UnsafeBufferPointer(rebasing: UnsafeBufferPointer(out)[0..<count])))
            }
        }
        if case .done(let result) = plain { return result }
        guard let key = unicodePhoneKey(phone) else { return body(nil) }
        return withUTF8Bytes(key) { body($0) }
    }

    /// Calls `body` with the bytes of the name key of `name` (`nil`: none);
    /// ASCII text is keyed into a temporary buffer.
    @inline(__always)
    static func withNameKey<R>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        let plain: KeyedInPlace<R> = withUTF8Bytes(name) { bytes in
            guard isASCII(bytes) else { return .general }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 1) { out in
                .done(body(NameKey.asciiKey(bytes, into: out)))
            }
        }
        if case .done(let result) = plain { return result }
        guard let key = NameKey.unicodeKey(name) else { return body(nil) }
        return withUTF8Bytes(key) { body($0) }
    }
}

extension NameKey {
    /// The legal forms as bytes.
    static let legalFormTable = ByteKeyTable(legalForms.sorted())

    /// The name key of ASCII bytes, written into `out` (at least `name.count`
    /// bytes); `nil` when there is none. Words joined by single spaces, then
    /// legal forms cut from the end and `the ` from the start.
    static func asciiKey(_ name: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>)
        -> UnsafeBufferPointer<UInt8>?
    {
        var count = 0
        var pendingSpace = false
        for byte in name {
            if byte == UInt8(ascii: ".") { continue }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) {
                if pendingSpace && count > 0 {
                    out[count] = 0x20
                    count += 1
                }
                pendingSpace = false
                out[count] = lower
                count += 1
            } else {
                pendingSpace = true
            }
        }
        let bytes = UnsafeBufferPointer(out)
        var end = count
        while end > 0 {
            var start = end
            while start > 0 && bytes[start - 1] != 0x20 { start -= 1 }
            // Every legal form starts with a letter: a word of digits is not looked up.
            guard end - start <= 11, bytes[start] >= 0x61,
                legalFormTable.find(UnsafeBufferPointer(rebasing: bytes[start..<end])) != nil
            else {
                break
            }
            end = start > 0 ? start - 1 : 0
        }
        var begin = 0
        if end >= 3 && bytes[0] == 0x74 && bytes[1] == 0x68 && bytes[2] == 0x65 && (end == 3 || bytes[3] == 0x20) {
            begin = end == 3 ? 3 : 4
        }
        return begin < end ? UnsafeBufferPointer(rebasing: bytes[begin..<end]) : nil
    }
}

/// What a byte-level key function did: called its body, or left the text to the general path.
enum KeyedInPlace<R> {
    case done(R)
    case general
}
