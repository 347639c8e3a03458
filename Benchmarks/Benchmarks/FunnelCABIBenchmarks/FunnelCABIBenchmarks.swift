import Benchmark
import CFunnelABI
import FunnelBenchmarkSupport

#if canImport(Glibc)
import Glibc
#endif

// The C ABI of include/funnel.h, called as a C host calls it. The functions are
// the root package's FunnelC product (libFunnelC.so, built with this package);
// this executable does not link the Funnel Swift module itself.

let leadsPerSecond = BenchmarkMetric.custom("Leads/s", polarity: .prefersLarger, useScalingFactor: false)

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

struct FunnelFailure: Error, CustomStringConvertible {
    var description: String
    init(_ call: String, _ status: funnel_status) {
        description = "\(call): \(String(cString: funnel_status_str(status))): \(String(cString: funnel_last_error()))"
    }
}

/// A loaded model: funnel_model_free on deinit.
final class CModel: @unchecked Sendable {
    let pointer: OpaquePointer
    init(json: String) throws {
        var out: OpaquePointer?
        let status = json.withCString { funnel_model_load($0, strlen($0), &out) }
        guard status == FUNNEL_OK, let out else { throw FunnelFailure("funnel_model_load", status) }
        pointer = out
    }
    deinit { funnel_model_free(pointer) }
}

/// Synthetic leads as C columns, with their dictionaries as C strings.
final class CColumns: @unchecked Sendable {
    typealias S = SyntheticLeads
    let leads: SyntheticLeads
    let dictionaries: [CStringArray]
    let columns: funnel_bench_columns

    init(count: Int) {
        let leads = SyntheticLeads(count: count)
        let d = [S.industries, S.roles, S.countries, S.sources, S.needs, S.tags, S.eventTypes].map(CStringArray.init)
        func p<T>(_ b: UnsafeMutableBufferPointer<T>) -> UnsafePointer<T>? { UnsafePointer(b.baseAddress) }
        func names(_ a: CStringArray) -> UnsafePointer<UnsafePointer<CChar>?>? { UnsafePointer(a.pointers.baseAddress) }
        var c = funnel_bench_columns()
        c.lead_count = count
        c.employees = p(leads.employees)
        c.budget = p(leads.budget)
        c.timeline_days = p(leads.timelineDays)
        c.decision_maker = p(leads.decisionMaker)
        (c.industries, c.industry_count, c.industry) = (names(d[0]), d[0].count, p(leads.industry))
        (c.roles, c.role_count, c.role) = (names(d[1]), d[1].count, p(leads.role))
        (c.countries, c.country_count, c.country) = (names(d[2]), d[2].count, p(leads.country))
        (c.sources, c.source_count, c.source) = (names(d[3]), d[3].count, p(leads.source))
        (c.needs, c.need_count, c.need) = (names(d[4]), d[4].count, p(leads.need))
        (c.tags, c.tag_count) = (names(d[5]), d[5].count)
        (c.tag_offsets, c.tag_members, c.tag_member_count) = (p(leads.tagOffsets), p(leads.tagMembers), leads.tagMembers.count)
        (c.event_types, c.event_type_count) = (names(d[6]), d[6].count)
        c.event_lead = p(leads.eventLead)
        c.event_type = p(leads.eventType)
        c.event_at = p(leads.eventAt)
        c.event_minutes = p(leads.eventMinutes)
        c.event_count = leads.eventCount
        self.leads = leads
        self.dictionaries = d
        self.columns = c
    }

    /// funnel_batch_new + every funnel_batch_set_* (through the C helper).
    func makeBatch(_ model: CModel) throws -> OpaquePointer {
        var out: OpaquePointer?
        var status = funnel_batch_new(model.pointer, leads.count, &out)
        guard status == FUNNEL_OK, let batch = out else { throw FunnelFailure("funnel_batch_new", status) }
        status = withUnsafePointer(to: columns) { funnel_bench_fill(batch, $0) }
        guard status == FUNNEL_OK else {
            funnel_batch_free(batch)
            throw FunnelFailure("funnel_batch_set_*", status)
        }
        return batch
    }
}

/// A filled batch and caller-owned result arrays, reused by every iteration.
final class CScoring: @unchecked Sendable {
    let model: CModel
    let columns: CColumns
    let batch: OpaquePointer
    let count: Int
    let fit, behavior, total: UnsafeMutableBufferPointer<Double>
    let grade: UnsafeMutableBufferPointer<Int32>

    init(count: Int) throws {
        model = try CModel(json: loadReferenceModelJSON())
        columns = CColumns(count: count)
        batch = try columns.makeBatch(model)
        self.count = count
        fit = .allocate(capacity: count)
        behavior = .allocate(capacity: count)
        total = .allocate(capacity: count)
        grade = .allocate(capacity: count)
    }
    deinit {
        funnel_batch_free(batch)
        fit.deallocate(); behavior.deallocate(); total.deallocate(); grade.deallocate()
    }
}

let benchmarks: @Sendable () -> Void = {
    let asOf = SyntheticLeads.asOf
    let all = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 2,
        maxDuration: .seconds(2),
        maxIterations: 10_000
    )

    Benchmark(
        "C funnel_model_load+free (reference JSON)",
        configuration: .init(maxDuration: .seconds(2), maxIterations: 2_000)
    ) { benchmark, json in
        var out: OpaquePointer?
        let status = json.withCString { funnel_model_load($0, strlen($0), &out) }
        if status != FUNNEL_OK { benchmark.error(FunnelFailure("funnel_model_load", status).description) }
        funnel_model_free(out)
    } setup: {
        loadReferenceModelJSON()
    }

    Benchmark(
        "C funnel_batch_new+set_* 100k leads x20 events (bytes held)",
        configuration: .init(
            metrics: [.memoryLeakedBytes, .mallocBytesCount, .mallocCountTotal, .wallClock, .throughput, .peakMemoryResident],
            units: [.memoryLeakedBytes: .count, .mallocBytesCount: .count, .mallocCountTotal: .count],
            warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 20)
    ) { benchmark, state in
        do {
            let batch = try state.columns.makeBatch(state.model)
            benchmark.stopMeasurement()
            funnel_batch_free(batch)
        } catch {
            benchmark.error("\(error)")
        }
    } setup: {
        (model: try CModel(json: loadReferenceModelJSON()), columns: CColumns(count: 100_000))
    }

    for (n, label, iterations, duration) in [(100_000, "100k", 100, 2), (1_000_000, "1M", 10, 4)] {
        for threads in Set([1, all]).sorted() {
            Benchmark(
                "C funnel_batch_score_threads \(label) leads x20 events, \(threads == 1 ? "1 thread" : "\(threads) threads")",
                configuration: .init(
                    metrics: [.wallClock, .throughput, leadsPerSecond, .mallocCountTotal, .peakMemoryResident],
                    warmupIterations: 1, maxDuration: .seconds(duration), maxIterations: iterations)
            ) { benchmark, s in
                let start = ContinuousClock.now
                let status = funnel_batch_score_threads(
                    s.batch, asOf, s.fit.baseAddress, s.behavior.baseAddress, s.total.baseAddress,
                    s.grade.baseAddress, s.count, UInt32(threads))
                let elapsed = ContinuousClock.now - start
                benchmark.stopMeasurement()
                if status != FUNNEL_OK { benchmark.error(FunnelFailure("funnel_batch_score_threads", status).description) }
                benchmark.measurement(leadsPerSecond, Int((Double(n) / seconds(elapsed)).rounded()))
            } setup: {
                try CScoring(count: n)
            }
        }
    }
}
