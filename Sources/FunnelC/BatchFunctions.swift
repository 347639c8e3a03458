import Funnel

/// What a `funnel_batch *` points to. Filling needs exclusive access (the
/// header says so); scoring only reads, from any number of threads.
final class BatchHandle {
    var batch: LeadBatch
    init(_ batch: LeadBatch) { self.batch = batch }

    static func from(_ pointer: OpaquePointer?) throws(Failure) -> BatchHandle {
        guard let pointer else { throw Failure(.argument, "batch is NULL") }
        return Unmanaged<BatchHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }
}

/// Runs a column setter, turning its refusal into FUNNEL_E_ARGUMENT, or
/// FUNNEL_E_LIMIT when the batch is full.
private func fill(_ handle: BatchHandle, _ body: (inout LeadBatch) throws(ColumnError) -> Void) throws(Failure) {
    do {
        try body(&handle.batch)
    } catch {
        throw Failure(error.isLimit ? .limit : .argument, error.message)
    }
}

@_cdecl("funnel_batch_new")
public func funnel_batch_new(_ model: OpaquePointer?, _ count: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?)
    -> Int32
{
    guarded("funnel_batch_new") { () throws(Failure) in
        let out = try Check.out(out, "out")
        let handle = try ModelHandle.from(model)
        guard count >= 0, count <= LeadBatch.maxLeads else {
            throw Failure(.limit, "lead_count must be at most \(LeadBatch.maxLeads)")
        }
        let batch: LeadBatch
        do throws(ColumnError) {
            batch = try LeadBatch(model: handle.model, count: count)
        } catch {
            throw Failure(.limit, error.message)
        }
        out.pointee = OpaquePointer(Unmanaged.passRetained(BatchHandle(batch)).toOpaque())
    }
}

@_cdecl("funnel_batch_free")
public func funnel_batch_free(_ batch: OpaquePointer?) {
    guard let batch else { return }
    Unmanaged<BatchHandle>.fromOpaque(UnsafeRawPointer(batch)).release()
}

@_cdecl("funnel_batch_lead_count")
public func funnel_batch_lead_count(_ batch: OpaquePointer?) -> Int {
    guard let batch else { return 0 }
    return Unmanaged<BatchHandle>.fromOpaque(UnsafeRawPointer(batch)).takeUnretainedValue().batch.count
}

@_cdecl("funnel_batch_set_numbers")
public func funnel_batch_set_numbers(
    _ batch: OpaquePointer?, _ attribute: UnsafePointer<CChar>?, _ values: UnsafePointer<Double>?, _ count: Int
) -> Int32 {
    guarded("funnel_batch_set_numbers") { () throws(Failure) in
        let handle = try BatchHandle.from(batch)
        let name = try Check.string(attribute, "attribute")
        let values = try Check.array(values, count, "values")
        try fill(handle) { (batch: inout LeadBatch) throws(ColumnError) in try batch.setNumbers(name, values) }
    }
}

@_cdecl("funnel_batch_set_bools")
public func funnel_batch_set_bools(
    _ batch: OpaquePointer?, _ attribute: UnsafePointer<CChar>?, _ values: UnsafePointer<Int8>?, _ count: Int
) -> Int32 {
    guarded("funnel_batch_set_bools") { () throws(Failure) in
        let handle = try BatchHandle.from(batch)
        let name = try Check.string(attribute, "attribute")
        let values = try Check.array(values, count, "values")
        try fill(handle) { (batch: inout LeadBatch) throws(ColumnError) in try batch.setBools(name, values) }
    }
}

@_cdecl("funnel_batch_set_strings")
public func funnel_batch_set_strings(
    _ batch: OpaquePointer?, _ attribute: UnsafePointer<CChar>?,
    _ dictionary: UnsafePointer<UnsafePointer<CChar>?>?, _ dictionaryCount: Int,
    _ ids: UnsafePointer<Int32>?, _ count: Int
) -> Int32 {
    guarded("funnel_batch_set_strings") { () throws(Failure) in
        let handle = try BatchHandle.from(batch)
        let name = try Check.string(attribute, "attribute")
        let words = try Check.dictionary(dictionary, dictionaryCount, "dictionary")
        let ids = try Check.array(ids, count, "ids")
        try fill(handle) { (batch: inout LeadBatch) throws(ColumnError) in
            try batch.setStrings(name, dictionary: words, ids: ids)
        }
    }
}

