import Funnel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a `funnel_model *` points to: the model and the C strings that
/// introspection hands out, owned here and freed with the handle.
final class ModelHandle {
    let model: Model
    let name: UnsafeMutablePointer<CChar>?
    let attributeNames: [UnsafeMutablePointer<CChar>?]
    let criterionNames: [UnsafeMutablePointer<CChar>?]
    let stageIDs: [UnsafeMutablePointer<CChar>?]
    let gradeNames: [UnsafeMutablePointer<CChar>?]
    let engagementNames: [UnsafeMutablePointer<CChar>?]
    init(_ model: Model) {
        self.model = model
        name = model.name.flatMap { makeCString($0) }
        attributeNames = model.attributes.map { makeCString($0.name) }
        criterionNames = model.criterionNames.map { makeCString($0) }
        stageIDs = model.stageIDs.map { makeCString($0) }
        gradeNames = model.definition.scoring.grades.map { makeCString($0.grade) }
        engagementNames = model.definition.scoring.engagement.map { makeCString($0.level) }
    }

    deinit {
        free(name)
        for p in attributeNames + criterionNames + stageIDs + gradeNames + engagementNames { free(p) }
    }

    static func from(_ pointer: OpaquePointer?) throws(Failure) -> ModelHandle {
        guard let pointer else { throw Failure(.argument, "model is NULL") }
        return Unmanaged<ModelHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    /// A non-throwing look-up for the introspection functions.
    static func peek(_ pointer: OpaquePointer?) -> ModelHandle? {
        guard let pointer else { return nil }
        return Unmanaged<ModelHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }
}

/// Parses and compiles a model document, telling malformed JSON from a bad model.
func loadModel(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> Model {
    let value = try parseJSON(bytes)
    do {
        return try Model(jsonValue: value)
    } catch {
        throw Failure(.invalid, error.faults.map(\.description).joined(separator: "\n"))
    }
}

private func deliver(_ model: Model, to out: UnsafeMutablePointer<OpaquePointer?>) {
    out.pointee = OpaquePointer(Unmanaged.passRetained(ModelHandle(model)).toOpaque())
}

/// `funnel_model_load`: validates and compiles a model document.
@_cdecl("funnel_model_load")
public func funnel_model_load(
    _ json: UnsafePointer<CChar>?, _ length: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    guarded("funnel_model_load") { () throws(Failure) in
        let out = try Check.out(out, "out")
        let bytes = try Check.bytes(json, length, "json")
        deliver(try loadModel(bytes), to: out)
    }
}

/// `funnel_model_load_default`: the embedded default model.
@_cdecl("funnel_model_load_default")
public func funnel_model_load_default(_ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded("funnel_model_load_default") { () throws(Failure) in
        let out = try Check.out(out, "out")
        let model = try Model.defaultModelJSON.utf8CString.withUnsafeBufferPointer { p throws(Failure) in
            try loadModel(UnsafeRawBufferPointer(start: p.baseAddress, count: p.count - 1))
        }
        deliver(model, to: out)
    }
}

/// `funnel_model_free`: releases a model; NULL is a no-op.
@_cdecl("funnel_model_free")
public func funnel_model_free(_ model: OpaquePointer?) {
    guard let model else { return }
    Unmanaged<ModelHandle>.fromOpaque(UnsafeRawPointer(model)).release()
}

@_cdecl("funnel_model_name")
public func funnel_model_name(_ model: OpaquePointer?) -> UnsafePointer<CChar>? {
    ModelHandle.peek(model)?.name.map { UnsafePointer($0) }
}

@_cdecl("funnel_model_attribute_count")
public func funnel_model_attribute_count(_ model: OpaquePointer?) -> Int {
    ModelHandle.peek(model)?.attributeNames.count ?? 0
}

@_cdecl("funnel_model_attribute_name")
public func funnel_model_attribute_name(_ model: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    element(ModelHandle.peek(model)?.attributeNames, index)
}

/// `funnel_model_attribute_type`: FUNNEL_ATTR_* or FUNNEL_ATTR_NONE (-1).
@_cdecl("funnel_model_attribute_type")
public func funnel_model_attribute_type(_ model: OpaquePointer?, _ index: Int) -> Int32 {
    guard let attributes = ModelHandle.peek(model)?.model.attributes, index >= 0, index < attributes.count else {
        return -1
    }
    switch attributes[index].type {
    case .string: return 0
    case .number: return 1
    case .bool: return 2
    case .strings: return 3
    }
}

@_cdecl("funnel_model_criterion_count")
public func funnel_model_criterion_count(_ model: OpaquePointer?) -> Int {
    ModelHandle.peek(model)?.criterionNames.count ?? 0
}

@_cdecl("funnel_model_criterion_name")
public func funnel_model_criterion_name(_ model: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    element(ModelHandle.peek(model)?.criterionNames, index)
}

@_cdecl("funnel_model_stage_count")
public func funnel_model_stage_count(_ model: OpaquePointer?) -> Int {
    ModelHandle.peek(model)?.stageIDs.count ?? 0
}

@_cdecl("funnel_model_stage_id")
public func funnel_model_stage_id(_ model: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    element(ModelHandle.peek(model)?.stageIDs, index)
}

@_cdecl("funnel_model_grade_count")
public func funnel_model_grade_count(_ model: OpaquePointer?) -> Int {
    ModelHandle.peek(model)?.gradeNames.count ?? 0
}

@_cdecl("funnel_model_grade_name")
public func funnel_model_grade_name(_ model: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    element(ModelHandle.peek(model)?.gradeNames, index)
}

@_cdecl("funnel_model_engagement_count")
public func funnel_model_engagement_count(_ model: OpaquePointer?) -> Int {
    ModelHandle.peek(model)?.engagementNames.count ?? 0
}

@_cdecl("funnel_model_engagement_name")
public func funnel_model_engagement_name(_ model: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    element(ModelHandle.peek(model)?.engagementNames, index)
}

private func element(_ list: [UnsafeMutablePointer<CChar>?]?, _ index: Int) -> UnsafePointer<CChar>? {
    guard let list, index >= 0, index < list.count else { return nil }
    return list[index].map { UnsafePointer($0) }
}
