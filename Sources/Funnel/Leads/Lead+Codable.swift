// Leads are Codable in the shape of the SPEC §6 document (`at` as seconds
// since the epoch), so that a host's own records can be encoded straight into
// what `Lead(json:)` and every front end read.

extension Lead: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, attributes, events, stage, owner, account
        case behaviorSince = "behavior_since"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            attributes: try c.decodeIfPresent([String: LeadValue].self, forKey: .attributes) ?? [:],
            events: try c.decodeIfPresent([Event].self, forKey: .events) ?? [],
            stage: try c.decodeIfPresent(String.self, forKey: .stage),
            owner: try c.decodeIfPresent(String.self, forKey: .owner),
            account: try c.decodeIfPresent(String.self, forKey: .account),
            behaviorSince: try c.decodeIfPresent(Double.self, forKey: .behaviorSince))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        if !attributes.isEmpty { try c.encode(attributes, forKey: .attributes) }
        if !events.isEmpty { try c.encode(events, forKey: .events) }
        try c.encodeIfPresent(stage, forKey: .stage)
        try c.encodeIfPresent(owner, forKey: .owner)
        try c.encodeIfPresent(account, forKey: .account)
        try c.encodeIfPresent(behaviorSince, forKey: .behaviorSince)
    }
}

extension Event: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, at
        case properties = "props"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try c.decode(String.self, forKey: .type), at: try c.decode(Double.self, forKey: .at),
            properties: try c.decodeIfPresent([String: LeadValue].self, forKey: .properties) ?? [:])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(at, forKey: .at)
        if !properties.isEmpty { try c.encode(properties, forKey: .properties) }
    }
}

extension LeadValue: Codable {
    /// Decodes the JSON value as it stands: `null`, a string, a number, a
    /// bool, an array of strings, or anything else as ``other``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let x = try? c.decode(Double.self) {
            self = .number(x)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let texts = try? c.decode([String].self) {
            self = .strings(texts)
        } else {
            self = .other
        }
    }

    /// Encodes the value; ``other`` (whose contents are not kept) as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null, .other: try c.encodeNil()
        case .string(let s): try c.encode(s)
        case .number(let x): try c.encode(x)
        case .bool(let b): try c.encode(b)
        case .strings(let texts): try c.encode(texts)
        }
    }
}
