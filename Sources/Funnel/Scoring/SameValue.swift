/// Values a ``ScoreResultParts`` compares before writing one over another:
/// the same when their bits are (a `String`'s two words: the same storage,
/// or the same small string), so that keeping the old one changes no bit
/// of the result. Values equal only by content count as different, and are
/// written, which is what writing every time did.
protocol SameValue {
    func isSame(as other: Self) -> Bool
}

extension String: SameValue {
    @inline(__always)
    func isSame(as other: String) -> Bool {
        unsafeBitCast(self, to: (UInt64, UInt64).self) == unsafeBitCast(other, to: (UInt64, UInt64).self)
    }
}

extension Contribution: SameValue {
    @inline(__always)
    func isSame(as other: Contribution) -> Bool {
        rule.isSame(as: other.rule) && kind == other.kind && points.bitPattern == other.points.bitPattern
            && events == other.events
    }
}
