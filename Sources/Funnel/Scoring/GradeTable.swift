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

    /// ``index(_:)`` of every value of `values`, into `out` (as long).
    func indices(of values: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Int32>) {
        for i in 0..<values.count { out[i] = index(values[i]) }
    }

    /// The name of the first grade whose `min <= fit`, or `nil`.
    func name(_ fit: Double) -> String? {
        let i = index(fit)
        return i >= 0 ? names[Int(i)] : nil
    }
}
