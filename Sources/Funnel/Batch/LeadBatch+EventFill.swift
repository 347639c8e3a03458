/// Filling the event columns from raw event columns (``LeadBatch/setEvents(types:lead:type:at:property:values:)``).
///
/// Events grouped by lead (the lead column never decreases, as an export
/// ordered by lead gives them) take one pass: each lead's run is filtered into
/// the columns, ordered newest first, weighed and summed while it is in cache.
/// Events in any other order take a counting sort by lead (count, prefix sums,
/// a stable scatter that keeps input order within a lead), then the same pass
/// per lead. Either way the columns are exactly those that appending the same
/// events lead by lead gives (same routes, references, weights, order and
/// sums), without per-lead arrays or per-event allocations, each allocated once
/// and written once.
extension LeadBatch {
    /// Replaces every lead's events with the given ones, already validated;
    /// `grouped` when `lead` never decreases.
    ///
    /// `checking`: the columns are not validated yet: the one pass for
    /// grouped events checks them as it goes, and at the first thing it
    /// does not take (a lead id that decreases or is outside the batch, a
    /// type id outside `types`, a time that is not finite, an infinite
    /// property value, also of a property no rule reads, a route left to
    /// scoring, a failed allocation) returns false with the events
    /// unchanged, for the caller to check every column and word the error,
    /// or take the other path.
    ///
    /// - Returns: Whether the events were replaced (always, unless `checking`).
    /// - Throws: ``ColumnError`` (a limit) when the memory for the columns
    ///   cannot be had; the events are then unchanged.
    ///
    /// - Complexity: O(events + leads), plus per lead O(events²) branch-free
    ///   comparisons for up to 128 events out of order, O(events × log(events)) beyond.
    mutating func fillEvents(
        types: [String], lead: UnsafeBufferPointer<UInt32>, type: UnsafeBufferPointer<Int32>,
        at: UnsafeBufferPointer<Double>, property: String?, values: UnsafeBufferPointer<Double>?, grouped: Bool,
        checking: Bool = false
    ) throws(ColumnError) -> Bool {
        let n = lead.count
        // Type ids compare as unsigned below this (negative ones are large).
        guard !checking || types.count <= Int(Int32.max) else { return false }
        let typeLimit = UInt32(truncatingIfNeeded: Swift.min(types.count, Int(UInt32.max)))
        let leads = count
        let width = model.predicates.propertyNames.count
        let propertyIndex = property.flatMap { model.predicates.propertyIndex[$0] } ?? -1
        // Every given value is checked, also those of a property no rule
        // reads (which `values` below then leaves out).
        let givenValues = values
        let values = propertyIndex >= 0 ? values : nil
        let router = EventRouter(&self, types: types, type: type, property: property, values: values)
        let routeTable = router.routeTable
        @inline(__always) func route(_ k: Int) -> Int64 { router.route(k) }
        // Per type, the frequency rules that list its events (usually none, and then no type column).
        let typeFrequency: [[Int32]] = router.typeClasses.map { $0 < 0 ? [] : classFrequencyRules[Int($0)] }
        let listsFrequency = typeFrequency.contains { !$0.isEmpty }
        let ruleCount = model.scoring.behaviorRoots.count
        let limit = ColumnError("not enough memory for \(n) events", isLimit: true)

        // Grouped: one pass, as long as no route is left to scoring (properties
        // would then have to be kept, and the counting sort keeps them).
        if grouped || checking {
            let sumBound = Swift.min(n, leads.multipliedReportingOverflow(by: ruleCount).overflow ? n : leads * ruleCount)
            guard var starts = Column<Int>(tryUninitializedCount: leads + 1),
                var routes = Column<Int32>(tryUninitializedCount: n),
                var times = Column<Double>(tryUninitializedCount: n),
                var weights = Column<Double>(tryUninitializedCount: n),
                var eventTypes = Column<Int32>(tryUninitializedCount: listsFrequency ? n : 0),
                var finisher = EventFinisher(self, leads: leads, sums: keepsRuleSums ? sumBound : 0, typeFrequency)
            else {
                if checking { return false }
                throw limit
            }
            let (start, route32, time) = (starts.mutableBase(), routes.mutableBase(), times.mutableBase())
            let eventType = listsFrequency ? eventTypes.mutableBase() : nil
            let value = weights.mutableBase()
            var (e, k, next) = (0, 0, 0)
            var late = false
            start[0] = 0
            // Checking: the given property values are checked in blocks a
            // little ahead of the gathering (a whole block before any of
            // its events is gathered), so that those `route` reads (one
            // event in a hundred, say, too far apart for the prefetcher)
            // are in cache, not each a miss as after a pass over the whole
            // column. Every value is checked before the columns are installed.
            var checkedEnd = checking && givenValues != nil ? 0 : n
            func checkValues(to end: Int) -> Bool {
                guard let givenValues, checkedEnd < end else { return true }
                let block = UnsafeBufferPointer(rebasing: givenValues[checkedEnd..<end])
                checkedEnd = end
                return Self.valuesFit(block)
            }
            while k < n && !late {
                if checkedEnd &- k < 2048 && checkedEnd < n {
                    guard checkValues(to: Swift.min(n, k &+ 8192)) else { return false }
                }
                let i = Int(lead[k])
                // Runs come in lead order, each lead's in one run.
                if checking && (i < next || i >= leads) { return false }
                while next < i {
                    finisher.finish(next, 0..<0, time, route32, nil, value, eventType)
                    start[next &+ 1] = e
                    next &+= 1
                }
                let first = e
                // A run that fits the scratch, without frequency lists (as
                // usual): gathered there, then weighed, ordered and placed
                // into the columns in one go (``EventFinisher/finishOrdered``).
                if eventType == nil {
                    // The run's end, if it fits the scratch; then its events,
                    // each type's fixed route (a route, as usual, or negative:
                    // dropped, decided by the event, or left to scoring).
                    // Gathered while the lead lasts, up to the scratch's capacity.
                    let (gatheredAt, gatheredRoute) = (finisher.scratch.at, finisher.scratch.route)
                    let runStart = k
                    let most = Swift.min(n &- k, LeadScratch.capacity)
                    let leadID = lead[k]
                    // Not empty: k < n.
                    let (runLead, runType, runAt) = (
                        lead.baseAddress.unsafelyUnwrapped + runStart, type.baseAddress.unsafelyUnwrapped + runStart,
                        at.baseAddress.unsafelyUnwrapped + runStart
                    )
                    var runLength = 0
                    var routeBits: Int32 = 0
                    repeat {
                        let t = runType[runLength]
                        if UInt32(bitPattern: t) >= typeLimit { return false }
                        let r = routeTable[Int(t)]
                        routeBits |= r
                        gatheredRoute[runLength] = r
                        gatheredAt[runLength] = runAt[runLength]
                        runLength &+= 1
                    } while runLength < most && runLead[runLength] == leadID
                    let runEnd = runStart &+ runLength
                    if runEnd == n || lead[runEnd] != leadID {
                        var m = runLength
                        if routeBits < 0 {
                            // Some route is not fixed: the gathered run again,
                            // deciding those and dropping what no rule counts.
                            m = 0
                            for j in 0..<runLength {
                                var r = gatheredRoute[j]
                                if r < 0 {
                                    if r == Self.routeDependsOnEvent { r = EventRouter.routeCode(route(runStart &+ j)) }
                                    if r == EventRouter.droppedCode {
                                        // Not passed on, so not checked by `finishOrdered`: its time is checked here.
                                        if checking && !gatheredAt[j].isFinite { return false }
                                        continue
                                    }
                                    if r < 0 {
                                        late = true
                                        break
                                    }
                                }
                                gatheredRoute[m] = r
                                gatheredAt[m] = gatheredAt[j]
                                m &+= 1
                            }
                            if late { break }
                        }
                        k = runEnd
                        guard finisher.finishOrdered(i, first, m, time, route32, value) else { return false }
                        e &+= m
                        start[i &+ 1] = e
                        next = i &+ 1
                        continue
                    }
                    // Longer than the scratch: the path below.
                }
                while k < n && Int(lead[k]) == i {
                    if checking && (UInt32(bitPattern: type[k]) >= typeLimit || !at[k].isFinite) { return false }
                    let r = route(k)
                    k &+= 1
                    if r == EventRouter.dropped { continue }
                    if r < 0 {
                        late = true
                        break
                    }
                    route32[e] = Int32(truncatingIfNeeded: r)
                    time[e] = at[k &- 1]
                    eventType?[e] = type[k &- 1]
                    e &+= 1
                }
                finisher.finish(i, first..<e, time, route32, nil, value, eventType)
                start[i &+ 1] = e
                next = i &+ 1
            }
            if !late {
                if checking && !checkValues(to: n) { return false }
                while next < leads {
                    finisher.finish(next, 0..<0, time, route32, nil, value, eventType)
                    start[next &+ 1] = e
                    next &+= 1
                }
                routes.removeLast(toCount: e)
                times.removeLast(toCount: e)
                weights.removeLast(toCount: e)
                finisher.install(in: &self, starts: starts, routes: routes, times: times, weights: weights, properties: Column())
                return true
            }
            if checking { return false }
        }

        // Pass 1: events per lead, counted at lead + 2, so that after the prefix
        // sums slot lead + 1 is the lead's first event: the scatter then moves
        // it to the lead's end, which is the next lead's start.
        guard var starts = Column<Int>(tryRepeating: 0, count: leads + 2) else { throw limit }
        var decidedLate = false
        let start = starts.mutableBase()
        for k in 0..<n {
            let r = route(k)
            if r == EventRouter.dropped { continue }
            if r < 0 { decidedLate = true }
            start[Int(lead[k]) &+ 2] &+= 1
        }
        for i in 0..<leads { start[i &+ 2] &+= start[i &+ 1] }
        let kept = start[leads &+ 1]
        // The scorer reads properties only for the events whose route it decides.
        let keepsProperties = decidedLate && width > 0
        var sumBound = 0
        for i in 0..<leads { sumBound &+= Swift.min(start[i &+ 2] &- start[i &+ 1], ruleCount) }
        guard var routes = Column<Int32>(tryUninitializedCount: kept),
            var times = Column<Double>(tryUninitializedCount: kept),
            var weights = Column<Double>(tryUninitializedCount: kept),
            var propertyValues = Column<Double>(tryUninitializedCount: keepsProperties && values != nil ? kept : 0),
            var slotColumn = Column<PropertySlot>(tryUninitializedCount: keepsProperties ? kept * width : 0),
            var eventTypes = Column<Int32>(tryUninitializedCount: listsFrequency ? kept : 0),
            var finisher = EventFinisher(self, leads: leads, sums: keepsRuleSums ? sumBound : 0, typeFrequency)
        else { throw limit }
        // Pass 2: the scatter, in input order, so each lead's events keep it.
        let (route32, time, property) = (routes.mutableBase(), times.mutableBase(), propertyValues.mutableBase())
        let eventType = listsFrequency ? eventTypes.mutableBase() : nil
        for k in 0..<n {
            let r = route(k)
            if r == EventRouter.dropped { continue }
            let cursor = Int(lead[k]) &+ 1
            let e = start[cursor]
            start[cursor] = e &+ 1
            route32[e] = Int32(truncatingIfNeeded: r)
            time[e] = at[k]
            eventType?[e] = type[k]
            if let values, keepsProperties { property[e] = values[k] }
        }
        starts.removeLast(toCount: leads + 1)
        // Pass 3, per lead: reference, order, weights, rule sums.
        let value = weights.mutableBase()
        let sortedProperty = keepsProperties && values != nil ? property : nil
        for i in 0..<leads {
            finisher.finish(i, start[i]..<start[i &+ 1], time, route32, sortedProperty, value, eventType)
        }
        if keepsProperties {
            let slot = slotColumn.mutableBase()
            for e in 0..<kept {
                for p in 0..<width {
                    let x = values != nil && p == propertyIndex ? property[e] : .nan
                    slot[e &* width &+ p] = x.isNaN ? PropertySlot(kind: .missing) : PropertySlot(kind: .number, number: x)
                }
            }
        }
        finisher.install(in: &self, starts: starts, routes: routes, times: times, weights: weights, properties: slotColumn)
        return true
    }
}

