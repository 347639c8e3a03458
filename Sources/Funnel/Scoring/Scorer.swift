/// Scores the leads of one batch: the hot loop of Funnel.
///
/// A scorer reads the model's and the batch's columns through raw buffers
/// (kept alive by the columns it holds) and owns its scratch space, so each
/// thread uses its own and scoring a lead allocates nothing.
struct Scorer {
    var evaluator: Evaluator
    private(set) var asOf: Double
    private var columns: ClassColumns
    private let scratch: Scratch

    private let fitRoots: UnsafeBufferPointer<Int32>
    private let fitPoints: UnsafeBufferPointer<Double>
    private let behaviorRoots: UnsafeBufferPointer<Int32>
    private let behaviorPoints: UnsafeBufferPointer<Double>
    private let caps: UnsafeBufferPointer<Double>
    private var classStart: UnsafeBufferPointer<Int>
    private var classRules: UnsafeBufferPointer<Int32>
    private var eventStart: UnsafeBufferPointer<Int>
    private var eventRoute: UnsafeBufferPointer<Int32>
    private var eventAt: UnsafeBufferPointer<Double>
    private var eventValue: UnsafeBufferPointer<Double>
    private let behaviorMin: Double
    private let behaviorMax: Double
    private let window: Double
    private let halfLife: Double?
    private var leadReference: UnsafeBufferPointer<Double>
    private var leadDecayReady: UnsafeBufferPointer<UInt8>
    private var leadSpans: UnsafeBufferPointer<EventSpan>
    private var ruleSumStart: UnsafeBufferPointer<Int>
    private var ruleSumRule: UnsafeBufferPointer<Int32>
    private var ruleSumValue: UnsafeBufferPointer<Double>
    let grades: GradeTable
    /// SPEC §13: groups and frequency rules (see ``ScoringTables``); each flag
    /// false keeps the scorer on the paths it had before them.
    private let hasGroups: Bool
    private let hasFrequency: Bool
    private let ruleGroups: UnsafeBufferPointer<Int32>
    private let groupLimits: UnsafeBufferPointer<Double>
    private let frequencyCounts: UnsafeBufferPointer<Int32>
    private let frequencyWindows: UnsafeBufferPointer<Double>
    /// The frequency rules' indices, in model order.
    private let frequencyRuleList: UnsafeBufferPointer<Int32>
    /// The scratch space's per-rule recent-event counts and per-group sums,
    /// held here so the loops reach them without going through the class.
    private let frequencyHits: UnsafeMutableBufferPointer<Int32>
    private let slotSums: UnsafeMutableBufferPointer<Double>
    private let ruleSlots: UnsafeBufferPointer<Int32>
    private let slotRuleStart: UnsafeBufferPointer<Int>
    private let slotRules: UnsafeBufferPointer<Int32>
    /// The batch's frequency lists (see `LeadBatch+FrequencyEvents`), read
    /// when some frequency rule has no `if`.
    private let hasListedFrequency: Bool
    private var frequencyStart: UnsafeBufferPointer<Int>
    private var frequencyRule: UnsafeBufferPointer<Int32>
    private var frequencyAt: UnsafeBufferPointer<Double>
    /// Events before this instant do not count: a stage that resets behaviour
    /// was entered earlier in the same advance (SPEC §13). -infinity otherwise.
    var since = -Double.infinity
    /// How many leading fit rules ``scoreBlock`` sweeps down the columns; the
    /// rest are evaluated per lead, in order, so the sums add up identically.
    let sweptFitRules: Int

    /// How far from a lead's reference (in half-lives) its precomputed weights
    /// are used; beyond, every event's factor is computed with `exp2`. Weights
    /// then stay within 2^±500, far from overflow and underflow, so the
    /// product of weight and factor is exact to a few ulps.
    static let decayRange = 500.0

    /// How many leads ``scoreBlock(_:fit:behavior:)`` takes at a time: their
    /// attribute rows stay in the first-level cache while every rule sweeps them.
    static let blockSize = 256

