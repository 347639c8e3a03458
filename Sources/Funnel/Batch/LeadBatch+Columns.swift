/// A column handed to a batch that does not fit it; nothing was changed. The
/// C ABI reports it as `FUNNEL_E_ARGUMENT` from the `funnel_batch_set_*`
/// functions and `FUNNEL_E_LIMIT` from `funnel_batch_new`.
public struct ColumnError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What does not fit, naming the attribute or array and the index; the
    /// C ABI's `funnel_last_error`.
    public var message: String
    /// True when the column is refused only because the batch is full (a
    /// limit of Funnel's, not a fault of the column): `FUNNEL_E_LIMIT` in C.
    public var isLimit: Bool
    /// An error saying `message`; `isLimit` when only the batch's size refuses it.
    public init(_ message: String, isLimit: Bool = false) {
        self.message = message
        self.isLimit = isLimit
    }
    public var description: String { message }
}

/// Filling a batch from columns: the fast path for hosts that keep leads in
/// columns (and the C ABI's), where whole arrays arrive instead of lead
/// documents. Leads are numbered from 0 and have no ids but their index. Every
/// setter validates everything before it writes, so a refused column leaves the
/// batch as it was.
///
/// ```swift
/// var batch = try LeadBatch(model: model, count: 3)
/// try batch.setNumbers("employees", [120, .nan, 9000])          // NaN: missing
/// try batch.setStrings("industry", dictionary: ["software", "retail"], ids: [0, 1, -1])
/// try batch.setEvents(types: ["email.reply"], lead: [0, 2], type: [0, 0], at: [t1, t2])
/// let scores = batch.scores(at: now)
/// ```
extension LeadBatch {
    /// The most leads one batch holds.
    package static let maxLeads = Limits.maxLeadsPerBatch
    /// Unused local symbols a batch tolerates beyond those in use before it drops them.
    static let localSymbolSlack = 4096

    /// A batch of `count` leads with every attribute missing and no events.
    /// The C ABI's `funnel_batch_new`.
    ///
    /// - Throws: ``ColumnError`` when `count` is beyond ``Limits/maxLeadsPerBatch``
    ///   or the memory for it cannot be had (nothing is allocated then).
    public init(model: Model, count: Int) throws(ColumnError) {
        guard count >= 0, count <= Self.maxLeads else {
            throw ColumnError("lead count \(count) is outside 0...\(Self.maxLeads)", isLimit: count > 0)
        }
        self.init(model: model)
        self.count = count
        guard let numbers = Column<Double>(tryRepeating: .nan, count: count * widths.number),
            let bools = Column<UInt8>(tryRepeating: 2, count: count * widths.bool),
            let strings = Column<Int32>(tryRepeating: -1, count: count * widths.string),
            let setRanges = Column<Int32>(tryRepeating: -1, count: count * widths.strings * 2),
            // Every lead's event, rule sum and frequency list starts at 0:
            // one column shared by the three (each copied if written; a
            // fill of events replaces them all).
            let zeroStarts = Column<Int>(tryRepeating: 0, count: count + 1),
            let leadReference = Column<Double>(tryRepeating: .nan, count: count),
            let leadDecayReady = Column<UInt8>(tryRepeating: 1, count: count),
            let leadSpans = Column<EventSpan>(tryRepeating: .none, count: count)
        else {
            throw ColumnError("not enough memory for \(count) leads", isLimit: true)
        }
        self.numbers = numbers
        self.bools = bools
        self.strings = strings
        self.setRanges = setRanges
        self.eventStart = zeroStarts
        self.leadReference = leadReference
        self.leadDecayReady = leadDecayReady
        self.leadSpans = leadSpans
        self.ruleSumStart = zeroStarts
        self.frequencyStart = zeroStarts
    }

