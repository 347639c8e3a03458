/// One event property column for ``LeadBatch/setEvents(types:lead:type:at:properties:)``:
/// a value per event, of one kind (as a JSON value's kind gives a property its
/// type, SPEC §3). The buffers are the caller's and are read during the call only.
package enum EventPropertyColumn {
    /// Numbers; NaN is absent.
    case numbers(UnsafeBufferPointer<Double>)
    /// Booleans: 0 false, 1 true, -1 absent.
    case bools(UnsafeBufferPointer<Int8>)
    /// Strings as dictionary ids; -1 is absent.
    case strings(dictionary: [String], ids: UnsafeBufferPointer<Int32>)
    /// String sets: event k's members are `members[offsets[k]..<offsets[k+1]]`
    /// (dictionary ids); `present[k] == 0` marks it absent.
    case stringSets(
        dictionary: [String], offsets: UnsafeBufferPointer<Int64>, members: UnsafeBufferPointer<Int32>,
        present: UnsafeBufferPointer<UInt8>?)

    /// Checks the column against `n` events; `name` is how errors name it.
    func validate(_ name: String, events n: Int) throws(ColumnError) {
        switch self {
        case .numbers(let values):
            guard values.count == n else { throw ColumnError("\(name): \(values.count) values for \(n) events") }
            if let bad = values.firstIndex(where: { $0.isInfinite }) {
                throw ColumnError("\(name)[\(bad)]: expected a finite number or NaN (absent)")
            }
        case .bools(let values):
            guard values.count == n else { throw ColumnError("\(name): \(values.count) values for \(n) events") }
            if let bad = values.firstIndex(where: { $0 < -1 || $0 > 1 }) {
                throw ColumnError("\(name)[\(bad)]: expected 0, 1 or -1 (absent), found \(values[bad])")
            }
        case .strings(let dictionary, let ids):
            guard ids.count == n else { throw ColumnError("\(name): \(ids.count) values for \(n) events") }
            if let bad = ids.firstIndex(where: { $0 < -1 || Int($0) >= dictionary.count }) {
                throw ColumnError("\(name)[\(bad)]: id \(ids[bad]) is outside the dictionary of \(dictionary.count)")
            }
        case .stringSets(let dictionary, let offsets, let members, let present):
            guard offsets.count == n + 1, present.map({ $0.count == n }) ?? true else {
                throw ColumnError("\(name): offsets (or present) do not match the \(n) events")
            }
            guard offsets.first == 0, offsets.last == Int64(members.count) else {
                throw ColumnError("\(name): offsets must start at 0 and end at the member count \(members.count)")
            }
            for k in 0..<n where offsets[k] > offsets[k + 1] {
                throw ColumnError("\(name): offsets[\(k + 1)] is less than offsets[\(k)]")
            }
            if let bad = members.firstIndex(where: { $0 < 0 || Int($0) >= dictionary.count }) {
                throw ColumnError("\(name): member id \(members[bad]) is outside the dictionary of \(dictionary.count)")
            }
        }
    }

    var dictionaryCount: Int {
        switch self {
        case .numbers, .bools: 0
        case .strings(let dictionary, _), .stringSets(let dictionary, _, _, _): dictionary.count
        }
    }

    var memberCount: Int {
        if case .stringSets(_, _, let members, _) = self { return members.count }
        return 0
    }
}

extension LeadBatch {
    /// The names of the event properties the model's rules read (`prop`
    /// predicates), in the order the batch keeps them.
    package var eventPropertyNames: [String] { model.predicates.propertyNames }

