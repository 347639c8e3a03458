/// Adding leads read by ``LeadLineReader``: the same columns, symbols and
/// event classes, in the same order, as `append(_ lead: Lead)` gives the
/// same document.
extension LeadBatch {
    /// Adds the lead `record` describes (its strings are bytes of `line`).
    /// Returns false, with the batch unchanged, when the lead would break one
    /// of the batch's limits: `append(_:)` of the same lead then throws the
    /// error to report.
    ///
    /// With `direct`, the lead's events go there instead of into the batch
    /// (see ``OneLeadEvents``); an event whose route only scoring can decide
    /// then gives false too, with `direct.bailed` set and the batch changed
    /// (to be emptied).
    mutating func append(
        _ record: LeadLineRecord, _ arena: LeadLineArena, line: UnsafeBufferPointer<UInt8>,
        interner: inout LeadLineInterner, events direct: OneLeadEvents? = nil
    ) -> Bool {
        guard setMembers.count + propertySetMembers.count + record.members <= Int(Int32.max),
            hasRoomForSymbols(record.texts)
        else { return false }
        while ids.count < count { ids.append(String(ids.count)) }
        if stages.count < count { stages.append(contentsOf: repeatElement(-1, count: count - stages.count)) }
        ids.append(arena.withBytes(record.idStart, record.idCount, line: line) { String(decoding: $0, as: UTF8.self) })
        stages.append(record.stage)
        appendAttributes(record, arena, line: line, interner: &interner)
        let width = model.predicates.propertyNames.count
        let omitted = eventRoute.count * width - properties.count
        if omitted > 0 { properties.append(contentsOf: repeatElement(PropertySlot(kind: .missing), count: omitted)) }
        if let direct {
            guard appendDirect(record, arena, line: line, interner: &interner, to: direct) else { return false }
            finishLeadEvents()
            count += 1
            return true
        }
        // Room for every event at once: the appends below check nothing.
        let events = record.eventEnd - record.eventStart
        eventRoute.reserveUnique(more: events)
        eventValue.reserveUnique(more: events)
        eventAt.reserveUnique(more: events)
        properties.reserveUnique(more: events * width)
        // Twice the room: the second half is the sort's scratch.
        let room = NewestFirstKeys.capacity(for: events)
        var sorted = false
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * room) { keys in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: events) { classes in
                // Each event's class (-1: not kept), and the kept ones sorted
                // newest first, stably (equal times in input order): by their
                // keys, or by the comparison sort when a time has none.
                var kept = 0
                var reference: Double? = nil
                var sortable = true
                var keyed = events < NewestFirstKeys.eventLimit
                for k in 0..<events {
                    let event = arena.events[record.eventStart + k]
                    var eventClass: Int32 = -1
                    // Events before `behavior_since` never count (SPEC §13): they are not kept.
                    if event.at >= record.since {
                        eventClass = event.eventClass
                        if eventClass == LineValue.unresolved {
                            eventClass = arena.withBytes(event.typeStart, event.typeCount, line: line) {
                                interner.eventClass($0, in: &self)
                            }
                        }
                    }
                    classes[k] = eventClass
                    guard eventClass >= 0 else { continue }
                    if reference == nil {
                        // The weights' reference is the first event appended in
                        // input order; when its properties may drop it, that
                        // order is kept and `finishLeadEvents` sorts.
                        if classRoutes[Int(eventClass)] == Self.routeDependsOnEvent { sortable = false }
                        reference = event.at
                    }
                    if keyed {
                        if let key = NewestFirstKeys.key(at: event.at, index: k) {
                            keys[kept] = key
                        } else {
                            keyed = false
                        }
                    }
                    kept += 1
                }
                guard let base = keys.baseAddress else { return }
                if sortable, kept > 0 {
                    if keyed {
                        NewestFirstKeys.sort(base, count: kept, scratch: base + room)
                    } else {
                        Self.sortNewestFirst(classes, arena, record, kept: kept, into: base)
                    }
                }
                if sortable, let reference { setPendingReference(reference) }
                @inline(__always)
                func append(_ k: Int) {
                    let event = arena.events[record.eventStart + k]
                    if event.values < 0 {
                        for _ in 0..<width { properties.appendReserved(PropertySlot(kind: .missing)) }
                    } else {
                        for p in 0..<width {
                            let slot = propertySlot(arena.values[event.values + p], arena, line: line, interner: &interner)
                            properties.appendReserved(slot)
                        }
                    }
                    appendEvent(class: classes[k], at: event.at, reserved: true)
                }
                if sortable {
                    // Keys hold the event's place in their low bits; the comparison sort leaves places.
                    let mask: UInt64 = keyed ? 0xFFFF : .max
                    for j in 0..<kept { append(Int(truncatingIfNeeded: base[j] & mask)) }
                    // Appended newest first (an event `appendEvent` drops leaves the rest in order).
                    sorted = true
                } else {
                    for k in 0..<events where classes[k] >= 0 { append(k) }
                }
            }
        }
        finishLeadEvents(sorted: sorted)
        count += 1
        return true
    }

    /// The places of the `kept` events whose class is not -1 in `classes`,
    /// newest first, stably, into `places`: for times that have no
    /// ``NewestFirstKeys`` key.
    private static func sortNewestFirst(
        _ classes: UnsafeMutableBufferPointer<Int32>, _ arena: LeadLineArena, _ record: LeadLineRecord, kept: Int,
        into places: UnsafeMutablePointer<UInt64>
    ) {
        // Twice the room: the second half is the merge sort's scratch.
        withUnsafeTemporaryAllocation(of: (at: Double, event: Int).self, capacity: 2 * kept) { order in
            guard let base = order.baseAddress else { return }
            var j = 0
            for k in classes.indices where classes[k] >= 0 && j < kept {
                order[j] = (arena.events[record.eventStart + k].at, k)
                j += 1
            }
            sortNewestFirst(base, scratch: base + kept, count: j)
            for j in 0..<j { places[j] = UInt64(order[j].event) }
        }
    }

    /// Sorts `count` (time, index) pairs newest first, stably (equal times
    /// keep their order): runs of eight by insertion, then merged in turn
    /// through `scratch` (room for `count` more). Leads have a few dozen
    /// events, in any order.
    private static func sortNewestFirst(
        _ pairs: UnsafeMutablePointer<(at: Double, event: Int)>,
        scratch: UnsafeMutablePointer<(at: Double, event: Int)>, count n: Int
    ) {
        var start = 0
        while start < n {
            let end = min(start + 8, n)
            for k in (start + 1)..<end {
                let e = pairs[k]
                var j = k
                while j > start && e.at > pairs[j - 1].at {
                    pairs[j] = pairs[j - 1]
                    j -= 1
                }
                pairs[j] = e
            }
            start = end
        }
        var (from, to) = (pairs, scratch)
        var width = 8
        while width < n {
            var low = 0
            while low < n {
                let middle = min(low + width, n)
                let high = min(low + 2 * width, n)
                var (i, j, k) = (low, middle, low)
                while i < middle && j < high {
                    // The left run's first on a tie: stable.
                    if from[j].at > from[i].at {
                        to[k] = from[j]
                        j += 1
                    } else {
                        to[k] = from[i]
                        i += 1
                    }
                    k += 1
                }
                if i < middle { (to + k).update(from: from + i, count: middle - i) }
                if j < high { (to + k).update(from: from + j, count: high - j) }
                low = high
            }
            (from, to) = (to, from)
            width *= 2
        }
        if from != pairs { pairs.update(from: from, count: n) }
    }

    /// The one-lead path's event loop: each kept event's route and time go to
    /// `direct`, none to the batch's columns. False when an event's route is
    /// left to scoring (`direct.bailed` set).
    private mutating func appendDirect(
        _ record: LeadLineRecord, _ arena: LeadLineArena, line: UnsafeBufferPointer<UInt8>,
        interner: inout LeadLineInterner, to direct: OneLeadEvents
    ) -> Bool {
        let width = model.predicates.propertyNames.count
        for e in record.eventStart..<record.eventEnd {
            let event = arena.events[e]
            // Events before `behavior_since` never count (SPEC §13): they are not kept.
            guard event.at >= record.since else { continue }
            var eventClass = event.eventClass
            if eventClass == LineValue.unresolved {
                eventClass = arena.withBytes(event.typeStart, event.typeCount, line: line) {
                    interner.eventClass($0, in: &self)
                }
            }
            guard eventClass >= 0 else { continue }
            var route = classRoutes[Int(eventClass)]
            if route == Self.routeDependsOnEvent {
                direct.clearSlots()
                if event.values >= 0 {
                    for k in 0..<width {
                        direct.slots[k] = propertySlot(arena.values[event.values + k], arena, line: line, interner: &interner)
                    }
                }
                // No rule can count it: dropped, as `appendEvent(class:at:)` drops it.
                guard let decided = self.route(class: eventClass, slots: UnsafeBufferPointer(direct.slots)) else {
                    continue
                }
                route = decided
            }
            guard route >= 0 else {
                direct.bailed = true
                return false
            }
            direct.append(at: event.at, route: route)
        }
        return true
    }

    private mutating func appendAttributes(
        _ record: LeadLineRecord, _ arena: LeadLineArena, line: UnsafeBufferPointer<UInt8>,
        interner: inout LeadLineInterner
    ) {
        let (numberStart, boolStart, stringStart, setStart) = appendMissingAttributeRow()
        let slots = model.attributes.slots
        for (i, type) in model.attributes.types.enumerated() {
            let value = arena.values[record.values + i]
            guard value.kind != .missing else { continue }
            let slot = Int(slots[i])
            switch type {
            case .number: numbers[numberStart + slot] = value.number
            case .bool: bools[boolStart + slot] = value.number == 1 ? 1 : 0
            case .string: strings[stringStart + slot] = symbol(value, arena, line: line, interner: &interner)
            case .strings:
                setRanges[setStart + slot * 2] = Int32(setMembers.count)
                setRanges[setStart + slot * 2 + 1] = Int32(value.count)
                for m in value.start..<(value.start + value.count) {
                    setMembers.append(symbol(arena.members[m], arena, line: line, interner: &interner))
                }
            }
        }
    }

    private mutating func propertySlot(
        _ value: LineValue, _ arena: LeadLineArena, line: UnsafeBufferPointer<UInt8>, interner: inout LeadLineInterner
    ) -> PropertySlot {
        switch value.kind {
        case .missing: return PropertySlot(kind: .missing)
        case .number: return PropertySlot(kind: .number, number: value.number)
        case .bool: return PropertySlot(kind: .bool, number: value.number)
        case .string: return PropertySlot(kind: .string, symbol: symbol(value, arena, line: line, interner: &interner))
        case .strings:
            let start = Int32(propertySetMembers.count)
            for m in value.start..<(value.start + value.count) {
                propertySetMembers.append(symbol(arena.members[m], arena, line: line, interner: &interner))
            }
            return PropertySlot(kind: .strings, symbol: start, setCount: Int32(value.count))
        case .other: return PropertySlot(kind: .other)
        }
    }

    @inline(__always)
    private mutating func symbol(
        _ value: LineValue, _ arena: LeadLineArena, line: UnsafeBufferPointer<UInt8>, interner: inout LeadLineInterner
    ) -> Int32 {
        if value.symbol != LineValue.unresolved { return value.symbol }
        return arena.withBytes(value.start, value.count, line: line) { interner.symbol($0, in: &self) }
    }
}