    /// A scorer of `batch`'s leads at `asOf`; with `scratch`, one an earlier
    /// scorer of the same model used (see ``scratchSpace``), which it then
    /// uses instead of allocating its own. A caller scoring one lead at a
    /// time (``OneLeadScratch``) also hands over what it kept of earlier
    /// scorers: `classes`, `batch`'s ``ClassColumns``; `criteria`, an
    /// ``Evaluator/criteriaMemo``; `masks`, the model's and the batch's
    /// contains masks one after the other (see ``Evaluator/init(_:criteria:masks:owning:)``);
    /// and unless `owning`, keeps `batch` alive and unchanged while the
    /// scorer is used, which then holds none of its columns; `sweptFitRules`,
    /// what ``Evaluator/sweptFitRules(_:)`` gave for the model; `events`, the
    /// events of `batch`'s one lead, read there instead of in the batch (which
    /// then holds none), alive and unchanged while the scorer is used.
    init(
        _ batch: borrowing LeadBatch, asOf: Double, scratch reused: Scratch? = nil, classes: ClassColumns? = nil,
        criteria: [Int8]? = nil, masks: Column<UInt64>? = nil, owning: Bool = true, sweptFitRules swept: Int? = nil,
        events: OneLeadEvents? = nil
    ) {
        let model = batch.model
        // One copy of the tables, not one per field read.
        let scoring = model.scoring
        evaluator = Evaluator(batch, criteria: criteria, masks: masks, owning: owning)
        self.asOf = asOf
        columns = classes ?? ClassColumns(copy batch)
        scratch =
            reused
            ?? Scratch(
                fitRules: scoring.fitRoots.count, behaviorRules: scoring.behaviorRoots.count,
                groups: scoring.groupLimits.count)
        fitRoots = scoring.fitRoots.buffer
        fitPoints = scoring.fitPoints.buffer
        behaviorRoots = scoring.behaviorRoots.buffer
        behaviorPoints = scoring.behaviorPoints.buffer
        caps = scoring.behaviorCaps.buffer
        classStart = columns.start.buffer
        classRules = columns.rules.buffer
        (eventStart, eventRoute, eventAt, eventValue, leadReference, leadDecayReady) =
            Self.eventColumns(batch, events)
        behaviorMin = scoring.behaviorMin
        behaviorMax = scoring.behaviorMax
        window = scoring.windowSeconds ?? .infinity
        halfLife = scoring.halfLifeSeconds
        leadSpans = batch.leadSpans.buffer
        ruleSumStart = batch.ruleSumStart.buffer
        ruleSumRule = batch.ruleSumRule.buffer
        ruleSumValue = batch.ruleSumValue.buffer
        grades = scoring.grades
        hasGroups = scoring.hasGroups
        hasFrequency = scoring.hasFrequency
        ruleGroups = scoring.ruleGroups.buffer
        groupLimits = scoring.groupLimits.buffer
        frequencyCounts = scoring.frequencyCounts.buffer
        frequencyWindows = scoring.frequencyWindows.buffer
        frequencyRuleList = scoring.frequencyRuleColumn.buffer
        frequencyHits = scratch.frequencyHits
        slotSums = scratch.slotSums
        ruleSlots = scoring.ruleSlots.buffer
        slotRuleStart = scoring.slotRuleStart.buffer
        slotRules = scoring.slotRules.buffer
        hasListedFrequency = scoring.hasListedFrequency
        frequencyStart = batch.frequencyStart.buffer
        frequencyRule = batch.frequencyRule.buffer
        frequencyAt = batch.frequencyAt.buffer
        sweptFitRules = swept ?? Evaluator.sweptFitRules(model)
    }

    /// The event columns a scorer reads: the one-lead scratch's when given,
    /// else the batch's.
    private static func eventColumns(_ batch: borrowing LeadBatch, _ events: OneLeadEvents?) -> (
        UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Double>,
        UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>, UnsafeBufferPointer<UInt8>
    ) {
        if let events {
            return (
                events.eventStart, events.eventRoute, events.eventAt, events.eventValue, events.leadReference,
                events.leadDecayReady)
        }
        return (
            batch.eventStart.buffer, batch.eventRoute.buffer, batch.eventAt.buffer, batch.eventValue.buffer,
            batch.leadReference.buffer, batch.leadDecayReady.buffer)
    }