    /// Replaces every lead's events. Event k belongs to lead `lead[k]`, has
    /// type `types[type[k]]` and time `at[k]`; `properties` gives, by name, the
    /// columns of the properties events carry (names no rule reads are ignored).
    /// Validates everything before it changes anything.
    package mutating func setEvents(
        types: [String], lead: UnsafeBufferPointer<UInt32>, type: UnsafeBufferPointer<Int32>,
        at: UnsafeBufferPointer<Double>, properties byName: [String: EventPropertyColumn]
    ) throws(ColumnError) {
        let n = lead.count
        guard type.count == n, at.count == n else {
            throw ColumnError("event arrays differ in length")
        }
        // The common shapes, no property the model reads or one numeric one,
        // take the column fill of `funnel_batch_set_events` (one pass per lead).
        let read = byName.filter { model.predicates.propertyIndex[$0.key] != nil }
        if read.isEmpty {
            return try setEvents(types: types, lead: lead, type: type, at: at, property: nil, values: nil)
        }
        if read.count == 1, let (name, column) = read.first, case .numbers(let values) = column {
            try column.validate(name, events: n)
            return try setEvents(types: types, lead: lead, type: type, at: at, property: name, values: values)
        }
        if let bad = lead.firstIndex(where: { Int($0) >= count }) {
            throw ColumnError("event_lead[\(bad)]: lead \(lead[bad]) is outside the batch of \(count)")
        }
        if let bad = type.firstIndex(where: { $0 < 0 || Int($0) >= types.count }) {
            throw ColumnError("event_type[\(bad)]: type id \(type[bad]) is outside the \(types.count) types")
        }
        if let bad = at.firstIndex(where: { !$0.isFinite }) {
            throw ColumnError("event_at[\(bad)]: expected a finite time")
        }
        let width = model.predicates.propertyNames.count
        // Per property slot the model reads, the column that fills it (nil: absent everywhere).
        var columns = [EventPropertyColumn?](repeating: nil, count: width)
        var texts = 0
        var members = 0
        for (name, column) in byName {
            guard let p = model.predicates.propertyIndex[name] else { continue }
            try column.validate(name, events: n)
            columns[p] = column
            texts += column.dictionaryCount
            members += column.memberCount
        }
        guard members <= Int(Int32.max) else {
            throw ColumnError("more string-set members than one batch holds (\(Int32.max))", isLimit: true)
        }
        guard hasRoomForSymbols(texts) else {
            throw ColumnError("more distinct strings than one batch holds (\(maxSymbols))", isLimit: true)
        }
        // From here on nothing can fail but memory: forget the old events and add the new ones, grouped by lead.
        let symbols: [[Int32]] = columns.map { column in
            switch column {
            case .strings(let dictionary, _)?, .stringSets(let dictionary, _, _, _)?: dictionary.map { symbol($0) }
            default: []
            }
        }
        let classes = types.map { eventClass(of: $0) }
        var perLead = [Int](repeating: 0, count: count + 1)
        for k in 0..<n where classes[Int(type[k])] >= 0 { perLead[Int(lead[k]) + 1] += 1 }
        for i in 0..<count { perLead[i + 1] += perLead[i] }
        var order = [Int](repeating: 0, count: perLead[count])
        var next = perLead
        for k in 0..<n where classes[Int(type[k])] >= 0 {
            order[next[Int(lead[k])]] = k
            next[Int(lead[k])] += 1
        }
        let kept = perLead[count]
        var starts = Column<Int>([0])
        var routes = Column<Int32>()
        var times = Column<Double>()
        var weights = Column<Double>()
        var slots = Column<PropertySlot>()
        var references = Column<Double>()
        var ready = Column<UInt8>()
        var spans = Column<EventSpan>()
        var sumStarts = Column<Int>([0])
        guard starts.tryReserveCapacity(count + 1), routes.tryReserveCapacity(kept), times.tryReserveCapacity(kept),
            weights.tryReserveCapacity(kept), slots.tryReserveCapacity(kept * width),
            references.tryReserveCapacity(count), ready.tryReserveCapacity(count), spans.tryReserveCapacity(count),
            sumStarts.tryReserveCapacity(count + 1)
        else {
            throw ColumnError("not enough memory for \(kept) events", isLimit: true)
        }
        eventStart = starts
        eventRoute = routes
        eventAt = times
        eventValue = weights
        properties = slots
        propertySetMembers = Column()
        leadReference = references
        leadDecayReady = ready
        leadSpans = spans
        ruleSumStart = sumStarts
        ruleSumRule = Column()
        ruleSumValue = Column()
        frequencyStart = Column([0])
        frequencyRule = Column()
        frequencyAt = Column()
        func appendProperties(_ k: Int, _ batch: inout LeadBatch) {
            for p in 0..<width {
                switch columns[p] {
                case .numbers(let values)?:
                    let x = values[k]
                    batch.properties.append(x.isNaN ? PropertySlot(kind: .missing) : PropertySlot(kind: .number, number: x))
                case .bools(let values)?:
                    let b = values[k]
                    batch.properties.append(b < 0 ? PropertySlot(kind: .missing) : PropertySlot(kind: .bool, number: Double(b)))
                case .strings(_, let ids)?:
                    let id = ids[k]
                    batch.properties.append(
                        id < 0 ? PropertySlot(kind: .missing) : PropertySlot(kind: .string, symbol: symbols[p][Int(id)]))
                case .stringSets(_, let offsets, let members, let present)?:
                    if let present, present[k] == 0 {
                        batch.properties.append(PropertySlot(kind: .missing))
                    } else {
                        let start = Int32(batch.propertySetMembers.count)
                        let range = Int(offsets[k])..<Int(offsets[k + 1])
                        for m in range { batch.propertySetMembers.append(symbols[p][Int(members[m])]) }
                        batch.properties.append(PropertySlot(kind: .strings, symbol: start, setCount: Int32(range.count)))
                    }
                case nil:
                    batch.properties.append(PropertySlot(kind: .missing))
                }
            }
        }
        for i in 0..<count {
            let events = perLead[i]..<perLead[i + 1]
            // The weights' reference: the first countable event in input order.
            for k in order[events] {
                let eventClass = classes[Int(type[k])]
                if classRoutes[Int(eventClass)] != Self.routeDependsOnEvent {
                    // Its rules read no property of the event: it counts whatever they are.
                    setPendingReference(at[k])
                    break
                }
                let memberCount = propertySetMembers.count
                appendProperties(k, &self)
                let counts = canCount(class: classes[Int(type[k])])
                properties.removeLast(toCount: properties.count - width)
                propertySetMembers.removeLast(toCount: memberCount)
                if counts {
                    setPendingReference(at[k])
                    break
                }
            }
            // Newest first, as ingestion keeps them: sorting the indices here
            // spares `finishLeadEvents` moving the events themselves.
            order.withUnsafeMutableBufferPointer { sortNewestFirst($0[events], at) }
            for k in order[events] {
                appendProperties(k, &self)
                appendEvent(class: classes[Int(type[k])], at: at[k])
            }
            finishLeadEvents()
        }
    }

