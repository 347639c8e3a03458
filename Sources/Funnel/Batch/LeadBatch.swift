/// Leads ingested for one model in columns, ready to be scored many times.
/// The C ABI's `funnel_batch`; as with ``Model``, `funnel_batch_free` has no
/// counterpart.
///
/// Ingesting does the work that must not happen while scoring: attribute
/// names become slots, strings become symbols, event types become rule lists,
/// each event gets its decay weight, and each lead its rule sums. Events no
/// rule can match are dropped.
///
/// - Complexity: appending a lead is O(attributes + events + behaviour rules).
public struct LeadBatch: Sendable {
    let model: CompiledModel

    /// The number of leads. The C ABI's `funnel_batch_lead_count`.
    public internal(set) var count = 0
    /// Lead ids, in order. Leads filled from columns are known by their
    /// index: `ids` stays empty for them until a lead is appended after
    /// them, which gives each of them its index as text.
    public internal(set) var ids: [String] = []
    /// Stage index per lead; -1 when the lead named none (the initial stage).
    /// Shorter than `count` only while every lead lacks one (from columns).
    var stages: [Int32] = []

    // Attribute columns, row-major per type: lead i's slot k is at i * width + k.
    var numbers = Column<Double>()  // NaN: missing
    var bools = Column<UInt8>()  // 2: missing
    var strings = Column<Int32>()  // -1: missing
    var setRanges = Column<Int32>()  // (start, count) pairs; count -1: missing
    var setMembers = Column<Int32>()
    let widths: (number: Int, bool: Int, string: Int, strings: Int)

    // Symbols the model does not know, numbered after the model's.
    var localSymbols: [String: Int32] = [:]
    var localMasks = Column<UInt64>()
    /// Local symbols in use after the last compaction (see `reserveSymbols`).
    var liveLocalSymbols = 0
    /// The most symbols, the model's and local ones, a batch numbers (they are
    /// 32-bit); lowered only by tests.
    var maxSymbols = Int(Int32.max)

    // Events, grouped by lead: lead i owns eventStart[i]..<eventStart[i+1].
    var eventStart = Column<Int>([0])
    /// Per event, the only rule it can feed (>= 0) when that rule has no `if`,
    /// else `-(class + 1)`: most events then skip the rule look-up entirely.
    var eventRoute = Column<Int32>()
    var eventAt = Column<Double>()
    /// Per event, `weight × points` of its only rule, or the weight alone; the
    /// weight is 2^((at − reference) / half-life), 1 without a half-life. So
    /// decay at score time is one multiply per rule, not an `exp2` per event.
    var eventValue = Column<Double>()
    /// Per lead, the instant its weights are relative to (its first event's
    /// time; NaN without events). Per lead, not per batch, so that a lead's
    /// score is the same to the last bit whatever batch it is scored in.
    var leadReference = Column<Double>()
    /// Per lead, 1 when all its events lie within 500 half-lives of the
    /// reference, so that its weights are far from overflow and underflow.
    var leadDecayReady = Column<UInt8>()
    /// Per lead, its events' span, and where its rule sums lie in the two
    /// columns after it (see `appendRuleSums`).
    var leadSpans = Column<EventSpan>()
    var ruleSumStart = Column<Int>([0])
    var ruleSumRule = Column<Int32>()
    var ruleSumValue = Column<Double>()
    /// Per lead, its events that frequency rules without an `if` count: lead i
    /// owns `frequencyRule`/`frequencyAt[frequencyStart[i]..<frequencyStart[i+1]]`
    /// (see `LeadBatch+FrequencyEvents`); no entries for other models.
    var frequencyStart = Column<Int>([0])
    var frequencyRule = Column<Int32>()
    var frequencyAt = Column<Double>()
    /// Whether ingest records rule sums; a one-lead batch scored once, with
    /// explanations, never reads them.
    var keepsRuleSums = true
    /// The lead whose events are being appended: its reference and span so far.
    private var pending: (reference: Double?, ready: Bool) = (nil, true)
    /// Per event, one value per property the model reads; empty instead when
    /// no event's route is left to be decided while scoring (the scorer then
    /// never reads them: see `setEvents`), until a lead is appended.
    var properties = Column<PropertySlot>()
    var propertySetMembers = Column<Int32>()

