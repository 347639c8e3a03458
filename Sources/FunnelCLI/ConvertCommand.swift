import Funnel

/// `funnel convert`: leads in, one SPEC §11 conversion result a line out.
struct ConvertCommand {
    let arguments: Arguments

    func run() throws(CLIError) {
        try arguments.check(options: ["--model", "--accounts", "--as-of"], flags: [], maxFiles: 1)
        let model = try arguments.model()
        let accounts = try arguments.accounts()
        let asOf = try arguments.asOf()
        let converter = Converter(model: model, accounts: accounts)
        var reader = try LineReader(path: arguments.files.first)
        var out = Output.standardOutput
        var pending = 0
        while let line = try reader.nextDocument() {
            let number = reader.lineNumber
            let lead: Lead
            do throws(LeadError) {
                lead = try Array(line).withUnsafeBytes { bytes in
                    Result { () throws(LeadError) -> Lead in try Lead(jsonBytes: bytes) }
                }.get()
                out.write(try converter.convert(lead, at: asOf).json + "\n")
            } catch {
                try out.flush()
                throw CLIError.input("line \(number): \(error.description)")
            }
            pending += 1
            if pending == 4096 {
                try out.flush()
                pending = 0
            }
        }
        try out.flush()
    }
}

extension Arguments {
    /// Loads `--accounts` (JSON Lines of known accounts); a bad file is exit status 2.
    func accounts() throws(CLIError) -> AccountIndex {
        var index = AccountIndex()
        guard let path = options["--accounts"] else { return index }
        let bytes = try LineReader.readAll(path: path)
        do throws(AccountError) {
            try bytes.withUnsafeBytes { buffer in
                Result { () throws(AccountError) in try index.add(jsonLines: buffer) }
            }.get()
        } catch {
            throw CLIError.usage("\(path): \(error.description)")
        }
        return index
    }
}
