/// A loaded, validated and compiled model: immutable, cheap to copy, safe to
/// share between threads.
///
/// ```swift
/// let model = try Model(json: text)
/// let result = try model.score(lead, at: now)
/// ```
///
/// The C ABI's `funnel_model`; `funnel_model_free` has no counterpart, as the
/// last copy going away releases it.
public struct Model: Sendable {
    let compiled: CompiledModel
    /// Scratch memory for scoring one lead at a time, shared by the copies
    /// of this value (see ``OneLeadPool``).
    let oneLead = OneLeadPool()

    /// Validates `definition` completely and compiles it.
    ///
    /// - Throws: ``ModelError`` with every fault and its JSON path.
    public init(_ definition: ModelDefinition) throws(ModelError) {
        compiled = try ModelCompiler.compile(definition)
    }

    /// Reads, validates and compiles a `funnel.model/1` document. The C ABI's
    /// `funnel_model_load`.
    ///
    /// - Throws: ``ModelError`` with every fault, in document order.
    public init(json text: String) throws(ModelError) {
        try self.init(jsonValue: ModelError.parsing { () throws(JSONParseError) in try JSONParser.parse(text) })
    }

    /// Like ``init(json:)`` from UTF-8 bytes (invalid UTF-8 is a fault), as
    /// `funnel_model_load` takes them.
    public init(jsonBytes bytes: [UInt8]) throws(ModelError) {
        try self.init(jsonValue: ModelError.parsing { () throws(JSONParseError) in try JSONParser.parse(bytes) })
    }

    /// Reads and compiles a parsed document; faults come out in document order
    /// whichever check found them.
    package init(jsonValue value: JSONValue) throws(ModelError) {
        do {
            try self.init(ModelDefinition(jsonValue: value))
        } catch {
            throw ModelError(faults: error.faults.inDocumentOrder(of: value))
        }
    }

    /// The definition this model was compiled from.
    public var definition: ModelDefinition { compiled.definition }
    /// The model's `name`, if it has one. The C ABI's `funnel_model_name`.
    public var name: String? { compiled.definition.name }
    /// Declared attributes, in declaration order. The C ABI's
    /// `funnel_model_attribute_count`, `_name` and `_type`.
    public var attributes: [AttributeDeclaration] { compiled.definition.attributes }
    /// Criterion names, in declaration order. The C ABI's
    /// `funnel_model_criterion_count` and `funnel_model_criterion_name`.
    public var criterionNames: [String] { compiled.criterionNames }
    /// Stage ids in `list` order; empty for a model without stages. The C ABI's
    /// `funnel_model_stage_count` and `funnel_model_stage_id`.
    public var stageIDs: [String] { compiled.stages?.ids ?? [] }
    /// The initial stage, or `nil` for a model without stages.
    public var initialStage: String? { compiled.stages.map { $0.ids[Int($0.initial)] } }
}
