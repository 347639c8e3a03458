/// A win model (SPEC §14): how many closed leads were won and lost, and for
/// each (field, value) how many of each had it — a naive Bayes over attribute
/// values and funnel stages, learnt incrementally.
///
/// ```swift
/// var win = WinModel(model: model)
/// try win.learn(WinExample(lead, outcome: .lost, stage: "sql"))
/// let prediction = try win.predict(openLead)   // probability and factors
/// let document = win.json                      // funnel.winmodel/1
/// ```
///
/// A value type: learning mutates this copy only. A win model belongs to the
/// ``Model`` it was made for (its fields come from the model's `predict`
/// section). The C ABI's `funnel_winmodel` (which is immutable once loaded).
///
/// - Complexity: learning or forgetting an example is O(attributes + values);
///   ``predictor`` is O(values learnt).
public struct WinModel: Sendable {
    /// The model whose leads this win model reads.
    public let model: Model
    let fields: WinFields
    /// The number of won examples learnt.
    public internal(set) var won = 0
    /// The number of lost examples learnt.
    public internal(set) var lost = 0
    /// Per field, its values and their counts.
    var counts: [ValueCounts]

    /// An empty win model for `model`'s `predict` fields.
    public init(model: Model) {
        self.model = model
        fields = WinFields(model.compiled)
        counts = fields.fields.map { ValueCounts(fixed: $0.fixedValues) }
    }

    /// The fields, in order: the attributes in declaration order, then `stage`.
    public var fieldNames: [String] { fields.fields.map(\.name) }

    /// How many won and lost examples had `value` (as written in the win
    /// model document: a comparison key, `"true"`, a bin, a stage id) for `field`.
    public func counts(field: String, value: String) -> (won: Int, lost: Int) {
        guard let f = fields.index[field], let id = counts[f].index[value] else { return (0, 0) }
        return (counts[f].won[Int(id)], counts[f].lost[Int(id)])
    }

    /// Every (field, value) with a count, field by field, in the order the
    /// document writes them.
    public var entries: [(field: String, value: String, won: Int, lost: Int)] {
        var out: [(field: String, value: String, won: Int, lost: Int)] = []
        for (f, field) in fields.fields.enumerated() {
            for id in counts[f].writtenOrder() {
                out.append((field.name, counts[f].values[id], counts[f].won[id], counts[f].lost[id]))
            }
        }
        return out
    }

    /// Adds one closed lead: one to `won` or `lost`, and one to the count of
    /// each of its values. For `stage`, a won example counts for every path
    /// stage, a lost one for every path stage up to and including its `stage`.
    ///
    /// - Throws: ``WinExampleError`` when the lead does not fit the model, or
    ///   a lost example (in a model with stages) has no `stage` or one off the
    ///   path; the win model is then unchanged.
    public mutating func learn(_ example: WinExample) throws(WinExampleError) {
        try learnChecked(example)
    }

    /// Takes back one example learnt before: `forget(x)` after `learn(x)`
    /// gives exactly the win model before.
    ///
    /// - Throws: ``WinExampleError`` when the example could not have been
    ///   learnt (no example of its outcome has one of its values); the win
    ///   model is then unchanged.
    public mutating func forget(_ example: WinExample) throws(WinExampleError) {
        let (read, through) = try read(example)
        let outcome = example.outcome
        guard (outcome == .won ? won : lost) > 0 else {
            throw WinExampleError(path: "outcome", message: "cannot forget: no \(outcome.rawValue) example was learnt")
        }
        var ids: [Int32] = []
        ids.reserveCapacity(read.count)
        for value in read {
            let field = fields.fields[value.field]
            let id = value.fixed >= 0 ? value.fixed : counts[value.field].id(raw: value.text) ?? -1
            guard id >= 0, counts[value.field].count(outcome, Int(id)) > 0 else {
                let text = value.fixed >= 0 ? field.fixedValues[Int(value.fixed)] : comparisonKey(value.text)
                throw WinExampleError(
                    path: "lead.attributes".joined(field.name),
                    message: "cannot forget: no \(outcome.rawValue) example with \(field.name) \"\(text)\" was learnt")
            }
            ids.append(id)
        }
        let values = firstOfEach(read, &ids)
        if fields.stageFieldIndex >= 0 {
            let stages = counts[fields.stageFieldIndex]
            for k in 0..<through where stages.count(outcome, k) == 0 {
                throw WinExampleError(
                    path: "stage",
                    message: "cannot forget: no \(outcome.rawValue) example reached stage \"\(stages.values[k])\"")
            }
        }
        apply(outcome, values, ids, through, -1)
    }

