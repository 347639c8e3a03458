/// The compiled, immutable form of a model that scoring runs on.
///
/// Everything here is flat arrays and indices: attribute names became slots,
/// strings became symbols, predicates became nodes, event types became rule
/// lists. Dictionaries survive only for ingesting leads, never for scoring.
final class CompiledModel: Sendable {
    let definition: ModelDefinition

    // Attributes: declaration order, and each one's slot within its type's columns.
    let attributeIndex: [String: Int]
    let attributeSlots: [Int32]
    let slotCounts: [AttributeType: Int]

    // Interned comparison keys of every string constant.
    let symbols: [String: Int32]
    let symbolKeys: [[UInt8]]
    /// Substring operands of `contains` on string values.
    let containsOperands: [[UInt8]]
    /// Per symbol, `maskWords` words: bit k set when it contains operand k.
    let symbolMasks: Column<UInt64>
    let maskWords: Int

    // Predicates.
    let nodes: Column<PredicateNode>
    let children: Column<Int32>
    let numberPool: Column<Double>
    let symbolPool: Column<Int32>
    let scalarPool: Column<ScalarConstant>
    /// Per node, where its membership table starts in `inTables`, or -1:
    /// what lets a column sweep test `in` on a string with one load.
    let inTableStart: Column<Int>
    /// Membership tables of `stringIn` nodes, one byte per model symbol, then
    /// the byte for a symbol the model does not know, then 0 for missing.
    let inTables: Column<UInt8>

    // Criteria, rules, disqualifiers: roots into `nodes`.
    let criterionNames: [String]
    let criterionIndex: [String: Int]
    let criterionRoots: Column<Int32>
    let fitRoots: Column<Int32>
    let fitPoints: Column<Double>
    let behaviorRoots: Column<Int32>  // -1: no `if`
    let behaviorPoints: Column<Double>
    let behaviorCaps: Column<Double>  // +infinity: no cap
    /// Per behaviour rule, true when its `if` reads only the event's properties,
    /// so ingestion can decide it once instead of every scoring call.
    let behaviorReadsOnlyEvent: [Bool]
    let disqualifierRoots: Column<Int32>

    // Events: exact types, each with its rules (wildcards included).
    let eventTypes: [EventType: Int32]
    let eventTypeRules: [[Int32]]
    let wildcards: [(prefix: [UInt8], rule: Int32)]
    let propertyNames: [String]
    let propertyIndex: [String: Int]

    // Arithmetic.
    let halfLifeSeconds: Double?
    let windowSeconds: Double?
    let behaviorMin: Double
    let behaviorMax: Double

    let stages: CompiledStages?

    init(
        definition: ModelDefinition, attributeIndex: [String: Int], attributeSlots: [Int32],
        slotCounts: [AttributeType: Int], symbols: [String: Int32], symbolKeys: [[UInt8]],
        containsOperands: [[UInt8]], nodes: [PredicateNode], children: [Int32], numberPool: [Double],
        symbolPool: [Int32], scalarPool: [ScalarConstant], criterionRoots: [Int32], fitRoots: [Int32],
        behaviorRoots: [Int32], disqualifierRoots: [Int32], eventTypes: [EventType: Int32],
        eventTypeRules: [[Int32]], wildcards: [(prefix: [UInt8], rule: Int32)], propertyNames: [String],
        stages: CompiledStages?
    ) {
        self.definition = definition
        self.attributeIndex = attributeIndex
        self.attributeSlots = attributeSlots
        self.slotCounts = slotCounts
        self.symbols = symbols
        self.symbolKeys = symbolKeys
        self.containsOperands = containsOperands
        let words = (containsOperands.count + 63) / 64
        self.maskWords = words
        self.symbolMasks = Column(symbolKeys.flatMap { containsMask($0, containsOperands, words: words) })
        self.nodes = Column(nodes)
        self.children = Column(children)
        self.numberPool = Column(numberPool)
        self.symbolPool = Column(symbolPool)
        self.scalarPool = Column(scalarPool)
        (inTableStart, inTables) = Self.membershipTables(nodes, symbolPool, symbolCount: symbolKeys.count)
        self.criterionNames = definition.criteria.map(\.name)
        var criterionIndex: [String: Int] = [:]
        for (i, c) in definition.criteria.enumerated() where criterionIndex[c.name] == nil {
            criterionIndex[c.name] = i
        }
        self.criterionIndex = criterionIndex
        self.criterionRoots = Column(criterionRoots)
        self.fitRoots = Column(fitRoots)
        self.fitPoints = Column(definition.scoring.fit.map(\.points))
        self.behaviorRoots = Column(behaviorRoots)
        self.behaviorPoints = Column(definition.scoring.behavior.map(\.points))
        self.behaviorCaps = Column(definition.scoring.behavior.map { $0.cap ?? .infinity })
        self.behaviorReadsOnlyEvent = definition.scoring.behavior.map { $0.predicate?.readsOnlyProperties ?? false }
        self.disqualifierRoots = Column(disqualifierRoots)
        self.eventTypes = eventTypes
        self.eventTypeRules = eventTypeRules
        self.wildcards = wildcards
        self.propertyNames = propertyNames
        var propertyIndex: [String: Int] = [:]
        for (i, name) in propertyNames.enumerated() { propertyIndex[name] = i }
        self.propertyIndex = propertyIndex
        self.halfLifeSeconds = definition.scoring.halfLifeDays.map { $0 * 86_400 }
        self.windowSeconds = definition.scoring.windowDays.map { $0 * 86_400 }
        self.behaviorMin = definition.scoring.behaviorLimits?.min ?? -.infinity
        self.behaviorMax = definition.scoring.behaviorLimits?.max ?? .infinity
        self.stages = stages
    }

    /// The most bytes of membership tables a model gets; `in` conditions
    /// beyond it are tested by scanning their list.
    static let inTableBudget = 1 << 22

    private static func membershipTables(
        _ nodes: [PredicateNode], _ symbolPool: [Int32], symbolCount: Int
    ) -> (Column<Int>, Column<UInt8>) {
        var starts = Column<Int>(repeating: -1, count: nodes.count)
        var tables = Column<UInt8>()
        for (i, node) in nodes.enumerated() {
            guard case .stringIn(_, let range, let negate) = node, tables.count + symbolCount + 2 <= inTableBudget
            else { continue }
            starts[i] = tables.count
            var table = [UInt8](repeating: negate ? 1 : 0, count: symbolCount + 2)
            for k in range.indices { table[Int(symbolPool[k])] = negate ? 0 : 1 }
            table[symbolCount + 1] = 0
            tables.append(contentsOf: table)
        }
        return (starts, tables)
    }

    /// The rules an event type not named exactly by any rule still matches
    /// through a wildcard, in model order.
    func wildcardRules(for type: String) -> [Int32] {
        var rules: [Int32] = []
        for wildcard in wildcards where type.utf8.starts(with: wildcard.prefix) {
            rules.append(wildcard.rule)
        }
        return rules
    }
}

/// Which `contains` operands the comparison key `key` contains, as a bit mask.
func containsMask(_ key: [UInt8], _ operands: [[UInt8]], words: Int) -> [UInt64] {
    var mask = [UInt64](repeating: 0, count: words)
    for (k, operand) in operands.enumerated() where containsBytes(key, operand) {
        mask[k >> 6] |= 1 << UInt64(k & 63)
    }
    return mask
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
