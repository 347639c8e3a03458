extension ModelCompiler {
    /// SPEC §11: the `conversion` section names declared attributes of the
    /// right type (`string` for contact, company and group; `number` for the
    /// deal value), `close_in_days` > 0, and the account attribute that fits `by`.
    mutating func checkConversion() {
        guard let conversion = definition.conversion else { return }
        var types: [String: AttributeType] = [:]
        for attribute in definition.attributes where types[attribute.name] == nil {
            types[attribute.name] = attribute.type
        }
        func check(_ name: String?, _ path: String, _ type: AttributeType, _ faults: inout FaultLog) {
            guard let name else { return }
            guard let declared = types[name] else {
                faults.fault(path, "unknown attribute \"\(name)\"")
                return
            }
            if declared != type {
                faults.fault(path, "attribute \"\(name)\" is \(declared.rawValue); expected a \(type.rawValue) attribute")
            }
        }
        check(conversion.contact.name, "conversion.contact.name", .string, &faults)
        check(conversion.contact.email, "conversion.contact.email", .string, &faults)
        check(conversion.contact.phone, "conversion.contact.phone", .string, &faults)
        check(conversion.account.name, "conversion.account.name", .string, &faults)
        check(conversion.account.group, "conversion.account.group", .string, &faults)
        switch conversion.account.by {
        case .company:
            if conversion.account.group != nil {
                faults.fault("conversion.account.group", "only with \"by\": \"group\"")
            }
        case .group:
            if conversion.account.group == nil {
                faults.fault("conversion.account.group", "required with \"by\": \"group\"")
            }
            if conversion.account.name != nil {
                faults.fault("conversion.account.name", "only with \"by\": \"company\"")
            }
        }
        check(conversion.deal.value, "conversion.deal.value", .number, &faults)
        faults.checkPositive(conversion.deal.closeInDays, "conversion.deal.close_in_days")
    }
}
