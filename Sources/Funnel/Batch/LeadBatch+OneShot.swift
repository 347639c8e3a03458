import Synchronization

/// Scoring once from raw event columns, without filling the batch with them:
/// what a host that scores a batch once needs (the C ABI's
/// `funnel_batch_score_events`).
///
/// A fill keeps every event (time, route, weight) and per-lead rule sums so
/// that the batch can be re-scored at any instant in a few operations per
/// lead; a host that scores once pays for writing all of that and reading
/// part of it back. Knowing as_of while reading the events, each lead's run
/// is gathered, ordered newest first and weighed in a per-thread scratch
/// (the fill's own steps: ``LeadScratch``, ``EventRouter``), and its rule
/// totals summed and decayed there, straight into the lead's behaviour; the
/// fit comes from the batch's attribute columns as ``Scorer`` sweeps them.
/// The same operations on the same numbers in the same order as a fill and
/// a score, so the same bits; whatever this path does not take (events not
/// grouped by lead, a refused value, routes left to scoring, groups or
/// frequency rules) takes the fill and the score themselves.
extension LeadBatch {
    /// Scores every lead at `asOf` with the given events in place of the
    /// batch's own (which stay as they are), without keeping them: the
    /// scores ``setEvents(types:lead:type:at:property:values:)`` followed by
    /// ``scores(at:threads:)`` give, bit for bit, without writing any event
    /// column (about a tenth less work on one thread, and every thread works
    /// on the events, where the fill is one thread). The event arrays are read as that
    /// setter reads them; each output, when given, has at least ``count``
    /// elements (`grade`: the grade's index, -1 for none; `engagement`: the
    /// engagement level's index, -1 for none).
    ///
    /// Fastest with the events grouped by lead (`lead` never decreases, as an
    /// export ordered by lead gives them); any order is taken.
    ///
    /// - Throws: ``ColumnError`` naming the first refused value, as the
    ///   setter does, or an output shorter than the batch; the outputs may
    ///   then have been partly written.
    public func scores(
        at asOf: Double, types: [String], lead: UnsafeBufferPointer<UInt32>, type: UnsafeBufferPointer<Int32>,
        eventAt: UnsafeBufferPointer<Double>, property: String?, values: UnsafeBufferPointer<Double>?,
        threads: Int = defaultThreadCount, fit: UnsafeMutableBufferPointer<Double>?,
        behavior: UnsafeMutableBufferPointer<Double>?, total: UnsafeMutableBufferPointer<Double>?,
        grade: UnsafeMutableBufferPointer<Int32>?, engagement: UnsafeMutableBufferPointer<Int32>? = nil
    ) throws(ColumnError) {
        let n = lead.count
        guard type.count == n, eventAt.count == n, values.map({ $0.count == n }) ?? true else {
            throw ColumnError("event arrays differ in length")
        }
        for (name, length) in [
            ("fit", fit?.count), ("behavior", behavior?.count), ("total", total?.count), ("grade", grade?.count),
            ("engagement", engagement?.count),
        ] {
            if let length, length < count {
                throw ColumnError("\(name) has \(length) elements, fewer than the batch's \(count) leads")
            }
        }
        let input = OneShotInput(lead: lead, type: type, at: eventAt, property: property, values: values, types: types)
        if scoreOnce(at: asOf, input, threads: threads, fit: fit, behavior: behavior, total: total, grade: grade,
            engagement: engagement)
        {
            return
        }
        // Not taken, or given up (a refused value words its error there): the fill and the score.
        var filled = self
        try filled.setEvents(types: types, lead: lead, type: type, at: eventAt, property: property, values: values)
        filled.scores(
            at: asOf, threads: threads, fit: fit, behavior: behavior, total: total, grade: grade, engagement: engagement)
    }

