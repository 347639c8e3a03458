// byte_keys: the byte-level keys and tables of conversion and dedupe (SPEC §11).
// The input, split at 0xFF bytes, is a list of keys: each goes into a
// ByteKeyTable and a Dictionary, which must number it alike; each that is
// valid UTF-8 is keyed by the byte paths and the String paths, which must agree.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let bytes = input.rest()
    var table = ByteKeyTable()
    var reference: [[UInt8]: Int32] = [:]
    for piece in bytes.split(separator: 0xFF, omittingEmptySubsequences: false) {
        let key = Array(piece)
        let (id, inserted) = key.withUnsafeBufferPointer { table.insert($0) }
        if let known = reference[key] {
            check(!inserted && id == known, "table renumbered a key")
        } else {
            check(inserted && Int(id) == reference.count, "table numbered a new key \(id), not \(reference.count)")
            reference[key] = id
        }
        check(table.withKey(id) { Array($0) } == key, "table keeps other bytes")
        guard let text = String(validating: key, as: UTF8.self) else { continue }
        func string(_ b: UnsafeBufferPointer<UInt8>?) -> String? { b.map { String(decoding: $0, as: UTF8.self) } }
        check(MatchKeys.withNameKey(text, string) == NameKey.unicodeKey(text), "name keys differ")
        check(MatchKeys.withPhoneKey(text, string) == MatchKeys.unicodePhoneKey(text), "phone keys differ")
        check(MatchKeys.withEmailKey(text, string) == MatchKeys.emailKey(text), "email keys differ")
        let domain: String? = text.utf8.lastIndex(of: UInt8(ascii: "@")).flatMap { at in
            MatchKeys.domainKey(String(Substring(text.utf8[text.utf8.index(after: at)...])))
        }
        check(MatchKeys.withEmailDomain(text, string) == domain, "email domains differ")
    }
    check(table.count == reference.count, "table counts \(table.count) keys, not \(reference.count)")
    return 0
}