    /// Sorts event indices by their time, newest first; stable (the indices
    /// arrive ascending, so ties keep input order). Runs already newest first,
    /// or strictly oldest first (reversed here), take one pass.
    private func sortNewestFirst(_ events: Slice<UnsafeMutableBufferPointer<Int>>, _ at: UnsafeBufferPointer<Double>) {
        var events = events
        guard events.count > 1 else { return }
        let (first, end) = (events.startIndex, events.endIndex)
        var newestFirst = true
        var strictlyOldestFirst = true
        for e in (first + 1)..<end {
            let (previous, current) = (at[events[e - 1]], at[events[e]])
            if current > previous { newestFirst = false }
            if !(current > previous) { strictlyOldestFirst = false }
        }
        if newestFirst { return }
        if strictlyOldestFirst {
            var (low, high) = (first, end - 1)
            while low < high {
                events.swapAt(low, high)
                low += 1
                high -= 1
            }
            return
        }
        if events.count <= 64 {
            // Insertion sort of (time, index) pairs held together: one load per comparison.
            let n = events.count
            withUnsafeTemporaryAllocation(of: (at: Double, k: Int).self, capacity: n) { pairs in
                for j in 0..<n { pairs[j] = (at[events[first + j]], events[first + j]) }
                for e in 1..<n {
                    let item = pairs[e]
                    var j = e
                    while j > 0 && pairs[j - 1].at < item.at {
                        pairs[j] = pairs[j - 1]
                        j -= 1
                    }
                    pairs[j] = item
                }
                for j in 0..<n { events[first + j] = pairs[j].k }
            }
        } else {
            events.sort { at[$0] != at[$1] ? at[$0] > at[$1] : $0 < $1 }
        }
    }
}
