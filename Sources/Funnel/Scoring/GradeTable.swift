/// The model's grades, compiled: SPEC §4's "first entry, in the order written,
/// whose `min <= fit`", in the one place every path asks it. SPEC §13's
/// engagement levels are the same rule on behaviour, so they are one too.
struct GradeTable: Sendable {
    /// Each grade's `min`, in model order.
    let minimums: [Double]
    /// Each grade's name, in model order.
    let names: [String]
    /// Whether the minimums never rise (and none is NaN): then a lead's grade
    /// is the number of minimums above its fit, counted without branches.
    let descending: Bool

    init(_ grades: [Grade]) {
        minimums = grades.map(\.min)
        names = grades.map(\.grade)
        descending =
            !minimums.contains(where: \.isNaN) && zip(minimums, minimums.dropFirst()).allSatisfy { $0 >= $1 }
    }

    /// The index of the first grade whose `min <= fit`; -1 when none holds
    /// (always for a NaN fit).
    @inline(__always)
    func index(_ fit: Double) -> Int32 {
        if descending {
            var above: Int32 = 0
            for min in minimums { above &+= min > fit ? 1 : 0 }
            return Int(above) == minimums.count || fit.isNaN ? -1 : above
        }
        for i in minimums.indices where minimums[i] <= fit { return Int32(i) }
        return -1
    }

    /// ``index(_:)`` of every value of `values`, into `out` (as long). With
    /// descending minimums, two values at a time, each minimum compared with
    /// both lanes: written per value, LLVM turns the count into a branch per
    /// minimum, which a column of scores mispredicts (a third of a block
    /// loop's time on the benchmark model's four grades).
    func indices(of values: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Int32>) {
        var i = 0
        if descending, let base = values.baseAddress {
            let none = SIMD2<Int64>(repeating: Int64(minimums.count))
            while i &+ 1 < values.count {
                let fit = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD2<Double>.self)
                var above = SIMD2<Int64>.zero
                for min in minimums { above &+= SIMD2<Int64>.zero.replacing(with: 1, where: SIMD2(repeating: min) .> fit) }
                // No grade: above every minimum, or NaN.
                let index = above.replacing(with: -1, where: above .== none .| fit .!= fit)
                (out[i], out[i &+ 1]) = (Int32(truncatingIfNeeded: index[0]), Int32(truncatingIfNeeded: index[1]))
                i &+= 2
            }
        }
        while i < values.count {
            out[i] = index(values[i])
            i &+= 1
        }
    }

    /// The name of the first grade whose `min <= fit`, or `nil`.
    func name(_ fit: Double) -> String? {
        let i = index(fit)
        return i >= 0 ? names[Int(i)] : nil
    }
}
