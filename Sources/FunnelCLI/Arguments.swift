import Funnel

/// The parsed command line: a verb, its options and at most one file.
struct Arguments {
    var verb: String
    var options: [String: String] = [:]
    var flags: Set<String> = []
    var files: [String] = []

    /// Options that take a value; every other `--name` is a flag.
    static let valued: Set = [
        "--model", "--as-of", "--format", "--threads", "--count", "--top", "--to", "--reason", "--by", "--from", "--svg",
        "--history", "--win-model", "--routing", "--state", "--accounts",
    ]

    init(_ argv: [String]) throws(CLIError) {
        guard let verb = argv.first else { throw CLIError.usage("missing command; see funnel --help") }
        self.verb = verb
        var i = 1
        while i < argv.count {
            let arg = argv[i]
            if arg.hasPrefix("--"), arg.count > 2 {
                if let eq = arg.firstIndex(of: "=") {
                    options[String(arg[..<eq])] = String(arg[arg.index(after: eq)...])
                } else if Self.valued.contains(arg) {
                    guard i + 1 < argv.count else { throw CLIError.usage("\(arg) needs a value") }
                    options[arg] = argv[i + 1]
                    i += 1
                } else {
                    flags.insert(arg)
                }
            } else if arg == "-h" {
                flags.insert("--help")
            } else {
                files.append(arg)
            }
            i += 1
        }
    }

    /// Fails on any option or flag the verb does not know.
    func check(options allowedOptions: Set<String>, flags allowedFlags: Set<String>, maxFiles: Int) throws(CLIError) {
        for name in options.keys where !allowedOptions.contains(name) {
            throw CLIError.usage("unknown option \(name) for funnel \(verb); see funnel \(verb) --help")
        }
        for name in flags where !allowedFlags.contains(name) && name != "--help" {
            throw CLIError.usage("unknown option \(name) for funnel \(verb); see funnel \(verb) --help")
        }
        if files.count > maxFiles {
            throw CLIError.usage("too many files for funnel \(verb): \(files.joined(separator: " "))")
        }
    }

    /// `--as-of`: RFC 3339 text or seconds since the epoch; now when absent.
    func asOf() throws(CLIError) -> Double {
        guard let text = options["--as-of"] else { return currentTime() }
        if let seconds = Double(text), seconds.isFinite { return seconds }
        if let seconds = Timestamp.parseRFC3339(text) { return seconds }
        throw CLIError.usage("--as-of: expected RFC 3339 text with a zone or seconds since the epoch, found \"\(text)\"")
    }

    /// `--threads`: a positive count; every core when absent.
    func threads() throws(CLIError) -> Int {
        guard let text = options["--threads"] else { return defaultThreadCount }
        guard let n = Int(text), n > 0 else { throw CLIError.usage("--threads: expected a positive whole number") }
        return n
    }

    func positiveInt(_ name: String, default value: Int) throws(CLIError) -> Int {
        guard let text = options[name] else { return value }
        guard let n = Int(text), n > 0 else { throw CLIError.usage("\(name): expected a positive whole number") }
        return n
    }

    /// Loads `--model`; a bad model is exit status 2.
    func model() throws(CLIError) -> Model {
        guard let path = options["--model"] else { throw CLIError.usage("--model FILE is required") }
        let bytes = try LineReader.readAll(path: path)
        do {
            return try Model(jsonBytes: bytes)
        } catch {
            throw CLIError.usage("\(path): " + error.faults.map(\.description).joined(separator: "\n\(path): "))
        }
    }
}
