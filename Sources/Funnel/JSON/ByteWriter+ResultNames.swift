extension ByteWriter {
    /// Appends name `k` of `names` as it is.
    @inline(__always)
    mutating func name(_ names: ResultNames.View, _ k: Int) {
        let (start, n) = names.name(k)
        raw(start, count: n)
    }

    /// Appends name `k` of `names` (escaped string contents) between quotes.
    @inline(__always)
    mutating func quoted(_ names: ResultNames.View, _ k: Int) {
        let (start, n) = names.name(k)
        quoted(start, count: n)
    }
}