/// The per-lead columns of an event fill, and the pass that writes them: a
/// lead's reference, order, weights, decay readiness, rule sums and
/// frequency list.
private struct EventFinisher {
    var references: Column<Double>
    var ready: Column<UInt8>
    var spans: Column<EventSpan>
    var sumStarts: Column<Int>
    var sumRules: Column<Int32>
    var sumValues: Column<Double>
    let reference: UnsafeMutablePointer<Double>
    let isReady: UnsafeMutablePointer<UInt8>
    let span: UnsafeMutablePointer<EventSpan>
    let sumStart: UnsafeMutablePointer<Int>
    let sumRule: UnsafeMutablePointer<Int32>
    let sumValue: UnsafeMutablePointer<Double>
    let points: UnsafeBufferPointer<Double>
    let pointsColumn: Column<Double>
    let halfLife: Double?
    /// The half-life, or 1 without one (the exponents are then not used).
    let decayDivisor: Double
    let reach: Double
    /// Whether 1 / half-life is at least 2^-54 (`power2`'s table path starts there).
    let tablePathFromOneSecond: Bool
    let keepsRuleSums: Bool
    let ruleCount: Int
    var sumCount = 0
    /// Room for one lead's order and rule sums.
    let scratch: LeadScratch
    /// Per event type of the fill, the frequency rules that list its events.
    let typeFrequency: [[Int32]]
    var frequencyStarts: Column<Int>
    let frequencyStart: UnsafeMutablePointer<Int>
    var frequencyRules = Column<Int32>()
    var frequencyTimes = Column<Double>()

