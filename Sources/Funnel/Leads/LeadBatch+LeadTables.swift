/// Adding a ``Lead`` through the model's byte tables (``LeadLineTables``):
/// the names and strings of its dictionaries are found by their bytes, as
/// the JSON Lines reader finds them, instead of by hashing `String`s, so
/// that scoring one lead (``OneLeadScratch/score(_:at:)``) spends its time
/// scoring.
extension LeadBatch {
    /// Adds `lead` as ``append(_:)`` does: the same columns to the bit, with
    /// equal symbols where it gives equal ones (their numbers may differ,
    /// and no result shows them). False when the lead needs ``append(_:)``
    /// instead, which reports what is wrong: a value that does not fit its
    /// declaration, an unknown stage, an event time that is not finite, a
    /// name the tables cannot find by its bytes (a non-ASCII one), a batch
    /// limit; the batch is then partly changed and must be emptied.
    ///
    /// `interner` remembers the strings and event types the model does not
    /// know (see ``LeadLineInterner``); `key` is room for comparison keys.
    /// `tables` must be the model's (``CompiledModel/lineTables``).
    ///
    /// With `direct`, the lead's events go there instead of into the batch
    /// (see ``OneLeadEvents``); an event whose route only scoring can decide
    /// then gives false too, with `direct.bailed` set.
    mutating func appendThroughTables(
        _ lead: Lead, tables: borrowing LeadLineTables, interner: inout LeadLineInterner, key: inout [UInt8],
        events direct: OneLeadEvents? = nil
    ) -> Bool {
        guard tables.enabled, let stage = try? model.checkedStage(lead.stage) else { return false }
        // The events are read in place, field by field: binding each to a
        // local copied it (its type and properties retained and released),
        // once per loop over them.
        return lead.events.withUnsafeBufferPointer { events in
            appendThroughTables(lead, events, stage: stage, tables: tables, interner: &interner, key: &key, direct)
        }
    }

    /// ``appendThroughTables(_:tables:interner:key:)`` once `lead`'s stage is
    /// found, its events being `events`.
    private mutating func appendThroughTables(
        _ lead: borrowing Lead, _ events: UnsafeBufferPointer<Event>, stage: Int32, tables: borrowing LeadLineTables,
        interner: inout LeadLineInterner, key: inout [UInt8], _ direct: OneLeadEvents?
    ) -> Bool {
        for e in events.indices where !events[e].at.isFinite { return false }
        let before = (symbols: localSymbols.count, members: setMembers.count + propertySetMembers.count)
        // What `append(_:)` counts against the batch's limits before it adds anything.
        var texts = 0
        var members = 0
        while ids.count < count { ids.append(String(ids.count)) }
        if stages.count < count { stages.append(contentsOf: repeatElement(-1, count: count - stages.count)) }
        ids.append(lead.id)
        stages.append(stage)
        let (numberStart, boolStart, stringStart, setStart) = appendMissingAttributeRow()
        let slots = model.attributes.slots
        for (name, value) in lead.attributes {
            let i = Self.attributeIndex(name, tables, &interner)
            if i == Self.absentName { continue }
            if i == Self.unknownName { return false }
            let slot = Int(slots[i])
            switch (tables.attributeTypes[i], value) {
            case (_, .null): break
            case (.number, .number(let x)):
                guard x.isFinite else { return false }
                numbers[numberStart &+ slot] = x
            case (.bool, .bool(let b)): bools[boolStart &+ slot] = b ? 1 : 0
            case (.string, .string(let text)):
                texts &+= 1
                strings[stringStart &+ slot] = symbol(text, tables, &interner, &key)
            case (.strings, .strings(let list)):
                texts &+= list.count
                members &+= list.count
                setRanges[setStart &+ slot &* 2] = Int32(truncatingIfNeeded: setMembers.count)
                setRanges[setStart &+ slot &* 2 &+ 1] = Int32(truncatingIfNeeded: list.count)
                for text in list { setMembers.append(symbol(text, tables, &interner, &key)) }
            default: return false
            }
        }
        let width = tables.propertyNames.count
        // Every event's strings count against the limits, kept or not; and
        // whatever sends the lead to `append(_:)` is found before any event
        // is added (an added event leaves the lead's decay reference set).
        if width > 0 {
            for e in events.indices where !events[e].properties.isEmpty {
                for (name, value) in events[e].properties {
                    switch Self.find(name, in: tables.propertyNames) {
                    case .found: break
                    case .absent: continue
                    case .unknown: return false
                    }
                    switch value {
                    case .string: texts &+= 1
                    case .strings(let list):
                        texts &+= list.count
                        members &+= list.count
                    default: break
                    }
                }
            }
        }
        guard before.members + members <= Int(Int32.max),
            model.predicates.symbolKeys.count + before.symbols + texts <= maxSymbols
        else { return false }
        let omitted = eventRoute.count * width - properties.count
        if omitted > 0 { properties.append(contentsOf: repeatElement(PropertySlot(kind: .missing), count: omitted)) }
        let since = lead.behaviorSince ?? -.infinity
        // Two loops, `direct` unwrapped once: unwrapped per event, it was
        // retained and released around each event's gathering.
        if let direct {
            for e in events.indices {
                // Events before `behavior_since` never count (SPEC §13): they are not kept.
                let at = events[e].at
                guard at >= since else { continue }
                let eventClass = eventClass(of: events[e].type, tables, &interner)
                guard eventClass >= 0 else { continue }
                // The usual event: its class has one rule, decided without its properties.
                let fixed = classRoutes[Int(eventClass)]
                if fixed >= 0 {
                    direct.append(at: at, route: fixed)
                    continue
                }
                guard gather(e, events, class: eventClass, tables, &interner, &key, into: direct) else {
                    direct.bailed = true
                    return false
                }
            }
        } else {
            for e in events.indices {
                let at = events[e].at
                guard at >= since else { continue }
                let eventClass = eventClass(of: events[e].type, tables, &interner)
                guard eventClass >= 0 else { continue }
                appendEvent(e, events, class: eventClass, width: width, tables, &interner, &key)
            }
        }
        finishLeadEvents()
        count += 1
        return true
    }