    // Rule lists: the model's event types first, then types only wildcards match.
    var classRules: [[Int32]]
    /// Per class, its events' route when no event property can change it
    /// (see ``fixedRoute(_:rules:)``), else ``routeDependsOnEvent``.
    var classRoutes: [Int32]
    /// Per class, the frequency rules without an `if` that count its events
    /// from the leads' frequency lists, in model order (usually none).
    var classFrequencyRules: [[Int32]]
    var localTypes: [EventType: Int32] = [:]

    /// An empty batch for `model`.
    public init(model: Model) {
        let compiled = model.compiled
        self.model = compiled
        widths = compiled.attributes.widths
        classRules = compiled.events.rules
        classRoutes = compiled.events.rules.indices.map { Self.fixedRoute(Int32($0), rules: compiled.events.rules[$0], compiled) }
        classFrequencyRules = compiled.events.rules.map { Self.listedFrequencyRules($0, compiled) }
    }

    /// A batch holding `leads`, in order.
    ///
    /// - Throws: ``LeadBatchError`` naming the first lead that does not fit the model.
    public init(model: Model, leads: some Sequence<Lead>) throws(LeadBatchError) {
        self.init(model: model)
        for (i, lead) in leads.enumerated() {
            do {
                try append(lead)
            } catch {
                throw LeadBatchError(index: i, leadID: lead.id, error: error)
            }
        }
    }

    /// Reserves room for `leads` leads with `events` events in all.
    public mutating func reserveCapacity(leads: Int, events: Int) {
        ids.reserveCapacity(leads)
        stages.reserveCapacity(leads)
        numbers.reserveCapacity(leads * widths.number)
        bools.reserveCapacity(leads * widths.bool)
        strings.reserveCapacity(leads * widths.string)
        setRanges.reserveCapacity(leads * widths.strings * 2)
        eventStart.reserveCapacity(leads + 1)
        eventRoute.reserveCapacity(events)
        eventAt.reserveCapacity(events)
        eventValue.reserveCapacity(events)
        leadReference.reserveCapacity(leads)
        leadDecayReady.reserveCapacity(leads)
        leadSpans.reserveCapacity(leads)
        ruleSumStart.reserveCapacity(leads + 1)
        frequencyStart.reserveCapacity(leads + 1)
    }

    /// Adds one lead. On error the batch is unchanged.
    ///
    /// - Throws: ``LeadError`` when an attribute's type does not fit its
    ///   declaration, an event time is not finite, or the stage is unknown.
    public mutating func append(_ lead: Lead) throws(LeadError) {
        let values = try model.checkedAttributes(lead)
        let stage = try model.checkedStage(lead.stage)
        for (i, event) in lead.events.enumerated() where !event.at.isFinite {
            throw LeadError(path: "events".indexed(i).joined("at"), message: "expected a finite time")
        }
        // Set members are addressed with 32-bit offsets.
        var members = 0
        for case .strings(let texts)? in values { members += texts.count }
        for event in lead.events {
            for name in model.predicates.propertyNames {
                if case .strings(let texts)? = event.properties[name] { members += texts.count }
            }
        }
        guard setMembers.count + propertySetMembers.count + members <= Int(Int32.max) else {
            throw LeadError(path: "", message: "more string-set members than one batch holds (\(Int32.max))")
        }
        // Each string may need a symbol of its own, and symbols are 32-bit.
        var texts = members
        for case .string? in values { texts += 1 }
        for event in lead.events {
            for name in model.predicates.propertyNames {
                if case .string? = event.properties[name] { texts += 1 }
            }
        }
        guard hasRoomForSymbols(texts) else {
            throw LeadError(path: "", message: "more distinct strings than one batch holds (\(maxSymbols))")
        }
        // Leads from `init(model:count:)` have no entries yet: give them
        // theirs, so that this lead's land at its own index.
        while ids.count < count { ids.append(String(ids.count)) }
        if stages.count < count { stages.append(contentsOf: repeatElement(-1, count: count - stages.count)) }
        ids.append(lead.id)
        stages.append(stage)
        appendAttributes(values)
        let omitted = eventRoute.count * model.predicates.propertyNames.count - properties.count
        if omitted > 0 { properties.append(contentsOf: repeatElement(PropertySlot(kind: .missing), count: omitted)) }
        if let since = lead.behaviorSince {
            // Events before `behavior_since` never count (SPEC §13): they are not kept.
            for event in lead.events where event.at >= since { appendEvent(event) }
        } else {
            for event in lead.events { appendEvent(event) }
        }
        finishLeadEvents()
        count += 1
    }