    /// `nil` when the memory for `leads` leads and `sums` rule sums cannot be had.
    init?(_ batch: LeadBatch, leads: Int, sums sumCapacity: Int, _ typeFrequency: [[Int32]]) {
        guard var references = Column<Double>(tryUninitializedCount: leads),
            var ready = Column<UInt8>(tryUninitializedCount: leads),
            var spans = Column<EventSpan>(tryUninitializedCount: leads),
            var sumStarts = Column<Int>(tryUninitializedCount: leads + 1),
            var sumRules = Column<Int32>(tryUninitializedCount: sumCapacity),
            var sumValues = Column<Double>(tryUninitializedCount: sumCapacity),
            var frequencyStarts = Column<Int>(tryUninitializedCount: leads + 1)
        else { return nil }
        frequencyStart = frequencyStarts.mutableBase()
        frequencyStart[0] = 0
        self.frequencyStarts = frequencyStarts
        self.typeFrequency = typeFrequency
        (reference, isReady, span) = (references.mutableBase(), ready.mutableBase(), spans.mutableBase())
        (sumStart, sumRule, sumValue) = (sumStarts.mutableBase(), sumRules.mutableBase(), sumValues.mutableBase())
        (self.references, self.ready, self.spans) = (references, ready, spans)
        (self.sumStarts, self.sumRules, self.sumValues) = (sumStarts, sumRules, sumValues)
        pointsColumn = batch.model.scoring.behaviorPoints
        points = pointsColumn.buffer
        halfLife = batch.model.scoring.halfLifeSeconds
        decayDivisor = halfLife ?? 1
        reach = halfLife.map { Scorer.decayRange * $0 } ?? 0
        tablePathFromOneSecond = halfLife.map { 1 / $0 >= 0x1p-54 } ?? false
        keepsRuleSums = batch.keepsRuleSums
        ruleCount = batch.model.scoring.behaviorRoots.count
        scratch = LeadScratch(rules: ruleCount)
        sumStart[0] = 0
    }