@_cdecl("funnel_batch_set_string_sets")
public func funnel_batch_set_string_sets(
    _ batch: OpaquePointer?, _ attribute: UnsafePointer<CChar>?,
    _ dictionary: UnsafePointer<UnsafePointer<CChar>?>?, _ dictionaryCount: Int,
    _ offsets: UnsafePointer<Int64>?, _ memberIDs: UnsafePointer<Int32>?, _ memberCount: Int,
    _ present: UnsafePointer<UInt8>?, _ count: Int
) -> Int32 {
    guarded("funnel_batch_set_string_sets") { () throws(Failure) in
        let handle = try BatchHandle.from(batch)
        let name = try Check.string(attribute, "attribute")
        let words = try Check.dictionary(dictionary, dictionaryCount, "dictionary")
        guard count >= 0, count < Int.max else { throw Failure(.argument, "count is too large") }
        let offsets = try Check.array(offsets, count + 1, "offsets")
        let members = try Check.array(memberIDs, memberCount, "member_ids")
        let present = present == nil ? nil : try Check.array(present, count, "present")
        try fill(handle) { (batch: inout LeadBatch) throws(ColumnError) in
            try batch.setStringSets(name, dictionary: words, offsets: offsets, memberIDs: members, present: present)
        }
    }
}

@_cdecl("funnel_batch_set_events")
public func funnel_batch_set_events(
    _ batch: OpaquePointer?, _ eventTypes: UnsafePointer<UnsafePointer<CChar>?>?, _ typeCount: Int,
    _ eventLead: UnsafePointer<UInt32>?, _ eventType: UnsafePointer<Int32>?, _ eventAt: UnsafePointer<Double>?,
    _ eventCount: Int, _ property: UnsafePointer<CChar>?, _ propertyValues: UnsafePointer<Double>?
) -> Int32 {
    guarded("funnel_batch_set_events") { () throws(Failure) in
        let handle = try BatchHandle.from(batch)
        let e = try EventArguments(eventTypes, typeCount, eventLead, eventType, eventAt, eventCount, property, propertyValues)
        try fill(handle) { (batch: inout LeadBatch) throws(ColumnError) in
            try batch.setEvents(types: e.types, lead: e.lead, type: e.type, at: e.at, property: e.property, values: e.values)
        }
    }
}

@_cdecl("funnel_batch_score")
public func funnel_batch_score(
    _ batch: OpaquePointer?, _ asOf: Double, _ fit: UnsafeMutablePointer<Double>?,
    _ behavior: UnsafeMutablePointer<Double>?, _ total: UnsafeMutablePointer<Double>?,
    _ grade: UnsafeMutablePointer<Int32>?, _ count: Int
) -> Int32 {
    score(batch, asOf, fit, behavior, total, grade, count, threads: 0, "funnel_batch_score")
}

@_cdecl("funnel_batch_score_threads")
public func funnel_batch_score_threads(
    _ batch: OpaquePointer?, _ asOf: Double, _ fit: UnsafeMutablePointer<Double>?,
    _ behavior: UnsafeMutablePointer<Double>?, _ total: UnsafeMutablePointer<Double>?,
    _ grade: UnsafeMutablePointer<Int32>?, _ count: Int, _ threads: UInt32
) -> Int32 {
    score(batch, asOf, fit, behavior, total, grade, count, threads: Int(threads), "funnel_batch_score_threads")
}

/// `funnel_batch_score_threads` plus each lead's engagement level (SPEC §13).
@_cdecl("funnel_batch_score_levels")
public func funnel_batch_score_levels(
    _ batch: OpaquePointer?, _ asOf: Double, _ fit: UnsafeMutablePointer<Double>?,
    _ behavior: UnsafeMutablePointer<Double>?, _ total: UnsafeMutablePointer<Double>?,
    _ grade: UnsafeMutablePointer<Int32>?, _ engagement: UnsafeMutablePointer<Int32>?, _ count: Int,
    _ threads: UInt32
) -> Int32 {
    score(
        batch, asOf, fit, behavior, total, grade, count, threads: Int(threads), "funnel_batch_score_levels",
        engagement: engagement)
}

