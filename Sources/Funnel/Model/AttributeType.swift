/// The declared type of a lead attribute.
///
/// Declaring types up front lets a model reject, at load time, a predicate that
/// could never hold (`gte` on a string) instead of silently scoring zero.
/// The C ABI's `funnel_attribute_type`, as `funnel_model_attribute_type` gives it.
public enum AttributeType: String, Sendable, Hashable, CaseIterable, BitwiseCopyable {
    /// Text, compared without surrounding white space or letter case, on NFC
    /// (`FUNNEL_ATTR_STRING`).
    case string
    /// A finite double (`FUNNEL_ATTR_NUMBER`).
    case number
    /// `true` or `false` (`FUNNEL_ATTR_BOOL`).
    case bool
    /// A set of strings (JSON array of strings), compared like `string`
    /// (`FUNNEL_ATTR_STRINGS`).
    case strings
}
