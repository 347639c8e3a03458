/// `text` in Unicode Normalization Form C (canonical composition), SPEC §3.
///
/// The one place Funnel normalises. It rests on the standard library's
/// underscored `_nfcCodeUnits`: Swift has no public normalisation API on
/// Linux without Foundation, and Funnel links no Foundation. An underscored
/// API may change or go with a toolchain, so everything goes through here and
/// `NormalizationTests` pins what it must do (composition, Hangul, singletons
/// such as the ohm sign, the canonical order of marks); a toolchain that
/// changes it fails those tests, and this is the only function to replace.
func nfc(_ text: some StringProtocol) -> String {
    // ASCII is already NFC: no copy through the normaliser.
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return String(text) }
    return String(decoding: String(text)._nfcCodeUnits, as: UTF8.self)
}
