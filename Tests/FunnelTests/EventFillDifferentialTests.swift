import Testing

@testable import Funnel
import FunnelTestSupport

/// The fused fill (one pass over grouped events that checks as it fills)
/// against the checking pass and the fill it leads to: on random event
/// columns, mostly good and grouped by lead, sometimes with one bad value
/// anywhere, both give the same error (the first one the checks word) or
/// the same batch, column for column, bit for bit. Seeded: the same cases
/// on every run.
@Suite("Event fill, fused against checked")
struct EventFillDifferentialTests {
    static let types = EventFillTests.types

    /// One case's event columns.
    struct Columns {
        var lead: [UInt32] = []
        var type: [Int32] = []
        var at: [Double] = []
        var values: [Double] = []
    }

    /// Events of `leads` leads, grouped by lead (some leads without any, a
    /// run now and then longer than the fill's scratch), in any time order
    /// with ties, half seconds and times far away; then, in some cases, one
    /// or two values spoilt at random places.
    static func columns(leads: Int, _ random: inout SplitMix64) -> Columns {
        var c = Columns()
        let asOf = EventFillTests.asOf
        for i in 0..<leads {
            let count = random.chance(0.05) ? 120 + random.below(20) : random.below(random.chance(0.5) ? 4 : 24)
            for _ in 0..<count {
                var at = asOf - Double(random.below(90 * 86_400))
                if random.chance(0.1), let last = c.at.last { at = last }
                if random.chance(0.02) { at += 0.5 }
                if random.chance(0.01) { at = asOf - 9e9 }
                if random.chance(0.01) { at = -Double(random.below(5)) - 0.5 }
                c.lead.append(UInt32(i))
                c.type.append(Int32(random.below(types.count)))
                c.at.append(at)
                c.values.append(random.chance(0.5) ? .nan : Double(random.below(40)))
            }
        }
        let m = c.lead.count
        guard m > 0 else { return c }
        for _ in 0..<(random.chance(0.5) ? 0 : 1 + random.below(2)) {
            let k = random.below(m)
            switch random.below(9) {
            case 0: c.lead[k] = UInt32(leads + random.below(3))  // outside the batch
            case 1: c.lead[k] = c.lead[k] == 0 ? 0 : c.lead[k] - 1  // not grouped after all
            case 2: c.lead[k] = c.lead[random.below(m)]  // grouped or not
            case 3: c.type[k] = random.chance(0.5) ? -1 : Int32(types.count + random.below(2))
            case 4: c.at[k] = [Double.nan, .infinity, -.infinity][random.below(3)]
            case 5: c.values[k] = random.chance(0.5) ? .infinity : -.infinity
            case 6:  // an event no rule counts, with a time that is not finite
                c.type[k] = Int32(types.count - 1)
                c.at[k] = .nan
            case 7: c.at[k] = 0x1p60  // finite, beyond whole seconds' keys
            default: c.values[k] = .nan
            }
        }
        return c
    }

    static func expectSameBatch(_ a: LeadBatch, _ b: LeadBatch) {
        EventFillTests.expectSameEvents(a, b)
        #expect(Array(a.frequencyStart) == Array(b.frequencyStart))
        #expect(Array(a.frequencyRule) == Array(b.frequencyRule))
        #expect(a.frequencyAt.map(\.bitPattern) == b.frequencyAt.map(\.bitPattern))
        #expect(a.properties.map(\.kind) == b.properties.map(\.kind))
        #expect(a.properties.map(\.number.bitPattern) == b.properties.map(\.number.bitPattern))
    }

    @Test func fusedFillEqualsCheckedFill() throws {
        let models = try [EventFillTests.routedModelJSON, EventFillTests.lateModelJSON,
                          EventFillTests.secondEditionModelJSON].map { try Model(json: $0) }
        var random = SplitMix64(seed: 20_261_203)
        var (failed, filled) = (0, 0)
        for round in 0..<600 {
            let model = models[round % models.count]
            let leads = random.chance(0.1) ? 0 : 1 + random.below(random.chance(0.8) ? 12 : 60)
            var batch = try LeadBatch(model: model, count: leads)
            batch.keepsRuleSums = !random.chance(0.1)
            if random.chance(0.3) {
                // Events already there, which a refused column must leave as they are.
                let c = Self.columns(leads: leads, &random)
                try? batch.setEvents(types: Self.types, lead: c.lead, type: c.type, at: c.at, property: "minutes",
                                     values: c.values)
            }
            let c = Self.columns(leads: leads, &random)
            let property: String? = random.chance(0.8) ? "minutes" : nil
            let values: [Double]? = property == nil ? nil : c.values
            var (fused, checked) = (batch, batch)
            var (fusedError, checkedError): (ColumnError?, ColumnError?) = (nil, nil)
            do {
                try fused.setEvents(types: Self.types, lead: c.lead, type: c.type, at: c.at, property: property,
                                    values: values)
            } catch { fusedError = error }
            do {
                try c.lead.withUnsafeBufferPointer { lead throws(ColumnError) in
                    try c.type.withUnsafeBufferPointer { type throws(ColumnError) in
                        try c.at.withUnsafeBufferPointer { at throws(ColumnError) in
                            try c.values.withUnsafeBufferPointer { v throws(ColumnError) in
                                try checked.setEvents(types: Self.types, lead: lead, type: type, at: at,
                                                      property: property, values: values == nil ? nil : v, fused: false)
                            }
                        }
                    }
                }
            } catch { checkedError = error }
            #expect(fusedError == checkedError, "round \(round)")
            if fusedError != nil { failed += 1 } else { filled += 1 }
            Self.expectSameBatch(fused, checked)
            if fusedError != nil { Self.expectSameBatch(fused, batch) }
        }
        // Both outcomes were tried often.
        #expect(failed > 100 && filled > 100)
    }
}
