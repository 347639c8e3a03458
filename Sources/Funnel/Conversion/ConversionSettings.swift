/// The model's `conversion` section (SPEC §11): which attributes hold the
/// contact, the account and the deal when a lead is converted.
///
/// Every field is optional. A model without the section converts as if it
/// had an empty one: no contact fields, accounts by company with no name
/// attribute, deals closing in 90 days.
public struct ConversionSettings: Sendable, Hashable {
    /// `contact`: the attributes of the contact's name, email and phone.
    public var contact: ContactFields
    /// `account`: how the lead's account is found.
    public var account: AccountSettings
    /// `deal`: the value attribute and the days to the close date.
    public var deal: DealSettings

    /// A section from its parts; each defaults to empty.
    public init(contact: ContactFields = ContactFields(), account: AccountSettings = AccountSettings(),
                deal: DealSettings = DealSettings()) {
        self.contact = contact
        self.account = account
        self.deal = deal
    }
}

/// `conversion.contact`: names of `string` attributes.
public struct ContactFields: Sendable, Hashable {
    /// The contact's full name.
    public var name: String?
    /// The contact's email; its domain finds the account, its key finds duplicates.
    public var email: String?
    /// The contact's phone; its key finds duplicates.
    public var phone: String?

    /// Contact fields read from the named attributes.
    public init(name: String? = nil, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
    }
}

/// What an account is: a company (B2B) or a grouping such as a region or a store (B2C).
public enum AccountKind: String, Sendable, Hashable {
    /// `"company"`: matched by explicit id, email domain, then company-name key.
    case company
    /// `"group"`: matched by the comparison key of the group attribute.
    case group
}

/// `conversion.account`.
public struct AccountSettings: Sendable, Hashable {
    /// `by`: company (the default) or group.
    public var by: AccountKind
    /// `name`: the `string` attribute naming the lead's company (`by: company` only).
    public var name: String?
    /// `group`: the `string` attribute naming the lead's group (required with `by: group`).
    public var group: String?

    /// Account settings; `by` defaults to `.company`.
    public init(by: AccountKind = .company, name: String? = nil, group: String? = nil) {
        self.by = by
        self.name = name
        self.group = group
    }
}

/// `conversion.deal`.
public struct DealSettings: Sendable, Hashable {
    /// The default of `close_in_days`.
    public static let defaultCloseInDays = 90.0

    /// `value`: the `number` attribute holding the deal's value.
    public var value: String?
    /// `close_in_days`: days from `as_of` to the deal's close date; > 0, default 90.
    public var closeInDays: Double

    /// Deal settings; the close date is `closeInDays` days after conversion.
    public init(value: String? = nil, closeInDays: Double = DealSettings.defaultCloseInDays) {
        self.value = value
        self.closeInDays = closeInDays
    }
}
