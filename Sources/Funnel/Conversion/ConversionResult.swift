/// How a lead's account was found (SPEC §11).
public enum AccountMatch: String, Sendable, Hashable {
    /// The lead named the account's id in its `account` field.
    case explicit
    /// The contact email's domain (or a parent of it) belongs to one known account.
    case domain
    /// The company name's key equals one known account's.
    case name
    /// The group attribute's comparison key equals one known group account's.
    case group
    /// No known account fits: a new one is to be created.
    case new
    /// Several known accounts fit equally; ``ConversionResult/AccountPart/candidates`` lists them.
    case ambiguous
}

/// The conversion result of SPEC §11: the contact, the account and the deal a
/// lead becomes.
public struct ConversionResult: Sendable, Hashable {
    /// The lead's id.
    public var id: String
    /// The contact: attribute values as given, `nil` when missing.
    public var contact: Contact
    /// The account the lead belongs to, and how it was found.
    public var account: AccountPart
    /// The deal.
    public var deal: Deal

    /// `contact`.
    public struct Contact: Sendable, Hashable {
        /// The contact name attribute's value.
        public var name: String?
        /// The email attribute's value, as given.
        public var email: String?
        /// The phone attribute's value, as given.
        public var phone: String?
    }

    /// `account`.
    public struct AccountPart: Sendable, Hashable {
        /// How it was found.
        public var match: AccountMatch
        /// The known account's id; `nil` for `new` and `ambiguous`.
        public var id: String?
        /// The known account's name (a group's name, else its group); for `new`
        /// and `ambiguous`, the lead's company (or group) attribute.
        public var name: String?
        /// A matched account's own domains; a new one's email domain (unless free mail); else empty.
        public var domains: [String]
        /// For `ambiguous`, the ids of the accounts that fit, in the host's order; else empty.
        public var candidates: [String]
    }

    /// `deal`.
    public struct Deal: Sendable, Hashable {
        /// The account's name, else the contact's name, else the lead id.
        public var name: String
        /// The value attribute's value; `nil` when missing.
        public var value: Double?
        /// `as_of + close_in_days · 86400`, seconds since the epoch.
        public var closeDate: Double
    }
}
