/// The declared type of a lead attribute.
///
/// Declaring types up front lets a model reject, at load time, a predicate that
/// could never hold (`gte` on a string) instead of silently scoring zero.
public enum AttributeType: String, Sendable, Hashable, CaseIterable, BitwiseCopyable {
    /// Text, compared without surrounding white space or letter case, on NFC.
    case string
    /// A finite double.
    case number
    /// `true` or `false`.
    case bool
    /// A set of strings (JSON array of strings), compared like `string`.
    case strings
}