    /// The slot of attribute `name`, which must be declared with `type`.
    private func slot(_ name: String, _ type: AttributeType) throws(ColumnError) -> Int {
        guard let index = model.attributes.index[name] else {
            throw ColumnError("unknown attribute \"\(name)\"")
        }
        let declared = model.definition.attributes[index].type
        guard declared == type else {
            throw ColumnError("attribute \"\(name)\" is declared \(declared.rawValue), not \(type.rawValue)")
        }
        return Int(model.attributes.slots[index])
    }

    private func checkCount(_ n: Int) throws(ColumnError) {
        guard n == count else { throw ColumnError("count \(n) does not match the batch's \(count) leads") }
    }

    /// Sets a number attribute: NaN is missing; infinities are refused.
    /// The C ABI's `funnel_batch_set_numbers`.
    public mutating func setNumbers(_ name: String, _ values: UnsafeBufferPointer<Double>) throws(ColumnError) {
        let slot = try slot(name, .number)
        try checkCount(values.count)
        if let bad = values.firstIndex(where: { $0.isInfinite }) {
            throw ColumnError("\(name)[\(bad)]: expected a finite number or NaN (missing)")
        }
        let width = widths.number
        numbers.withMutableBuffer { column in
            for i in 0..<values.count { column[i &* width &+ slot] = values[i] }
        }
    }

    /// Sets a bool attribute: 0 false, 1 true, -1 missing. The C ABI's
    /// `funnel_batch_set_bools`.
    public mutating func setBools(_ name: String, _ values: UnsafeBufferPointer<Int8>) throws(ColumnError) {
        let slot = try slot(name, .bool)
        try checkCount(values.count)
        if let bad = values.firstIndex(where: { $0 < -1 || $0 > 1 }) {
            throw ColumnError("\(name)[\(bad)]: expected 0, 1 or -1 (missing), found \(values[bad])")
        }
        let width = widths.bool
        bools.withMutableBuffer { column in
            for i in 0..<values.count { column[i &* width &+ slot] = values[i] < 0 ? 2 : UInt8(values[i]) }
        }
    }

    /// Sets a string attribute from dictionary ids: -1 is missing. The C ABI's
    /// `funnel_batch_set_strings`.
    public mutating func setStrings(_ name: String, dictionary: [String], ids: UnsafeBufferPointer<Int32>)
        throws(ColumnError)
    {
        let slot = try slot(name, .string)
        try checkCount(ids.count)
        // id + 1 in 0...dictionary.count, as unsigned: one branch-free pass
        // (that vectorises); the search names the first bad one.
        let idLimit = UInt32(truncatingIfNeeded: Swift.min(dictionary.count, Int(Int32.max)))
        var outside: UInt32 = 0
        for id in ids { outside |= UInt32(bitPattern: id &+ 1) > idLimit ? 1 : 0 }
        if outside != 0, let bad = ids.firstIndex(where: { $0 < -1 || Int($0) >= dictionary.count }) {
            throw ColumnError("\(name)[\(bad)]: id \(ids[bad]) is outside the dictionary of \(dictionary.count)")
        }
        try reserveSymbols(dictionary.count, for: name, replacing: .string(slot: slot))
        // Indexed by id + 1: -1 (missing) first, then the dictionary's symbols.
        let symbols = [-1] + dictionary.map { symbol($0) }
        let width = widths.string
        symbols.withUnsafeBufferPointer { symbol in
            strings.withMutableBuffer { column in
                // Checked above: every id + 1 is within `symbol`.
                guard let table = symbol.baseAddress, let base = column.baseAddress else { return }
                for i in 0..<ids.count { base[i &* width &+ slot] = table[Int(ids[i]) &+ 1] }
            }
        }
    }

