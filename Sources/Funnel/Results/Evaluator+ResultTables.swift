/// What ``Scorer/writeResult(lead:to:)`` reads of the model, as pointers
/// (valid while the model is alive), and the lead's grade and engagement
/// level.
///
/// Fetched once a lead through the evaluator, borrowed: a local holding the
/// model would retain and release it once a lead, and every worker shares
/// that reference count.
struct ResultTables: BitwiseCopyable {
    let names: ResultNames.View
    let steps: UnsafeBufferPointer<FlatLackingStep>
    let links: UnsafeBufferPointer<Int32>
    /// Each criterion's root step in `steps`.
    let roots: UnsafeBufferPointer<Int32>
    let disqualifierRoots: UnsafeBufferPointer<Int32>
    /// The grade's index, -1 for none.
    let grade: Int
    /// The engagement level's index, -1 for none.
    let level: Int
}

extension Evaluator {
    /// The tables a result is written from, for a lead scoring `fit` and `behavior`.
    func resultTables(fit: Double, behavior: Double) -> ResultTables {
        ResultTables(
            names: model.resultText.names.view, steps: model.resultText.flatUnmet.steps.buffer,
            links: model.resultText.flatUnmet.links.buffer, roots: model.resultText.flatUnmetRoots.buffer,
            disqualifierRoots: model.disqualifierRoots.buffer, grade: Int(model.scoring.grades.index(fit)),
            level: Int(model.scoring.engagement.index(behavior)))
    }
}
