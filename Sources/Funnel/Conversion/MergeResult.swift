/// One group of duplicate leads and the lead they merge into (SPEC §11).
public struct MergeResult: Sendable, Equatable {
    /// The head's id: the lead in the most advanced stage, then with the most
    /// recent event, then the first in input order.
    public var head: String
    /// The other leads' ids, in input order.
    public var merged: [String]
    /// The keys the group's leads share, sorted (byte order): `email:ana@acme.es`,
    /// `phone:+34600111222`.
    public var keys: [String]
    /// The merged lead: the head's id and stage, every attribute's first
    /// non-null value (head first), `strings` attributes united, events united.
    public var lead: Lead
    /// The merged lead as a document, keeping values `Lead` cannot hold
    /// (objects); `nil` when `lead` holds all of it (groups of Swift leads),
    /// so that no document is built unless one is written.
    let document: JSONValue?
    /// The order of the document's attributes when `document` is `nil`: the
    /// order in which the group's leads (head first, each sorted by name) name them.
    let attributeOrder: [String]

    init(
        head: String, merged: [String], keys: [String], lead: Lead, document: JSONValue?,
        attributeOrder: [String] = []
    ) {
        self.head = head
        self.merged = merged
        self.keys = keys
        self.lead = lead
        self.document = document
        self.attributeOrder = attributeOrder
    }

    /// The merged lead's document, built from `lead` when it was not kept.
    var documentValue: JSONValue {
        if let document { return document }
        var fields = [JSONMember("id", .string(lead.id))]
        if let stage = lead.stage { fields.append(JSONMember("stage", .string(stage))) }
        if let account = lead.account { fields.append(JSONMember("account", .string(account))) }
        fields.append(JSONMember(
            "attributes", .object(attributeOrder.map { JSONMember($0, lead.attributes[$0]?.jsonValue ?? .null) })))
        fields.append(JSONMember("events", .array(lead.events.map(\.jsonValue))))
        return .object(fields)
    }

    /// Equal when everything a caller sees, the written document included, is equal.
    public static func == (a: MergeResult, b: MergeResult) -> Bool {
        a.head == b.head && a.merged == b.merged && a.keys == b.keys && a.lead == b.lead
            && a.documentValue == b.documentValue
    }
}
