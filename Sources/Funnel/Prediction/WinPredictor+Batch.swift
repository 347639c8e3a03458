/// A batch handed to a win model or predictor of another model; nothing was done.
public struct WinBatchMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var description: String { "the batch holds leads of another model than the win model's" }

    static func check(_ model: Model, _ batch: LeadBatch) throws(WinBatchMismatch) {
        guard model.compiles(like: batch.model) else { throw WinBatchMismatch() }
    }
}

/// Predictions for a whole ``LeadBatch``: the batch's symbols are mapped to
/// weights once, then each lead costs one table load and one add per value.
extension WinPredictor {
    /// Every lead's win probability, in order; NaN where it is `nil` (SPEC §14).
    /// The same doubles, to the last bit, as ``predict(_:)`` gives lead by lead.
    ///
    /// - Throws: ``WinBatchMismatch`` when `batch` holds leads of another
    ///   model than the win model's ``WinModel/model``.
    /// - Complexity: O(symbols of the batch × string fields) to build the
    ///   tables, then O(values) per lead, split across `threads`.
    public func probabilities(of batch: LeadBatch, threads: Int = defaultThreadCount) throws(WinBatchMismatch)
        -> [Double]
    {
        try WinBatchMismatch.check(winModel.model, batch)
        // Not for 0 leads: see `LeadBatch.scores(at:threads:)` (the shared empty storage).
        guard batch.count > 0 else { return [] }
        return [Double](unsafeUninitializedCapacity: batch.count) { out, initialized in
            probabilities(of: batch, threads: threads, into: out)
            initialized = batch.count
        }
    }

    /// Writes every lead's win probability (NaN for `nil`) into `out`, which
    /// holds at least `batch.count` elements; the batch's model is the win
    /// model's (checked by the callers).
    package func probabilities(of batch: LeadBatch, threads: Int, into out: UnsafeMutableBufferPointer<Double>) {
        let plan = BatchPlan(self, batch)
        nonisolated(unsafe) let out = out
        forEachChunk(count: batch.count, threads: threads) { range in
            plan.probabilities(range, batch, out)
        }
    }

    /// Every lead's explained score at `asOf` with its `win_probability` and
    /// `win_factors` (SPEC §14): what `funnel score --win-model` and
    /// `funnel_score_jsonl_win` write.
    ///
    /// - Throws: ``WinBatchMismatch`` when `batch` holds leads of another model.
    public func results(of batch: LeadBatch, at asOf: Double, threads: Int = defaultThreadCount)
        throws(WinBatchMismatch) -> [ScoreResult]
    {
        let predictions = try predictions(of: batch, threads: threads)
        var results = batch.results(at: asOf, threads: threads)
        for (i, prediction) in predictions.enumerated() {
            results[i].winProbability = prediction.probability
            results[i].winFactors = prediction.factors
        }
        return results
    }

    /// Every lead's prediction with its factors, in order: what
    /// `funnel score --win-model` and `funnel_score_jsonl_win` write.
    ///
    /// - Throws: ``WinBatchMismatch`` when `batch` holds leads of another model.
    public func predictions(of batch: LeadBatch, threads: Int = defaultThreadCount) throws(WinBatchMismatch)
        -> [WinPrediction]
    {
        try WinBatchMismatch.check(winModel.model, batch)
        let plan = BatchPlan(self, batch)
        let slots = UnsafeMutableBufferPointer<WinPrediction>.allocate(capacity: batch.count)
        nonisolated(unsafe) let out = slots
        forEachChunk(count: batch.count, threads: threads) { range in
            for i in range { (out.baseAddress! + i).initialize(to: plan.prediction(i, batch, self)) }
        }
        defer { slots.deinitialize().deallocate() }
        return Array(slots)
    }
}

extension Model {
    /// Whether leads ingested for `other` read as leads of this model: the
    /// same compiled model, or one compiled from an equal definition (the
    /// compiler is deterministic, so symbols and slots are the same).
    func compiles(like other: CompiledModel) -> Bool {
        compiled === other || compiled.definition == other.definition
    }

    /// Whether a win model made for `other` can read this model's leads and batches.
    package func compiles(like other: Model) -> Bool { compiles(like: other.compiled) }
}

