/// The model's `predict` section (SPEC §14): which attributes the win model
/// learns from, how numbers are binned, and its two limits.
///
/// ```swift
/// PredictSettings(fields: ["industry", "employees", "stage"],
///                 bins: ["employees": [10, 50, 250, 1000]], minExamples: 20, maxFactors: 3)
/// ```
///
/// Every part is optional; ``Model/init(_:)`` checks them (faults at paths such
/// as `predict.bins.employees[2]`).
public struct PredictSettings: Sendable, Hashable {
    /// The fields, by name: attributes of type string, bool or strings, number
    /// attributes with ``bins``, and `stage` (the funnel stage, when the model
    /// has stages). `nil`: all of those. Whatever order they are listed in, they
    /// are taken in the order the model declares the attributes, then `stage`.
    public var fields: [String]?
    /// Per number attribute, its strictly increasing, finite bin edges
    /// e₁ < … < eₖ, which give the values `"< e₁"`, `"[eᵢ, eᵢ₊₁)"` and `">= eₖ"`.
    public var bins: [String: [Double]]
    /// The fewest examples (won + lost) for a probability; `nil`: 20. A whole number ≥ 1.
    public var minExamples: Int?
    /// The most factors a prediction lists; `nil`: 5. A whole number ≥ 1.
    public var maxFactors: Int?

    /// `min_examples` when the section leaves it out.
    public static let defaultMinExamples = 20
    /// `max_factors` when the section leaves it out.
    public static let defaultMaxFactors = 5

    /// A `predict` section; every part defaults to absent.
    public init(fields: [String]? = nil, bins: [String: [Double]] = [:], minExamples: Int? = nil, maxFactors: Int? = nil) {
        self.fields = fields
        self.bins = bins
        self.minExamples = minExamples
        self.maxFactors = maxFactors
    }
}
