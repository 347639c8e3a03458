extension ModelDefinition {
    /// The format tag every model document carries.
    public static let format = "funnel.model/1"

    /// Reads a model document's structure. Semantic checks (unknown names,
    /// types, cycles) happen when the definition is compiled.
    ///
    /// - Throws: ``ModelError`` listing every structural fault with its path.
    public init(json text: String) throws(ModelError) {
        try self.init(jsonValue: ModelError.parsing { () throws(JSONParseError) in try JSONParser.parse(text) })
    }

    /// Like ``init(json:)`` from raw UTF-8 bytes (invalid UTF-8 is a fault).
    public init(jsonBytes bytes: [UInt8]) throws(ModelError) {
        try self.init(jsonValue: ModelError.parsing { () throws(JSONParseError) in try JSONParser.parse(bytes) })
    }

    package init(jsonValue value: JSONValue) throws(ModelError) {
        var reader = DocumentReader()
        let definition = reader.model(value)
        if let definition, reader.faults.isEmpty {
            self = definition
        } else {
            throw ModelError(faults: reader.faults)
        }
    }
}

extension DocumentReader {
    mutating func model(_ value: JSONValue) -> ModelDefinition? {
        let keys: Set = [
            "format", "name", "attributes", "criteria", "scoring", "disqualify", "stages", "predict", "conversion",
        ]
        guard let members = object(value, "", allowed: keys) else { return nil }
        var model = ModelDefinition()
        if let format = required(members, "format", ""), let text = string(format, "format") {
            if text != ModelDefinition.format {
                fault("format", "expected \"\(ModelDefinition.format)\", found \"\(text)\"")
            }
        }
        if let name = optional(members, "name") { model.name = string(name, "name") }
        if let attributes = optional(members, "attributes"), let entries = entries(attributes, "attributes") {
            for entry in entries {
                let path = "attributes".joined(entry.key)
                if entry.key.isEmpty { fault(path, "an attribute name must be non-empty") }
                guard let typeName = string(entry.value, path) else { continue }
                guard let type = AttributeType(rawValue: typeName) else {
                    fault(path, "unknown type \"\(typeName)\" (expected string, number, bool or strings)")
                    continue
                }
                model.attributes.append(AttributeDeclaration(entry.key, type))
            }
        }
        if let criteria = optional(members, "criteria"), let entries = entries(criteria, "criteria") {
            for entry in entries {
                let path = "criteria".joined(entry.key)
                if entry.key.isEmpty { fault(path, "a criterion name must be non-empty") }
                if let predicate = predicate(entry.value, path) {
                    model.criteria.append(Criterion(entry.key, predicate))
                }
            }
        }
        if let scoring = optional(members, "scoring") {
            model.scoring = self.scoring(scoring, "scoring") ?? Scoring()
        }
        if let list = optional(members, "disqualify"), let items = array(list, "disqualify") {
            for (i, item) in items.enumerated() {
                let path = "disqualify".indexed(i)
                guard let fields = object(item, path, allowed: ["id", "if"]) else { continue }
                let id = required(fields, "id", path).flatMap { string($0, path.joined("id"), nonEmpty: true) }
                let test = required(fields, "if", path).flatMap { predicate($0, path.joined("if")) }
                if let id, let test { model.disqualifiers.append(Disqualifier(id, if: test)) }
            }
        }
        if let stages = optional(members, "stages") {
            model.stages = self.stages(stages, "stages")
        }
        if let predict = optional(members, "predict") {
            model.predict = self.predict(predict, "predict")
        }
        if let conversion = optional(members, "conversion") {
            model.conversion = self.conversion(conversion, "conversion")
        }
        return model
    }