/// The per-batch tables: for each field, what each of the batch's symbols
/// (string fields), bools, bins or stages weigh and which value they are.
struct BatchPlan: @unchecked Sendable {
    enum Kind: Int32 { case string, bool, number, strings, stage }
    struct Step {
        var kind: Kind
        var field: Int32
        var slot: Int32
        /// Where the step's weights (and value numbers) start in `weights` (`ids`).
        var table: Int32
        /// Bin edges in `edges`.
        var edgeStart: Int32
        var edgeCount: Int32
    }

    let steps: [Step]
    let weights: [Double]
    /// The value number behind each weight, -1 when it has no examples.
    let ids: [Int32]
    let edges: [Double]
    let prior: Double
    let stageWeight: [Double]
    let stageDecides: [Double]
    let stagePosition: [Int32]
    let initialStage: Int32
    let hasStages: Bool

    init(_ predictor: WinPredictor, _ batch: LeadBatch) {
        let winModel = predictor.winModel
        let fields = winModel.fields
        let model = batch.model
        // The batch's symbols as text: the model's, then the batch's own.
        let symbolCount = model.predicates.symbolKeys.count + batch.localSymbols.count
        var symbolText = [String](repeating: "", count: symbolCount)
        for (i, key) in model.predicates.symbolKeys.enumerated() { symbolText[i] = String(decoding: key, as: UTF8.self) }
        for (key, id) in batch.localSymbols { symbolText[Int(id)] = key }

        var steps: [Step] = []
        var weights: [Double] = []
        var ids: [Int32] = []
        var edges: [Double] = []
        for (f, field) in fields.fields.enumerated() {
            let counts = winModel.counts[f]
            let fieldWeights = predictor.weights[f]
            func entry(_ id: Int32) {
                if id >= 0 && counts.won[Int(id)] + counts.lost[Int(id)] > 0 {
                    weights.append(fieldWeights[Int(id)])
                    ids.append(id)
                } else {
                    weights.append(0)
                    ids.append(-1)
                }
            }
            var step = Step(
                kind: .stage, field: Int32(f), slot: Int32(field.slot), table: Int32(weights.count), edgeStart: 0,
                edgeCount: 0)
            switch field.kind {
            case .string, .strings:
                step.kind = field.kind == .string ? .string : .strings
                entry(-1)  // missing
                for text in symbolText { entry(counts.index[text] ?? -1) }
            case .bool:
                step.kind = .bool
                entry(0)
                entry(1)
                entry(-1)  // missing
            case .number(let fieldEdges):
                step.kind = .number
                step.edgeStart = Int32(edges.count)
                step.edgeCount = Int32(fieldEdges.count)
                edges += fieldEdges
                for bin in 0...fieldEdges.count { entry(Int32(bin)) }
            case .stage:
                step.kind = .stage
            }
            steps.append(step)
        }
        self.steps = steps
        self.weights = weights
        self.ids = ids
        self.edges = edges
        prior = predictor.prior
        stageWeight = predictor.stageWeight
        stageDecides = predictor.stageDecides
        stagePosition = fields.pathPosition
        initialStage = fields.initialStage
        hasStages = fields.hasStages
    }

