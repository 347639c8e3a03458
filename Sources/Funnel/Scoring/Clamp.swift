/// `x` clamped to `[lo, hi]`: every cap, group limit and behaviour limit of
/// SPEC §4 goes through here, so each clamps the same way (a NaN `x` gives `lo`).
@inline(__always)
func clamped(_ x: Double, _ lo: Double, _ hi: Double) -> Double {
    min(max(x, lo), hi)
}