    /// Writes lead `i`'s columns; its events, at `events`, are in input order
    /// and are left newest first, with their values.
    @inline(__always)
    mutating func finish(
        _ i: Int, _ events: Range<Int>, _ time: UnsafeMutablePointer<Double>, _ route: UnsafeMutablePointer<Int32>,
        _ property: UnsafeMutablePointer<Double>?, _ value: UnsafeMutablePointer<Double>,
        _ eventType: UnsafeMutablePointer<Int32>?
    ) {
        let (first, end) = (events.lowerBound, events.upperBound)
        if let eventType {
            // Counted in any order (see `LeadBatch+FrequencyEvents`): before the sort, which does not move types.
            for e in first..<end {
                for rule in typeFrequency[Int(eventType[e])] {
                    frequencyRules.append(rule)
                    frequencyTimes.append(time[e])
                }
            }
        }
        frequencyStart[i &+ 1] = frequencyRules.count
        guard first < end else {
            reference[i] = .nan
            isReady[i] = 1
            span[i] = .none
            sumStart[i &+ 1] = sumCount
            return
        }
        // The first countable event in input order, before the order changes.
        let ref = time[first]
        reference[i] = ref
        LeadBatch.sortNewestFirst(events, time, route, property, scratch)
        // Rule sums need every event routed to its one rule at ingest.
        var routeBits: Int32 = 0
        for e in first..<end { routeBits |= route[e] }
        let sumsRules = keepsRuleSums && routeBits >= 0
        // One pass: weight, value and (newest first, from 0, as `appendRuleSums`
        // adds them) the rule sums, without a branch per event.
        var outside: UInt8 = 0
        let (sums, seen) = (scratch.sums, scratch.seen)
        // The rules fed, as bits when they fit in one word (as they usually
        // do): the sums are then listed without a branch per rule.
        var fed: UInt64 = 0
        if sumsRules {
            let bits = ruleCount <= 64
            for e in first..<end {
                let r = Int(route[e])
                var weight = 1.0
                if let halfLife {
                    let age = time[e] - ref
                    outside |= abs(age) <= reach ? 0 : 1
                    weight = power2(age / halfLife)
                }
                let v = weight * points[r]
                value[e] = v
                sums[r] += v
                if bits { fed |= 1 &<< UInt64(truncatingIfNeeded: r) } else { seen[r] = true }
            }
        } else {
            for e in first..<end {
                let r = route[e]
                var weight = 1.0
                if let halfLife {
                    let age = time[e] - ref
                    outside |= abs(age) <= reach ? 0 : 1
                    weight = power2(age / halfLife)
                }
                value[e] = r >= 0 ? weight * points[Int(r)] : weight
            }
        }
        isReady[i] = outside == 0 ? 1 : 0
        if sumsRules {
            // Listed in rule order, the order in which the scorer sums the capped totals.
            func list(_ r: Int) {
                sumRule[sumCount] = Int32(truncatingIfNeeded: r)
                sumValue[sumCount] = sums[r]
                sumCount &+= 1
                sums[r] = 0
            }
            if ruleCount <= 64 {
                listSums(fed)
            } else {
                for r in 0..<ruleCount where seen[r] {
                    list(r)
                    seen[r] = false
                }
            }
            span[i] = EventSpan(newest: time[first], oldest: time[end &- 1])
        } else {
            span[i] = .none
        }
        sumStart[i &+ 1] = sumCount
    }

