/// What the JSON Lines lead reader matches bytes against, made once per
/// compiled model: declared attribute names, the event property names the
/// model reads, exact event types and the model's symbols, each as a byte
/// table, so that a line is read without making a `String` for any of them.
struct LeadLineTables: Sendable {
    /// False when the model has a name that bytes cannot stand for: an
    /// attribute or property name canonically equivalent to ASCII text
    /// (`String` lookups equate canonically equivalent spellings) or one
    /// declared twice. Every line then takes the reference path. (Any
    /// number of names is fine: the reader tells a repeated key from the
    /// first by a bit per name for the first 64, a stamp per name past them.)
    let enabled: Bool
    /// Declared attribute names; the index is the declaration index.
    let attributeNames: NameList
    /// Per declaration, its type.
    let attributeTypes: [AttributeType]
    /// Property names the model reads; the index is the property index.
    let propertyNames: NameList
    /// Exact event types; `typeClasses[index]` is the type's rule class.
    let typeNames: NameList
    let typeClasses: [Int32]
    /// The model's comparison keys; `symbolIDs[id]` is the key's symbol.
    let symbols: ByteKeyTable
    let symbolIDs: [Int32]

    init(definition: ModelDefinition, predicates: PredicateProgram, events: EventRouting) {
        var enabled = true
        var attributes = NameList()
        for declaration in definition.attributes {
            if !Self.byteComparable(declaration.name) { enabled = false }
            if !attributes.append(Array(declaration.name.utf8)) { enabled = false }
        }
        var properties = NameList()
        for name in predicates.propertyNames {
            if !Self.byteComparable(name) { enabled = false }
            if !properties.append(Array(name.utf8)) { enabled = false }
        }
        var types = NameList()
        var typeClasses: [Int32] = []
        for (type, eventClass) in events.types.sorted(by: { $0.value < $1.value }) {
            if types.append(type.bytes) { typeClasses.append(eventClass) }
        }
        var symbols = ByteKeyTable()
        var symbolIDs: [Int32] = []
        for (id, key) in predicates.symbolKeys.enumerated() {
            let inserted = key.withUnsafeBufferPointer { symbols.insert($0) }
            if inserted.inserted { symbolIDs.append(Int32(id)) }
        }
        self.enabled = enabled
        self.attributeNames = attributes
        self.attributeTypes = definition.attributes.map(\.type)
        self.propertyNames = properties
        self.typeNames = types
        self.typeClasses = typeClasses
        self.symbols = symbols
        self.symbolIDs = symbolIDs
    }

    /// Whether a name is found by the bytes of the keys the reader takes
    /// (ASCII; it leaves lines with other keys alone): an ASCII name is equal
    /// as a `String` only to its own bytes; a non-ASCII one only to non-ASCII
    /// spellings unless it is canonically equivalent to ASCII text (the
    /// Kelvin sign is "K"), which the reader could not match.
    private static func byteComparable(_ name: String) -> Bool {
        !name.utf8.contains(where: { $0 >= 0x80 }) || nfc(name).utf8.contains(where: { $0 >= 0x80 })
    }
}
