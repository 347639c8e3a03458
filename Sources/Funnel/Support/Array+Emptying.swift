extension Array {
    /// Empties the array, keeping its memory, as `removeAll(keepingCapacity:
    /// true)` does, but a few elements one by one: that call goes through
    /// `replaceSubrange`, 80 to 160 instructions even for one element, which
    /// a one-lead call paid for each list it empties.
    @inline(__always)
    mutating func empty() {
        if count > 4 {
            removeAll(keepingCapacity: true)
        } else {
            while !isEmpty { removeLast() }
        }
    }
}