    /// Appends one lead's attribute slots, every one missing, for a reader to
    /// fill in place; returns where each kind's slots start.
    mutating func appendMissingAttributeRow() -> (number: Int, bool: Int, string: Int, strings: Int) {
        let starts = (numbers.count, bools.count, strings.count, setRanges.count)
        numbers.append(repeating: .nan, count: widths.number)
        bools.append(repeating: 2, count: widths.bool)
        strings.append(repeating: -1, count: widths.string)
        setRanges.append(repeating: -1, count: widths.strings * 2)
        return starts
    }

    private mutating func appendAttributes(_ values: [LeadValue?]) {
        let attributes = model.definition.attributes
        var row = (
            number: [Double](repeating: .nan, count: widths.number),
            bool: [UInt8](repeating: 2, count: widths.bool),
            string: [Int32](repeating: -1, count: widths.string),
            strings: [Int32](repeating: -1, count: widths.strings * 2)
        )
        for (i, value) in values.enumerated() {
            let slot = Int(model.attributes.slots[i])
            switch (attributes[i].type, value) {
            case (.number, .number(let x)?): row.number[slot] = x
            case (.bool, .bool(let b)?): row.bool[slot] = b ? 1 : 0
            case (.string, .string(let s)?): row.string[slot] = symbol(s)
            case (.strings, .strings(let texts)?):
                row.strings[slot * 2] = Int32(setMembers.count)
                row.strings[slot * 2 + 1] = Int32(texts.count)
                for text in texts { setMembers.append(symbol(text)) }
            default: break
            }
        }
        numbers.append(contentsOf: row.number)
        bools.append(contentsOf: row.bool)
        strings.append(contentsOf: row.string)
        setRanges.append(contentsOf: row.strings)
    }

    private mutating func appendEvent(_ event: Event) {
        let eventClass = self.eventClass(of: event.type)
        guard eventClass >= 0 else { return }
        for name in model.predicates.propertyNames {
            properties.append(propertySlot(event.properties[name]))
        }
        appendEvent(class: eventClass, at: event.at)
    }

    /// Closes the current lead's events: orders them newest first, records
    /// where they end and their reference.
    ///
    /// Newest first, the events that count at any as_of are one contiguous run
    /// (the future ones lead, those beyond the window trail), so the scorer
    /// trims the ends and sums the run without looking at times.
    ///
    /// With `sorted`, the caller appended them newest first (equal times in
    /// input order) and they are not looked at again.
    mutating func finishLeadEvents(sorted: Bool = false) {
        let first = eventStart[eventStart.count - 1]
        if !sorted { sortNewestFirst(from: first) }
        eventStart.append(eventRoute.count)
        appendRuleSums(first..<eventRoute.count)
        frequencyStart.append(frequencyRule.count)
        leadReference.append(pending.reference ?? .nan)
        leadDecayReady.append(pending.ready ? 1 : 0)
        pending = (nil, true)
    }

