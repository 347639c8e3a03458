extension DocumentReader {
    /// Reads the `conversion` section strictly: unknown fields, wrong types and
    /// unknown `by` values are faults at their paths. Attribute names and types
    /// are checked when the model is compiled (`ModelCompiler+Conversion`).
    mutating func conversion(_ value: JSONValue, _ path: String) -> ConversionSettings? {
        guard let members = object(value, path, allowed: ["contact", "account", "deal"]) else { return nil }
        var settings = ConversionSettings()
        if let raw = optional(members, "contact") {
            let contactPath = path.joined("contact")
            if let fields = object(raw, contactPath, allowed: ["name", "email", "phone"]) {
                settings.contact.name = attributeName(fields, "name", contactPath)
                settings.contact.email = attributeName(fields, "email", contactPath)
                settings.contact.phone = attributeName(fields, "phone", contactPath)
            }
        }
        if let raw = optional(members, "account") {
            let accountPath = path.joined("account")
            if let fields = object(raw, accountPath, allowed: ["by", "name", "group"]) {
                if let by = optional(fields, "by"), let text = string(by, accountPath.joined("by")) {
                    if let kind = AccountKind(rawValue: text) {
                        settings.account.by = kind
                    } else {
                        fault(accountPath.joined("by"), "expected \"company\" or \"group\", found \"\(text)\"")
                    }
                }
                settings.account.name = attributeName(fields, "name", accountPath)
                settings.account.group = attributeName(fields, "group", accountPath)
            }
        }
        if let raw = optional(members, "deal") {
            let dealPath = path.joined("deal")
            if let fields = object(raw, dealPath, allowed: ["value", "close_in_days"]) {
                settings.deal.value = attributeName(fields, "value", dealPath)
                if let days = optional(fields, "close_in_days"),
                    let x = number(days, dealPath.joined("close_in_days"))
                {
                    settings.deal.closeInDays = x
                }
            }
        }
        return settings
    }

    /// An optional field naming an attribute: a non-empty string.
    private mutating func attributeName(_ fields: [JSONMember], _ key: String, _ path: String) -> String? {
        guard let raw = optional(fields, key) else { return nil }
        return string(raw, path.joined(key), nonEmpty: true)
    }
}
