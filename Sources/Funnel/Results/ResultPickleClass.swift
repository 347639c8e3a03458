/// The Python class a pickled score result is an instance of, instead of a
/// `dict`: a `dict` subclass whose `__new__` takes no arguments (the pickle
/// makes each result with `NEWOBJ` and fills it with `SETITEMS`), named by
/// its module and qualified name as `pickle`'s `find_class` looks it up. A
/// host that wraps every result in its own subclass is spared the copy.
package struct ResultPickleClass: Sendable, Equatable {
    /// The module's name, ASCII.
    let module: [UInt8]
    /// The class's qualified name in the module, ASCII.
    let name: [UInt8]

    /// nil unless both are 1 to 255 bytes of letters, digits, `_` and `.`.
    package init?(module: [UInt8], name: [UInt8]) {
        guard Self.isDotted(module), Self.isDotted(name) else { return nil }
        self.module = module
        self.name = name
    }

    private static func isDotted(_ text: [UInt8]) -> Bool {
        guard (1...255).contains(text.count) else { return false }
        return text.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
        }
    }
}