    /// Sets a strings attribute: lead i's members are
    /// `memberIDs[offsets[i]..<offsets[i+1]]`; `present[i] == 0` marks it missing.
    /// The C ABI's `funnel_batch_set_string_sets`.
    public mutating func setStringSets(
        _ name: String, dictionary: [String], offsets: UnsafeBufferPointer<Int64>,
        memberIDs: UnsafeBufferPointer<Int32>, present: UnsafeBufferPointer<UInt8>?
    ) throws(ColumnError) {
        let slot = try slot(name, .strings)
        try checkCount(offsets.count - 1)
        if let present { try checkCount(present.count) }
        guard offsets.first == 0, offsets.last == Int64(memberIDs.count) else {
            throw ColumnError("\(name): offsets must start at 0 and end at the member count \(memberIDs.count)")
        }
        for i in 0..<count where offsets[i] > offsets[i + 1] {
            throw ColumnError("\(name): offsets[\(i + 1)] is less than offsets[\(i)]")
        }
        if let bad = memberIDs.firstIndex(where: { $0 < 0 || Int($0) >= dictionary.count }) {
            throw ColumnError("\(name): member id \(memberIDs[bad]) is outside the dictionary of \(dictionary.count)")
        }
        // The column's old members are dropped, not left behind: a batch
        // refilled again and again stays the same size.
        let width = widths.strings
        var kept = 0
        for i in 0..<count {
            for k in 0..<width where k != slot { kept += max(0, Int(setRanges[(i * width + k) * 2 + 1])) }
        }
        guard kept + memberIDs.count <= Int(Int32.max) else {
            throw ColumnError("\(name): more set members than a batch holds (\(Int32.max))", isLimit: true)
        }
        var members = Column<Int32>()
        guard members.tryReserveCapacity(kept + memberIDs.count) else {
            throw ColumnError("not enough memory for \(kept + memberIDs.count) set members", isLimit: true)
        }
        try reserveSymbols(dictionary.count, for: name, replacing: .strings(slot: slot))
        let symbols = dictionary.map { symbol($0) }
        let old = setMembers
        setRanges.withMutableBuffer { column in
            for i in 0..<count {
                for k in 0..<width where k != slot {
                    let at = (i &* width &+ k) &* 2
                    guard column[at + 1] >= 0 else { continue }
                    let start = Int(column[at])
                    column[at] = Int32(members.count)
                    members.append(contentsOf: old.buffer[start..<(start + Int(column[at + 1]))])
                }
            }
            let base = members.count
            members.append(contentsOf: memberIDs.lazy.map { symbols[Int($0)] })
            // Missing (present[i] == 0): both -1, chosen without a branch
            // (presence is as good as random from lead to lead).
            for i in 0..<count {
                let at = (i &* width &+ slot) &* 2
                let missing: Int32 = present.map { $0[i] == 0 ? -1 : 0 } ?? 0
                column[at] = Int32(truncatingIfNeeded: base &+ Int(offsets[i])) | missing
                column[at + 1] = Int32(truncatingIfNeeded: offsets[i + 1] &- offsets[i]) | missing
            }
        }
        setMembers = members
    }

    /// Replaces every lead's events. Event k belongs to lead `lead[k]`, has
    /// type `types[type[k]]`, time `at[k]` and, when `property` is given, that
    /// numeric property `values[k]` (NaN: absent). The C ABI's
    /// `funnel_batch_set_events`.
    public mutating func setEvents(
        types: [String], lead: UnsafeBufferPointer<UInt32>, type: UnsafeBufferPointer<Int32>,
        at: UnsafeBufferPointer<Double>, property: String?, values: UnsafeBufferPointer<Double>?
    ) throws(ColumnError) {
        try setEvents(types: types, lead: lead, type: type, at: at, property: property, values: values, fused: true)
    }