    /// Points this scorer, made with `owning` false, at `batch` (of its
    /// model), at `asOf`, as ``init(_:asOf:scratch:classes:criteria:masks:owning:sweptFitRules:events:)``
    /// would with the same scratch, memo and `classes`, `masks` and `events`:
    /// a caller scoring one lead at a time keeps one scorer so. The caller
    /// keeps `batch` and `events` alive and unchanged while this is used.
    /// `classes` nil: the scorer's class columns are still `batch`'s.
    mutating func rebind(
        _ batch: borrowing LeadBatch, asOf: Double, classes: ClassColumns?, masks: Column<UInt64>, events: OneLeadEvents?
    ) {
        evaluator.rebind(batch, masks: masks)
        self.asOf = asOf
        since = -.infinity
        if let classes {
            columns = classes
            classStart = columns.start.buffer
            classRules = columns.rules.buffer
        }
        (eventStart, eventRoute, eventAt, eventValue, leadReference, leadDecayReady) =
            Self.eventColumns(batch, events)
        leadSpans = batch.leadSpans.buffer
        ruleSumStart = batch.ruleSumStart.buffer
        ruleSumRule = batch.ruleSumRule.buffer
        ruleSumValue = batch.ruleSumValue.buffer
        frequencyStart = batch.frequencyStart.buffer
        frequencyRule = batch.frequencyRule.buffer
        frequencyAt = batch.frequencyAt.buffer
    }

    /// This scorer's scratch space, for a later scorer of the same model
    /// (``init(_:asOf:scratch:)``): it holds nothing from one lead to the next.
    var scratchSpace: Scratch { scratch }

    /// Scores lead `lead`; afterwards the evaluator knows the score, and
    /// ``fitHit(_:)``, ``ruleHits(_:)`` and ``cappedTotal(_:)`` explain it.
    mutating func score(lead: Int) -> (fit: Double, behavior: Double) {
        evaluator.begin(lead: lead)
        let fitHits = scratch.fitHits
        var fit = 0.0
        for r in 0..<fitRoots.count {
            let hit = evaluator.holds(fitRoots[r])
            fitHits[r] = hit
            if hit { fit += fitPoints[r] }
        }
        let behavior = self.behavior(lead: lead, countingHits: true)
        evaluator.setScore(fit: fit, behavior: behavior)
        return (fit, behavior)
    }

    /// Scores leads `leads` into the given outputs (indexed from 0 for the
    /// first lead): fit rule by rule down the columns, then behaviour per lead,
    /// from the lead's rule sums where they apply. Gives exactly the sums
    /// ``score(lead:)`` gives (same order of additions).
    mutating func scoreBlock(
        _ leads: Range<Int>, fit: UnsafeMutableBufferPointer<Double>, behavior: UnsafeMutableBufferPointer<Double>
    ) {
        guard leads.count <= Scorer.blockSize else {
            var start = leads.lowerBound
            while start < leads.upperBound {
                let block = start..<min(start + Scorer.blockSize, leads.upperBound)
                let offset = start - leads.lowerBound
                scoreBlock(
                    block, fit: UnsafeMutableBufferPointer(rebasing: fit[offset..<(offset + block.count)]),
                    behavior: UnsafeMutableBufferPointer(rebasing: behavior[offset..<(offset + block.count)]))
                start = block.upperBound
            }
            return
        }
        let first = leads.lowerBound
        // Leads whose events must be walked are found first and their event
        // lines asked for in one tight loop, so that the cache misses overlap
        // instead of coming one lead at a time; the fit sweeps then give the
        // memory time to answer before the walks.
        let blockScratch = scratch.block
        let slow = blockScratch.slowLeads
        var slowCount = 0
        for i in leads where !sumsApply(lead: i) {
            slow[slowCount] = i
            slowCount &+= 1
        }
        blockScratch.touched = touchEvents(slow[..<slowCount])
        fitBlock(leads, fit: fit)
        var next = 0
        if hasFrequency {
            for i in leads {
                if next < slowCount && slow[next] == i {
                    next &+= 1
                    continue
                }
                behavior[i &- first] = frequencyBehaviorFromSums(lead: i)
            }
        } else if hasGroups {
            for i in leads {
                if next < slowCount && slow[next] == i {
                    next &+= 1
                    continue
                }
                behavior[i &- first] = groupedBehaviorFromSums(lead: i)
            }
        } else {
            for i in leads {
                if next < slowCount && slow[next] == i {
                    next &+= 1
                    continue
                }
                behavior[i &- first] = behaviorFromSums(lead: i)
            }
        }
        for s in 0..<slowCount {
            let i = slow[s]
            evaluator.begin(lead: i)  // an event's `if` may read the lead's attributes
            behavior[i &- first] = self.behavior(lead: i, countingHits: false)
        }
    }

