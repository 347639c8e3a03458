extension WinModel {
    /// The format tag every win model document carries.
    public static let format = "funnel.winmodel/1"

    /// The `funnel.winmodel/1` document, compact, one line:
    /// `{"format":"funnel.winmodel/1","won":412,"lost":1290,"fields":{"industry":{"software":[120,80]},"stage":{"mql":[412,1290]}}}`.
    ///
    /// Every field of the model is written, in field order (`{}` when it has
    /// no counts yet); within a field, the values with a count: bools `false`
    /// then `true`, bins in order, stages in path order, strings by code
    /// point. Reading it back with ``init(json:model:)`` gives an equal model,
    /// and writing that gives the same text. What `funnel train` prints and
    /// `funnel_winmodel_train_jsonl` returns.
    public var json: String {
        JSONWriter.document(reservingCapacity: 256) { w in
            w.writeRaw("{\"format\":")
            w.writeString(Self.format)
            w.writeRaw(",\"won\":")
            w.writeNumber(Double(won))
            w.writeRaw(",\"lost\":")
            w.writeNumber(Double(lost))
            w.writeRaw(",\"fields\":{")
            for (f, field) in fields.fields.enumerated() {
                if f > 0 { w.writeRaw(",") }
                w.writeString(field.name)
                w.writeRaw(":{")
                for (k, id) in counts[f].writtenOrder().enumerated() {
                    if k > 0 { w.writeRaw(",") }
                    w.writeString(counts[f].values[id])
                    w.writeRaw(":[")
                    w.writeNumber(Double(counts[f].won[id]))
                    w.writeRaw(",")
                    w.writeNumber(Double(counts[f].lost[id]))
                    w.writeRaw("]")
                }
                w.writeRaw("}")
            }
            w.writeRaw("}}")
        }
    }

    /// Reads a `funnel.winmodel/1` document for `model`, strictly: every
    /// fault is reported with its path (`fields.industry.Software`), in
    /// document order.
    ///
    /// The document must fit the model: every field it names is one of the
    /// model's `predict` fields; bool values are `"true"`/`"false"`, bins are
    /// the model's bins written as ``json`` writes them, stages are path
    /// stages, string values are comparison keys; counts are pairs
    /// `[won, lost]` of whole numbers ≥ 0, not both 0, and no larger than the
    /// document's `won` and `lost`. A field the document leaves out has no
    /// counts. The C ABI's `funnel_winmodel_load`.
    ///
    /// - Throws: ``WinModelError`` listing every fault.
    public init(json text: String, model: Model) throws(WinModelError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw WinModelError(faults: [ModelFault(path: "", message: "malformed JSON: \(error)")], isParseError: true)
        }
        try self.init(jsonValue: value, model: model)
    }

    /// Like ``init(json:model:)`` from UTF-8 bytes; invalid UTF-8 is a fault.
    public init(jsonBytes bytes: UnsafeRawBufferPointer, model: Model) throws(WinModelError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw WinModelError(faults: [ModelFault(path: "", message: "malformed JSON: \(error)")], isParseError: true)
        }
        try self.init(jsonValue: value, model: model)
    }

    package init(jsonValue value: JSONValue, model: Model) throws(WinModelError) {
        self.init(model: model)
        var reader = DocumentReader()
        guard let members = reader.object(value, "", allowed: ["format", "won", "lost", "fields"]) else {
            throw WinModelError(faults: reader.faults)
        }
        if let format = reader.required(members, "format", ""), let text = reader.string(format, "format"),
            text != Self.format
        {
            reader.fault("format", "expected \"\(Self.format)\", found \"\(text)\"")
        }
        let won = reader.required(members, "won", "").flatMap { reader.count($0, "won") }
        let lost = reader.required(members, "lost", "").flatMap { reader.count($0, "lost") }
        if let raw = reader.required(members, "fields", ""), let entries = reader.entries(raw, "fields") {
            for entry in entries {
                let fieldPath = "fields".joined(entry.key)
                guard let f = fields.index[entry.key] else {
                    let known = fieldNames.map { "\"\($0)\"" }.joined(separator: ", ")
                    reader.fault(fieldPath, "unknown field (the model's predict fields are: \(known))")
                    continue
                }
                guard let values = reader.entries(entry.value, fieldPath) else { continue }
                for member in values {
                    let valuePath = fieldPath.joined(member.key)
                    guard let pair = reader.array(member.value, valuePath) else { continue }
                    guard pair.count == 2 else {
                        reader.fault(valuePath, "expected [won, lost], found \(pair.count) numbers")
                        continue
                    }
                    guard let w = reader.count(pair[0], valuePath.indexed(0)),
                        let l = reader.count(pair[1], valuePath.indexed(1))
                    else { continue }
                    if w == 0 && l == 0 {
                        reader.fault(valuePath, "a value without examples ([0, 0]) is never written")
                        continue
                    }
                    if let won, w > won { reader.fault(valuePath.indexed(0), "more than won (\(won))") }
                    if let lost, l > lost { reader.fault(valuePath.indexed(1), "more than lost (\(lost))") }
                    guard let id = checkedValue(member.key, field: f, valuePath, &reader) else { continue }
                    counts[f].won[Int(id)] = w
                    counts[f].lost[Int(id)] = l
                }
            }
        }
        guard reader.faults.isEmpty, let won, let lost else {
            throw WinModelError(faults: reader.faults.inDocumentOrder(of: value))
        }
        self.won = won
        self.lost = lost
    }

    /// The number of a value read from a document, interned; `nil` (with a
    /// fault) when it is not a value the field can have.
    private mutating func checkedValue(
        _ text: String, field f: Int, _ path: String, _ reader: inout DocumentReader
    ) -> Int32? {
        let field = fields.fields[f]
        switch field.kind {
        case .string, .strings:
            let key = comparisonKey(text)
            guard key.utf8.elementsEqual(text.utf8) else {
                reader.fault(path, "not a comparison key (expected \"\(key)\")")
                return nil
            }
            return counts[f].intern(text)
        case .bool, .number, .stage:
            guard let id = counts[f].index[text] else {
                let known = field.fixedValues.map { "\"\($0)\"" }.joined(separator: ", ")
                reader.fault(path, "unknown value of \(field.name) (expected one of \(known))")
                return nil
            }
            return id
        }
    }
}

extension DocumentReader {
    /// A whole number ≥ 0 (a count).
    mutating func count(_ value: JSONValue, _ path: String) -> Int? {
        guard let n = wholeNumber(value, path) else { return nil }
        guard n >= 0 else {
            fault(path, "expected a whole number >= 0")
            return nil
        }
        return n
    }
}

/// Why a win model document did not load: every fault with its path, in
/// document order. The C ABI's `funnel_winmodel_load` reports it as
/// `FUNNEL_E_INVALID` (`FUNNEL_E_PARSE` for malformed JSON).
public struct WinModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every fault found, in document order.
    public var faults: [ModelFault]
    /// True when the document is not JSON at all (or not UTF-8).
    public var isParseError: Bool
    /// An error listing `faults`.
    public init(faults: [ModelFault], isParseError: Bool = false) {
        self.faults = faults
        self.isParseError = isParseError
    }
    /// The first fault, and how many more there are.
    public var description: String {
        guard let first = faults.first else { return "invalid win model" }
        return faults.count == 1 ? first.description : "\(first) (and \(faults.count - 1) more)"
    }
}