    /// Lists the sums of the rules set in `fed` (with at most 64 rules) in
    /// rule order, the order in which the scorer sums the capped totals,
    /// when the batch keeps them, and clears them for the next lead.
    @inline(__always)
    mutating func listSums(_ fed: UInt64) {
        var fed = fed
        while fed != 0 {
            let r = fed.trailingZeroBitCount
            if keepsRuleSums {
                sumRule[sumCount] = Int32(truncatingIfNeeded: r)
                sumValue[sumCount] = scratch.sums[r]
                sumCount &+= 1
            }
            scratch.sums[r] = 0
            fed &= fed &- 1
        }
    }

    /// Lead `i`'s columns when no event of it counts (a gathered run of none).
    @inline(__always)
    mutating func finishEmpty(_ i: Int) {
        frequencyStart[i &+ 1] = frequencyRules.count
        reference[i] = .nan
        isReady[i] = 1
        span[i] = .none
        sumStart[i &+ 1] = sumCount
    }

    /// ``finishGathered(_:_:_:_:_:_:_:)``, in fewer passes over the run
    /// where its keys compare as the times do and every weight takes the
    /// table path of `power2` (whole seconds within 2^31 of the reference
    /// and 512 half-lives, as usual; otherwise
    /// ``finishGathered(_:_:_:_:_:_:_:)`` itself): one pass for the keys,
    /// the extremes and whether the run is in order; the order as an
    /// inverse rank (each place's event, stored as the events are ranked);
    /// one pass writing the columns newest first, weights, values and rule
    /// sums with them. The same columns, bit for bit.
    ///
    /// - Returns: false when some time is not finite (a checking fill then gives up).
    @inline(__always)
    mutating func finishOrdered(
        _ i: Int, _ first: Int, _ count: Int, _ time: UnsafeMutablePointer<Double>,
        _ route: UnsafeMutablePointer<Int32>, _ value: UnsafeMutablePointer<Double>
    ) -> Bool {
        guard count > 0 else {
            finishEmpty(i)
            return true
        }
        let run = scratch.shapeRun(count)
        guard run.whole, let halfLife, ruleCount <= 64, tablePathFromOneSecond else {
            return finishGathered(i, first, count, run, time, route, value)
        }
        let (at, kind) = (scratch.at, scratch.route)
        let ref = at[0]
        let (newest, oldest, rises) = (run.newest, run.oldest, run.rises)
        let refs = SIMD2(repeating: ref)
        let farthest = Swift.max(newest - ref, ref - oldest)
        // As in ``finishGathered(_:_:_:_:_:_:_:)``: keyed, and every exponent on the table path.
        guard Swift.max(abs(newest), abs(oldest)) < 0x1p51 && farthest < 2_147_483_648 && farthest / halfLife < 512
        else { return finishGathered(i, first, count, run, time, route, value) }
        reference[i] = ref
        frequencyStart[i &+ 1] = frequencyRules.count
        isReady[i] = farthest <= reach ? 1 : 0
        let order = scratch.order
        // Each place's event: already newest first (ties keep input order,
        // so only strictly rising times reverse), oldest first, or ranked.
        if rises == 0 {
            for p in 0..<count { order[p] = Int32(truncatingIfNeeded: p) }
        } else if rises == count &- 1 {
            for p in 0..<count { order[p] = Int32(truncatingIfNeeded: count &- 1 &- p) }
        } else if !LeadBatch.orderNewestFirst(count, scratch) {
            // Tied times: ranked again, equals in input order.
            LeadBatch.rankNewestFirst(count, scratch, keyed: true)
            let place = scratch.place
            for j in 0..<count { order[Int(place[j])] = Int32(truncatingIfNeeded: j) }
        }
        // Newest first, two at a time: time, route, value (weight times
        // the points; the same bits as one by one) and each rule's sum,
        // from 0, as `appendRuleSums` adds them.
        let sums = scratch.sums
        var fed: UInt64 = 0
        let divisors = SIMD2(repeating: halfLife)
        var p = 0
        while p &+ 1 < count {
            let (j0, j1) = (Int(order[p]), Int(order[p &+ 1]))
            let (r0, r1) = (kind[j0], kind[j1])
            let t = SIMD2(at[j0], at[j1])
            let v = power2OnTablePath((t - refs) / divisors) * SIMD2(points[Int(r0)], points[Int(r1)])
            let e = first &+ p
            UnsafeMutableRawPointer(time + e).storeBytes(of: t, as: SIMD2<Double>.self)
            UnsafeMutableRawPointer(value + e).storeBytes(of: v, as: SIMD2<Double>.self)
            (route[e], route[e &+ 1]) = (r0, r1)
            sums[Int(r0)] += v[0]
            sums[Int(r1)] += v[1]
            fed |= 1 &<< UInt64(truncatingIfNeeded: r0) | 1 &<< UInt64(truncatingIfNeeded: r1)
            p &+= 2
        }
        if p < count {
            let j = Int(order[p])
            let r = kind[j]
            let v = power2OnTablePath((at[j] - ref) / halfLife) * points[Int(r)]
            let e = first &+ p
            time[e] = at[j]
            route[e] = r
            value[e] = v
            sums[Int(r)] += v
            fed |= 1 &<< UInt64(truncatingIfNeeded: r)
        }
        listSums(fed)
        span[i] = keepsRuleSums ? EventSpan(newest: time[first], oldest: time[first &+ count &- 1]) : .none
        sumStart[i &+ 1] = sumCount
        return true
    }

