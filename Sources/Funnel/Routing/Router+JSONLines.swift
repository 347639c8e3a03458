extension Router {
    /// Routes JSON Lines leads in order, each at its document's `"at"` field
    /// when present and not null (seconds since the epoch or RFC 3339 text),
    /// else at `t`, and appends one route result a line to `out`.
    ///
    /// Stops at the first line that is malformed, does not fit the model or
    /// whose instant is refused, and returns it: the lines before it are
    /// routed and written, the rest are not (what `funnel route` and the C
    /// ABI's JSON Lines call build on).
    package mutating func routeLines(
        _ lines: [[UInt8]], numbers: [Int], at t: Double, reassign: Bool, into out: inout [UInt8]
    ) -> RouteLineFailure? {
        var leads = Leads(routing: routing)
        var instants: [Double] = []
        instants.reserveCapacity(lines.count)
        var failure: RouteLineFailure?
        for (k, line) in lines.enumerated() {
            let number = k < numbers.count ? numbers[k] : k + 1
            let value: JSONValue
            do {
                value = try line.withUnsafeBytes { bytes throws(JSONParseError) in try JSONParser.parse(bytes) }
            } catch {
                failure = RouteLineFailure(LineError(line: number, isParseError: true, message: "malformed JSON: \(error)"))
                break
            }
            do throws(LeadError) {
                let lead = try Lead(jsonValue: value)
                let at = try Self.lineInstant(value) ?? t
                try leads.append(lead)
                instants.append(at)
            } catch {
                failure = RouteLineFailure(LineError(line: number, isParseError: false, message: error.description))
                break
            }
        }
        var end = leads.count
        if let refused = firstBadInstant(leads, instants, reassign: reassign), let index = refused.index {
            end = index
            let number = index < numbers.count ? numbers[index] : index + 1
            failure = RouteLineFailure(
                LineError(line: number, isParseError: false, message: "at: \(refused.message)"), refused: true)
        }
        var writer = JSONWriter(reservingCapacity: 0)
        swap(&writer.bytes, &out)
        for result in routePrefix(leads, instants, upTo: end, reassign: reassign) {
            result.write(to: &writer)
            writer.writeRaw("\n")
        }
        swap(&writer.bytes, &out)
        return failure
    }

    /// A lead document's own routing instant, its `"at"` field (`nil` when
    /// absent or null), after checking the fields routing reads beyond SPEC §6:
    /// `at` is a time and `owner` a non-empty string or null.
    package static func lineInstant(_ value: JSONValue) throws(LeadError) -> Double? {
        guard case .object(let members) = value else { return nil }
        if let owner = members.first(where: { $0.key == "owner" })?.value {
            switch owner {
            case .null: break
            case .string(let text) where !text.isEmpty: break
            default: throw LeadError(path: "owner", message: "expected a person id (a non-empty string) or null")
            }
        }
        guard let at = members.first(where: { $0.key == "at" })?.value, at != .null else { return nil }
        let seconds = try Event.instant(at, path: "at")
        guard seconds.isFinite else { throw LeadError(path: "at", message: "expected a finite time") }
        return seconds
    }
}

/// The line that stopped ``Router/routeLines(_:numbers:at:reassign:into:)``.
package struct RouteLineFailure: Error, CustomStringConvertible {
    package var error: LineError
    /// True when the line's instant was refused (earlier than the last routed one).
    package var refused: Bool

    init(_ error: LineError, refused: Bool = false) {
        self.error = error
        self.refused = refused
    }

    /// `line 3: attributes.employees: expected a finite number, found a string`.
    package var description: String { error.description }
}
