extension Predicate {
    /// Criteria this predicate names directly (not through other criteria).
    var referencedCriteria: [String] {
        switch self {
        case .criterion(let name): [name]
        case .all(let parts), .any(let parts): parts.flatMap(\.referencedCriteria)
        case .not(let inner): inner.referencedCriteria
        case .attribute, .property, .score, .result: []
        }
    }

    /// True when every leaf is a `prop` condition: the predicate depends on
    /// the event alone.
    var readsOnlyProperties: Bool {
        switch self {
        case .property: true
        case .all(let parts), .any(let parts): parts.allSatisfy(\.readsOnlyProperties)
        case .not(let inner): inner.readsOnlyProperties
        case .attribute, .score, .result, .criterion: false
        }
    }

    /// How many levels of nesting: 1 for a leaf.
    var depth: Int {
        switch self {
        case .all(let parts), .any(let parts): 1 + (parts.map(\.depth).max() ?? 0)
        case .not(let inner): 1 + inner.depth
        case .attribute, .property, .score, .result, .criterion: 1
        }
    }

    /// True when this predicate reads a score (or a result made of one) directly.
    var readsScore: Bool {
        switch self {
        case .score, .result: true
        case .all(let parts), .any(let parts): parts.contains(where: \.readsScore)
        case .not(let inner): inner.readsScore
        case .attribute, .property, .criterion: false
        }
    }
}