    /// Adds event `e` of `events`, of class `eventClass` (>= 0), with its properties.
    @inline(__always)
    private mutating func appendEvent(
        _ e: Int, _ events: UnsafeBufferPointer<Event>, class eventClass: Int32, width: Int,
        _ tables: borrowing LeadLineTables, _ interner: inout LeadLineInterner, _ key: inout [UInt8]
    ) {
        if width > 0 {
            let base = properties.count
            if width == 1 {
                properties.append(PropertySlot(kind: .missing))
            } else {
                properties.append(contentsOf: repeatElement(PropertySlot(kind: .missing), count: width))
            }
            if !events[e].properties.isEmpty {
                for (name, value) in events[e].properties {
                    guard case .found(let p) = Self.find(name, in: tables.propertyNames) else { continue }
                    properties[base &+ p] = propertySlot(value, tables, &interner, &key)
                }
            }
        }
        appendEvent(class: eventClass, at: events[e].at)
    }

    /// Gathers event `e` of `events`, of class `eventClass` (>= 0), into
    /// `direct` with its route, as ``appendEvent(class:at:)`` decides it
    /// (dropped when no rule can count it); false when only scoring can
    /// decide it. Out of line: ``appendThroughTables(_:tables:interner:key:events:)``
    /// gathers an event of a fixed route itself.
    @inline(never)
    private mutating func gather(
        _ e: Int, _ events: UnsafeBufferPointer<Event>, class eventClass: Int32, _ tables: borrowing LeadLineTables,
        _ interner: inout LeadLineInterner, _ key: inout [UInt8], into direct: OneLeadEvents
    ) -> Bool {
        var route = classRoutes[Int(eventClass)]
        if route == Self.routeDependsOnEvent {
            direct.clearSlots()
            if !events[e].properties.isEmpty {
                for (name, value) in events[e].properties {
                    guard case .found(let p) = Self.find(name, in: tables.propertyNames) else { continue }
                    direct.slots[p] = propertySlot(value, tables, &interner, &key)
                }
            }
            guard let decided = self.route(class: eventClass, slots: UnsafeBufferPointer(direct.slots)) else {
                return true
            }
            route = decided
        }
        guard route >= 0 else { return false }
        direct.append(at: events[e].at, route: route)
        return true
    }

    /// Where attribute `name` is in the model's attributes, as
    /// ``find(_:in:)`` finds it in `tables.attributeNames`: its index, or
    /// ``absentName`` or ``unknownName``; remembered for small names.
    @inline(__always)
    private static func attributeIndex(
        _ name: String, _ tables: borrowing LeadLineTables, _ interner: inout LeadLineInterner
    ) -> Int {
        let small = SmallString(name)
        if let small, let known = interner.smallNames.value(small) { return Int(known) }
        let index: Int
        switch find(name, in: tables.attributeNames) {
        case .found(let i): index = i
        case .absent: index = absentName
        case .unknown: index = unknownName
        }
        if let small { interner.smallNames.keep(small, Int32(truncatingIfNeeded: index)) }
        return index
    }

    /// ``attributeIndex(_:_:_:)`` for a name the model does not have, and
    /// for one its bytes cannot tell (see ``NameLookup``).
    private static let absentName = -1
    private static let unknownName = -2

    /// Where `name` is in `names`, found by its bytes.
    private enum NameLookup {
        /// At this index.
        case found(Int)
        /// Not there: no name of the model.
        case absent
        /// Its bytes cannot tell: it is not ASCII (a `String` look-up would
        /// also find canonically equivalent spellings), or it is empty.
        case unknown
    }

