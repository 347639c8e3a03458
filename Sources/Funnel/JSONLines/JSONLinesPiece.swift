extension JSONLinesResults {
    /// One chunk's result lines, as its thread wrote them: the memory of
    /// its writer handed over (``WrittenBytes``, score results: no copy on
    /// the way out), or an array (advance results).
    package struct Piece: Sendable {
        /// The writer's memory, or nil for `array`.
        var block: WrittenBytes?
        var array: [UInt8]

        package init(_ bytes: [UInt8]) {
            block = nil
            array = bytes
        }

        init(_ block: WrittenBytes) {
            self.block = block
            array = []
        }

        /// The number of bytes.
        package var count: Int { block?.count ?? array.count }

        /// Calls `body` with the bytes.
        package func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
            if let block { return try block.withUnsafeBytes(body) }
            // `Array.withUnsafeBytes` rethrows untyped; its buffer lives as long as `array`.
            let result: Result<R, E> = array.withUnsafeBytes { bytes in
                do throws(E) { return .success(try body(bytes)) } catch { return .failure(error) }
            }
            return try result.get()
        }
    }
}
