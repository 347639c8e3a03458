extension WinModel {
    /// Learns every example of a JSON Lines text (one example document a
    /// line; blank lines are skipped but counted), all or nothing: when a line
    /// is bad, nothing is learnt. The C ABI's `funnel_winmodel_train_jsonl`.
    ///
    /// - Throws: ``WinExampleError`` naming the line and the field.
    public mutating func learn(jsonLines bytes: UnsafeRawBufferPointer) throws(WinExampleError) {
        var copy = self
        let (lines, numbers) = JSONLines.split(bytes)
        for (line, number) in zip(lines, numbers) {
            do throws(WinExampleError) {
                try copy.learn(try WinExample(jsonLine: line))
            } catch {
                var located = error
                located.line = number
                throw located
            }
        }
        self = copy
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
    /// Reads one example from the bytes of a JSON Lines line.
    package init(jsonLine bytes: [UInt8]) throws(WinExampleError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(WinExampleError) in try WinExample(jsonBytes: raw) }
        }
        self = try result.get()
    }
}
