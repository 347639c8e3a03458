extension CompiledModel {
    /// The lead's declared attributes in declaration order, type-checked.
    func checkedAttributes(_ lead: Lead) throws(LeadError) -> [LeadValue?] {
        var values = [LeadValue?](repeating: nil, count: definition.attributes.count)
        for (i, declaration) in definition.attributes.enumerated() {
            guard let value = lead.attributes[declaration.name] else { continue }
            let fits: Bool
            switch (declaration.type, value) {
            case (_, .null): fits = true
            case (.number, .number(let x)): fits = x.isFinite
            case (.bool, .bool), (.string, .string), (.strings, .strings): fits = true
            default: fits = false
            }
            guard fits else {
                throw LeadError(
                    path: "attributes".joined(declaration.name),
                    message: "expected \(declaration.type.valueDescription), found \(value.kindDescription)")
            }
            values[i] = value
        }
        return values
    }

    /// The index of the lead's stage; -1 for none (the initial stage).
    func checkedStage(_ stage: String?) throws(LeadError) -> Int32 {
        guard let stage else { return -1 }
        guard let stages else {
            throw LeadError(path: "stage", message: "the model has no stages, found \"\(stage)\"")
        }
        guard let index = stages.index[stage] else {
            throw LeadError(path: "stage", message: "unknown stage \"\(stage)\"")
        }
        return index
    }
}

extension AttributeType {
    var valueDescription: String {
        switch self {
        case .string: "a string"
        case .number: "a finite number"
        case .bool: "a boolean"
        case .strings: "an array of strings"
        }
    }
}