    /// Writes the fit of leads `leads` (at most ``blockSize``; indexed from
    /// 0 for the first): the leading rules swept down the columns, the rest
    /// per lead in order, so the sums add up as ``score(lead:)``'s do.
    @inline(__always)
    mutating func fitBlock(_ leads: Range<Int>, fit: UnsafeMutableBufferPointer<Double>) {
        let first = leads.lowerBound
        fit.update(repeating: 0)
        for r in 0..<sweptFitRules {
            evaluator.addColumnwise(
                root: fitRoots[r], points: fitPoints[r], leads: leads, into: fit, masks: scratch.block.masks)
        }
        if sweptFitRules < fitRoots.count {
            for i in leads {
                evaluator.begin(lead: i)
                var leadFit = fit[i &- first]
                // Rules after the first one that cannot be swept stay per lead, in order.
                for r in sweptFitRules..<fitRoots.count where evaluator.holds(fitRoots[r]) { leadFit += fitPoints[r] }
                fit[i &- first] = leadFit
            }
        }
    }

    /// Loads one word of every cache line of the event columns of `leads`, so
    /// that they are in cache when walked; returns a value made of them (kept,
    /// so that the loads are not optimised away).
    private func touchEvents(_ leads: Slice<UnsafeMutableBufferPointer<Int>>) -> UInt64 {
        var bits: UInt64 = 0
        for lead in leads {
            let (start, end) = (eventStart[lead], eventStart[lead &+ 1])
            guard start < end else { continue }
            // Times are read only at the ends (to trim them), values and routes throughout.
            bits ^= eventAt[start].bitPattern ^ eventAt[end &- 1].bitPattern
            var e = start
            while e < end {
                bits ^= eventValue[e].bitPattern
                e &+= 8
            }
            e = start
            while e < end {
                bits ^= UInt64(truncatingIfNeeded: eventRoute[e])
                e &+= 16
            }
        }
        return bits
    }

    /// Whether lead `lead`'s rule sums (see `LeadBatch.appendRuleSums`) give
    /// its behaviour at as_of: the lead has sums, no event is after as_of or
    /// beyond the window, and its weights are near enough to as_of.
    @inline(__always)
    func sumsApply(lead: Int) -> Bool {
        let span = leadSpans[lead]
        guard asOf - span.newest >= 0 && asOf - span.oldest <= window else { return false }
        guard let halfLife else { return true }
        return weightsUsable(lead: lead, halfLife: halfLife)
    }

    /// Whether lead `lead`'s precomputed weights can be used at as_of: its
    /// events and as_of lie within ``decayRange`` half-lives of its reference.
    @inline(__always)
    private func weightsUsable(lead: Int, halfLife: Double) -> Bool {
        leadDecayReady[lead] == 1 && abs(asOf - leadReference[lead]) <= Scorer.decayRange * halfLife
    }

    /// 2^((reference − as_of) / half-life): what turns lead `lead`'s weights into
    /// decay at as_of. One exp2 per lead, relative to the lead's own first event,
    /// keeps whole numbers of half-lives exact (8 points at age 0 are 8).
    @inline(__always)
    private func decayFactor(lead: Int, halfLife: Double) -> Double {
        power2(-(asOf - leadReference[lead]) / halfLife)
    }

    /// Lead `lead`'s behaviour from its rule sums, where ``sumsApply(lead:)``.
    /// The same operations as ``behavior(lead:countingHits:)`` on the same
    /// numbers, minus the rules no event fed (each adds an exact 0 to a sum
    /// that is never -0), so the same bits.
    @inline(__always)
    func behaviorFromSums(lead: Int) -> Double {
        let factor = halfLife.map { decayFactor(lead: lead, halfLife: $0) } ?? 1
        let (rules, sums) = (ruleSumRule, ruleSumValue)
        var sum = 0.0
        for k in ruleSumStart[lead]..<ruleSumStart[lead &+ 1] {
            let r = Int(rules[k])
            sum += clamped(sums[k] * factor, -caps[r], caps[r])
        }
        return clamped(sum, behaviorMin, behaviorMax)
    }