    mutating func scoring(_ value: JSONValue, _ path: String) -> Scoring? {
        let keys: Set = [
            "fit", "behavior", "half_life_days", "window_days", "behavior_limits", "grades", "groups", "total_limits",
            "engagement",
        ]
        guard let members = object(value, path, allowed: keys) else { return nil }
        var scoring = Scoring()
        if let fit = optional(members, "fit"), let items = array(fit, path.joined("fit")) {
            for (i, item) in items.enumerated() {
                let rulePath = path.joined("fit").indexed(i)
                guard let fields = object(item, rulePath, allowed: ["id", "if", "points"]) else { continue }
                let id = required(fields, "id", rulePath).flatMap { string($0, rulePath.joined("id"), nonEmpty: true) }
                let test = required(fields, "if", rulePath).flatMap { predicate($0, rulePath.joined("if")) }
                let points = required(fields, "points", rulePath).flatMap { number($0, rulePath.joined("points")) }
                if let id, let test, let points { scoring.fit.append(FitRule(id, if: test, points: points)) }
            }
        }
        if let behavior = optional(members, "behavior"), let items = array(behavior, path.joined("behavior")) {
            for (i, item) in items.enumerated() {
                let rulePath = path.joined("behavior").indexed(i)
                let ruleKeys: Set = ["id", "event", "if", "points", "cap", "group", "at_least"]
                guard let fields = object(item, rulePath, allowed: ruleKeys) else { continue }
                let id = required(fields, "id", rulePath).flatMap { string($0, rulePath.joined("id"), nonEmpty: true) }
                let event = required(fields, "event", rulePath).flatMap {
                    string($0, rulePath.joined("event"), nonEmpty: true)
                }
                let points = required(fields, "points", rulePath).flatMap { number($0, rulePath.joined("points")) }
                var test: Predicate?
                var testOK = true
                if let raw = optional(fields, "if") {
                    test = predicate(raw, rulePath.joined("if"))
                    testOK = test != nil
                }
                var cap: Double?
                var capOK = true
                if let raw = optional(fields, "cap") {
                    cap = number(raw, rulePath.joined("cap"))
                    capOK = cap != nil
                }
                var group: String?
                var groupOK = true
                if let raw = optional(fields, "group") {
                    group = string(raw, rulePath.joined("group"), nonEmpty: true)
                    groupOK = group != nil
                }
                var atLeast: Frequency?
                var atLeastOK = true
                if let raw = optional(fields, "at_least") {
                    atLeast = frequency(raw, rulePath.joined("at_least"))
                    atLeastOK = atLeast != nil
                }
                if let id, let event, let points, testOK, capOK, groupOK, atLeastOK {
                    scoring.behavior.append(
                        BehaviorRule(id, event: event, if: test, points: points, cap: cap, group: group, atLeast: atLeast))
                }
            }
        }
        if let raw = optional(members, "half_life_days") {
            scoring.halfLifeDays = number(raw, path.joined("half_life_days"))
        }
        if let raw = optional(members, "window_days") {
            scoring.windowDays = number(raw, path.joined("window_days"))
        }
        if let raw = optional(members, "behavior_limits") {
            scoring.behaviorLimits = limits(raw, path.joined("behavior_limits"))
        }
        if let raw = optional(members, "total_limits") {
            scoring.totalLimits = limits(raw, path.joined("total_limits"))
        }
        if let raw = optional(members, "groups"), let items = array(raw, path.joined("groups")) {
            for (i, item) in items.enumerated() {
                let groupPath = path.joined("groups").indexed(i)
                guard let fields = object(item, groupPath, allowed: ["id", "limit"]) else { continue }
                let id = required(fields, "id", groupPath).flatMap { string($0, groupPath.joined("id"), nonEmpty: true) }
                let limit = required(fields, "limit", groupPath).flatMap { number($0, groupPath.joined("limit")) }
                if let id, let limit { scoring.groups.append(ScoreGroup(id, limit: limit)) }
            }
        }
        if let raw = optional(members, "engagement"), let items = array(raw, path.joined("engagement")) {
            for (i, item) in items.enumerated() {
                let levelPath = path.joined("engagement").indexed(i)
                guard let fields = object(item, levelPath, allowed: ["level", "min"]) else { continue }
                let level = required(fields, "level", levelPath).flatMap {
                    string($0, levelPath.joined("level"), nonEmpty: true)
                }
                let min = required(fields, "min", levelPath).flatMap { number($0, levelPath.joined("min")) }
                if let level, let min { scoring.engagement.append(EngagementLevel(level, min: min)) }
            }
        }
        if let raw = optional(members, "grades"), let items = array(raw, path.joined("grades")) {
            for (i, item) in items.enumerated() {
                let gradePath = path.joined("grades").indexed(i)
                guard let fields = object(item, gradePath, allowed: ["grade", "min"]) else { continue }
                let grade = required(fields, "grade", gradePath).flatMap {
                    string($0, gradePath.joined("grade"), nonEmpty: true)
                }
                let min = required(fields, "min", gradePath).flatMap { number($0, gradePath.joined("min")) }
                if let grade, let min { scoring.grades.append(Grade(grade, min: min)) }
            }
        }
        return scoring
    }

    /// `{"min": m, "max": M}`, either optional: `behavior_limits` and `total_limits`.
    mutating func limits(_ value: JSONValue, _ path: String) -> BehaviorLimits? {
        guard let fields = object(value, path, allowed: ["min", "max"]) else { return nil }
        var limits = BehaviorLimits()
        if let lo = optional(fields, "min") { limits.min = number(lo, path.joined("min")) }
        if let hi = optional(fields, "max") { limits.max = number(hi, path.joined("max")) }
        return limits
    }

    /// A frequency rule's `at_least`: both fields required, `count` whole
    /// (whether it and `within_days` are in range is the compiler's check).
    mutating func frequency(_ value: JSONValue, _ path: String) -> Frequency? {
        guard let fields = object(value, path, allowed: ["count", "within_days"]) else { return nil }
        let count = required(fields, "count", path).flatMap { wholeNumber($0, path.joined("count")) }
        let days = required(fields, "within_days", path).flatMap { number($0, path.joined("within_days")) }
        guard let count, let days else { return nil }
        return Frequency(count: count, withinDays: days)
    }

