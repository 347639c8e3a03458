import Funnel

/// `funnel train`: examples (JSON Lines) in, one funnel.winmodel/1 document out.
struct TrainCommand {
    let arguments: Arguments

    func run() throws(CLIError) {
        try arguments.check(options: ["--model"], flags: [], maxFiles: 1)
        let model = try arguments.model()
        var win = WinModel(model: model)
        var reader = try LineReader(path: arguments.files.first)
        while let line = try reader.nextDocument() {
            do throws(WinExampleError) {
                try win.learn(try WinExample(jsonLine: Array(line)))
            } catch {
                var located = error
                located.line = reader.lineNumber
                throw CLIError.input(located.description)
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
