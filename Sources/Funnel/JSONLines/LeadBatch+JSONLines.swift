extension LeadBatch {
    /// Parses lead documents on `threads` threads and adds them in order, up to
    /// the first line that fails, which is returned beside the leads before it.
    package static func ingest(
        lines: [[UInt8]], numbers: [Int], model: Model, threads: Int
    ) -> (batch: LeadBatch, error: LineError?) {
        let parsed = UnsafeMutableBufferPointer<Result<Lead, LineError>?>.allocate(capacity: lines.count)
        parsed.initialize(repeating: nil)
        defer { parsed.deinitialize().deallocate() }
        nonisolated(unsafe) let slots = parsed
        forEachChunk(count: lines.count, threads: threads) { range in
            for i in range {
                slots[i] = lines[i].withUnsafeBytes { raw in
                    let value: JSONValue
                    do {
                        value = try JSONParser.parse(raw)
                    } catch {
                        return .failure(LineError(line: numbers[i], isParseError: true, message: "malformed JSON: \(error)"))
                    }
                    do throws(LeadError) {
                        return .success(try Lead(jsonValue: value))
                    } catch {
                        return .failure(LineError(line: numbers[i], isParseError: false, message: error.description))
                    }
                }
            }
        }
        var batch = LeadBatch(model: model)
        batch.reserveCapacity(leads: lines.count, events: lines.count * 8)
        for i in 0..<lines.count {
            switch parsed[i] {
            case .success(let lead)?:
                do throws(LeadError) {
                    try batch.append(lead)
                } catch {
                    return (batch, LineError(line: numbers[i], isParseError: false, message: error.description))
                }
            case .failure(let error)?:
                return (batch, error)
            case nil:
                continue
            }
        }
        return (batch, nil)
    }

    /// Every lead's score result, one JSON document a line.
    package func scoreLines(at asOf: Double, threads: Int) -> [UInt8] {
        ScoreResult.jsonLines(results(at: asOf, threads: threads))
    }

    /// Every lead's advance result, one JSON document a line; `nil` without stages.
    package func advanceLines(at asOf: Double, threads: Int) -> [UInt8]? {
        guard let results = advance(at: asOf, threads: threads) else { return nil }
        var writer = JSONWriter(reservingCapacity: count * 128)
        for result in results {
            result.write(to: &writer)
            writer.writeRaw("\n")
        }
        return writer.bytes
    }
}