private func score(
    _ batch: OpaquePointer?, _ asOf: Double, _ fit: UnsafeMutablePointer<Double>?,
    _ behavior: UnsafeMutablePointer<Double>?, _ total: UnsafeMutablePointer<Double>?,
    _ grade: UnsafeMutablePointer<Int32>?, _ count: Int, threads: Int, _ function: StaticString,
    engagement: UnsafeMutablePointer<Int32>? = nil
) -> Int32 {
    guarded(function) { () throws(Failure) in
        let handle = try BatchHandle.from(batch)
        let asOf = try Check.instant(asOf)
        let leads = handle.batch
        let out = try ScoreOutputs(fit, behavior, total, grade, engagement, count: count, of: leads)
        leads.scores(
            at: asOf, threads: threads > 0 ? threads : defaultThreadCount, fit: out.fit, behavior: out.behavior,
            total: out.total, grade: out.grade, engagement: out.engagement)
    }
}

/// One shot: the batch scored with the given events, which it does not keep.
@_cdecl("funnel_batch_score_events")
public func funnel_batch_score_events(
    _ batch: OpaquePointer?, _ eventTypes: UnsafePointer<UnsafePointer<CChar>?>?, _ typeCount: Int,
    _ eventLead: UnsafePointer<UInt32>?, _ eventType: UnsafePointer<Int32>?, _ eventAt: UnsafePointer<Double>?,
    _ eventCount: Int, _ property: UnsafePointer<CChar>?, _ propertyValues: UnsafePointer<Double>?, _ asOf: Double,
    _ fit: UnsafeMutablePointer<Double>?, _ behavior: UnsafeMutablePointer<Double>?,
    _ total: UnsafeMutablePointer<Double>?, _ grade: UnsafeMutablePointer<Int32>?,
    _ engagement: UnsafeMutablePointer<Int32>?, _ count: Int, _ threads: UInt32
) -> Int32 {
    guarded("funnel_batch_score_events") { () throws(Failure) in
        let handle = try BatchHandle.from(batch)
        let e = try EventArguments(eventTypes, typeCount, eventLead, eventType, eventAt, eventCount, property, propertyValues)
        let asOf = try Check.instant(asOf)
        let scored = handle.batch
        let out = try ScoreOutputs(fit, behavior, total, grade, engagement, count: count, of: scored)
        do throws(ColumnError) {
            try scored.scores(
                at: asOf, types: e.types, lead: e.lead, type: e.type, eventAt: e.at, property: e.property, values: e.values,
                threads: threads > 0 ? Int(threads) : defaultThreadCount, fit: out.fit, behavior: out.behavior,
                total: out.total, grade: out.grade, engagement: out.engagement)
        } catch {
            throw Failure(error.isLimit ? .limit : .argument, error.message)
        }
    }
}

@_cdecl("funnel_batch_set_strings_text")
public func funnel_batch_set_strings_text(
    _ batch: OpaquePointer?, _ attribute: UnsafePointer<CChar>?, _ text: UnsafePointer<CChar>?, _ textLength: Int,
    _ present: UnsafePointer<UInt8>?, _ count: Int
) -> Int32 {
    guarded("funnel_batch_set_strings_text") { () throws(Failure) in
        let handle = try BatchHandle.from(batch)
        let name = try Check.string(attribute, "attribute")
        guard count >= 0 else { throw Failure(.argument, "count is too large") }
        // Before `present` is read: a wrong count must not read past the caller's array.
        guard count == handle.batch.count else {
            throw Failure(.argument, "count \(count) does not match the batch's \(handle.batch.count) leads")
        }
        let present = present == nil ? nil : try Check.array(present, count, "present")
        let given = present.map { $0.reduce(0) { $1 != 0 ? $0 + 1 : $0 } } ?? count
        let bytes = textLength == 0 && text == nil ? UnsafeRawBufferPointer(start: nil, count: 0)
            : try Check.bytes(text, textLength, "text")
        let values = try TextValues(bytes, count: given, name: "text")
        // Missing leads take id -1; the others their value's, in order.
        var ids = values.ids
        if let present {
            ids = [Int32](repeating: -1, count: count)
            var next = 0
            for i in 0..<count where present[i] != 0 {
                ids[i] = values.ids[next]
                next += 1
            }
        }
        try fill(handle) { (batch: inout LeadBatch) throws(ColumnError) in
            try batch.setStrings(name, dictionary: values.dictionary, ids: ids)
        }
    }
}

