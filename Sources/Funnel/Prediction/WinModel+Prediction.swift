#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A lead's chance of being won, and the factors behind it (SPEC §14).
public struct WinPrediction: Sendable, Hashable {
    /// The probability, in [0.01, 0.99]; exactly 1 in a stage with outcome
    /// `won` and 0 in one with outcome `lost` or `disqualified`; `nil` when
    /// the win model has no won or no lost example, or fewer than
    /// `min_examples` in all.
    public var probability: Double?
    /// The lead's values that moved the probability, strongest first (by
    /// absolute weight; ties: field order, then value by code point), at most
    /// `max_factors`. Empty when ``probability`` is `nil` or decided by an
    /// outcome stage.
    public var factors: [WinFactor]

    /// A prediction from its parts.
    public init(probability: Double?, factors: [WinFactor]) {
        self.probability = probability
        self.factors = factors
    }
}

/// One of a lead's values and how much it moved the log-odds of a win:
/// `ln((won(f, v) + 0.1) ÷ won) − ln((lost(f, v) + 0.1) ÷ lost)`.
public struct WinFactor: Sendable, Hashable, Codable {
    /// The field: an attribute's name or `stage`.
    public var field: String
    /// The value as the win model document writes it (`software`, `[10, 50)`, `mql`).
    public var value: String
    /// Positive: wins more likely; negative: less.
    public var weight: Double

    /// Factor `field` = `value` with `weight`.
    public init(field: String, value: String, weight: Double) {
        (self.field, self.value, self.weight) = (field, value, weight)
    }
}

/// A win model compiled for prediction: the prior log-odds and, per field,
/// the weight of every value learnt, computed once, so that predicting is one
/// table load and one add per value of the lead.
///
/// Build one per (model, win model) with ``WinModel/predictor`` and use it
/// from any number of threads.
public struct WinPredictor: Sendable {
    /// The win model it was built from.
    public let winModel: WinModel
    /// `ln(won ÷ lost)`; NaN when predictions are `nil`.
    let prior: Double
    /// Per field, per value number, its weight; 0 for a value without examples.
    let weights: [[Double]]
    /// Per stage of the model: the weight of being in it (0 off the path or
    /// when `stage` is not a field) and the probability it decides (NaN, 1 or 0).
    let stageWeight: [Double]
    let stageDecides: [Double]

    /// Precomputes every weight of `winModel`.
    ///
    /// - Complexity: O(values learnt + stages).
    public init(_ winModel: WinModel) {
        self.winModel = winModel
        let fields = winModel.fields
        let (won, lost) = (winModel.won, winModel.lost)
        let known = won > 0 && lost > 0 && won + lost >= fields.minExamples
        let (w, l) = (Double(won), Double(lost))
        prior = known ? log(w / l) : .nan
        weights = winModel.counts.map { counts in
            counts.won.indices.map { id in
                let (vw, vl) = (counts.won[id], counts.lost[id])
                guard known, vw + vl > 0 else { return 0 }
                return log((Double(vw) + 0.1) / w) - log((Double(vl) + 0.1) / l)
            }
        }
        var stageWeight = [Double](repeating: 0, count: fields.outcomes.count)
        var stageDecides = [Double](repeating: .nan, count: fields.outcomes.count)
        for (s, outcome) in fields.outcomes.enumerated() {
            switch outcome {
            case .won?: stageDecides[s] = 1
            case .lost?, .disqualified?: stageDecides[s] = 0
            case nil: break
            }
            let position = fields.pathPosition[s]
            if fields.stageFieldIndex >= 0, position >= 0 {
                stageWeight[s] = weights[fields.stageFieldIndex][Int(position)]
            }
        }
        self.stageWeight = stageWeight
        self.stageDecides = stageDecides
    }

    /// Whether predictions have a probability (enough won and lost examples).
    public var hasProbabilities: Bool { !prior.isNaN }

