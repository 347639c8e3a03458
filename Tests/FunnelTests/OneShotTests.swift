import Testing

@testable import Funnel
import FunnelTestSupport

/// `scores(at:types:lead:…)` (the C ABI's `funnel_batch_score_events`) gives
/// exactly the scores of `setEvents` followed by `scores(at:)`, bit for bit,
/// whichever path it takes, and leaves the batch as it was.
@Suite("One-shot score")
struct OneShotTests {
    typealias Events = EventFillTests.Events

    /// No half-life: every event's weight is 1; a behaviour floor above 0,
    /// which a lead without events (or none that counts) takes.
    static let flatModelJSON = """
        {"format": "funnel.model/1",
         "attributes": {"employees": "number"},
         "scoring": {
           "fit": [{"id": "mid", "if": {"attr": "employees", "between": [50, 5000]}, "points": 5},
                   {"id": "big", "if": {"attr": "employees", "gt": 100}, "points": 2}],
           "behavior": [{"id": "reply", "event": "email.reply", "points": 2, "cap": 5},
                        {"id": "call", "event": "call.completed", "if": {"prop": "minutes", "gte": 20}, "points": 4},
                        {"id": "page", "event": "page.*", "points": -0.25, "cap": 3}],
           "window_days": 20, "behavior_limits": {"min": 0.5, "max": 9}, "total_limits": {"min": 0, "max": 12},
           "engagement": [{"level": "hot", "min": 4}, {"level": "warm", "min": 1}]}}
        """

    static let models = [
        EventFillTests.routedModelJSON, EventFillTests.lateModelJSON, EventFillTests.secondEditionModelJSON,
        flatModelJSON,
    ]

    /// Every output of a score, as bits.
    struct Scores: Equatable {
        var fit: [UInt64]
        var behavior: [UInt64]
        var total: [UInt64]
        var grade: [Int32]
        var engagement: [Int32]

        /// Filled with values no score has, so that an output left unwritten shows.
        init(count: Int) {
            let (bits, index) = ([UInt64](repeating: 1, count: count), [Int32](repeating: -7, count: count))
            (fit, behavior, total, grade, engagement) = (bits, bits, bits, index, index)
        }
    }

    /// A batch of the events' leads with their attributes and no events.
    static func attributes(_ model: Model, _ events: Events) throws -> LeadBatch {
        var batch = try LeadBatch(model: model, count: events.leads.count)
        try batch.setNumbers("employees", events.leads.map { Double(Int($0.id)! % 3) * 90 })
        return batch
    }

    /// The batch filled with the events, then scored: what the one shot must give.
    static func filledScores(_ batch: LeadBatch, _ e: Events, at instant: Double) throws -> Scores {
        var filled = batch
        try filled.setEvents(types: EventFillTests.types, lead: e.lead, type: e.type, at: e.at, property: "minutes",
            values: e.minutes)
        var scores = Scores(count: batch.count)
        scores.fit.withUnsafeMutableBufferPointer { fit in
            scores.behavior.withUnsafeMutableBufferPointer { behavior in
                scores.total.withUnsafeMutableBufferPointer { total in
                    scores.grade.withUnsafeMutableBufferPointer { grade in
                        scores.engagement.withUnsafeMutableBufferPointer { engagement in
                            filled.scores(
                                at: instant, threads: 1, fit: cast(fit), behavior: cast(behavior), total: cast(total),
                                grade: grade, engagement: engagement)
                        }
                    }
                }
            }
        }
        return scores
    }

