extension LeadBatch {
    /// Parses lead documents on `threads` threads and adds them in order, up to
    /// the first line that fails, which is returned beside the leads before it.
    ///
    /// Lines are read by ``LeadLineReader`` straight into records; a line it
    /// leaves alone, and a lead that breaks a batch limit, take the reference
    /// path (``JSONParser``, `Lead(jsonValue:)`, `append(_:)`), which reports
    /// every error.
    package static func ingest(
        lines: [[UInt8]], numbers: [Int], model: Model, threads: Int
    ) -> (batch: LeadBatch, error: LineError?) {
        let compiled = model.compiled
        // Per line: read fast (its record), or read the reference way (its result).
        let isFast = UnsafeMutableBufferPointer<Bool>.allocate(capacity: lines.count)
        isFast.initialize(repeating: false)
        let records = UnsafeMutableBufferPointer<LeadLineRecord>.allocate(capacity: lines.count)
        records.initialize(repeating: LeadLineRecord())
        let parsed = UnsafeMutableBufferPointer<Result<Lead, LineError>?>.allocate(capacity: lines.count)
        parsed.initialize(repeating: nil)
        let arenas = UnsafeMutableBufferPointer<LeadLineArena?>.allocate(capacity: lines.count)
        arenas.initialize(repeating: nil)
        defer {
            isFast.deinitialize().deallocate()
            records.deinitialize().deallocate()
            parsed.deinitialize().deallocate()
            arenas.deinitialize().deallocate()
        }
        nonisolated(unsafe) let (fastLines, lineRecords, slowLines, chunkArenas) = (isFast, records, parsed, arenas)
        forEachChunk(count: lines.count, threads: threads) { range in
            guard !range.isEmpty else { return }
            var reader = LeadLineReader(model: compiled)
            var arena = LeadLineArena()
            // Room for leads of a few dozen events: growing is a copy each time.
            let width = compiled.lineTables.propertyNames.count
            arena.events.reserveCapacity(range.count * 24)
            arena.values.reserveCapacity(range.count * (compiled.lineTables.attributeTypes.count + 24 * width))
            var record = LeadLineRecord()
            for i in range {
                let fast = lines[i].withUnsafeBufferPointer { reader.read($0, into: &record, arena: &arena) }
                if fast {
                    record.arena = range.lowerBound
                    lineRecords[i] = record
                    fastLines[i] = true
                } else {
                    slowLines[i] = referenceLead(lines[i], number: numbers[i])
                }
            }
            chunkArenas[range.lowerBound] = arena
        }
        var batch = LeadBatch(model: model)
        var events = 0
        for arena in arenas { events += arena?.events.count ?? 0 }
        batch.reserveCapacity(leads: lines.count, events: max(lines.count * 8, events))
        var interner = LeadLineInterner()
        for i in 0..<lines.count {
            var slow = parsed[i]
            if isFast[i] {
                let record = records[i]
                let added = arenas[record.arena].map { arena in
                    lines[i].withUnsafeBufferPointer { batch.append(record, arena, line: $0, interner: &interner) }
                }
                if added == true { continue }
                slow = referenceLead(lines[i], number: numbers[i])
            }
            if let error = batch.append(slow, line: numbers[i]) { return (batch, error) }
        }
        return (batch, nil)
    }

    /// ``ingest(lines:numbers:model:threads:)`` the reference way only, every
    /// line through ``JSONParser``, `Lead(jsonValue:)` and `append(_:)`: what
    /// the differential tests hold the fast reader to.
    package static func referenceIngest(
        lines: [[UInt8]], numbers: [Int], model: Model, threads: Int
    ) -> (batch: LeadBatch, error: LineError?) {
        let parsed = UnsafeMutableBufferPointer<Result<Lead, LineError>?>.allocate(capacity: lines.count)
        parsed.initialize(repeating: nil)
        defer { parsed.deinitialize().deallocate() }
        nonisolated(unsafe) let slots = parsed
        forEachChunk(count: lines.count, threads: threads) { range in
            for i in range { slots[i] = referenceLead(lines[i], number: numbers[i]) }
        }
        var batch = LeadBatch(model: model)
        batch.reserveCapacity(leads: lines.count, events: lines.count * 8)
        for i in 0..<lines.count {
            if let error = batch.append(parsed[i], line: numbers[i]) { return (batch, error) }
        }
        return (batch, nil)
    }

    /// Adds a line's lead read the reference way; the line's error, or the
    /// lead's when the batch refuses it; nothing for a blank slot.
    mutating func append(_ parsed: Result<Lead, LineError>?, line: Int) -> LineError? {
        switch parsed {
        case .success(let lead)?:
            do throws(LeadError) {
                try append(lead)
            } catch {
                return LineError(line: line, isParseError: false, message: error.description)
            }
            return nil
        case .failure(let error)?:
            return error
        case nil:
            return nil
        }
    }

    /// A line read the reference way: the `JSONValue` tree, then the `Lead`.
    private static func referenceLead(_ line: [UInt8], number: Int) -> Result<Lead, LineError> {
        line.withUnsafeBytes { referenceLead($0, number: number) }
    }

    /// A line read the reference way, from its bytes.
    static func referenceLead(_ line: UnsafeRawBufferPointer, number: Int) -> Result<Lead, LineError> {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            return .failure(LineError(line: number, isParseError: true, message: "malformed JSON: \(error)"))
        }
        do throws(LeadError) {
            return .success(try Lead(jsonValue: value))
        } catch {
            return .failure(LineError(line: number, isParseError: false, message: error.description))
        }
    }

    /// Every lead's score result, one JSON document a line.
    /// Each thread writes its ranges of leads straight from its scorer into
    /// a byte buffer (``Scorer/writeResult(lead:to:)``); the buffers are
    /// joined in order. The same bytes as `ScoreResult.jsonLines(results(…))`.
    package func scoreLines(at asOf: Double, threads: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        let pieces = UnsafeMutableBufferPointer<[UInt8]?>.allocate(capacity: count)
        pieces.initialize(repeating: nil)
        defer { pieces.deinitialize().deallocate() }
        nonisolated(unsafe) let out = pieces
        let batch = self
        inParallel(count: count, threads: threads) { next in
            var scorer = Scorer(batch, asOf: asOf)
            var writer = ByteWriter(capacity: 1 << 16)
            while let range = next() {
                writer.removeAll()
                for i in range {
                    scorer.writeResult(lead: i, to: &writer)
                    writer.byte(UInt8(ascii: "\n"))
                }
                out[range.lowerBound] = writer.bytes
            }
        }
        var total = 0
        for piece in pieces { total += piece?.count ?? 0 }
        if let whole = pieces[0], whole.count == total { return whole }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        for piece in pieces { if let piece { bytes.append(contentsOf: piece) } }
        return bytes
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