    /// ``behaviorFromSums(lead:)`` for a model with groups: the same capped
    /// rule sums, added into their groups and clamped there, in rule order as
    /// ``behavior(lead:countingHits:)`` adds them.
    private func groupedBehaviorFromSums(lead: Int) -> Double {
        let factor = halfLife.map { decayFactor(lead: lead, halfLife: $0) } ?? 1
        slotSums.update(repeating: 0)
        for k in ruleSumStart[lead]..<ruleSumStart[lead &+ 1] {
            let r = Int(ruleSumRule[k])
            slotSums[Int(ruleSlots[r])] += clamped(ruleSumValue[k] * factor, -caps[r], caps[r])
        }
        return limitedSlotSums()
    }

    /// ``behaviorFromSums(lead:)`` for a model with frequency rules: the rule
    /// sums as the walk leaves its totals (every event counts where the sums
    /// apply), the frequency lists counted, and the walk's ending on them.
    private func frequencyBehaviorFromSums(lead: Int) -> Double {
        let factor = halfLife.map { decayFactor(lead: lead, halfLife: $0) } ?? 1
        let totals = scratch.ruleTotals
        totals.update(repeating: 0)
        for k in ruleSumStart[lead]..<ruleSumStart[lead &+ 1] { totals[Int(ruleSumRule[k])] = ruleSumValue[k] }
        frequencyHits.update(repeating: 0)
        if hasListedFrequency { countListedFrequency(lead: lead) }
        return secondEditionBehavior(totals, scratch.ruleHits, factor: factor, countingHits: false)
    }

    /// Adds lead `lead`'s listed frequency events that count at as_of to
    /// their rules' counts: those the walk would count (not after as_of,
    /// within the window, not before `since`, within the rule's `within_days`).
    @inline(__always)
    private func countListedFrequency(lead: Int) {
        let counted = frequencyHits
        for k in frequencyStart[lead]..<frequencyStart[lead &+ 1] {
            let (r, at) = (Int(frequencyRule[k]), frequencyAt[k])
            let age = asOf - at
            if age >= 0 && age <= window && at >= since && age <= frequencyWindows[r] { counted[r] &+= 1 }
        }
    }

    /// Lead `lead`'s behaviour: each rule's total (kept in the scratch space,
    /// decayed to as_of) clamped to its cap, summed in rule order, clamped to
    /// the limits. A rule no event matched adds an exact 0, so the sum is the
    /// same whether or not hits are counted (they are only for explanations).
    @inline(__always)
    private mutating func behavior(lead: Int, countingHits: Bool) -> Double {
        let totals = scratch.ruleTotals
        let hits = scratch.ruleHits
        totals.update(repeating: 0)
        if countingHits { hits.update(repeating: 0) }
        if hasFrequency { frequencyHits.update(repeating: 0) }
        let events = eventStart[lead]..<eventStart[lead &+ 1]
        let factor = events.isEmpty ? 1 : accumulate(lead: lead, events, totals, hits, countingHits: countingHits)
        if hasListedFrequency { countListedFrequency(lead: lead) }
        if hasGroups || hasFrequency { return secondEditionBehavior(totals, hits, factor: factor, countingHits: countingHits) }
        var sum = 0.0
        for r in 0..<totals.count {
            let total = totals[r] * factor
            totals[r] = total
            sum += clamped(total, -caps[r], caps[r])
        }
        return clamped(sum, behaviorMin, behaviorMax)
    }

    /// The end of ``behavior(lead:countingHits:)`` with SPEC §13's groups and
    /// frequency rules: a frequency rule's total is its points when enough of
    /// its events were recent, else 0 (and no hit); then slot by slot (the
    /// ungrouped sum, each group), its rules' capped totals in model order,
    /// each group within its limit, all within the behaviour limits. The same
    /// additions as ``limitedSlotSums()`` after the rule-sum path.
    ///
    /// Inlined: called out of line, it made its caller copy the whole scorer.
    @inline(__always)
    private func secondEditionBehavior(
        _ totals: UnsafeMutableBufferPointer<Double>, _ hits: UnsafeMutableBufferPointer<Int32>, factor: Double,
        countingHits: Bool
    ) -> Double {
        let counted = frequencyHits
        // Every total decayed, then the frequency rules' replaced: the same
        // values as choosing per rule, in a loop that vectorises.
        for r in 0..<totals.count { totals[r] *= factor }
        for rule in frequencyRuleList {
            let r = Int(rule)
            totals[r] = counted[r] >= frequencyCounts[r] ? behaviorPoints[r] : 0
            if countingHits { hits[r] = counted[r] >= frequencyCounts[r] ? counted[r] : 0 }
        }
        var sum = 0.0
        for slot in 0..<(slotRuleStart.count &- 1) {
            var part = 0.0
            for k in slotRuleStart[slot]..<slotRuleStart[slot &+ 1] {
                let r = Int(slotRules[k])
                part += clamped(totals[r], -caps[r], caps[r])
            }
            sum += slot == 0 ? part : clamped(part, -groupLimits[slot &- 1], groupLimits[slot &- 1])
        }
        return clamped(sum, behaviorMin, behaviorMax)
    }

