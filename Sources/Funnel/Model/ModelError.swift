/// One fault in a model, located by its JSON path.
public struct ModelFault: Sendable, Hashable, CustomStringConvertible {
    /// Where: `scoring.behavior[2].points`; empty for the document itself.
    public var path: String
    /// What: `expected a number`.
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    /// `scoring.behavior[2].points: expected a number`.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Why a model did not load: every fault found, in document order.
///
/// Loading does not stop at the first fault so that `funnel validate` can list
/// them all in one run.
public struct ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    public var faults: [ModelFault]
    public init(faults: [ModelFault]) { self.faults = faults }
    /// The first fault, and how many more there are.
    public var description: String {
        guard let first = faults.first else { return "invalid model" }
        return faults.count == 1 ? first.description : "\(first) (and \(faults.count - 1) more)"
    }
}
