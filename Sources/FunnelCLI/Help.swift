/// `--help` text for each verb.
enum Help {
    static let overview = """
        funnel — score, qualify, advance and route leads through a funnel model

        USAGE
          funnel demo [--count N] [--top N]
          funnel score --model FILE [--win-model FILE] [--as-of TIME] [--format jsonl|csv] [FILE]
          funnel train --model FILE [EXAMPLES]
          funnel advance --model FILE [--as-of TIME] [--format jsonl|csv] [FILE]
          funnel report --model FILE [--from TIME] [--to TIME] [--format json|csv] [--svg FILE] [HISTORY]
          funnel convert --model FILE [--accounts FILE] [--as-of TIME] [FILE]
          funnel dedupe --model FILE [FILE]
          funnel validate MODEL
          funnel route --model FILE --routing FILE [--state FILE] [--as-of TIME] [--reassign] [FILE]
          funnel default-model

        Run `funnel COMMAND --help` for a command's options.
        Exit status: 0 success, 1 a bad input line or output that could not be
        written (a full disk, a closed pipe), 2 bad usage or a bad model.

        """

    static let score = """
        funnel score — score leads (SPEC §7 documents, one a line)

        USAGE
          funnel score --model FILE [--win-model FILE] [--as-of TIME] [--format jsonl|csv] [--threads N] [FILE]

        Reads leads as JSON Lines from FILE (or standard input, or `-`) and writes
        one score result a line, in input order. Blank lines are skipped.

        OPTIONS
          --model FILE    the funnel.model/1 document (required)
          --win-model W   a funnel.winmodel/1 document (see funnel train): each result
                          adds "win_probability" and "win_factors" (SPEC §14)
          --as-of TIME    RFC 3339 text with a zone, or seconds since the epoch (default: now)
          --format F      jsonl (default) or csv
          --threads N     threads to use (default: every core)
          --progress      show progress on standard error (default when it is a terminal)
          --quiet         never show progress

        A bad line stops the run with exit status 1 and a message naming the line
        and the field; results of the lines before it are written.

        """

    static let advance = """
        funnel advance — advance leads through the model's stages (SPEC §5)

        USAGE
          funnel advance --model FILE [--as-of TIME] [--format jsonl|csv] [--threads N] [FILE]

        Reads leads as JSON Lines (a lead's `stage` is where it is now; absent means
        the initial stage) and writes one advance result a line:
          {"id":"L-1","stage":"mql","moves":[{"from":"new","to":"profiled","reason":null,"by":"auto"}]}

        OPTIONS
          the same as funnel score.

        """

    static let train = """
        funnel train — learn a win model from closed leads (SPEC §14)

        USAGE
          funnel train --model FILE [EXAMPLES]

        Reads examples as JSON Lines from EXAMPLES (or standard input, or `-`), one
        closed lead a line:
          {"lead": {"id": "L-1", "attributes": {...}}, "outcome": "won"}
          {"lead": {"id": "L-2", "attributes": {...}}, "outcome": "lost", "stage": "sql"}
        (`stage`: the last path stage a lost lead reached; required for lost leads
        when the model has stages), and writes the funnel.winmodel/1 document to
        standard output. The model's `predict` section says which fields count.
        Score with it: funnel score --model FILE --win-model W.

        OPTIONS
          --model FILE    the funnel.model/1 document (required)

        A bad line stops the run with exit status 1 and a message naming the line
        and the field; nothing is written. A bad model exits with status 2.

        """

    static let validate = """
        funnel validate — check a model and list every fault with its JSON path

        USAGE
          funnel validate MODEL

        Exit status 0 when the model loads, 2 otherwise.

        """

    static let demo = """
        funnel demo — the default model on a built-in sample, no files needed

        USAGE
          funnel demo [--count N] [--top N] [--threads N] [--svg FILE]

        Scores a deterministic sample of N leads (default 300) with the embedded
        default model (see `funnel default-model`) at 2026-11-01T00:00:00Z,
        advances each one, and prints the best N (default 25) ranked by total,
        then how many leads sit in each stage. Last, the sales-qualified leads are
        moved on to Opportunity and converted (SPEC §11) against five embedded
        accounts, showing how each found its account.

        OPTIONS
          --count N   how many sample leads (default 300)
          --top N     how many rows of the ranking (default 25)
          --all       print every lead
          --svg FILE  where to draw the funnel report's picture
                      (default: $TMPDIR/funnel-demo.svg, else /tmp/funnel-demo.svg)

        It then builds the sample's history log (captures, the advance's moves, a
        simulated sales follow-up, costs), prints the funnel report's table and
        writes the funnel as an SVG picture, saying where.

        """

    static let convert = """
        funnel convert — convert leads into contact, account and deal (SPEC §11)

        USAGE
          funnel convert --model FILE [--accounts FILE] [--as-of TIME] [FILE]

        Reads leads as JSON Lines (a lead may name its account's id in `account`)
        and writes one conversion result a line, in input order:
          {"id":"L-1","contact":{"name":"Ana","email":"ana@acme.es","phone":null},
           "account":{"match":"domain","id":"A-7","name":"Acme S.L.","domains":["acme.es"],"candidates":[]},
           "deal":{"name":"Acme S.L.","value":12000,"close_date":1802776000}}
        `match` is explicit, domain, name, group, new or ambiguous (then `candidates`
        lists the accounts that fit, in the order of the accounts file).

        OPTIONS
          --model FILE     the funnel.model/1 document; its `conversion` section names the attributes
          --accounts FILE  known accounts as JSON Lines: {"id","name","domains"} or {"id","group"[,"name"]}
          --as-of TIME     RFC 3339 text with a zone, or seconds since the epoch (default: now)

        A bad line (an unknown `account` id, a badly typed attribute) stops the run
        with exit status 1 naming the line and the field; a bad model or accounts
        file (a duplicate id, naming its line) exits with status 2.

        """

    static let dedupe = """
        funnel dedupe — find and merge duplicate leads (SPEC §11)

        USAGE
          funnel dedupe --model FILE [FILE]

        Leads that share an email key or a phone key (the model's `conversion.contact`
        attributes) are duplicates; groups are closed under that. Writes one line per
        group of two or more, in the input order of each group's first lead:
          {"head":"L-1","merged":["L-7"],"keys":["email:ana@acme.es"],"lead":{...}}
        `lead` is the merged lead document. Keys are spelled `email:KEY` and
        `phone:KEY` and sorted.

        OPTIONS
          --model FILE    the funnel.model/1 document (required)

        """

    static let defaultModel = """
        funnel default-model — print the embedded default model document

        USAGE
          funnel default-model

        """
}
