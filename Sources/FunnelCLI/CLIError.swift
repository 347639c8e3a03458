/// Why the command stopped, and with which exit status (SPEC §9).
enum CLIError: Error {
    /// Bad usage or a bad model: exit 2.
    case usage(String)
    /// A bad input line: exit 1.
    case input(String)
    /// Output that could not be written (a full disk, a closed descriptor): exit 1.
    case output(String)

    var status: Int32 {
        switch self {
        case .usage: 2
        case .input, .output: 1
        }
    }

    var message: String {
        switch self {
        case .usage(let text), .input(let text), .output(let text): text
        }
    }
}
