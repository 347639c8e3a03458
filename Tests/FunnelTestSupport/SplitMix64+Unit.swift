import Funnel

/// The tests draw from the library's own `SplitMix64` (one copy of the
/// generator in the package); this adds what only the tests need.
extension SplitMix64 {
    /// Uniform in `[0, 1)`, from the top 53 bits.
    package mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