    /// Sorts the events from `first` on by time, newest first; stable, so
    /// events at the same instant keep their order. Events usually arrive in
    /// time order, newest or oldest first, and a lead has a few dozen: those
    /// cases take one pass and no allocation.
    private mutating func sortNewestFirst(from first: Int) {
        let end = eventRoute.count
        guard end - first > 1 else { return }
        let times = eventAt.buffer
        var newestFirst = true
        var strictlyOldestFirst = true
        for e in (first + 1)..<end {
            if times[e] > times[e - 1] { newestFirst = false }
            if !(times[e] > times[e - 1]) { strictlyOldestFirst = false }
        }
        if newestFirst { return }
        let width = model.predicates.propertyNames.count
        if strictlyOldestFirst {
            reorder(first..<end, width: width) { _, _, _, _, _, swap in
                var (low, high) = (first, end - 1)
                while low < high {
                    swap(low, high)
                    low += 1
                    high -= 1
                }
            }
        } else if end - first <= 64 {
            // Insertion sort of the events' indices (stable, quick for short
            // runs), then every column gathered once in that order.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: end - first) { order in
                order[0] = first
                for k in 1..<order.count {
                    let e = first + k
                    let t = times[e]
                    var j = k
                    while j > 0 && t > times[order[j - 1]] {
                        order[j] = order[j - 1]
                        j -= 1
                    }
                    order[j] = e
                }
                Self.gather(&eventRoute, width: 1, first: first, order: order)
                Self.gather(&eventAt, width: 1, first: first, order: order)
                Self.gather(&eventValue, width: 1, first: first, order: order)
                if width > 0 { Self.gather(&properties, width: width, first: first, order: order) }
            }
        } else {
            let order = (first..<end).sorted { times[$0] != times[$1] ? times[$0] > times[$1] : $0 < $1 }
            func permute<T>(_ column: inout Column<T>, width: Int) {
                let old = Array(column.buffer[(first * width)..<(end * width)])
                column.withMutableBuffer { buffer in
                    for (k, source) in order.enumerated() {
                        for j in 0..<width { buffer[(first + k) * width + j] = old[(source - first) * width + j] }
                    }
                }
            }
            permute(&eventRoute, width: 1)
            permute(&eventAt, width: 1)
            permute(&eventValue, width: 1)
            if width > 0 { permute(&properties, width: width) }
        }
    }

    /// Rewrites events `first..<first + order.count` of `column` (`width`
    /// values each) so that the k-th is the one that was at `order[k]`.
    private static func gather<T: BitwiseCopyable>(
        _ column: inout Column<T>, width: Int, first: Int, order: UnsafeMutableBufferPointer<Int>
    ) {
        let n = order.count * width
        // Raw pointers and one bulk copy: the per-element loops with a
        // generic inner loop cost 4 of a one-lead call's 34 k instructions.
        withUnsafeTemporaryAllocation(of: T.self, capacity: n) { old in
            column.withMutableBuffer { buffer in
                guard let target = buffer.baseAddress.map({ $0 + first * width }), let saved = old.baseAddress else {
                    return
                }
                saved.initialize(from: target, count: n)
                if width == 1 {
                    for k in 0..<order.count { target[k] = saved[order[k] &- first] }
                } else {
                    for k in 0..<order.count {
                        (target + k &* width).update(from: saved + (order[k] &- first) &* width, count: width)
                    }
                }
            }
        }
    }

    /// Runs `body` with the event columns writable and a `swap(i, j)` that
    /// exchanges two events in all of them.
    private mutating func reorder(
        _ events: Range<Int>, width: Int,
        _ body: (
            UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Int32>, UnsafeMutableBufferPointer<Double>,
            UnsafeMutableBufferPointer<PropertySlot>, Int, (Int, Int) -> Void
        ) -> Void
    ) {
        eventAt.withMutableBuffer { at in
            eventRoute.withMutableBuffer { routes in
                eventValue.withMutableBuffer { values in
                    properties.withMutableBuffer { slots in
                        body(at, routes, values, slots, width) { i, j in
                            at.swapAt(i, j)
                            routes.swapAt(i, j)
                            values.swapAt(i, j)
                            for p in 0..<width { slots.swapAt(i * width + p, j * width + p) }
                        }
                    }
                }
            }
        }
    }

    /// The rule class of an event type; -1 when no rule can ever match it.
    mutating func eventClass(of type: String) -> Int32 {
        let key = EventType(type)
        if let known = model.events.types[key] { return known }
        if let local = localTypes[key] { return local }
        let rules = model.events.wildcardRules(for: type)
        let eventClass = rules.isEmpty ? -1 : Int32(classRules.count)
        localTypes[key] = eventClass
        if !rules.isEmpty {
            classRules.append(rules)
            classRoutes.append(Self.fixedRoute(eventClass, rules: rules, model))
            classFrequencyRules.append(Self.listedFrequencyRules(rules, model))
        }
        return eventClass
    }

    /// Whether an event of class `eventClass`, whose properties are the last
    /// ones appended, can ever count (the general event setter asks before it
    /// keeps the event).
    func canCount(class eventClass: Int32) -> Bool {
        route(class: eventClass) != nil
    }

    /// Sets the reference time the current lead's decay weights are taken from.
    mutating func setPendingReference(_ at: Double) {
        pending.reference = at
    }

    /// Adds an event of class `eventClass` (>= 0) at `at` (finite); its
    /// properties, if the model reads any, are the caller's to append.
    mutating func appendEvent(class eventClass: Int32, at: Double) {
        appendEvent(class: eventClass, at: at, reserved: false)
    }

    /// ``appendEvent(class:at:)``; with `reserved`, the caller has made room
    /// (``Column/reserveUnique(more:)``) in `eventRoute`, `eventValue` and
    /// `eventAt` for this event, which then takes no checks.
    @inline(__always)
    mutating func appendEvent(class eventClass: Int32, at: Double, reserved: Bool) {
        // The class's fixed route when it has one, read here: calling
        // `route(class:)` for every event made the compiler copy the whole
        // batch (312 bytes) on entry.
        var route = classRoutes[Int(eventClass)]
        if route == Self.routeDependsOnEvent {
            guard let decided = self.route(class: eventClass) else {
                // No rule can ever count it: forget its properties too.
                properties.removeLast(toCount: properties.count - model.predicates.propertyNames.count)
                return
            }
            route = decided
        }
        var weight = 1.0
        let reference = pending.reference ?? at
        pending.reference = reference
        if let halfLife = model.scoring.halfLifeSeconds {
            if !(abs(at - reference) <= Scorer.decayRange * halfLife) { pending.ready = false }
            weight = power2((at - reference) / halfLife)
        }
        let value = route >= 0 ? weight * model.scoring.behaviorPoints[Int(route)] : weight
        if reserved {
            eventRoute.appendReserved(route)
            eventValue.appendReserved(value)
            eventAt.appendReserved(at)
        } else {
            eventRoute.append(route)
            eventValue.append(value)
            eventAt.append(at)
        }
        for rule in classFrequencyRules[Int(eventClass)] {
            frequencyRule.append(rule)
            frequencyAt.append(at)
        }
    }

    /// Where the event just appended (its properties are the last ones) goes:
    /// the one rule it feeds (>= 0), `-(class + 1)` when that must be decided
    /// while scoring, or `nil` when no rule can ever count it. `if`s that read
    /// only the event's own properties are decided here, once.
    private func route(class eventClass: Int32) -> Int32? {
        let fixed = classRoutes[Int(eventClass)]
        if fixed != Self.routeDependsOnEvent { return fixed }
        let width = model.predicates.propertyNames.count
        return route(class: eventClass, slots: UnsafeBufferPointer(rebasing: properties.buffer.suffix(width)))
    }

    /// ``route(class:)`` for an event of a class whose route depends on the
    /// event, with its properties at `slots`.
    func route(class eventClass: Int32, slots: UnsafeBufferPointer<PropertySlot>) -> Int32? {
        var only: Int32 = -1
        var matched = 0
        let context = PropertyContext(
            scalarPool: model.predicates.scalarPool.buffer, symbolPool: model.predicates.symbolPool.buffer,
            setMembers: propertySetMembers.buffer,
            masks: ContainsMasks(
                words: model.predicates.maskWords, model: model.predicates.symbolMasks.buffer, local: localMasks.buffer,
                localBase: model.predicates.symbolKeys.count))
        for rule in classRules[Int(eventClass)] where !model.scoring.listedFrequency[Int(rule)] {
            let root = model.scoring.behaviorRoots[Int(rule)]
            if root >= 0 {
                guard model.scoring.behaviorReadsOnlyEvent[Int(rule)] else { return -(eventClass + 1) }
                if !eventHolds(root, slots: slots, context) { continue }
            }
            matched += 1
            only = rule
        }
        switch matched {
        // No rule routes it, but a frequency rule lists it: it keeps a route (see `fixedRoute`).
        case 0: return classFrequencyRules[Int(eventClass)].first
        case 1: return only
        default: return -(eventClass + 1)
        }
    }

    /// Marks a class whose events' routes depend on their properties.
    static let routeDependsOnEvent = Int32.min

    /// What ``route(class:)`` gives every event of class `eventClass`
    /// whatever its properties: `-(class + 1)` as soon as one rule's `if`
    /// reads more than the event, the only rule when none has an `if`,
    /// ``routeDependsOnEvent`` when some `if` must be read per event.
    static func fixedRoute(_ eventClass: Int32, rules allRules: [Int32], _ model: CompiledModel) -> Int32 {
        // Frequency rules without an `if` count the class's events from the
        // leads' frequency lists, so they take no part in the route. When no
        // other rule is left the events still route (to the first of them,
        // whose total the scorer replaces), so that the lead's reference and
        // weights stay those of all its countable events.
        let rules = allRules.filter { !model.scoring.listedFrequency[Int($0)] }
        if rules.isEmpty, let first = allRules.first { return first }
        let roots = rules.map { model.scoring.behaviorRoots[Int($0)] }
        // A frequency rule with an `if` counts events where the scorer can see them (SPEC §13).
        if rules.contains(where: { model.scoring.frequencyCounts[Int($0)] > 0 }) { return -(eventClass + 1) }
        if zip(rules, roots).contains(where: { $1 >= 0 && !model.scoring.behaviorReadsOnlyEvent[Int($0)] }) {
            return -(eventClass + 1)
        }
        if roots.contains(where: { $0 >= 0 }) { return routeDependsOnEvent }
        return rules.count == 1 ? rules[0] : -(eventClass + 1)
    }

    /// Evaluates a predicate made of `prop` conditions on the properties at `slots`.
    private func eventHolds(_ node: Int32, slots: UnsafeBufferPointer<PropertySlot>, _ context: PropertyContext) -> Bool {
        switch model.predicates.nodes[Int(node)] {
        case .property(let index, let test):
            return context.holds(slots[Int(index)], test)
        case .all(let parts):
            return parts.indices.allSatisfy { eventHolds(model.predicates.children[$0], slots: slots, context) }
        case .any(let parts):
            return parts.indices.contains { eventHolds(model.predicates.children[$0], slots: slots, context) }
        case .not(let inner):
            return !eventHolds(inner, slots: slots, context)
        case .constant(let value):
            return value
        default:
            return false  // not reached: `behaviorReadsOnlyEvent` admits only the cases above
        }
    }

    private mutating func propertySlot(_ value: LeadValue?) -> PropertySlot {
        switch value {
        case nil, .null?: return PropertySlot(kind: .missing)
        case .number(let x)?: return PropertySlot(kind: .number, number: x)
        case .bool(let b)?: return PropertySlot(kind: .bool, number: b ? 1 : 0)
        case .string(let s)?: return PropertySlot(kind: .string, symbol: symbol(s))
        case .strings(let texts)?:
            let start = Int32(propertySetMembers.count)
            for text in texts { propertySetMembers.append(symbol(text)) }
            return PropertySlot(kind: .strings, symbol: start, setCount: Int32(texts.count))
        case .other?: return PropertySlot(kind: .other)
        }
    }

    /// The symbol of `text`'s comparison key: the model's, or a new local one.
    mutating func symbol(_ text: String) -> Int32 {
        let key = comparisonKey(text)
        if let known = model.predicates.symbols[key] { return known }
        if let local = localSymbols[key] { return local }
        let id = Int32(model.predicates.symbolKeys.count + localSymbols.count)
        localSymbols[key] = id
        if model.predicates.maskWords > 0 {
            localMasks.append(contentsOf: containsMask(Array(key.utf8), model.predicates.containsOperands, words: model.predicates.maskWords))
        }
        return id
    }
}

/// One event property as the scorer reads it.
struct PropertySlot: Sendable {
    var kind: PropertyKind
    /// The number, or 0/1 for a bool.
    var number: Double = 0
    /// A string's symbol, or the first member of a set in `propertySetMembers`.
    var symbol: Int32 = -1
    var setCount: Int32 = 0
}

/// A lead that could not be added to a batch.
public struct LeadBatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The lead's position in the input, from 0.
    public var index: Int
    /// The lead's id.
    public var leadID: String
    /// Why it does not fit the model.
    public var error: LeadError
    public var description: String { "lead \(index) (\"\(leadID)\"): \(error)" }
}
