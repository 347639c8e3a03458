extension WinModel {
    /// Learns every example of a JSON Lines text (one example document a
    /// line; blank lines are skipped but counted), all or nothing: when a line
    /// is bad, nothing is learnt. The C ABI's `funnel_winmodel_train_jsonl`.
    ///
    /// - Throws: ``WinExampleError`` naming the line and the field.
    ///
    /// Lines are parsed on every core, a block at a time (parsing is most of
    /// the work), and learnt in order, so the error is the first bad line's.
    public mutating func learn(jsonLines bytes: UnsafeRawBufferPointer) throws(WinExampleError) {
        var copy = self
        let (lines, numbers) = JSONLines.split(bytes)
        var start = 0
        while start < lines.count {
            let end = min(start + Self.parseBlock, lines.count)
            try copy.learn(parsed: WinExample.parse(Array(lines[start..<end]), threads: defaultThreadCount),
                           numbers: numbers[start..<end])
            start = end
        }
        self = copy
    }

    /// How many lines ``learn(jsonLines:)-(UnsafeRawBufferPointer)`` parses at a time.
    package static let parseBlock = 16_384

    /// Learns parsed lines in order (`numbers`: their line numbers), stopping
    /// at the first that failed to parse or to be learnt, with its line.
    package mutating func learn(
        parsed: [Result<WinExample, WinExampleError>?], numbers: ArraySlice<Int>
    ) throws(WinExampleError) {
        for (result, number) in zip(parsed, numbers) {
            guard let result else { continue }
            do throws(WinExampleError) {
                try learn(try result.get())
            } catch {
                var located = error
                located.line = number
                throw located
            }
        }
    }

    /// Like ``learn(jsonLines:)-(UnsafeRawBufferPointer)`` from text.
    public mutating func learn(jsonLines text: String) throws(WinExampleError) {
        var text = text
        let result = text.withUTF8 { buffer in
            var copy = self
            return Result { () throws(WinExampleError) in
                try copy.learn(jsonLines: UnsafeRawBufferPointer(buffer))
                return copy
            }
        }
        self = try result.get()
    }
}

extension WinExample {
    /// Parses each line on `threads` threads: its example, or why it is not
    /// one (without its line number, which the caller knows).
    package static func parse(_ lines: [[UInt8]], threads: Int) -> [Result<WinExample, WinExampleError>?] {
        let parsed = UnsafeMutableBufferPointer<Result<WinExample, WinExampleError>?>.allocate(capacity: lines.count)
        parsed.initialize(repeating: nil)
        defer { parsed.deinitialize().deallocate() }
        nonisolated(unsafe) let slots = parsed
        forEachChunk(count: lines.count, threads: threads) { range in
            for i in range {
                slots[i] = Result { () throws(WinExampleError) in try WinExample(jsonLine: lines[i]) }
            }
        }
        return Array(parsed)
    }

    /// Reads one example from the bytes of a JSON Lines line.
    package init(jsonLine bytes: [UInt8]) throws(WinExampleError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(WinExampleError) in try WinExample(jsonBytes: raw) }
        }
        self = try result.get()
    }
}