    /// The one-shot path: whether it took the events (and wrote the
    /// outputs, which have ``count`` elements each when given), or gave up.
    func scoreOnce(
        at asOf: Double, _ input: OneShotInput, threads: Int, fit: UnsafeMutableBufferPointer<Double>?,
        behavior: UnsafeMutableBufferPointer<Double>?, total: UnsafeMutableBufferPointer<Double>?,
        grade: UnsafeMutableBufferPointer<Int32>?, engagement: UnsafeMutableBufferPointer<Int32>?
    ) -> Bool {
        // Without leads there are no blocks to check the events: any event is refused (the setter words it).
        guard oneShotTakes(types: input.types.count), count > 0 || input.lead.isEmpty else { return false }
        var local = self
        // The types the batch does not know become its local classes here, once, not per thread.
        _ = EventRouter(&local, types: input.types, type: input.type, property: input.property, values: input.values)
        nonisolated(unsafe) let input = input
        let batch = local
        return local.scoreBlocks(
            threads: threads, fit: fit, behavior: behavior, total: total, grade: grade, engagement: engagement
        ) { OneShotScorer(batch, asOf: asOf, input) }
    }

    /// Whether the one-shot path can take this batch's model: no groups or
    /// frequency rules (their endings stay with the scorer), type ids that
    /// compare as unsigned, and lead ids for every lead.
    private func oneShotTakes(types: Int) -> Bool {
        !model.scoring.hasGroups && !model.scoring.hasFrequency && types <= Int(Int32.max)
            && count <= Int(UInt32.max)
    }
}

/// The raw event columns of a one-shot score, as the setter takes them.
struct OneShotInput {
    let lead: UnsafeBufferPointer<UInt32>
    let type: UnsafeBufferPointer<Int32>
    let at: UnsafeBufferPointer<Double>
    let property: String?
    let values: UnsafeBufferPointer<Double>?
    let types: [String]
}

/// One thread's one-shot scorer: per block of leads, the fit as ``Scorer``
/// sweeps it, then per lead its behaviour from its run of events
/// (``RunSummer``). Gives up (false) at the first thing the fill would
/// refuse or leave to the scorer, for the caller to take the fill and the score.
struct OneShotScorer: BlockScoring {
    private var scorer: Scorer
    /// Constant while scoring (its scratch is a class): read without copying this scorer.
    private let summer: RunSummer
    private let leads: Int

    init(_ batch: LeadBatch, asOf: Double, _ input: OneShotInput) {
        var local = batch
        let router = EventRouter(
            &local, types: input.types, type: input.type, property: input.property, values: input.values)
        scorer = Scorer(local, asOf: asOf)
        summer = RunSummer(batch.model.scoring, asOf: asOf, input, router)
        leads = batch.count
    }

    mutating func fillBlock(
        _ block: Range<Int>, fit: UnsafeMutableBufferPointer<Double>, behavior: UnsafeMutableBufferPointer<Double>
    ) -> Bool {
        scorer.fitBlock(block, fit: fit)
        var k = eventBoundary(block.lowerBound)
        let end = eventBoundary(block.upperBound)
        // Every given value, also of a property no rule reads, as the fill checks them.
        if let values = summer.input.values, k < end,
            !LeadBatch.valuesFit(UnsafeBufferPointer(rebasing: values[k..<end]))
        {
            return false
        }
        let first = block.lowerBound
        // A local copy: calling through `self` (inout here) copied the summer once per lead.
        let summer = self.summer
        for i in block {
            guard let b = summer.behavior(lead: i, from: &k, to: end) else { return false }
            behavior[i &- first] = b
        }
        // Every event of the block's range taken by its leads, in lead order.
        return k == end
    }

    /// Where the events of lead `i` on would start were the events grouped
    /// by lead: the first with a lead id of at least `i` (0 for the first
    /// lead, every event for the end). On events in any other order it is
    /// some place; as every block's range starts where the block before it
    /// ends, and each block checks that its leads take every event of its
    /// range in order, such events make some block give up.
    private func eventBoundary(_ i: Int) -> Int {
        let lead = summer.input.lead
        if i == 0 { return 0 }
        if i >= leads { return lead.count }
        let target = UInt32(truncatingIfNeeded: i)
        var (low, high) = (0, lead.count)
        while low < high {
            let middle = (low &+ high) >> 1
            if lead[middle] < target { low = middle &+ 1 } else { high = middle }
        }
        return low
    }
}