/// A batch's memory of the strings and event types it has numbered, by
/// their bytes as they appear in documents: the second time, a string the
/// model does not know costs one byte-table probe instead of a comparison
/// key and a `String` dictionary look-up. Valid for one batch, while
/// nothing renumbers its local symbols (appending never does).
struct LeadLineInterner {
    private var texts = ByteKeyTable()
    private var symbols: [Int32] = []
    private var types = ByteKeyTable()
    private var classes: [Int32] = []
    /// What ``LeadBatch/appendThroughTables(_:tables:interner:key:events:)``
    /// found for small `String`s, by their words: event types' classes,
    /// strings' symbols, and attribute names' places (see there).
    var smallTypes = SmallStringCache()
    var smallTexts = SmallStringCache()
    var smallNames = SmallStringCache()

    /// The batch's symbol for the string `bytes`.
    mutating func symbol(_ bytes: UnsafeBufferPointer<UInt8>, in batch: inout LeadBatch) -> Int32 {
        let hash = ByteKeyTable.hash(bytes)
        if let id = texts.find(bytes, hash: hash) { return symbols[Int(id)] }
        let symbol = batch.symbol(String(decoding: bytes, as: UTF8.self))
        _ = texts.insert(bytes, hash: hash)
        symbols.append(symbol)
        return symbol
    }

    /// The batch's rule class for the event type `bytes` (-1: no rule matches it).
    mutating func eventClass(_ bytes: UnsafeBufferPointer<UInt8>, in batch: inout LeadBatch) -> Int32 {
        let hash = ByteKeyTable.hash(bytes)
        if let id = types.find(bytes, hash: hash) { return classes[Int(id)] }
        let eventClass = batch.eventClass(of: String(decoding: bytes, as: UTF8.self))
        _ = types.insert(bytes, hash: hash)
        classes.append(eventClass)
        return eventClass
    }
}
