/// Calls `body` with the UTF-8 bytes of `text`: in place for a native string
/// (no copy), else a copy. Scanning a buffer is several times faster than
/// iterating `String.UTF8View`, which is what makes the keys' ASCII paths fast.
@inline(__always)
func withUTF8Bytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
    return Array(text.utf8).withUnsafeBufferPointer(body)
}

/// True when every byte is ASCII.
@inline(__always)
func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    for b in bytes where b >= 0x80 { return false }
    return true
}

/// The keys of SPEC §11 that match leads to accounts and to each other.
///
/// Each returns `nil` for "none". They are pure functions of their text, so
/// the Swift API, the C ABI and the command line agree by construction.
public enum MatchKeys {
    /// Email key: the comparison key (trimmed, NFC, lower-cased) of text that
    /// contains `@`; `nil` without `@` or when empty.
    public static func emailKey(_ email: String) -> String? {
        let (hasAt, plain) = withUTF8Bytes(email) { bytes in
            (bytes.contains(UInt8(ascii: "@")), isPlainASCIIKey(bytes))
        }
        guard hasAt else { return nil }
        if plain { return email }  // already its own key: no copy
        let key = comparisonKey(email)
        return key.isEmpty ? nil : key
    }

    /// Email domain: the text after the last `@`, trimmed, lower-cased, without
    /// trailing dots; `nil` without `@` or when nothing is left.
    public static func emailDomain(_ email: String) -> String? {
        // Fast path: the bytes of a native string, a plain lower-case ASCII domain.
        let fast = email.utf8.withContiguousStorageIfAvailable { bytes -> (done: Bool, domain: String?) in
            var at = bytes.count - 1
            while at >= 0 && bytes[at] != UInt8(ascii: "@") { at -= 1 }
            guard at >= 0 else { return (true, nil) }
            let start = at + 1
            guard start < bytes.count, bytes[bytes.count - 1] != UInt8(ascii: ".") else { return (false, nil) }
            for k in start..<bytes.count {
                let b = bytes[k]
                if b <= 0x20 || b >= 0x80 || (b >= 0x41 && b <= 0x5A) { return (false, nil) }
            }
            return (true, String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
        }
        if let fast, fast.done { return fast.domain }
        guard let at = email.utf8.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        let after = email.utf8.index(after: at)
        let domain = Substring(email.utf8[after...])
        if isPlainASCIIKey(domain.utf8) && domain.utf8.last != UInt8(ascii: ".") {
            return domain.isEmpty ? nil : String(domain)
        }
        return domainKey(String(domain))
    }

    /// True when `text` is printable ASCII without capitals and without white
    /// space at either end: then it is its own comparison key.
    @inline(__always)
    static func isPlainASCIIKey(_ text: some BidirectionalCollection<UInt8>) -> Bool {
        guard let first = text.first, let last = text.last else { return true }  // empty: its own key
        if first == 0x20 || last == 0x20 { return false }
        for byte in text where byte >= 0x80 || byte < 0x20 || (byte >= 0x41 && byte <= 0x5A) { return false }
        return true
    }

    /// A domain as accounts list it and as lookups compare it: trimmed,
    /// lower-cased (the comparison key), without trailing dots; `nil` when empty.
    public static func domainKey(_ domain: String) -> String? {
        var key = comparisonKey(domain)
        while key.utf8.last == UInt8(ascii: ".") { key.removeLast() }
        return key.isEmpty ? nil : key
    }

    /// True when `domain` (a domain key) is a public mailbox provider, whose
    /// domain says nothing about the company.
    public static func isFreeMail(_ domain: String) -> Bool {
        withUTF8Bytes(domain) { isFreeMail($0) }
    }

    /// True when the domain key `domain` (bytes) is a public mailbox provider.
    @inline(__always)
    static func isFreeMail(_ domain: UnsafeBufferPointer<UInt8>) -> Bool {
        freeMailTable.find(domain) != nil
    }

    /// ``freeMailDomains`` as bytes.
    static let freeMailTable = ByteKeyTable(freeMailDomains.sorted())

    /// The public mailbox providers: SPEC §11's list, plus common siblings.
    public static let freeMailDomains: Set<String> = [
        // SPEC §11
        "gmail.com", "googlemail.com", "hotmail.com", "hotmail.es", "outlook.com", "outlook.es",
        "live.com", "msn.com", "yahoo.com", "yahoo.es", "icloud.com", "me.com", "aol.com", "gmx.com",
        "gmx.de", "proton.me", "protonmail.com", "mail.com", "yandex.com", "zoho.com", "telefonica.net",
        // common siblings
        "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.it", "outlook.fr", "outlook.de", "live.co.uk",
        "live.fr", "live.de", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.it", "yahoo.com.mx", "yahoo.com.br",
        "ymail.com", "mac.com", "gmx.net", "gmx.es", "web.de", "t-online.de", "protonmail.ch", "pm.me",
        "yandex.ru", "mail.ru", "qq.com", "163.com", "126.com", "orange.fr", "free.fr", "laposte.net",
        "libero.it", "terra.com.br", "uol.com.br", "bol.com.br", "movistar.es", "tutanota.com", "fastmail.com",
        "hey.com", "zohomail.com", "aim.com", "rocketmail.com",
    ]

    /// Phone key: the digits (any decimal digit, written as ASCII), with a
    /// leading `+` kept when the trimmed text starts with one; `nil` with fewer
    /// than 7 digits.
    public static func phoneKey(_ phone: String) -> String? {
        withPhoneKey(phone) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// The phone key by the general path; ``phoneKey(_:)`` takes a faster one for ASCII.
    static func unicodePhoneKey(_ phone: String) -> String? {
        var key = String.UnicodeScalarView()
        var digits = 0
        let trimmed = phone.trimmingWhiteSpace()
        if trimmed.unicodeScalars.first == "+" { key.append("+") }
        for scalar in trimmed.unicodeScalars {
            if scalar.value >= 0x30 && scalar.value <= 0x39 {
                key.append(scalar)
                digits += 1
            } else if scalar.value >= 0x80, scalar.properties.generalCategory == .decimalNumber,
                let value = scalar.properties.numericValue, value >= 0, value <= 9,
                let ascii = Unicode.Scalar(0x30 + UInt32(value))
            {
                key.append(ascii)
                digits += 1
            }
        }
        return digits >= 7 ? String(key) : nil
    }

    /// Name key of a company name: see ``NameKey``.
    public static func nameKey(_ name: String) -> String? {
        NameKey.key(name)
    }
}