    /// ``finish(_:_:_:_:_:_:_:)`` for a lead whose `count` events (no more
    /// than ``LeadScratch/capacity``, without frequency lists, every route a
    /// rule's) are gathered in input order in `scratch.at` and
    /// `scratch.route`: ranked newest first and written once to the columns
    /// from `first` on, already ordered; then one pass down the ordered
    /// columns weighs them (a weight depends only on its event and the
    /// reference, the first event in input order) and adds the rule sums
    /// newest first, as ``finish(_:_:_:_:_:_:_:)`` does. The same columns,
    /// bit for bit, without sorting the columns in place. `count` is at
    /// least one and `run` is ``shapeRun(_:)``'s shape of the run (with
    /// its keys in `scratch.key`).
    ///
    /// - Returns: false when some time is not finite (a checking fill then gives up).
    @inline(__always)
    mutating func finishGathered(
        _ i: Int, _ first: Int, _ count: Int, _ run: LeadScratch.RunShape, _ time: UnsafeMutablePointer<Double>,
        _ route: UnsafeMutablePointer<Int32>, _ value: UnsafeMutablePointer<Double>
    ) -> Bool {
        let (at, kind) = (scratch.at, scratch.route)
        let ref = at[0]
        reference[i] = ref
        let (newest, oldest) = (run.newest, run.oldest)
        let notWhole = !run.whole
        if notWhole {
            for j in 0..<count where !at[j].isFinite { return false }
        }
        frequencyStart[i &+ 1] = frequencyRules.count
        let farthest = Swift.max(newest - ref, ref - oldest)
        let notKeyed = notWhole || Swift.max(abs(newest), abs(oldest)) >= 0x1p51 || farthest >= 2_147_483_648
        isReady[i] = halfLife == nil || farthest <= reach ? 1 : 0
        let end = first &+ count
        // The times and routes, newest first, into the columns: already
        // newest first (no event newer than the one before it), oldest
        // first (ties keep input order, so only strictly rising times
        // reverse), or ranked.
        if run.rises == 0 {
            (time + first).update(from: at, count: count)
            (route + first).update(from: kind, count: count)
        } else if run.rises == count &- 1 {
            for j in 0..<count {
                let p = end &- 1 &- j
                time[p] = at[j]
                route[p] = kind[j]
            }
        } else {
            LeadBatch.rankNewestFirst(count, scratch, keyed: !notKeyed)
            let place = scratch.place
            for j in 0..<count {
                let p = first &+ Int(place[j])
                time[p] = at[j]
                route[p] = kind[j]
            }
        }
        // One pass down the ordered columns: weight (2^(age / half-life))
        // times the points, and each rule's sum, newest first from 0, as
        // `appendRuleSums` adds them. The sums are kept in the scratch
        // even when the batch keeps none (then cleared below): no branch
        // per event.
        let (sums, seen) = (scratch.sums, scratch.seen)
        // The rules fed, as bits (a rule past 64 sets some bit: `seen`
        // lists those, below).
        let bits = ruleCount <= 64
        var fed: UInt64 = 0
        @inline(__always) func emit(_ e: Int, _ weight: Double) {
            let r = Int(route[e])
            let v = weight * points[r]
            value[e] = v
            sums[r] += v
            fed |= 1 &<< UInt64(truncatingIfNeeded: r)
        }
        // Two events: their values stored as a pair (so that the weights'
        // arithmetic stays in vector registers), then added one after the
        // other, as ``emit`` does.
        @inline(__always) func emitPair(_ e: Int, _ weights: SIMD2<Double>) {
            let (r0, r1) = (Int(route[e]), Int(route[e &+ 1]))
            let v = weights * SIMD2(points[r0], points[r1])
            UnsafeMutableRawPointer(value + e).storeBytes(of: v, as: SIMD2<Double>.self)
            sums[r0] += v[0]
            sums[r1] += v[1]
            fed |= 1 &<< UInt64(truncatingIfNeeded: r0) | 1 &<< UInt64(truncatingIfNeeded: r1)
        }
        var e = first
        if let halfLife {
            let (refs, divisors) = (SIMD2(repeating: ref), SIMD2(repeating: halfLife))
            // Every exponent on the table path of `power2` or 0, known from
            // the extremes: whole seconds apart from the reference (so a
            // nonzero |age| is at least 1, and 1 / half-life at least
            // 2^-54, checked once per fill) and the farthest less than 512
            // half-lives away (a rounded quotient grows with the dividend).
            if !notKeyed && tablePathFromOneSecond && farthest / halfLife < 512 {
                while e &+ 1 < end {
                    let t = UnsafeRawPointer(time + e).loadUnaligned(as: SIMD2<Double>.self)
                    emitPair(e, power2OnTablePath((t - refs) / divisors))
                    e &+= 2
                }
            } else {
                // Two at a time: the same bits as one by one.
                while e &+ 1 < end {
                    let t = UnsafeRawPointer(time + e).loadUnaligned(as: SIMD2<Double>.self)
                    emitPair(e, power2((t - refs) / divisors))
                    e &+= 2
                }
            }
            while e < end {
                emit(e, power2((time[e] - ref) / halfLife))
                e &+= 1
            }
        } else {
            while e < end {
                emit(e, 1)
                e &+= 1
            }
        }
        // Listed in rule order, the order in which the scorer sums the capped totals.
        if bits {
            listSums(fed)
        } else {
            for e in first..<end { seen[Int(route[e])] = true }
            for r in 0..<ruleCount where seen[r] {
                if keepsRuleSums {
                    sumRule[sumCount] = Int32(truncatingIfNeeded: r)
                    sumValue[sumCount] = sums[r]
                    sumCount &+= 1
                }
                sums[r] = 0
                seen[r] = false
            }
        }
        span[i] = keepsRuleSums ? EventSpan(newest: time[first], oldest: time[end &- 1]) : .none
        sumStart[i &+ 1] = sumCount
        return true
    }