    /// The example's attribute values, and how many path stages it counts for.
    private func read(_ example: WinExample) throws(WinExampleError) -> ([FieldValue], Int) {
        let values: [FieldValue]
        do {
            let compiled = model.compiled
            _ = try compiled.checkedStage(example.lead.stage)
            values = try fields.attributeValues(of: example.lead, compiled)
        } catch {
            throw WinExampleError(path: "lead".joined(error.path), message: error.message)
        }
        guard fields.hasStages else { return (values, 0) }
        return (values, example.outcome == .won ? fields.path.count : try lostThrough(example))
    }

    /// How many path stages a lost example counts for: its `stage` and the ones before it.
    func lostThrough(_ example: WinExample) throws(WinExampleError) -> Int {
        var pathIDs: [String] { fields.path.map { model.stageIDs[Int($0)] } }
        guard let stage = example.stage else {
            throw WinExampleError(
                path: "stage",
                message: "required for a lost example: the last path stage it reached (\(pathIDs.joined(separator: ", ")))")
        }
        guard let index = fields.stageIndex[stage], fields.pathPosition[Int(index)] >= 0 else {
            throw WinExampleError(
                path: "stage",
                message: "\"\(stage)\" is not a stage of the funnel's path (\(pathIDs.joined(separator: ", ")))")
        }
        guard fields.outcomes[Int(index)] != .won else {
            throw WinExampleError(path: "stage", message: "a lost example cannot have reached \"\(stage)\", a won stage")
        }
        return Int(fields.pathPosition[Int(index)]) + 1
    }

    private mutating func apply(
        _ outcome: WinExample.Outcome, _ values: [FieldValue], _ ids: [Int32], _ through: Int, _ delta: Int
    ) {
        switch outcome {
        case .won: won += delta
        case .lost: lost += delta
        }
        for (value, id) in zip(values, ids) { counts[value.field].add(outcome, Int(id), delta) }
        if fields.stageFieldIndex >= 0 {
            for k in 0..<through { counts[fields.stageFieldIndex].add(outcome, k, delta) }
        }
    }
}

extension WinModel: Equatable {
    /// Equal when both have the same fields, the same `won` and `lost`, and the
    /// same counts for every (field, value); values whose counts are both 0
    /// (learnt, then forgotten) are as good as never seen.
    public static func == (a: WinModel, b: WinModel) -> Bool {
        guard a.won == b.won, a.lost == b.lost, a.fieldNames == b.fieldNames,
            a.fields.fixedValuesMatch(b.fields)
        else { return false }
        return a.entries.elementsEqual(b.entries) { $0 == $1 }
    }
}

extension WinFields {
    func fixedValuesMatch(_ other: WinFields) -> Bool {
        fields.elementsEqual(other.fields) { $0.fixedValues == $1.fixedValues }
    }
}

/// One field's values and, per value, how many won and lost examples had it.
struct ValueCounts: Sendable {
    /// Value (a comparison key, or a fixed value's text) → its number.
    var index: [String: Int32] = [:]
    /// Text as leads write it → the number of its comparison key: a cache, so
    /// that a spelling seen before costs one look-up, not a comparison key.
    var rawIndex: [String: Int32] = [:]
    var values: [String] = []
    var won: [Int] = []
    var lost: [Int] = []
    /// How many of the first values are fixed (written in their own order).
    let fixedCount: Int

    init(fixed: [String]) {
        fixedCount = fixed.count
        for value in fixed { _ = intern(value) }
    }

    /// The number of the value that `raw` (a lead's text) has, if known.
    func id(raw: String) -> Int32? {
        if let id = rawIndex[raw] { return id }
        return index[comparisonKey(raw)]
    }

    /// The number of the value that `raw` (a lead's text) has, added with no
    /// counts when new.
    mutating func intern(raw: String) -> Int32 {
        if let id = rawIndex[raw] { return id }
        let id = intern(comparisonKey(raw))
        rawIndex[raw] = id
        return id
    }

    /// The number of `key`, added with no counts when new.
    mutating func intern(_ key: String) -> Int32 {
        if let id = index[key] { return id }
        let id = Int32(values.count)
        index[key] = id
        values.append(key)
        won.append(0)
        lost.append(0)
        return id
    }

    func count(_ outcome: WinExample.Outcome, _ id: Int) -> Int {
        outcome == .won ? won[id] : lost[id]
    }

    mutating func add(_ outcome: WinExample.Outcome, _ id: Int, _ delta: Int) {
        switch outcome {
        case .won: won[id] += delta
        case .lost: lost[id] += delta
        }
    }

    /// The values with a count, as the document writes them: fixed values in
    /// their order, learnt ones by code point.
    func writtenOrder() -> [Int] {
        let fixed = (0..<fixedCount).filter { won[$0] + lost[$0] > 0 }
        let learnt = (fixedCount..<values.count).filter { won[$0] + lost[$0] > 0 }
            .sorted { values[$0].utf8.lexicographicallyPrecedes(values[$1].utf8) }
        return fixed + learnt
    }
}