/// A lead's behaviour from its run of raw events, as the fill and the scorer
/// would give it: the run gathered in a ``LeadScratch`` (routes from an
/// ``EventRouter``), ordered newest first, weighed, summed per rule and
/// decayed to as_of. Its mutable state is in those two classes, so that a
/// call copies nothing.
struct RunSummer {
    let input: OneShotInput
    private let router: EventRouter
    private let scratch: LeadScratch
    private let asOf: Double
    private let halfLife: Double?
    private let window: Double
    /// How far from its reference (in seconds) a lead's weights are used: ``Scorer/decayRange`` half-lives.
    private let reach: Double
    /// Whether 1 / half-life is at least 2^-54 (`power2`'s table path starts there).
    private let tablePathFromOneSecond: Bool
    private let points: UnsafeBufferPointer<Double>
    private let caps: UnsafeBufferPointer<Double>
    private let pointsColumn: Column<Double>
    private let capsColumn: Column<Double>
    private let behaviorMin: Double
    private let behaviorMax: Double
    private let ruleCount: Int
    private let typeLimit: UInt32

    init(_ scoring: ScoringTables, asOf: Double, _ input: OneShotInput, _ router: EventRouter) {
        ruleCount = scoring.behaviorRoots.count
        scratch = LeadScratch(rules: ruleCount)
        self.router = router
        self.input = input
        self.asOf = asOf
        halfLife = scoring.halfLifeSeconds
        window = scoring.windowSeconds ?? .infinity
        reach = halfLife.map { Scorer.decayRange * $0 } ?? 0
        tablePathFromOneSecond = halfLife.map { 1 / $0 >= 0x1p-54 } ?? false
        (pointsColumn, capsColumn) = (scoring.behaviorPoints, scoring.behaviorCaps)
        (points, caps) = (pointsColumn.buffer, capsColumn.buffer)
        (behaviorMin, behaviorMax) = (scoring.behaviorMin, scoring.behaviorMax)
        typeLimit = UInt32(truncatingIfNeeded: input.types.count)
    }

    /// Lead `i`'s behaviour from its run of events at `k` (moved past it),
    /// or nil where the fill would refuse or keep something.
    @inline(__always)
    func behavior(lead i: Int, from k: inout Int, to end: Int) -> Double? {
        let id = UInt32(truncatingIfNeeded: i)
        let (lead, type, at) = (input.lead, input.type, input.at)
        let gatheredRoute = scratch.route
        // Locals, so that the loop's stores are not taken to change them.
        let (routeTable, typeLimit) = (UnsafePointer(router.routeTable.baseAddress.unsafelyUnwrapped), self.typeLimit)
        let runStart = k
        let most = Swift.min(end &- k, LeadScratch.capacity)
        var m = 0
        var routeBits: Int32 = 0
        while m < most && lead[runStart &+ m] == id {
            let t = type[runStart &+ m]
            if UInt32(bitPattern: t) >= typeLimit { return nil }
            let r = routeTable[Int(t)]
            routeBits |= r
            gatheredRoute[m] = r
            m &+= 1
        }
        k = runStart &+ m
        if k < end && lead[k] == id { return longRunBehavior(lead: id, from: &k, to: end, gathered: m) }
        // The next event belongs to a later lead, or the run is out of order.
        if k < end && lead[k] < id { return nil }
        guard m > 0 else { return cappedSum(factor: 1, fed: 0) }
        // The run's times where they are (some, so `at` has a base), unless some events are dropped.
        var times = at.baseAddress.unsafelyUnwrapped + runStart
        if routeBits < 0 {
            // Some route is not fixed: the run again, deciding those and
            // dropping what no rule counts (the rest's times gathered).
            let gatheredAt = scratch.at
            var kept = 0
            for j in 0..<m {
                var r = gatheredRoute[j]
                if r < 0 {
                    if r == LeadBatch.routeDependsOnEvent { r = EventRouter.routeCode(router.route(runStart &+ j)) }
                    if r == EventRouter.droppedCode {
                        if !times[j].isFinite { return nil }
                        continue
                    }
                    // Left to scoring: the scorer's general path.
                    if r < 0 { return nil }
                }
                gatheredRoute[kept] = r
                gatheredAt[kept] = times[j]
                kept &+= 1
            }
            (m, times) = (kept, UnsafePointer(gatheredAt))
        }
        guard m > 0 else { return cappedSum(factor: 1, fed: 0) }
        let run = scratch.shapeRun(times, m)
        if !run.whole {
            for j in 0..<m where !times[j].isFinite { return nil }
        }
        let ref = times[0]
        let farthest = Swift.max(run.newest - ref, ref - run.oldest)
        let keyed = run.whole && Swift.max(abs(run.newest), abs(run.oldest)) < 0x1p51 && farthest < 2_147_483_648
        // Each place newest first its event: already newest first (ties
        // keep input order, so only strictly rising times reverse), oldest
        // first, or ranked.
        let order = scratch.order
        if run.rises == 0 {
            for p in 0..<m { order[p] = Int32(truncatingIfNeeded: p) }
        } else if run.rises == m &- 1 {
            for p in 0..<m { order[p] = Int32(truncatingIfNeeded: m &- 1 &- p) }
        } else if !(keyed && LeadBatch.orderNewestFirst(m, scratch)) {
            // The ranking without keys reads the times in the scratch.
            if times != UnsafePointer(scratch.at) { scratch.at.update(from: times, count: m) }
            LeadBatch.rankNewestFirst(m, scratch, keyed: keyed)
            let place = scratch.place
            for j in 0..<m { order[Int(place[j])] = Int32(truncatingIfNeeded: j) }
        }
        let tablePath = keyed && tablePathFromOneSecond && halfLife.map { farthest / $0 < 512 } ?? false
        return sum(times, gatheredRoute, order, m, values: scratch.value, reference: ref, farthest: farthest,
            tablePath: tablePath)
    }

