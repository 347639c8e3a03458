/// Which `contains` operands the comparison key `key` contains, as a bit mask.
func containsMask(_ key: [UInt8], _ operands: [[UInt8]], words: Int) -> [UInt64] {
    var mask = [UInt64](repeating: 0, count: words)
    for (k, operand) in operands.enumerated() where containsBytes(key, operand) {
        mask[k >> 6] |= 1 << UInt64(k & 63)
    }
    return mask
}

/// The `contains` masks of every symbol a batch knows: the model's, then the
/// batch's own (strings the model never named) from `localBase` on.
struct ContainsMasks {
    let words: Int
    let model: UnsafeBufferPointer<UInt64>
    let local: UnsafeBufferPointer<UInt64>
    let localBase: Int

    /// Whether `symbol`'s comparison key contains `contains` operand `operand`.
    @inline(__always)
    func has(_ symbol: Int32, operand: Int32) -> Bool {
        let s = Int(symbol)
        let word =
            s < localBase
            ? model[s &* words &+ Int(operand &>> 6)]
            : local[(s &- localBase) &* words &+ Int(operand &>> 6)]
        return word & (1 << UInt64(operand & 63)) != 0
    }
}