    /// Runs `body` with the events as buffers and the scores' outputs.
    static func withBuffers(
        _ e: Events, _ scores: inout Scores,
        _ body: (OneShotInput, UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>,
            UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Int32>, UnsafeMutableBufferPointer<Int32>)
            throws -> Void
    ) rethrows {
        try e.lead.withUnsafeBufferPointer { lead in
            try e.type.withUnsafeBufferPointer { type in
                try e.at.withUnsafeBufferPointer { at in
                    try e.minutes.withUnsafeBufferPointer { minutes in
                        try scores.fit.withUnsafeMutableBufferPointer { fit in
                            try scores.behavior.withUnsafeMutableBufferPointer { behavior in
                                try scores.total.withUnsafeMutableBufferPointer { total in
                                    try scores.grade.withUnsafeMutableBufferPointer { grade in
                                        try scores.engagement.withUnsafeMutableBufferPointer { engagement in
                                            let input = OneShotInput(
                                                lead: lead, type: type, at: at, property: "minutes", values: minutes,
                                                types: EventFillTests.types)
                                            try body(input, cast(fit), cast(behavior), cast(total), grade, engagement)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The public one shot.
    static func oneShot(_ batch: LeadBatch, _ e: Events, at instant: Double, threads: Int) throws -> Scores {
        var scores = Scores(count: batch.count)
        try withBuffers(e, &scores) { input, fit, behavior, total, grade, engagement in
            try batch.scores(
                at: instant, types: input.types, lead: input.lead, type: input.type, eventAt: input.at,
                property: input.property, values: input.values, threads: threads, fit: fit, behavior: behavior,
                total: total, grade: grade, engagement: engagement)
        }
        return scores
    }

    /// The one-shot path alone: its scores, or nil where it gave up.
    static func fastPath(_ batch: LeadBatch, _ e: Events, at instant: Double, threads: Int) -> Scores? {
        var scores = Scores(count: batch.count)
        var took = false
        withBuffers(e, &scores) { input, fit, behavior, total, grade, engagement in
            took = batch.scoreOnce(
                at: instant, input, threads: threads, fit: fit, behavior: behavior, total: total, grade: grade,
                engagement: engagement)
        }
        return took ? scores : nil
    }

    @Test(arguments: [false, true])
    func scoresEqualFillThenScore(interleaved: Bool) throws {
        for (m, json) in Self.models.enumerated() {
            let model = try Model(json: json)
            let events = EventFillTests.events(leads: 400, seed: 40 + UInt64(m) * 2 + (interleaved ? 1 : 0),
                interleaved: interleaved)
            let batch = try Self.attributes(model, events)
            for instant in EventFillTests.instants + [EventFillTests.asOf - 0.25, EventFillTests.asOf + 21 * 86_400] {
                let expected = try Self.filledScores(batch, events, at: instant)
                for threads in [1, 3] {
                    #expect(try Self.oneShot(batch, events, at: instant, threads: threads) == expected,
                        "model \(m), as_of \(instant), \(threads) threads")
                }
            }
        }
    }

    /// The fast path itself takes grouped events of a model whose routes are
    /// decided at ingest (whole and fractional seconds, ties, runs longer
    /// than the scratch, far references, events after as_of and beyond the
    /// window), and gives the fill's scores; it gives up on events out of
    /// lead order, routes left to scoring, and SPEC §13's groups.
    @Test func fastPathTakesWhatItShould() throws {
        let routed = try Model(json: EventFillTests.routedModelJSON)
        let flat = try Model(json: Self.flatModelJSON)
        for (model, seed) in [(routed, UInt64(60)), (flat, 61)] {
            let events = EventFillTests.events(leads: 500, seed: seed, interleaved: false)
            #expect(events.lead.indices.contains { k in
                k >= 128 && events.lead[k - 128] == events.lead[k]
            }, "some run is longer than the scratch")
            let batch = try Self.attributes(model, events)
            // asOf + 21 days: the oldest events (39 days before asOf) are exactly 60 days, the window, old.
            for instant in EventFillTests.instants + [EventFillTests.asOf + 21 * 86_400] {
                let expected = try Self.filledScores(batch, events, at: instant)
                for threads in [1, 2] {
                    let fast = Self.fastPath(batch, events, at: instant, threads: threads)
                    #expect(fast != nil)
                    #expect(fast == expected, "as_of \(instant), \(threads) threads")
                }
            }
        }
        let interleaved = EventFillTests.events(leads: 300, seed: 62, interleaved: true)
        #expect(Self.fastPath(try Self.attributes(routed, interleaved), interleaved, at: sampleAsOf, threads: 2) == nil)
        let grouped = EventFillTests.events(leads: 300, seed: 63, interleaved: false)
        for json in [EventFillTests.lateModelJSON, EventFillTests.secondEditionModelJSON] {
            let batch = try Self.attributes(try Model(json: json), grouped)
            #expect(Self.fastPath(batch, grouped, at: sampleAsOf, threads: 1) == nil)
        }
    }

    /// A refused value names itself as the setter names it, on either path;
    /// the batch (with events of its own) is unchanged and keeps scoring them.
    @Test func refusedValuesAreTheSettersErrors() throws {
        let model = try Model(json: EventFillTests.routedModelJSON)
        let events = EventFillTests.events(leads: 200, seed: 64, interleaved: false)
        var batch = try Self.attributes(model, events)
        let own = EventFillTests.events(leads: 200, seed: 65, interleaved: false)
        try batch.setEvents(types: EventFillTests.types, lead: own.lead, type: own.type, at: own.at,
            property: "minutes", values: own.minutes)
        let before = batch.scores(at: sampleAsOf, threads: 1)
        let last = events.lead.count - 1
        func with<T>(_ column: WritableKeyPath<Events, [T]>, _ k: Int, _ value: T) -> Events {
            var changed = events
            changed[keyPath: column][k] = value
            return changed
        }
        let cases: [(Events, String)] = [
            (with(\.lead, last, 200), "event_lead[\(last)]: lead 200 is outside the batch of 200"),
            (with(\.type, 7, 6), "event_type[7]: type id 6 is outside the 6 types"),
            (with(\.type, last, -1), "event_type[\(last)]: type id -1 is outside the 6 types"),
            (with(\.at, 3, .infinity), "event_at[3]: expected a finite time"),
            (with(\.at, last, .nan), "event_at[\(last)]: expected a finite time"),
            (with(\.minutes, 5, -.infinity), "property_values[5]: expected a finite number or NaN (absent)"),
        ]
        for (bad, message) in cases {
            #expect(Self.fastPath(batch, bad, at: sampleAsOf, threads: 2) == nil, "\(message)")
            #expect(throws: ColumnError(message)) { _ = try Self.oneShot(batch, bad, at: sampleAsOf, threads: 2) }
        }
        #expect(batch.scores(at: sampleAsOf, threads: 1) == before)
        // The batch's own events play no part in the one shot.
        #expect(try Self.oneShot(batch, events, at: sampleAsOf, threads: 1)
            == Self.filledScores(try Self.attributes(model, events), events, at: sampleAsOf))
        // Outputs shorter than the batch, and event arrays of different lengths.
        var short = Scores(count: 199)
        short.engagement = []
        #expect(throws: ColumnError("fit has 199 elements, fewer than the batch's 200 leads")) {
            try Self.withBuffers(events, &short) { input, fit, behavior, total, grade, _ in
                try batch.scores(
                    at: sampleAsOf, types: input.types, lead: input.lead, type: input.type, eventAt: input.at,
                    property: nil, values: nil, fit: fit, behavior: behavior, total: total, grade: grade)
            }
        }
        // A batch without leads refuses any event.
        let empty = try LeadBatch(model: model, count: 0)
        #expect(Self.fastPath(empty, events, at: sampleAsOf, threads: 1) == nil)
        #expect(throws: ColumnError("event_lead[0]: lead 0 is outside the batch of 0")) {
            _ = try Self.oneShot(empty, events, at: sampleAsOf, threads: 1)
        }
        var shorter = events
        shorter.at.removeLast()
        #expect(throws: ColumnError("event arrays differ in length")) {
            _ = try Self.oneShot(batch, shorter, at: sampleAsOf, threads: 1)
        }
    }

    /// Leads without events, and no events at all.
    @Test func leadsWithoutEvents() throws {
        let model = try Model(json: Self.flatModelJSON)
        var events = EventFillTests.events(leads: 50, seed: 66, interleaved: false)
        let batch = try Self.attributes(model, events)
        let (lead, type, at, minutes) = (events.lead, events.type, events.at, events.minutes)
        (events.lead, events.type, events.at, events.minutes) = ([], [], [], [])
        #expect(Self.fastPath(batch, events, at: sampleAsOf, threads: 1) == (try Self.filledScores(batch, events, at: sampleAsOf)))
        // Only the last lead's events.
        let keep = lead.indices.filter { lead[$0] == 49 }
        (events.lead, events.type, events.at, events.minutes) =
            (keep.map { lead[$0] }, keep.map { type[$0] }, keep.map { at[$0] }, keep.map { minutes[$0] })
        #expect(!keep.isEmpty)
        #expect(Self.fastPath(batch, events, at: sampleAsOf, threads: 2) == (try Self.filledScores(batch, events, at: sampleAsOf)))
    }
}

/// A buffer of bit patterns as one of doubles (the same size and stride).
private func cast(_ buffer: UnsafeMutableBufferPointer<UInt64>) -> UnsafeMutableBufferPointer<Double> {
    UnsafeMutableRawBufferPointer(buffer).bindMemory(to: Double.self)
}
