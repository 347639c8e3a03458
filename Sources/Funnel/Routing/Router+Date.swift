import FoundationEssentials

extension Router {
    /// Routes one lead at `date`: ``route(_:at:reassign:)-(Lead,Double,_)`` with a `Date`.
    public mutating func route(_ lead: Lead, at date: Date, reassign: Bool = false) throws(RouteError) -> RouteResult {
        try route(lead, at: date.timeIntervalSince1970, reassign: reassign)
    }

    /// Routes `leads` in order, all at `date`.
    public mutating func route(_ leads: [Lead], at date: Date, reassign: Bool = false) throws(RouteError)
        -> [RouteResult]
    {
        try route(leads, at: date.timeIntervalSince1970, reassign: reassign)
    }

    /// `person`'s load at `date`; `nil` for a person the routing document does not name.
    public func load(of person: String, at date: Date) -> Int? {
        load(of: person, at: date.timeIntervalSince1970)
    }

    /// The instant of the last lead routed, as a `Date`; `nil` before the first.
    public var lastRoutedDate: Date? { lastRoutedAt.map { Date(timeIntervalSince1970: $0) } }
}