@_cdecl("funnel_batch_set_events_text")
public func funnel_batch_set_events_text(
    _ batch: OpaquePointer?, _ typeText: UnsafePointer<CChar>?, _ typeTextLength: Int,
    _ eventLead: UnsafePointer<UInt32>?, _ eventAt: UnsafePointer<Double>?, _ eventCount: Int,
    _ property: UnsafePointer<CChar>?, _ propertyValues: UnsafePointer<Double>?
) -> Int32 {
    guarded("funnel_batch_set_events_text") { () throws(Failure) in
        let handle = try BatchHandle.from(batch)
        let leads = try Check.array(eventLead, eventCount, "event_lead")
        let times = try Check.array(eventAt, eventCount, "event_at")
        let name = try Check.optionalString(property, "property")
        var values: UnsafeBufferPointer<Double>?
        if name != nil { values = try Check.array(propertyValues, eventCount, "property_values") }
        let bytes = typeTextLength == 0 && typeText == nil ? UnsafeRawBufferPointer(start: nil, count: 0)
            : try Check.bytes(typeText, typeTextLength, "type_text")
        let types = try TextValues(bytes, count: eventCount, name: "type_text")
        try types.ids.withUnsafeBufferPointer { (typeIDs) throws(Failure) in
            try fill(handle) { (batch: inout LeadBatch) throws(ColumnError) in
                try batch.setEvents(
                    types: types.dictionary, lead: leads, type: typeIDs, at: times, property: name, values: values)
            }
        }
    }
}

/// The event columns of `funnel_batch_set_events` and `funnel_batch_score_events`, checked.
private struct EventArguments {
    let types: [String]
    let lead: UnsafeBufferPointer<UInt32>
    let type: UnsafeBufferPointer<Int32>
    let at: UnsafeBufferPointer<Double>
    let property: String?
    let values: UnsafeBufferPointer<Double>?

    init(
        _ eventTypes: UnsafePointer<UnsafePointer<CChar>?>?, _ typeCount: Int, _ eventLead: UnsafePointer<UInt32>?,
        _ eventType: UnsafePointer<Int32>?, _ eventAt: UnsafePointer<Double>?, _ eventCount: Int,
        _ property: UnsafePointer<CChar>?, _ propertyValues: UnsafePointer<Double>?
    ) throws(Failure) {
        types = try Check.dictionary(eventTypes, typeCount, "event_types")
        lead = try Check.array(eventLead, eventCount, "event_lead")
        type = try Check.array(eventType, eventCount, "event_type")
        at = try Check.array(eventAt, eventCount, "event_at")
        self.property = try Check.optionalString(property, "property")
        values = self.property == nil ? nil : try Check.array(propertyValues, eventCount, "property_values")
    }
}

/// The caller's score arrays (any may be NULL), once `count` is the batch's lead count.
private struct ScoreOutputs {
    let fit: UnsafeMutableBufferPointer<Double>?
    let behavior: UnsafeMutableBufferPointer<Double>?
    let total: UnsafeMutableBufferPointer<Double>?
    let grade: UnsafeMutableBufferPointer<Int32>?
    let engagement: UnsafeMutableBufferPointer<Int32>?

    init(
        _ fit: UnsafeMutablePointer<Double>?, _ behavior: UnsafeMutablePointer<Double>?,
        _ total: UnsafeMutablePointer<Double>?, _ grade: UnsafeMutablePointer<Int32>?,
        _ engagement: UnsafeMutablePointer<Int32>?, count: Int, of batch: LeadBatch
    ) throws(Failure) {
        guard count == batch.count else {
            throw Failure(.argument, "count \(count) does not match the batch's \(batch.count) leads")
        }
        func buffer<T>(_ p: UnsafeMutablePointer<T>?) -> UnsafeMutableBufferPointer<T>? {
            p.map { UnsafeMutableBufferPointer(start: $0, count: count) }
        }
        (self.fit, self.behavior, self.total) = (buffer(fit), buffer(behavior), buffer(total))
        (self.grade, self.engagement) = (buffer(grade), buffer(engagement))
    }
}
