/// Where each declared attribute lives in a batch: attributes are numbered in
/// declaration order, and each type's attributes share one row-major column
/// group in which the attribute has a slot.
struct AttributeLayout: Sendable {
    /// Per attribute, in declaration order.
    let types: [AttributeType]
    /// Per attribute, its slot within its type's columns.
    let slots: [Int32]
    /// The first declaration of each name.
    let index: [String: Int]
    /// How many slots each type has: the width of a lead's row of that type.
    let widths: (number: Int, bool: Int, string: Int, strings: Int)

    /// Lays out `attributes`; names are not checked here (see the compiler).
    init(_ attributes: [AttributeDeclaration]) {
        var index: [String: Int] = [:]
        var counts: [AttributeType: Int] = [:]
        var slots: [Int32] = []
        for (i, attribute) in attributes.enumerated() {
            if index[attribute.name] == nil { index[attribute.name] = i }
            let slot = counts[attribute.type, default: 0]
            counts[attribute.type] = slot + 1
            slots.append(Int32(slot))
        }
        self.types = attributes.map(\.type)
        self.slots = slots
        self.index = index
        widths = (counts[.number, default: 0], counts[.bool, default: 0], counts[.string, default: 0],
                  counts[.strings, default: 0])
    }
}