    /// The hot loop: probabilities of the leads in `range`.
    func probabilities(_ range: Range<Int>, _ batch: LeadBatch, _ out: UnsafeMutableBufferPointer<Double>) {
        let prior = self.prior
        guard !prior.isNaN else {
            for i in range { out[i] = .nan }
            return
        }
        let (numbers, bools, strings) = (batch.numbers.buffer, batch.bools.buffer, batch.strings.buffer)
        let (setRanges, setMembers, leadStages) = (batch.setRanges.buffer, batch.setMembers.buffer, batch.stages)
        let widths = batch.widths
        let setWidth = widths.strings * 2
        steps.withUnsafeBufferPointer { steps in
            weights.withUnsafeBufferPointer { weights in
                edges.withUnsafeBufferPointer { edges in
                    stageWeight.withUnsafeBufferPointer { stageWeight in
                        stageDecides.withUnsafeBufferPointer { stageDecides in
                            for i in range {
                                var stage = -1
                                if hasStages {
                                    let named = leadStages[i]
                                    stage = Int(named >= 0 ? named : initialStage)
                                    let decided = stageDecides[stage]
                                    if !decided.isNaN {
                                        out[i] = decided
                                        continue
                                    }
                                }
                                var x = prior
                                for step in steps {
                                    let table = Int(step.table)
                                    let slot = Int(step.slot)
                                    switch step.kind {
                                    case .string:
                                        x += weights[table + Int(strings[i &* widths.string &+ slot]) &+ 1]
                                    case .bool:
                                        x += weights[table + Int(bools[i &* widths.bool &+ slot])]
                                    case .number:
                                        let value = numbers[i &* widths.number &+ slot]
                                        if value == value {
                                            let fieldEdges = UnsafeBufferPointer(
                                                rebasing: edges[Int(step.edgeStart)..<Int(step.edgeStart + step.edgeCount)])
                                            x += weights[table + WinFields.bin(value, fieldEdges)]
                                        }
                                    case .strings:
                                        let at = i &* setWidth &+ slot &* 2
                                        let start = Int(setRanges[at])
                                        let count = Int(setRanges[at + 1])
                                        var k = 0
                                        while k < count {
                                            let symbol = setMembers[start + k]
                                            var repeated = false
                                            var j = 0
                                            while j < k {
                                                if setMembers[start + j] == symbol {
                                                    repeated = true
                                                    break
                                                }
                                                j += 1
                                            }
                                            if !repeated { x += weights[table + Int(symbol) &+ 1] }
                                            k += 1
                                        }
                                    case .stage:
                                        x += stageWeight[stage]
                                    }
                                }
                                out[i] = WinPredictor.probability(x)
                            }
                        }
                    }
                }
            }
        }
    }

    /// One lead's prediction with its factors; adds what ``probabilities`` adds, in the same order.
    func prediction(_ i: Int, _ batch: LeadBatch, _ predictor: WinPredictor) -> WinPrediction {
        guard !prior.isNaN else { return WinPrediction(probability: nil, factors: []) }
        var stage = -1
        if hasStages {
            let named = batch.stages[i]
            stage = Int(named >= 0 ? named : initialStage)
            if !stageDecides[stage].isNaN { return WinPrediction(probability: stageDecides[stage], factors: []) }
        }
        var x = prior
        var factors: [(field: Int, id: Int, weight: Double)] = []
        func add(_ step: Step, _ entry: Int) {
            let at = Int(step.table) + entry
            x += weights[at]
            if ids[at] >= 0 { factors.append((Int(step.field), Int(ids[at]), weights[at])) }
        }
        let widths = batch.widths
        for step in steps {
            let slot = Int(step.slot)
            switch step.kind {
            case .string:
                add(step, Int(batch.strings[i * widths.string + slot]) + 1)
            case .bool:
                add(step, Int(batch.bools[i * widths.bool + slot]))
            case .number:
                let value = batch.numbers[i * widths.number + slot]
                if !value.isNaN {
                    let bin = edges.withUnsafeBufferPointer {
                        WinFields.bin(value, UnsafeBufferPointer(rebasing: $0[Int(step.edgeStart)..<Int(step.edgeStart + step.edgeCount)]))
                    }
                    add(step, bin)
                }
            case .strings:
                let at = i * widths.strings * 2 + slot * 2
                let start = Int(batch.setRanges[at])
                let count = Int(batch.setRanges[at + 1])
                var seen: [Int32] = []
                for k in 0..<max(0, count) {
                    let symbol = batch.setMembers[start + k]
                    if seen.contains(symbol) { continue }
                    seen.append(symbol)
                    add(step, Int(symbol) + 1)
                }
            case .stage:
                x += stageWeight[stage]
                let position = stagePosition[stage]
                let counts = predictor.winModel.counts[Int(step.field)]
                if position >= 0, counts.won[Int(position)] + counts.lost[Int(position)] > 0 {
                    factors.append((Int(step.field), Int(position), stageWeight[stage]))
                }
            }
        }
        return WinPrediction(probability: WinPredictor.probability(x), factors: predictor.explain(factors))
    }
}
