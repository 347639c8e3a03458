import Funnel

/// Dispatches to a verb; every failure becomes a message and an exit status.
func main() -> Int32 {
    let argv = Array(CommandLine.arguments.dropFirst())
    do throws(CLIError) {
        guard let verb = argv.first, verb != "--help", verb != "-h", verb != "help" else {
            var out = Output.standardOutput
            out.write(Help.overview)
            try out.flush()
            return argv.isEmpty ? 2 : 0
        }
        if verb == "--version" {
            var out = Output.standardOutput
            out.write(funnelVersion + "\n")
            try out.flush()
            return 0
        }
        let arguments = try Arguments(argv)
        let help: String
        switch verb {
        case "score": help = Help.score
        case "advance": help = Help.advance
        case "validate": help = Help.validate
        case "train": help = Help.train
        case "convert": help = Help.convert
        case "dedupe": help = Help.dedupe
        case "demo": help = Help.demo
        case "report": help = Help.report
        case "default-model": help = Help.defaultModel
        case "route": help = Help.route
        default: throw CLIError.usage("unknown command \"\(verb)\"; see funnel --help")
        }
        if arguments.flags.contains("--help") {
            var out = Output.standardOutput
            out.write(help)
            try out.flush()
            return 0
        }
        switch verb {
        case "score": try StreamCommand(mode: .score, arguments: arguments).run()
        case "advance": try StreamCommand(mode: .advance, arguments: arguments).run()
        case "validate": try ValidateCommand(arguments: arguments).run()
        case "train": try TrainCommand(arguments: arguments).run()
        case "convert": try ConvertCommand(arguments: arguments).run()
        case "dedupe": try DedupeCommand(arguments: arguments).run()
        case "demo": try DemoCommand(arguments: arguments).run()
        case "report": try ReportCommand(arguments: arguments).run()
        case "route": try RouteCommand(arguments: arguments).run()
        default:
            try arguments.check(options: [], flags: [], maxFiles: 0)
            var out = Output.standardOutput
            out.write(Model.defaultModelJSON + "\n")
            try out.flush()
        }
        return 0
    } catch {
        printError("funnel: " + error.message.split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: "\nfunnel: "))
        return error.status
    }
}

exit(main())
