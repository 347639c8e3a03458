import Funnel

/// `funnel dedupe`: leads in, one SPEC §11 group of duplicates a line out.
///
/// Grouping needs every lead, so the input is read whole before anything is written.
struct DedupeCommand {
    let arguments: Arguments

    func run() throws(CLIError) {
        try arguments.check(options: ["--model"], flags: [], maxFiles: 1)
        let model = try arguments.model()
        var reader = try LineReader(path: arguments.files.first)
        var lines: [[UInt8]] = []
        var numbers: [Int] = []
        try reader.readBlock(into: &lines, numbers: &numbers, limit: .max)
        let deduplicator = Deduplicator(model: model)
        let results: [MergeResult]
        do throws(LineError) {
            results = try deduplicator.groups(lines: lines, numbers: numbers)
        } catch {
            throw CLIError.input(error.description)
        }
        var out = Output.standardOutput
        out.write(bytes: deduplicator.lines(results))
        try out.flush()
    }
}