    /// ``behavior(lead:from:to:)`` for a run longer than the scratch, whose
    /// first `gathered` events are in it: the run in the scratch's `long`,
    /// sorted newest first (ties in input order), then summed.
    private func longRunBehavior(lead id: UInt32, from k: inout Int, to end: Int, gathered: Int) -> Double? {
        let (lead, type, at) = (input.lead, input.type, input.at)
        scratch.long.removeAll(keepingCapacity: true)
        let runStart = k &- gathered
        while k < end && lead[k] == id {
            let t = type[k]
            if UInt32(bitPattern: t) >= typeLimit { return nil }
            k &+= 1
        }
        if k < end && lead[k] < id { return nil }
        for position in runStart..<k {
            let time = at[position]
            if !time.isFinite { return nil }
            var r = router.routeTable[Int(type[position])]
            if r == LeadBatch.routeDependsOnEvent { r = EventRouter.routeCode(router.route(position)) }
            if r == EventRouter.droppedCode { continue }
            if r < 0 { return nil }
            scratch.long.append((time, r, 0, position))
        }
        guard let first = scratch.long.first else { return cappedSum(factor: 1, fed: 0) }
        let ref = first.at
        var (newest, oldest) = (ref, ref)
        for event in scratch.long {
            newest = Swift.max(newest, event.at)
            oldest = Swift.min(oldest, event.at)
        }
        scratch.long.sort { $0.at != $1.at ? $0.at > $1.at : $0.position < $1.position }
        let count = scratch.long.count
        // Sorted already: the identity order.
        let (times, routes) = (scratch.long.map(\.at), scratch.long.map(\.route))
        let order = Array(0..<Int32(truncatingIfNeeded: count))
        var values = [Double](repeating: 0, count: count)
        return sum(
            times, routes, order, count, values: &values, reference: ref,
            farthest: Swift.max(newest - ref, ref - oldest), tablePath: false)
    }