    @inline(__always)
    private static func find(_ name: String, in names: NameList) -> NameLookup {
        name.utf8.withContiguousStorageIfAvailable { bytes -> NameLookup in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return .unknown }
            if let index = names.find(base, bytes.count) { return .found(index) }
            for byte in bytes where byte >= 0x80 { return .unknown }
            return .absent
        } ?? .unknown
    }

    /// `text`'s symbol, as `symbol(_:)` gives it: an ASCII comparison key
    /// (trimmed, lower-cased) is looked up in the model's table; any other
    /// string, and one the model does not know, goes through `interner`.
    @inline(__always)
    private mutating func symbol(
        _ text: String, _ tables: borrowing LeadLineTables, _ interner: inout LeadLineInterner, _ key: inout [UInt8]
    ) -> Int32 {
        // A small string met before: its two words, no key made.
        let small = SmallString(text)
        if let small, let known = interner.smallTexts.value(small) { return known }
        let symbol = lookUpSymbol(text, tables, &interner, &key)
        if let small { interner.smallTexts.keep(small, symbol) }
        return symbol
    }

    /// ``symbol(_:_:_:_:)`` by the text's bytes.
    private mutating func lookUpSymbol(
        _ text: String, _ tables: borrowing LeadLineTables, _ interner: inout LeadLineInterner, _ key: inout [UInt8]
    ) -> Int32 {
        let found = text.utf8.withContiguousStorageIfAvailable { bytes -> Int32 in
            var (low, high) = (0, bytes.count)
            while low < high && Self.isASCIIWhiteSpace(bytes[low]) { low &+= 1 }
            while high > low && Self.isASCIIWhiteSpace(bytes[high &- 1]) { high &-= 1 }
            // The key is written through a pointer into `key`, kept at least
            // as long as any text met (appending byte by byte cost a third
            // of the look-up).
            let n = high &- low
            if key.count < n { key = [UInt8](repeating: 0, count: Swift.max(n, 64)) }
            let id = key.withUnsafeMutableBufferPointer { room -> Int32? in
                for k in 0..<n {
                    let c = bytes[low &+ k]
                    if c >= 0x80 { return nil }
                    room[k] = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
                }
                return tables.symbols.find(UnsafeBufferPointer(rebasing: room[..<n]))
            }
            if let id { return tables.symbolIDs[Int(id)] }
            return interner.symbol(bytes, in: &self)
        }
        return found ?? symbol(text)
    }

    /// The rule class of an event of type `type`, as `eventClass(of:)` gives it.
    @inline(__always)
    private mutating func eventClass(
        of type: String, _ tables: borrowing LeadLineTables, _ interner: inout LeadLineInterner
    ) -> Int32 {
        // A small string (most types) met before: its two words, no bytes read.
        let small = SmallString(type)
        if let small, let known = interner.smallTypes.value(small) { return known }
        let eventClass = lookUpEventClass(of: type, tables, &interner)
        if let small { interner.smallTypes.keep(small, eventClass) }
        return eventClass
    }

    /// ``eventClass(of:_:_:)`` by the type's bytes.
    private mutating func lookUpEventClass(
        of type: String, _ tables: borrowing LeadLineTables, _ interner: inout LeadLineInterner
    ) -> Int32 {
        let found = type.utf8.withContiguousStorageIfAvailable { bytes -> Int32 in
            if let base = bytes.baseAddress, !bytes.isEmpty, let k = tables.typeNames.find(base, bytes.count) {
                return tables.typeClasses[k]
            }
            return interner.eventClass(bytes, in: &self)
        }
        return found ?? eventClass(of: type)
    }

    /// An event property's value as `propertySlot(_:)` makes it.
    private mutating func propertySlot(
        _ value: LeadValue, _ tables: borrowing LeadLineTables, _ interner: inout LeadLineInterner, _ key: inout [UInt8]
    ) -> PropertySlot {
        switch value {
        case .null: return PropertySlot(kind: .missing)
        case .number(let x): return PropertySlot(kind: .number, number: x)
        case .bool(let b): return PropertySlot(kind: .bool, number: b ? 1 : 0)
        case .string(let text): return PropertySlot(kind: .string, symbol: symbol(text, tables, &interner, &key))
        case .strings(let list):
            let start = Int32(truncatingIfNeeded: propertySetMembers.count)
            for text in list { propertySetMembers.append(symbol(text, tables, &interner, &key)) }
            return PropertySlot(kind: .strings, symbol: start, setCount: Int32(truncatingIfNeeded: list.count))
        case .other: return PropertySlot(kind: .other)
        }
    }

    /// ASCII characters with the Unicode White_Space property: tab…CR and space.
    @inline(__always)
    private static func isASCIIWhiteSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
