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
    /// The merged lead as a document, keeping values `Lead` cannot hold (objects).
    let document: JSONValue
}