    mutating func stages(_ value: JSONValue, _ path: String) -> Stages? {
        guard let members = object(value, path, allowed: ["initial", "list", "transitions", "path", "benchmarks"]) else { return nil }
        let initial = required(members, "initial", path).flatMap { string($0, path.joined("initial"), nonEmpty: true) }
        var list: [Stage] = []
        if let raw = required(members, "list", path), let items = array(raw, path.joined("list")) {
            for (i, item) in items.enumerated() {
                let stagePath = path.joined("list").indexed(i)
                let keys: Set = ["id", "label", "requires", "enter_when", "outcome", "resets_behavior"]
                guard let fields = object(item, stagePath, allowed: keys) else { continue }
                guard let id = required(fields, "id", stagePath).flatMap({
                    string($0, stagePath.joined("id"), nonEmpty: true)
                }) else { continue }
                var stage = Stage(id)
                if let raw = optional(fields, "label") { stage.label = string(raw, stagePath.joined("label")) }
                if let raw = optional(fields, "requires") {
                    stage.requires = predicate(raw, stagePath.joined("requires"))
                }
                if let raw = optional(fields, "enter_when") {
                    stage.enterWhen = predicate(raw, stagePath.joined("enter_when"))
                }
                if let raw = optional(fields, "outcome"), let text = string(raw, stagePath.joined("outcome")) {
                    if let outcome = Outcome(rawValue: text) {
                        stage.outcome = outcome
                    } else {
                        fault(stagePath.joined("outcome"), "expected \"won\", \"lost\" or \"disqualified\"")
                    }
                }
                if let raw = optional(fields, "resets_behavior"), let flag = bool(raw, stagePath.joined("resets_behavior")) {
                    stage.resetsBehavior = flag
                }
                list.append(stage)
            }
        }
        var transitions: [Transition] = []
        if let raw = optional(members, "transitions"), let items = array(raw, path.joined("transitions")) {
            for (i, item) in items.enumerated() {
                let tPath = path.joined("transitions").indexed(i)
                guard let fields = object(item, tPath, allowed: ["from", "to", "reasons"]) else { continue }
                let from = required(fields, "from", tPath).flatMap { stringOrStrings($0, tPath.joined("from")) }
                let to = required(fields, "to", tPath).flatMap { stringOrStrings($0, tPath.joined("to")) }
                var reasons: [String]?
                if let raw = optional(fields, "reasons"), let items = array(raw, tPath.joined("reasons")) {
                    reasons = items.enumerated().compactMap { j, item in
                        string(item, tPath.joined("reasons").indexed(j), nonEmpty: true)
                    }
                }
                if let from, let to { transitions.append(Transition(from: from, to: to, reasons: reasons)) }
            }
        }
        var funnelPath: [String]?
        if let raw = optional(members, "path"), let items = array(raw, path.joined("path")) {
            let ids = items.enumerated().compactMap { i, item in
                string(item, path.joined("path").indexed(i), nonEmpty: true)
            }
            if ids.count == items.count { funnelPath = ids }
        }
        var benchmarks: [String: Double] = [:]
        if let raw = optional(members, "benchmarks"), let entries = entries(raw, path.joined("benchmarks")) {
            for entry in entries {
                if let rate = number(entry.value, path.joined("benchmarks").joined(entry.key)) {
                    benchmarks[entry.key] = rate
                }
            }
        }
        guard let initial else { return nil }
        return Stages(
            initial: initial, list: list, transitions: transitions, path: funnelPath, benchmarks: benchmarks)
    }
}

extension DocumentReader {
    /// The `predict` section (SPEC §14). Whether names, types and edges make
    /// sense is the compiler's (``ModelCompiler/checkPredict(_:)``).
    mutating func predict(_ value: JSONValue, _ path: String) -> PredictSettings? {
        let keys: Set = ["fields", "bins", "min_examples", "max_factors"]
        guard let members = object(value, path, allowed: keys) else { return nil }
        var settings = PredictSettings()
        if let raw = optional(members, "fields"), let items = array(raw, path.joined("fields")) {
            settings.fields = items.enumerated().compactMap { i, item in
                string(item, path.joined("fields").indexed(i), nonEmpty: true)
            }
        }
        if let raw = optional(members, "bins"), let entries = entries(raw, path.joined("bins")) {
            for entry in entries {
                let binsPath = path.joined("bins").joined(entry.key)
                guard let items = array(entry.value, binsPath) else { continue }
                let edges = items.enumerated().compactMap { j, item in number(item, binsPath.indexed(j)) }
                if edges.count == items.count { settings.bins[entry.key] = edges }
            }
        }
        if let raw = optional(members, "min_examples") {
            settings.minExamples = wholeNumber(raw, path.joined("min_examples"))
        }
        if let raw = optional(members, "max_factors") {
            settings.maxFactors = wholeNumber(raw, path.joined("max_factors"))
        }
        return settings
    }

    /// A JSON number without a fraction, within ±2^53.
    mutating func wholeNumber(_ value: JSONValue, _ path: String) -> Int? {
        guard let x = number(value, path) else { return nil }
        guard x.magnitude <= 9_007_199_254_740_992.0, Double(Int64(x)) == x else {
            fault(path, "expected a whole number")
            return nil
        }
        return Int(Int64(x))
    }
}
