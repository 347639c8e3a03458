/// Which behaviour rules an event type feeds: every exact type a rule names,
/// with all the rules (exact and wildcard) it feeds, in model order; types no
/// rule names exactly are matched against the wildcards when first seen.
struct EventRouting: Sendable {
    let types: [EventType: Int32]
    /// Per exact type, its rules in model order.
    let rules: [[Int32]]
    /// Rules whose `event` ends in `.*`, by the prefix before the `*`.
    let wildcards: [(prefix: [UInt8], rule: Int32)]

    init(_ behavior: [BehaviorRule]) {
        var types: [EventType: Int32] = [:]
        var rules: [[Int32]] = []
        var wildcards: [(prefix: [UInt8], rule: Int32)] = []
        for (i, rule) in behavior.enumerated() where rule.event.hasSuffix(".*") {
            wildcards.append((Array(rule.event.utf8.dropLast()), Int32(i)))
        }
        for (i, rule) in behavior.enumerated() where !rule.event.hasSuffix(".*") {
            let type = EventType(rule.event)
            if let id = types[type] {
                rules[Int(id)].append(Int32(i))
            } else {
                types[type] = Int32(rules.count)
                rules.append([Int32(i)])
            }
        }
        for (type, id) in types {
            for wildcard in wildcards where type.bytes.starts(with: wildcard.prefix) {
                rules[Int(id)].append(wildcard.rule)
            }
            rules[Int(id)].sort()
        }
        (self.types, self.rules, self.wildcards) = (types, rules, wildcards)
    }

    /// The rules an event type not named exactly by any rule still matches
    /// through a wildcard, in model order.
    func wildcardRules(for type: String) -> [Int32] {
        var matched: [Int32] = []
        for wildcard in wildcards where type.utf8.starts(with: wildcard.prefix) {
            matched.append(wildcard.rule)
        }
        return matched
    }
}

/// An event type as a dictionary key: its UTF-8 bytes, because SPEC §3 matches
/// event types exactly, and `String` equality would also equate canonically
/// equivalent spellings ("é" and "e" + U+0301).
struct EventType: Hashable, Sendable {
    let bytes: [UInt8]
    init(_ text: String) { bytes = Array(text.utf8) }

    /// Hashes the bytes as one block (an array of bytes would hash byte by byte).
    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
