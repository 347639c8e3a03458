/// The win model's fields for one model (SPEC §14), and how a lead's
/// (field, value) pairs are read from it.
///
/// Fields are the `predict` section's (by default every string, bool and
/// strings attribute and every number attribute with bins), in the order the
/// model declares the attributes, then `stage` when the model has stages.
/// Values:
/// - string: the comparison key (SPEC §3) of the value;
/// - bool: `"true"` or `"false"`;
/// - strings: each member's comparison key, each a value of the field, a
///   repeated member once;
/// - number with bins e₁ < … < eₖ: `"< e₁"`, `"[eᵢ, eᵢ₊₁)"` or `">= eₖ"`,
///   numbers written as JSON writes them;
/// - `stage`: a path stage (SPEC §12). An open lead's value is the stage it is
///   in (its `stage`, else the initial stage) when that is a path stage; a
///   stage off the path and without an outcome (nurture) gives no value.
///
/// A missing attribute (absent or `null`) gives no value.
struct WinFields: Sendable {
    /// The name of the funnel-stage field.
    static let stageField = "stage"

    enum Kind: Sendable, Hashable {
        case string, bool, strings
        case number(edges: [Double])
        case stage
    }

    struct Field: Sendable {
        var name: String
        var kind: Kind
        /// The attribute's declaration index; -1 for `stage`.
        var attribute: Int
        /// The attribute's slot among its type's columns in a batch; -1 for `stage`.
        var slot: Int
        /// The values known in advance, in the order they are written: bool
        /// `false`, `true`; bins in order; path stages in path order. Empty for
        /// string and strings fields, whose values are learnt.
        var fixedValues: [String]
    }

    let fields: [Field]
    /// Per declared attribute, its field's index; -1 when it is not a field.
    let fieldOfAttribute: [Int]
    let index: [String: Int]
    /// The funnel's path: stage indices (into the model's `list`).
    let path: [Int32]
    /// Per stage of the model, its position on the path, or -1.
    let pathPosition: [Int32]
    /// Per stage of the model, its outcome.
    let outcomes: [Outcome?]
    let stageIndex: [String: Int32]
    let initialStage: Int32
    /// The index of the `stage` field, or -1 when it is not a field.
    let stageFieldIndex: Int
    let hasStages: Bool
    let minExamples: Int
    let maxFactors: Int

    /// The fields of a compiled (so valid) model.
    init(_ model: CompiledModel) {
        let definition = model.definition
        let settings = definition.predict ?? PredictSettings()
        let hasStages = model.stages != nil
        let listed = settings.fields.map(Set.init)
        var fields: [Field] = []
        var seen: Set<String> = []
        for (i, attribute) in definition.attributes.enumerated() {
            guard seen.insert(attribute.name).inserted else { continue }
            // With stages, `stage` names the funnel stage, not an attribute.
            if hasStages && attribute.name == Self.stageField { continue }
            if let listed, !listed.contains(attribute.name) { continue }
            let slot = Int(model.attributes.slots[i])
            switch attribute.type {
            case .string:
                fields.append(Field(name: attribute.name, kind: .string, attribute: i, slot: slot, fixedValues: []))
            case .bool:
                fields.append(
                    Field(name: attribute.name, kind: .bool, attribute: i, slot: slot, fixedValues: ["false", "true"]))
            case .strings:
                fields.append(Field(name: attribute.name, kind: .strings, attribute: i, slot: slot, fixedValues: []))
            case .number:
                guard let edges = settings.bins[attribute.name], !edges.isEmpty else { continue }
                fields.append(
                    Field(
                        name: attribute.name, kind: .number(edges: edges), attribute: i, slot: slot,
                        fixedValues: Self.binLabels(edges)))
            }
        }
        var path: [Int32] = []
        var pathPosition: [Int32] = []
        var stageFieldIndex = -1
        if let stages = model.stages {
            path = stages.path  // SPEC §12's path: the explicit one, else the default
            pathPosition = [Int32](repeating: -1, count: stages.list.count)
            for (k, stage) in path.enumerated() { pathPosition[Int(stage)] = Int32(k) }
            if listed?.contains(Self.stageField) ?? true {
                stageFieldIndex = fields.count
                fields.append(
                    Field(
                        name: Self.stageField, kind: .stage, attribute: -1, slot: -1,
                        fixedValues: path.map { stages.ids[Int($0)] }))
            }
        }
        var index: [String: Int] = [:]
        var fieldOfAttribute = [Int](repeating: -1, count: definition.attributes.count)
        for (k, field) in fields.enumerated() {
            index[field.name] = k
            if field.attribute >= 0 { fieldOfAttribute[field.attribute] = k }
        }
        self.fields = fields
        self.fieldOfAttribute = fieldOfAttribute
        self.index = index
        self.path = path
        self.pathPosition = pathPosition
        outcomes = model.stages?.outcomes ?? []
        stageIndex = model.stages?.index ?? [:]
        initialStage = model.stages?.initial ?? -1
        self.stageFieldIndex = stageFieldIndex
        self.hasStages = hasStages
        minExamples = settings.minExamples ?? PredictSettings.defaultMinExamples
        maxFactors = settings.maxFactors ?? PredictSettings.defaultMaxFactors
    }

