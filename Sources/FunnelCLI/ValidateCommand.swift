import Funnel

/// `funnel validate MODEL`: every fault with its path, exit 2; or a summary.
struct ValidateCommand {
    let arguments: Arguments

    func run() throws(CLIError) {
        try arguments.check(options: [], flags: [], maxFiles: 1)
        guard let path = arguments.files.first ?? arguments.options["--model"] else {
            throw CLIError.usage("funnel validate MODEL: the model file is missing")
        }
        let bytes = try LineReader.readAll(path: path)
        let model: Model
        do {
            model = try Model(jsonBytes: bytes)
        } catch {
            throw CLIError.usage(error.faults.map { "\(path): \($0)" }.joined(separator: "\n"))
        }
        let definition = model.definition
        var out = Output.standardOutput
        out.write(
            "\(path): ok: model \"\(model.name ?? "")\": \(model.attributes.count) attributes, "
                + "\(model.criterionNames.count) criteria, \(definition.scoring.fit.count) fit and "
                + "\(definition.scoring.behavior.count) behaviour rules, \(definition.disqualifiers.count) disqualifiers, "
                + "\(model.stageIDs.count) stages\n")
        try out.flush()
    }
}