    /// Replaces `batch`'s event columns with these and the given ones; the
    /// last use of this finisher. Mutating, not consuming: the caller's copy
    /// would then still hold the rule sum columns, which the trim below
    /// would copy (a column's size in memory traffic and page faults).
    mutating func install(
        in batch: inout LeadBatch, starts: Column<Int>, routes: Column<Int32>, times: Column<Double>,
        weights: Column<Double>, properties: Column<PropertySlot>
    ) {
        sumRules.removeLast(toCount: sumCount)
        sumValues.removeLast(toCount: sumCount)
        batch.eventStart = starts
        batch.eventRoute = routes
        batch.eventAt = times
        batch.eventValue = weights
        batch.properties = properties
        batch.leadReference = references
        batch.leadDecayReady = ready
        batch.leadSpans = spans
        batch.ruleSumStart = sumStarts
        batch.ruleSumRule = sumRules
        batch.ruleSumValue = sumValues
        batch.frequencyStart = frequencyStarts
        batch.frequencyRule = frequencyRules
        batch.frequencyAt = frequencyTimes
    }
}

extension LeadBatch {
    /// Orders the events `events` by time, newest first; stable (they arrive
    /// in input order, which ties keep). Events in time order, either way,
    /// take one pass; runs of up to ``LeadScratch/capacity`` are ranked
    /// (each event's place is the count of events newer than it: branch-free
    /// comparisons that vectorise, where an insertion sort mispredicts about
    /// once per event and moves a quarter of the run per event); longer ones
    /// take a sort through `scratch.long`.
    fileprivate static func sortNewestFirst(
        _ events: Range<Int>, _ at: UnsafeMutablePointer<Double>, _ route: UnsafeMutablePointer<Int32>,
        _ property: UnsafeMutablePointer<Double>?, _ scratch: LeadScratch
    ) {
        let (first, end) = (events.lowerBound, events.upperBound)
        guard end &- first > 1 else { return }
        // One branch-free pass: the run's order, its oldest and newest
        // times, and whether they are whole seconds (see below).
        let shift = 0x1p52
        // Whole: (t + 1.5 × 2^52) − 1.5 × 2^52 == t, exact for |t| < 2^51 (with
        // 2^52, a negative t's sum has half-unit steps: -0.5 passed as whole
        // and then shared a key with -1). Beyond, times take the comparisons
        // of doubles.
        let wholeShift = 0x1.8p52
        var (oldest, newest) = (at[first], at[first])
        var fraction: UInt8 = (at[first] + wholeShift) - wholeShift == at[first] && abs(at[first]) < 0x1p51 ? 0 : 1
        var rises: UInt8 = 0  // some event newer than the one before it
        var notRises: UInt8 = 0  // some event not newer than the one before it
        for e in (first &+ 1)..<end {
            let (later, earlier) = (at[e], at[e &- 1])
            rises |= later > earlier ? 1 : 0
            notRises |= later > earlier ? 0 : 1
            oldest = later < oldest ? later : oldest
            newest = later > newest ? later : newest
            fraction |= (later + wholeShift) - wholeShift == later && abs(later) < 0x1p51 ? 0 : 1
        }
        if rises == 0 { return }
        let n = end &- first
        if notRises == 0 {
            var (low, high) = (first, end &- 1)
            while low < high {
                swap(&at[low], &at[high])
                swap(&route[low], &route[high])
                if let property { swap(&property[low], &property[high]) }
                low &+= 1
                high &-= 1
            }
        } else if n <= LeadScratch.capacity {
            // Event k's place: the count of events newer than it (one
            // branch-free loop over the run, padded to a multiple of 8 with
            // -infinity or key -1, which is never newer), plus the count of
            // its equals earlier in input order: ties keep input order.
            let (time, kind, value) = (scratch.at, scratch.route, scratch.property)
            time.initialize(from: at + first, count: n)
            kind.initialize(from: route + first, count: n)
            if let property { value.initialize(from: property + first, count: n) }
            let padded = (n &+ 7) & ~7
            func place(_ k: Int, _ newer: Int) {
                at[first &+ newer] = time[k]
                route[first &+ newer] = kind[k]
                if let property { property[first &+ newer] = value[k] }
            }
            // Whole seconds less than 2^31 apart (as times usually are) are
            // compared as 32-bit offsets from the oldest: the same order, with
            // twice the lanes per comparison. A whole d in 0..<2^31 is the low
            // bits of d + 2^52.
            let key = scratch.key
            if fraction == 0 && newest - oldest < 2_147_483_647 {
                for k in 0..<n {
                    key[k] = Int32(truncatingIfNeeded: ((time[k] - oldest) + shift).bitPattern & 0xffff_ffff)
                }
                // One more than the padding: the pairs below read key[n] when n is odd.
                (key + n).initialize(repeating: -1, count: padded &- n &+ 1)
                // Without ties the counts of newer events are the places, a
                // permutation of 0..<n summing to n(n-1)/2; a place also counts
                // the equals before an event, so each tied pair makes the sum of
                // the counts one less: the sum tells whether there are any.
                var sum = 0
                var k = 0
                while k < n {
                    // Two events per pass over the keys (eight per comparison).
                    let (own, other) = (SIMD8<Int32>(repeating: key[k]), SIMD8<Int32>(repeating: key[k &+ 1]))
                    var (newer, otherNewer) = (SIMD8<Int32>.zero, SIMD8<Int32>.zero)
                    var j = 0
                    while j < padded {
                        let keys = UnsafeRawPointer(key + j).loadUnaligned(as: SIMD8<Int32>.self)
                        newer &+= SIMD8<Int32>.zero.replacing(with: 1, where: keys .> own)
                        otherNewer &+= SIMD8<Int32>.zero.replacing(with: 1, where: keys .> other)
                        j &+= 8
                    }
                    let count = Int(newer.wrappedSum())
                    sum &+= count
                    place(k, count)
                    if k &+ 1 < n {
                        let otherCount = Int(otherNewer.wrappedSum())
                        sum &+= otherCount
                        place(k &+ 1, otherCount)
                    }
                    k &+= 2
                }
                if sum != n &* (n &- 1) / 2 {
                    for k in 0..<n {
                        var newer = 0
                        for j in 0..<n { newer &+= key[j] > key[k] || (j < k && key[j] == key[k]) ? 1 : 0 }
                        place(k, newer)
                    }
                }
            } else {
                (time + n).initialize(repeating: -.infinity, count: padded &- n)
                for k in 0..<n {
                    let t = time[k]
                    var newer = 0
                    var j = 0
                    while j < padded {
                        newer &+= time[j] > t ? 1 : 0
                        j &+= 1
                    }
                    for j in 0..<k { newer &+= time[j] == t ? 1 : 0 }
                    place(k, newer)
                }
            }
        } else {
            scratch.long.removeAll(keepingCapacity: true)
            for e in first..<end { scratch.long.append((at[e], route[e], property?[e] ?? 0, e)) }
            scratch.long.sort { $0.at != $1.at ? $0.at > $1.at : $0.position < $1.position }
            for (k, event) in scratch.long.enumerated() {
                at[first &+ k] = event.at
                route[first &+ k] = event.route
                property?[first &+ k] = event.property
            }
        }
    }
}