    /// The ungrouped sum plus each group's sum within its limit, in group
    /// order, within the behaviour limits: how every path ends with groups.
    @inline(__always)
    private func limitedSlotSums() -> Double {
        var sum = slotSums[0]
        for g in 0..<groupLimits.count {
            sum += clamped(slotSums[g &+ 1], -groupLimits[g], groupLimits[g])
        }
        return clamped(sum, behaviorMin, behaviorMax)
    }

    /// Adds every matching event of `events` to its rules' totals: the
    /// innermost loop of Funnel. Returns the factor that turns the totals into
    /// decay at as_of (1 when the events were decayed one by one).
    @inline(__always)
    private mutating func accumulate(
        lead: Int, _ events: Range<Int>, _ totals: UnsafeMutableBufferPointer<Double>,
        _ hits: UnsafeMutableBufferPointer<Int32>, countingHits: Bool
    ) -> Double {
        var factor = 1.0
        if let halfLife {
            if weightsUsable(lead: lead, halfLife: halfLife) {
                factor = decayFactor(lead: lead, halfLife: halfLife)
            } else {
                accumulateDirect(events, halfLife: halfLife, totals, hits, countingHits: countingHits)
                return 1
            }
        }
        // Locals, not stored properties: the loop then keeps everything in registers.
        let (routes, values) = (eventRoute, eventValue)
        for e in counting(events) {
            let route = routes[e]
            if route >= 0 {
                totals[Int(route)] += values[e]
                if countingHits { hits[Int(route)] &+= 1 }
            } else {
                addToRules(ofClass: Int(~route), event: e, weight: values[e], totals, hits, countingHits: countingHits)
            }
        }
        return factor
    }

    /// The slow path, for a lead whose events lie too far from its reference:
    /// `2^(-age / half-life)` per event.
    private mutating func accumulateDirect(
        _ events: Range<Int>, halfLife: Double, _ totals: UnsafeMutableBufferPointer<Double>,
        _ hits: UnsafeMutableBufferPointer<Int32>, countingHits: Bool
    ) {
        for e in counting(events) {
            let weight = power2((eventAt[e] - asOf) / halfLife)
            let route = eventRoute[e]
            if route >= 0 {
                totals[Int(route)] += behaviorPoints[Int(route)] * weight
                if countingHits { hits[Int(route)] &+= 1 }
            } else {
                addToRules(ofClass: Int(~route), event: e, weight: weight, totals, hits, countingHits: countingHits)
            }
        }
    }

    /// The events of `events` (a lead's, newest first) that count at as_of:
    /// not after it, and within the window. A NaN as_of leaves none.
    @inline(__always)
    private func counting(_ events: Range<Int>) -> Range<Int> {
        var (first, end) = (events.lowerBound, events.upperBound)
        while first < end && !(asOf - eventAt[first] >= 0) { first &+= 1 }
        while end > first && !(asOf - eventAt[end &- 1] <= window && eventAt[end &- 1] >= since) { end &-= 1 }
        return first..<end
    }

    /// The general path: every rule of the event's class, `if` included.
    /// Kept out of line so that it does not crowd the hot loop's registers.
    @inline(never)
    private mutating func addToRules(
        ofClass cls: Int, event e: Int, weight: Double,
        _ totals: UnsafeMutableBufferPointer<Double>, _ hits: UnsafeMutableBufferPointer<Int32>, countingHits: Bool
    ) {
        for k in classStart[cls]..<classStart[cls &+ 1] {
            let r = Int(classRules[k])
            let root = behaviorRoots[r]
            if root >= 0 {
                evaluator.event = e
                if !evaluator.holds(root) { continue }
            }
            if hasFrequency && frequencyCounts[r] > 0 {
                // A frequency rule counts its recent events instead (SPEC §13);
                // one without an `if` counts them from the lead's frequency list.
                if root >= 0 && asOf - eventAt[e] <= frequencyWindows[r] { frequencyHits[r] &+= 1 }
                continue
            }
            totals[r] += behaviorPoints[r] * weight
            if countingHits { hits[r] &+= 1 }
        }
    }