    /// The prediction for one lead: its probability and its factors.
    ///
    /// The lead stands in its `stage`, else the model's initial stage: a
    /// stage with an outcome decides (won 1, lost or disqualified 0), a path
    /// stage is the lead's `stage` value, and a stage off the path without an
    /// outcome (nurture) gives no `stage` value. The null cases come first:
    /// without won and lost examples, `min_examples` in all, the probability
    /// is `nil` whatever the stage.
    ///
    /// - Throws: ``LeadError`` when the lead does not fit the model.
    public func predict(_ lead: Lead) throws(LeadError) -> WinPrediction {
        let compiled = winModel.model.compiled
        let fields = winModel.fields
        let values = try fields.attributeValues(of: lead, compiled)
        let stage = fields.hasStages ? try fields.stage(of: lead, compiled) : -1
        guard !prior.isNaN else { return WinPrediction(probability: nil, factors: []) }
        if stage >= 0, !stageDecides[Int(stage)].isNaN {
            return WinPrediction(probability: stageDecides[Int(stage)], factors: [])
        }
        var factors: [(field: Int, id: Int, weight: Double)] = []
        var x = prior
        var ids = values.map { value in
            value.fixed >= 0 ? value.fixed : winModel.counts[value.field].id(raw: value.text) ?? -1
        }
        let kept = firstOfEach(values, &ids)
        for (value, id) in zip(kept, ids.map { Int($0) }) {
            let counts = winModel.counts[value.field]
            guard counts.won[id] + counts.lost[id] > 0 else { continue }
            let weight = weights[value.field][id]
            x += weight
            factors.append((value.field, id, weight))
        }
        if stage >= 0, fields.stageFieldIndex >= 0 {
            let position = Int(fields.pathPosition[Int(stage)])
            let counts = winModel.counts[fields.stageFieldIndex]
            if position >= 0, counts.won[position] + counts.lost[position] > 0 {
                x += stageWeight[Int(stage)]
                factors.append((fields.stageFieldIndex, position, stageWeight[Int(stage)]))
            }
        }
        return WinPrediction(probability: Self.probability(x), factors: explain(factors))
    }

    /// p = 1 ÷ (1 + e^(−x)), clamped to [0.01, 0.99].
    @inline(__always)
    static func probability(_ x: Double) -> Double {
        let p = 1 / (1 + exp(-x))
        return p < 0.01 ? 0.01 : (p > 0.99 ? 0.99 : p)
    }

    /// The strongest `max_factors` of a lead's weighted values.
    func explain(_ factors: [(field: Int, id: Int, weight: Double)]) -> [WinFactor] {
        let counts = winModel.counts
        let ranked = factors.sorted { a, b in
            if a.weight.magnitude != b.weight.magnitude { return a.weight.magnitude > b.weight.magnitude }
            if a.field != b.field { return a.field < b.field }
            return counts[a.field].values[a.id].utf8.lexicographicallyPrecedes(counts[b.field].values[b.id].utf8)
        }
        let names = winModel.fields.fields
        return ranked.prefix(winModel.fields.maxFactors).map {
            WinFactor(field: names[$0.field].name, value: counts[$0.field].values[$0.id], weight: $0.weight)
        }
    }
}

extension WinModel {
    /// This win model compiled for prediction (see ``WinPredictor``).
    public var predictor: WinPredictor { WinPredictor(self) }

    /// One lead's prediction; for many, build a ``predictor`` once.
    ///
    /// - Throws: ``LeadError`` when the lead does not fit the model.
    public func predict(_ lead: Lead) throws(LeadError) -> WinPrediction {
        try WinPredictor(self).predict(lead)
    }
}

extension Model {
    /// Scores one lead at `asOf` and adds its win probability and factors
    /// (SPEC §14) from `predictor`. The C ABI's `funnel_score_json_win`.
    ///
    /// - Throws: ``LeadError`` when the lead does not fit the model.
    public func score(_ lead: Lead, at asOf: Double, predictor: WinPredictor) throws(LeadError) -> ScoreResult {
        var result = try score(lead, at: asOf)
        let prediction = try predictor.predict(lead)
        result.winProbability = prediction.probability
        result.winFactors = prediction.factors
        return result
    }

    /// Like ``score(_:at:predictor:)``, building the predictor for this one call.
    public func score(_ lead: Lead, at asOf: Double, winModel: WinModel) throws(LeadError) -> ScoreResult {
        try score(lead, at: asOf, predictor: WinPredictor(winModel))
    }
}