    /// The setter above; `fused`: false skips the pass that checks as it
    /// fills, for tests that compare it with the checks it stands for.
    mutating func setEvents(
        types: [String], lead: UnsafeBufferPointer<UInt32>, type: UnsafeBufferPointer<Int32>,
        at: UnsafeBufferPointer<Double>, property: String?, values: UnsafeBufferPointer<Double>?, fused: Bool
    ) throws(ColumnError) {
        let n = lead.count
        guard type.count == n, at.count == n, values.map({ $0.count == n }) ?? true else {
            throw ColumnError("event arrays differ in length")
        }
        // As usual, events grouped by lead with good values: one pass that
        // checks as it fills. Otherwise (it gives up, changing nothing) the
        // checks below, then the fill that suits the order.
        if fused,
            try fillEvents(
                types: types, lead: lead, type: type, at: at, property: property, values: values, grouped: true,
                checking: true)
        {
            return
        }
        let (fit, grouped) = Self.eventsFit(leads: count, types: types.count, lead: lead, type: type, at: at, values: values)
        if !fit {
            // Some value is refused: the checks one by one name the first.
            if let bad = lead.firstIndex(where: { Int($0) >= count }) {
                throw ColumnError("event_lead[\(bad)]: lead \(lead[bad]) is outside the batch of \(count)")
            }
            if let bad = type.firstIndex(where: { $0 < 0 || Int($0) >= types.count }) {
                throw ColumnError("event_type[\(bad)]: type id \(type[bad]) is outside the \(types.count) types")
            }
            if let bad = at.firstIndex(where: { !$0.isFinite }) {
                throw ColumnError("event_at[\(bad)]: expected a finite time")
            }
            if let values, let bad = values.firstIndex(where: { $0.isInfinite }) {
                throw ColumnError("property_values[\(bad)]: expected a finite number or NaN (absent)")
            }
        }
        // From here on only memory can fail, before anything is replaced.
        _ = try fillEvents(types: types, lead: lead, type: type, at: at, property: property, values: values, grouped: grouped)
    }