    /// Whether fit rule `r` held for the last lead scored.
    @inline(__always)
    func fitHit(_ r: Int) -> Bool { scratch.fitHits[r] }

    /// How many events matched behaviour rule `r` for the last lead scored.
    @inline(__always)
    func ruleHits(_ r: Int) -> Int { Int(scratch.ruleHits[r]) }

    /// Behaviour rule `r`'s total after its cap, for the last lead scored.
    @inline(__always)
    func cappedTotal(_ r: Int) -> Double {
        clamped(scratch.ruleTotals[r], -caps[r], caps[r])
    }

    /// Group `g`'s total within its limit, for the last lead scored: its
    /// rules' capped totals added in the order the behaviour sum adds them.
    func groupTotal(_ g: Int) -> Double {
        var total = 0.0
        for r in 0..<ruleGroups.count where Int(ruleGroups[r]) == g { total += cappedTotal(r) }
        return clamped(total, -groupLimits[g], groupLimits[g])
    }

    /// The group index of behaviour rule `r`; -1 when ungrouped or the model has no groups.
    @inline(__always)
    func group(ofRule r: Int) -> Int { hasGroups ? Int(ruleGroups[r]) : -1 }
}

/// A batch's rule lists by event class (`LeadBatch.classRules`) as two flat
/// columns: class `c`'s rules are `rules[start[c]..<start[c + 1]]`.
struct ClassColumns {
    let start: Column<Int>
    let rules: Column<Int32>

    init(_ batch: LeadBatch) {
        var start = Column<Int>([0])
        var rules = Column<Int32>()
        for list in batch.classRules {
            rules.append(contentsOf: list)
            start.append(rules.count)
        }
        (self.start, self.rules) = (start, rules)
    }

    /// The number of classes.
    var count: Int { start.count - 1 }
}

/// A scorer's per-thread working memory, freed with it.
final class Scratch {
    let fitHits: UnsafeMutableBufferPointer<Bool>
    let ruleTotals: UnsafeMutableBufferPointer<Double>
    let ruleHits: UnsafeMutableBufferPointer<Int32>
    /// Per frequency rule, its matching events within `at_least.within_days`.
    let frequencyHits: UnsafeMutableBufferPointer<Int32>
    /// The ungrouped sum, then per group the sum of its rules' capped totals.
    let slotSums: UnsafeMutableBufferPointer<Double>
    /// What only ``Scorer/scoreBlock(_:fit:behavior:)`` needs, made on its first
    /// call: scoring one lead does without.
    lazy var block = BlockScratch()

    init(fitRules: Int, behaviorRules: Int, groups: Int) {
        frequencyHits = .allocate(capacity: behaviorRules)
        frequencyHits.initialize(repeating: 0)
        slotSums = .allocate(capacity: groups + 1)
        slotSums.initialize(repeating: 0)
        fitHits = .allocate(capacity: fitRules)
        fitHits.initialize(repeating: false)
        ruleTotals = .allocate(capacity: behaviorRules)
        ruleTotals.initialize(repeating: 0)
        ruleHits = .allocate(capacity: behaviorRules)
        ruleHits.initialize(repeating: 0)
    }

    deinit {
        fitHits.deallocate()
        ruleTotals.deallocate()
        ruleHits.deallocate()
        frequencyHits.deallocate()
        slotSums.deallocate()
    }
}

/// A block scorer's working memory.
final class BlockScratch {
    /// The leads of a block that ``Scorer/scoreBlock(_:fit:behavior:)`` scores last.
    let slowLeads: UnsafeMutableBufferPointer<Int>
    /// Where the event prefetching's loads end up.
    var touched: UInt64 = 0
    let masks = MaskStack(capacity: Scorer.blockSize)

    init() {
        slowLeads = .allocate(capacity: Scorer.blockSize)
        slowLeads.initialize(repeating: 0)
    }

    deinit { slowLeads.deallocate() }
}
