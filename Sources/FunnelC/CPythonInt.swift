/// A CPython int object's value read in place, for the functions that read a
/// host's objects (`funnel_doubles_from_objects`, `funnel_uint32_from_objects`,
/// `funnel_jsonl_from_objects`): at most two 30-bit digits (60 bits), in the
/// layout's `int_form` — 1 (CPython ≤ 3.11: a signed digit count) or 2
/// (3.12+: a tag, the digit count shifted by 3, the sign in the low bits:
/// 0 positive, 1 zero, 2 negative).
enum CPythonInt {
    /// The magnitude and sign of the int at `base`; nil for more than two
    /// digits, a tag that is none of the above, or another `intForm`.
    @inline(__always)
    static func read(_ base: UnsafeRawPointer, intForm: UInt32, sizeOffset: Int, digitsOffset: Int)
        -> (magnitude: UInt64, negative: Bool)?
    {
        let size = base.loadUnaligned(fromByteOffset: sizeOffset, as: Int.self)
        let digits: Int
        let negative: Bool
        if intForm == 1 {
            digits = size.magnitude > 2 ? 3 : Int(size.magnitude)
            negative = size < 0
        } else if intForm == 2 {
            let sign = size & 3
            guard sign != 3, size >= 0 else { return nil }
            digits = sign == 1 ? 0 : size >> 3
            negative = sign == 2
        } else {
            return nil
        }
        guard digits <= 2 else { return nil }
        var value: UInt64 = 0
        if digits >= 1 {
            value = UInt64(base.loadUnaligned(fromByteOffset: digitsOffset, as: UInt32.self) & 0x3FFF_FFFF)
        }
        if digits == 2 {
            let high = base.loadUnaligned(fromByteOffset: digitsOffset + 4, as: UInt32.self) & 0x3FFF_FFFF
            value |= UInt64(high) << 30
        }
        return (value, negative)
    }
}