    /// Whether no property value is infinite (NaN is absent, not refused):
    /// one branch-free pass, eight values a step, compared as doubles (the
    /// baseline vector unit compares doubles, not 64-bit integers, for equality).
    static func valuesFit(_ values: UnsafeBufferPointer<Double>?) -> Bool {
        guard let values, let base = values.baseAddress else { return true }
        // Eight at a time (four such comparisons), then the rest one by one.
        let magnitude = SIMD8<UInt64>(repeating: ~(1 << 63))
        let infinity = SIMD8<Double>(repeating: .infinity)
        var bad = SIMDMask<SIMD8<Int64>>(repeating: false)
        var k = 0
        while k &+ 7 < values.count {
            let eight = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD8<UInt64>.self) & magnitude
            bad .|= unsafeBitCast(eight, to: SIMD8<Double>.self) .== infinity
            k &+= 8
        }
        while k < values.count {
            if base[k].isInfinite { return false }
            k &+= 1
        }
        return !any(bad)
    }

    /// Whether every event array holds only values `setEvents` takes, and
    /// whether the events are grouped by lead (`lead` never decreases): one
    /// branch-free pass per array, each an OR of its lanes that vectorises,
    /// instead of one search per rule.
    private static func eventsFit(
        leads: Int, types: Int, lead: UnsafeBufferPointer<UInt32>, type: UnsafeBufferPointer<Int32>,
        at: UnsafeBufferPointer<Double>, values: UnsafeBufferPointer<Double>?
    ) -> (fit: Bool, grouped: Bool) {
        let n = lead.count
        guard n > 0, let leadBase = lead.baseAddress, let typeBase = type.baseAddress, let atBase = at.baseAddress
        else { return (true, true) }
        // Leads: any not below `leads`, and whether one is less than the one
        // before it. Compared as signed after flipping the sign bit: the
        // same order, in comparisons the baseline vector unit has.
        let leadLimit = Int32(bitPattern: UInt32(truncatingIfNeeded: Swift.min(leads, Int(UInt32.max))) ^ 0x8000_0000)
        var leadBad: UInt32 = 0
        var descents: UInt32 = 0
        for k in 0..<n { leadBad |= Int32(bitPattern: leadBase[k] ^ 0x8000_0000) >= leadLimit ? 1 : 0 }
        for k in 1..<n {
            descents |= Int32(bitPattern: leadBase[k] ^ 0x8000_0000) < Int32(bitPattern: leadBase[k &- 1] ^ 0x8000_0000) ? 1 : 0
        }
        // A batch of more than UInt32.max leads takes every lead id.
        if leads > Int(UInt32.max) { leadBad = 0 }
        // Type ids below `types` (negative ones are large as unsigned).
        let typeLimit = UInt32(truncatingIfNeeded: Swift.min(types, Int(UInt32.max)))
        let signedTypeLimit = Int32(bitPattern: typeLimit ^ 0x8000_0000)
        var typeBad: UInt32 = 0
        for k in 0..<n { typeBad |= Int32(bitPattern: UInt32(bitPattern: typeBase[k]) ^ 0x8000_0000) >= signedTypeLimit ? 1 : 0 }
        // Times finite: not every exponent bit set (all in the high word).
        let exponent: UInt64 = 0x7ff0_0000_0000_0000
        let highExponent: UInt32 = 0x7ff0_0000
        var atBad: UInt32 = 0
        for k in 0..<n {
            atBad |= UInt32(truncatingIfNeeded: atBase[k].bitPattern >> 32) & highExponent == highExponent ? 1 : 0
        }
        // Values not infinite: all exponent bits and no mantissa bits (NaN is absent, not refused).
        var valueBad: UInt64 = 0
        if let values {
            for k in 0..<values.count { valueBad |= values[k].bitPattern & ~(1 << 63) == exponent ? 1 : 0 }
        }
        let fit = leadBad == 0 && typeBad == 0 && atBad == 0 && valueBad == 0 && types <= Int(UInt32.max)
        return (fit, descents == 0)
    }

    // Array forms of the setters, for Swift callers.

    /// ``setNumbers(_:_:)-(_,UnsafeBufferPointer<Double>)`` from an array
    /// (`funnel_batch_set_numbers`).
    public mutating func setNumbers(_ name: String, _ values: [Double]) throws(ColumnError) {
        try values.withUnsafeBufferPointer { (buffer) throws(ColumnError) in try setNumbers(name, buffer) }
    }

    /// Sets a bool attribute from optionals (`nil`: missing); `funnel_batch_set_bools`.
    public mutating func setBools(_ name: String, _ values: [Bool?]) throws(ColumnError) {
        let coded = values.map { value -> Int8 in value.map { $0 ? 1 : 0 } ?? -1 }
        try coded.withUnsafeBufferPointer { (buffer) throws(ColumnError) in try setBools(name, buffer) }
    }

    /// Sets a string attribute from dictionary ids (-1: missing);
    /// `funnel_batch_set_strings`.
    public mutating func setStrings(_ name: String, dictionary: [String], ids: [Int32]) throws(ColumnError) {
        try ids.withUnsafeBufferPointer { (buffer) throws(ColumnError) in
            try setStrings(name, dictionary: dictionary, ids: buffer)
        }
    }

    /// Replaces every lead's events from arrays (see the buffer form);
    /// `funnel_batch_set_events`.
    public mutating func setEvents(
        types: [String], lead: [UInt32], type: [Int32], at: [Double], property: String? = nil,
        values: [Double]? = nil
    ) throws(ColumnError) {
        let noValues: [Double] = []
        try lead.withUnsafeBufferPointer { (leads) throws(ColumnError) in
            try type.withUnsafeBufferPointer { (typeIDs) throws(ColumnError) in
                try at.withUnsafeBufferPointer { (times) throws(ColumnError) in
                    try (values ?? noValues).withUnsafeBufferPointer { (buffer) throws(ColumnError) in
                        try setEvents(
                            types: types, lead: leads, type: typeIDs, at: times, property: property,
                            values: values == nil ? nil : buffer)
                    }
                }
            }
        }
    }
}
