/// A parsed JSON value. Objects keep their members in document order.
///
/// Members stay an array rather than a dictionary because documents are small,
/// order matters for faithful output, and lookups by key are rare next to parsing.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])
}

/// One `"key": value` pair of an object, kept as a pair so document order survives.
package struct JSONMember: Sendable, Equatable {
    package var key: String
    package var value: JSONValue

    package init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue {
    /// Convenience: the member named `key` of an object (first match), nil otherwise.
    ///
    /// Keys match byte for byte, the rule the parser uses for duplicates: Swift's
    /// `==` would equate canonically equivalent spellings that JSON keeps apart.
    /// - Complexity: O(*n*) in the number of members.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members
        where member.key.utf8.count == key.utf8.count && member.key.utf8.elementsEqual(key.utf8) {
            return member.value
        }
        return nil
    }

    /// "null", "a boolean", "a number", "a string", "an array", "an object" —
    /// used in error messages like "expected a number, found a string".
    package var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
