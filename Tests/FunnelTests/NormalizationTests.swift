import Testing

@testable import Funnel

/// Pins what `nfc(_:)` (the one use of the standard library's underscored
/// `_nfcCodeUnits`) and the comparison keys built on it must do, so that a
/// toolchain that changes the normaliser fails here, not in a customer's funnel.
@Suite("Normalization")
struct NormalizationTests {
    /// The scalars of `text`, as hex, for readable failures.
    private func scalars(_ text: String) -> [String] {
        text.unicodeScalars.map { String($0.value, radix: 16, uppercase: true) }
    }

    @Test func composesDecomposedLetters() {
        #expect(scalars(nfc("e\u{0301}")) == ["E9"])
        #expect(scalars(nfc("\u{00E9}")) == ["E9"])
        #expect(scalars(nfc("Cafe\u{0301} A\u{030A}")) == ["43", "61", "66", "E9", "20", "C5"])
    }

    @Test func composesHangulJamoIntoSyllables() {
        // ᄒ ᅡ ᆫ (L V T) → 한; ᄀ ᅡ (L V) → 가.
        #expect(scalars(nfc("\u{1112}\u{1161}\u{11AB}")) == ["D55C"])
        #expect(scalars(nfc("\u{1100}\u{1161}")) == ["AC00"])
        #expect(scalars(nfc("\u{D55C}")) == ["D55C"])
    }

    @Test func replacesSingletons() {
        // The ohm sign and the kelvin and ångström signs have canonical singletons.
        #expect(scalars(nfc("\u{2126}")) == ["3A9"])
        #expect(scalars(nfc("\u{212A}")) == ["4B"])
        #expect(scalars(nfc("\u{212B}")) == ["C5"])
        // Compatibility characters are not NFC's business: the ligature stays.
        #expect(scalars(nfc("\u{FB01}")) == ["FB01"])
    }

    @Test func ordersCombiningMarksCanonically() {
        // Dot below (ccc 220) sorts before dot above (ccc 230), whatever the input
        // order; then a + dot below composes to ạ, and dot above stays apart.
        let expected = ["1EA1", "307"]
        #expect(scalars(nfc("a\u{0323}\u{0307}")) == expected)
        #expect(scalars(nfc("a\u{0307}\u{0323}")) == expected)
        // Marks of the same class keep their order.
        #expect(scalars(nfc("a\u{0301}\u{0300}")) == ["E1", "300"])
        #expect(scalars(nfc("a\u{0300}\u{0301}")) == ["E0", "301"])
    }

    @Test func leavesASCIIAndSubstringsAsTheyAre() {
        #expect(nfc("Plain ASCII, 123.") == "Plain ASCII, 123.")
        #expect(nfc("") == "")
        let text = "xx e\u{0301} yy"
        #expect(scalars(nfc(text.dropFirst(3).dropLast(3))) == ["E9"])
    }

    @Test func trimsWhiteSpaceScalarsNotCharacters() {
        // An ideographic space and a combining dot above make one Character;
        // the space is trimmed, the mark stays (differential seed 4 found it).
        #expect(scalars(comparisonKey("\u{3000}\u{0307}")) == ["307"])
        #expect(scalars(comparisonKey(" \u{0301}x ")) == ["301", "78"])
        // White_Space, not Python's isspace: the information separators stay.
        #expect(scalars(comparisonKey("\u{001C}é\u{001F}")) == ["1C", "E9", "1F"])
        #expect(scalars(comparisonKey("\u{00A0}\u{2028}É\u{205F}\u{0085}")) == ["E9"])
    }

    @Test func comparisonKeysNormaliseTrimAndLowerCase() {
        #expect(comparisonKey("  Software\t") == "software")
        #expect(comparisonKey("CAFE\u{0301}") == comparisonKey("café"))
        #expect(scalars(comparisonKey("CAFE\u{0301}")) == ["63", "61", "66", "E9"])
        #expect(comparisonKey("\u{2126}") == "\u{03C9}")
        #expect(comparisonKey("\u{1112}\u{1161}\u{11AB}") == "\u{D55C}")
        // Final sigma: only a capital sigma that ends a word becomes ς.
        #expect(comparisonKey("ΟΔΌΣ") == "οδός")
        #expect(comparisonKey("ΣΟΦΊΑ") == "σοφία")
        #expect(comparisonKey("ΟΔΌΣ ΣΟΦΊΑ") == "οδός σοφία")
        // İ lower-cases to i + combining dot above, which NFC leaves apart.
        #expect(scalars(comparisonKey("İ")) == ["69", "307"])
    }
}
