/// The largest inputs Funnel accepts. Each is enforced with an error that
/// names it, never with a crash or an exhausted memory.
public enum Limits {
    /// JSON nesting, in any document; predicates nested deeper, also through
    /// the criteria they name, are a load error. Keeps every recursive walk
    /// well inside a thread's stack.
    public static let maxNesting = 512
    /// Leads in one batch (the C ABI's `funnel_batch_new` and `LeadBatch`).
    public static let maxLeadsPerBatch = Int(Int32.max)
}
