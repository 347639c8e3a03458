import Funnel

/// `funnel train`: examples (JSON Lines) in, one funnel.winmodel/1 document out.
struct TrainCommand {
    let arguments: Arguments

    func run() throws(CLIError) {
        try arguments.check(options: ["--model", "--threads"], flags: [], maxFiles: 1)
        let model = try arguments.model()
        let threads = try arguments.threads()
        var win = WinModel(model: model)
        var reader = try LineReader(path: arguments.files.first)
        // A block of lines at a time: parsed on every core (most of the work),
        // then learnt in order, so a bad line stops the run at that line.
        var done = false
        while !done {
            var lines: [[UInt8]] = []
            var numbers: [Int] = []
            try reader.readBlock(into: &lines, numbers: &numbers, limit: WinModel.parseBlock)
            done = lines.count < WinModel.parseBlock
            do throws(WinExampleError) {
                try win.learn(parsed: WinExample.parse(lines, threads: threads), numbers: numbers[...])
            } catch {
                throw CLIError.input(error.description)
            }
        }
        var out = Output.standardOutput
        out.write(win.json + "\n")
        try out.flush()
    }
}

extension Arguments {
    /// Loads `--win-model` for `model`, when given; a bad document is exit status 2.
    func winModel(for model: Model) throws(CLIError) -> WinModel? {
        guard let path = options["--win-model"] else { return nil }
        let bytes = try LineReader.readAll(path: path)
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(WinModelError) in try WinModel(jsonBytes: raw, model: model) }
        }
        do throws(WinModelError) {
            return try result.get()
        } catch {
            throw CLIError.usage("\(path): " + error.faults.map(\.description).joined(separator: "\n\(path): "))
        }
    }
}