    /// `"< e₁"`, `"[e₁, e₂)"`, …, `">= eₖ"`.
    static func binLabels(_ edges: [Double]) -> [String] {
        var labels = ["< " + formatNumber(edges[0])]
        for k in 1..<max(1, edges.count) {
            labels.append("[\(formatNumber(edges[k - 1])), \(formatNumber(edges[k])))")
        }
        labels.append(">= " + formatNumber(edges[edges.count - 1]))
        return labels
    }

    /// The bin of `x`: how many edges are ≤ x (0 … k).
    @inline(__always)
    static func bin(_ x: Double, _ edges: UnsafeBufferPointer<Double>) -> Int {
        var low = 0
        var high = edges.count
        while low < high {
            let mid = (low + high) >> 1
            if edges[mid] <= x { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The stage a lead stands in: the one it names (checked), else the initial one.
    func stage(of lead: Lead, _ model: CompiledModel) throws(LeadError) -> Int32 {
        let named = try model.checkedStage(lead.stage)
        return named >= 0 ? named : initialStage
    }
}

/// One (field, value) of a lead before it is looked up in a win model's
/// counts: a value known in advance by its number, or a string value by its
/// text as the lead gives it (its comparison key is the value).
struct FieldValue: Sendable {
    var field: Int
    /// The value's number among the field's fixed values, or -1.
    var fixed: Int32
    /// A string or strings value as written; empty for fixed values.
    var text: String
}

extension WinFields {
    /// The lead's attribute values (SPEC §14), field by field, in order, a
    /// strings attribute's members as written (the caller keeps a member
    /// whose comparison key repeats once); `stage` is left to the caller, as
    /// examples and open leads differ there. Checks every declared
    /// attribute's type, as scoring does.
    func attributeValues(of lead: Lead, _ model: CompiledModel) throws(LeadError) -> [FieldValue] {
        let values = try model.checkedAttributes(lead)
        var out: [FieldValue] = []
        out.reserveCapacity(fields.count + 2)
        for (f, field) in fields.enumerated() where field.attribute >= 0 {
            switch (field.kind, values[field.attribute]) {
            case (.string, .string(let text)?):
                out.append(FieldValue(field: f, fixed: -1, text: text))
            case (.bool, .bool(let b)?):
                out.append(FieldValue(field: f, fixed: b ? 1 : 0, text: ""))
            case (.number(let edges), .number(let x)?):
                let bin = edges.withUnsafeBufferPointer { Self.bin(x, $0) }
                out.append(FieldValue(field: f, fixed: Int32(bin), text: ""))
            case (.strings, .strings(let members)?):
                for member in members { out.append(FieldValue(field: f, fixed: -1, text: member)) }
            default:
                continue
            }
        }
        return out
    }
}

/// Drops the entries after the first of each (field, id), and those with id
/// -1 (values never seen); the order is kept. Only strings fields can repeat.
func firstOfEach(_ values: [FieldValue], _ ids: inout [Int32]) -> [FieldValue] {
    // Most leads: every value seen, no field twice. Nothing to drop.
    var plain = true
    for k in values.indices where ids[k] < 0 || (k > 0 && values[k].field == values[k - 1].field) {
        plain = false
        break
    }
    if plain { return values }
    var kept: [FieldValue] = []
    var keptIDs: [Int32] = []
    kept.reserveCapacity(values.count)
    keptIDs.reserveCapacity(values.count)
    for (k, value) in values.enumerated() where ids[k] >= 0 {
        var repeated = false
        var j = keptIDs.count - 1
        while j >= 0 && kept[j].field == value.field {
            if keptIDs[j] == ids[k] {
                repeated = true
                break
            }
            j -= 1
        }
        if repeated { continue }
        kept.append(value)
        keptIDs.append(ids[k])
    }
    ids = keptIDs
    return kept
}
