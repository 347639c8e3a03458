import Benchmark
import Funnel
import FunnelBenchmarkSupport

#if canImport(Glibc)
import Glibc
#endif

/// Leads scored per second, from the measured call's own clock (the built-in
/// `throughput` metric counts benchmark iterations, i.e. whole batches).
let leadsPerSecond = BenchmarkMetric.custom("Leads/s", polarity: .prefersLarger, useScalingFactor: false)

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

let benchmarks: @Sendable () -> Void = {
    let asOf = SyntheticLeads.asOf
    let all = defaultThreadCount

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .automatic,
        warmupIterations: 2,
        maxDuration: .seconds(2),
        maxIterations: 10_000
    )

    // MARK: Model load + compile

    Benchmark(
        "Model load+compile (reference JSON)",
        configuration: .init(maxDuration: .seconds(2), maxIterations: 2_000)
    ) { benchmark, json in
        do {
            blackHole(try Model(json: json))
        } catch {
            benchmark.error("\(error)")
        }
    } setup: {
        loadReferenceModelJSON()
    }

    // MARK: One lead

    Benchmark(
        "Score one lead (20 events), model.score(_:at:)",
        configuration: .init(maxDuration: .seconds(2), maxIterations: 20_000)
    ) { benchmark, state in
        do {
            blackHole(try state.model.score(state.lead, at: asOf))
        } catch {
            benchmark.error("\(error)")
        }
    } setup: {
        (model: try referenceModel(), lead: lead(SyntheticLeads(count: 1), 0))
    }

    // MARK: Batch scoring throughput

    for (n, label, iterations, duration) in [
        (10_000, "10k", 1_000, 2), (100_000, "100k", 100, 2), (1_000_000, "1M", 10, 4),
    ] {
        for threads in Set([1, all]).sorted() {
            let name = "scores(at:) \(label) leads x20 events, \(threads == 1 ? "1 thread" : "\(threads) threads")"
            Benchmark(
                name,
                configuration: .init(
                    metrics: [.wallClock, .throughput, leadsPerSecond, .mallocCountTotal, .peakMemoryResident],
                    warmupIterations: 1, maxDuration: .seconds(duration), maxIterations: iterations)
            ) { benchmark, batch in
                // The batch is built in setup; only scoring is measured.
                let start = ContinuousClock.now
                let scores = batch.scores(at: asOf, threads: threads)
                let elapsed = ContinuousClock.now - start
                benchmark.stopMeasurement()
                benchmark.measurement(leadsPerSecond, Int((Double(n) / seconds(elapsed)).rounded()))
                blackHole(scores)
            } setup: {
                try columnBatch(try referenceModel(), SyntheticLeads(count: n))
            }
        }
    }

    // MARK: Steady-state allocations of scores(at:)

    // Malloc counts are process-wide: the peakMemoryResident sampler thread
    // allocates too, so these benchmarks ask for malloc metrics only. The
    // difference between the two sizes is the per-lead part.
    for (n, label) in [(100_000, "100k"), (1_000_000, "1M")] {
        Benchmark(
            "scores(at:) allocations, \(label) leads, 1 thread",
            configuration: .init(
                metrics: [.mallocCountTotal, .mallocBytesCount, .wallClock],
                units: [.mallocCountTotal: .count, .mallocBytesCount: .count],
                warmupIterations: 1, maxDuration: .seconds(2), maxIterations: 5)
        ) { benchmark, batch in
            let scores = batch.scores(at: asOf, threads: 1)
            benchmark.stopMeasurement()
            blackHole(scores)
        } setup: {
            try columnBatch(try referenceModel(), SyntheticLeads(count: n))
        }
    }

    // MARK: Memory per lead

    // memoryLeakedBytes = bytes malloc'ed minus bytes freed in the measured part:
    // the batch is kept alive past stopMeasurement(), so this is what it holds.
    let memoryMetrics: [BenchmarkMetric] = [
        .memoryLeakedBytes, .mallocBytesCount, .mallocCountTotal, .wallClock, .throughput, .peakMemoryResident,
    ]
    let memoryUnits: [BenchmarkMetric: BenchmarkUnits] = [
        .memoryLeakedBytes: .count, .mallocBytesCount: .count, .mallocCountTotal: .count,
    ]
    let memoryLeads = 10_000

    Benchmark(
        "LeadBatch(model:leads:) 10k leads x20 events (bytes held)",
        configuration: .init(metrics: memoryMetrics, units: memoryUnits, warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 50)
    ) { benchmark, state in
        do {
            let batch = try LeadBatch(model: state.model, leads: state.leads)
            benchmark.stopMeasurement()
            blackHole(batch)
        } catch {
            benchmark.error("\(error)")
        }
    } setup: {
        (model: try referenceModel(), leads: leadDocuments(SyntheticLeads(count: memoryLeads)))
    }

    Benchmark(
        "LeadBatch column setters 10k leads x20 events (bytes held)",
        configuration: .init(metrics: memoryMetrics, units: memoryUnits, warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 50)
    ) { benchmark, state in
        do {
            let batch = try columnBatch(state.model, state.leads)
            benchmark.stopMeasurement()
            blackHole(batch)
        } catch {
            benchmark.error("\(error)")
        }
    } setup: { () throws -> (model: Model, leads: SyntheticLeads) in
        let model = try referenceModel()
        let leads = SyntheticLeads(count: memoryLeads)
        try checkPathsAgree(model, leads)
        return (model: model, leads: leads)
    }
}

/// The column path and the lead-document path must score the same leads the
/// same; a warning (not a failure) when they do not, so the timings still come out.
func checkPathsAgree(_ model: Model, _ leads: SyntheticLeads) throws {
    let asOf = SyntheticLeads.asOf
    let a = try columnBatch(model, leads).scores(at: asOf, threads: 1)
    let b = try LeadBatch(model: model, leads: leadDocuments(leads)).scores(at: asOf, threads: 1)
    if a.total != b.total || a.gradeIndex != b.gradeIndex {
        let bad = zip(a.total, b.total).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1
        let message = "warning: column and lead-document batches score differently (first at lead \(bad))\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
    }
}