    /// The behaviour of `count` events (at least one; times `at`, routes
    /// `route`, each a rule's) taken in the given order (newest first):
    /// what the fill's weights (2^((t − reference) / half-life) times the
    /// points) and the scorer's walk over them give. Where the lead's weights
    /// are usable at as_of (its events and as_of within ``reach`` of the
    /// reference) each rule's total of the events that count (not after
    /// as_of, within the window), newest first from 0, times the lead's
    /// decay factor; otherwise each counted event decayed to as_of directly;
    /// without a half-life, the points. `tablePath`: every exponent is on
    /// `power2`'s table path or 0 (whole seconds within 512 half-lives).
    /// `values`: room for `count` values, computed in input order (the
    /// weighed ones two at a time, no gather through `order`) before they
    /// are added in order.
    @inline(__always)
    private func sum(
        _ at: UnsafePointer<Double>, _ route: UnsafePointer<Int32>, _ order: UnsafePointer<Int32>,
        _ count: Int, values: UnsafeMutablePointer<Double>, reference ref: Double, farthest: Double, tablePath: Bool
    ) -> Double {
        var fed: UInt64 = 0
        let (asOf, window) = (self.asOf, self.window)
        let factor: Double
        if let halfLife, farthest <= reach && abs(asOf - ref) <= reach {
            // Two at a time (contiguous loads, no branch per event: an event
            // that does not count is an exact +0, a total is never -0).
            let (refs, divisors) = (SIMD2(repeating: ref), SIMD2(repeating: halfLife))
            let (asOfs, windows) = (SIMD2(repeating: asOf), SIMD2(repeating: window))
            var j = 0
            @inline(__always) func weigh(_ power: (SIMD2<Double>) -> SIMD2<Double>) {
                while j &+ 1 < count {
                    let (r0, r1) = (Int(route[j]), Int(route[j &+ 1]))
                    let t = UnsafeRawPointer(at + j).loadUnaligned(as: SIMD2<Double>.self)
                    let ages = asOfs - t
                    let counts = SIMD2<Int64>.zero.replacing(with: -1, where: ages .>= .zero .& ages .<= windows)
                    let v = power((t - refs) / divisors) * SIMD2(points[r0], points[r1])
                    let kept = unsafeBitCast(v, to: SIMD2<Int64>.self) & counts
                    UnsafeMutableRawPointer(values + j).storeBytes(of: kept, as: SIMD2<Int64>.self)
                    fed |= 1 &<< UInt64(truncatingIfNeeded: r0) | 1 &<< UInt64(truncatingIfNeeded: r1)
                    j &+= 2
                }
            }
            // One loop per kind of exponent, not a test per pair.
            if tablePath { weigh(power2OnTablePath) } else { weigh(power2) }
            if j < count {
                let (t, r) = (at[j], Int(route[j]))
                let age = asOf - t
                let weight = power2((t - ref) / halfLife)
                values[j] = age >= 0 && age <= window ? weight * points[r] : 0
                fed |= 1 &<< UInt64(truncatingIfNeeded: r)
            }
            factor = power2(-(asOf - ref) / halfLife)
        } else {
            // Without a half-life the points; too far from the reference for
            // its weights, each event decayed to as_of directly.
            for j in 0..<count {
                let (t, r) = (at[j], Int(route[j]))
                let age = asOf - t
                let counts = age >= 0 && age <= window
                values[j] = !counts ? 0 : halfLife.map { points[r] * power2((t - asOf) / $0) } ?? 1.0 * points[r]
                fed |= 1 &<< UInt64(truncatingIfNeeded: r)
            }
            factor = 1
        }
        // Each rule's values added newest first.
        let totals = scratch.sums
        for p in 0..<count {
            let j = Int(order[p])
            totals[Int(route[j])] += values[j]
        }
        return cappedSum(factor: factor, fed: fed)
    }

    /// Each fed rule's total times `factor`, within its cap, added in rule
    /// order, within the behaviour limits (the scorer's ending; a rule no
    /// event fed adds an exact 0, so it is left out); the totals are cleared
    /// for the next lead. `fed`: the rules' bits, with at most 64 rules;
    /// beyond, every rule is taken.
    @inline(__always)
    private func cappedSum(factor: Double, fed: UInt64) -> Double {
        let totals = scratch.sums
        var sum = 0.0
        if ruleCount <= 64 {
            var fed = fed
            while fed != 0 {
                let r = fed.trailingZeroBitCount
                sum += clamped(totals[r] * factor, -caps[r], caps[r])
                totals[r] = 0
                fed &= fed &- 1
            }
        } else {
            for r in 0..<ruleCount {
                sum += clamped(totals[r] * factor, -caps[r], caps[r])
                totals[r] = 0
            }
        }
        return clamped(sum, behaviorMin, behaviorMax)
    }
}
