/// Every predicate of a model, compiled: nodes that index into constant pools,
/// and the interned comparison keys (symbols) that string conditions compare.
///
/// Built by ``PredicateCompiler``; read by the evaluators (per lead, down
/// columns, per event) and by ingestion, which turns a lead's strings into
/// these symbols once.
struct PredicateProgram: Sendable {
    let nodes: Column<PredicateNode>
    let children: Column<Int32>
    let numberPool: Column<Double>
    let symbolPool: Column<Int32>
    let scalarPool: Column<ScalarConstant>

    /// Interned comparison keys of every string constant.
    let symbols: [String: Int32]
    let symbolKeys: [[UInt8]]
    /// Substring operands of `contains` on string values.
    let containsOperands: [[UInt8]]
    /// Per symbol, `maskWords` words: bit k set when it contains operand k.
    let symbolMasks: Column<UInt64>
    let maskWords: Int

    /// Per node, where its membership table starts in `inTables`, or -1:
    /// what lets a column sweep test `in` on a string with one load.
    let inTableStart: Column<Int>
    /// Membership tables of `stringIn` nodes, one byte per model symbol, then
    /// the byte for a symbol the model does not know, then 0 for missing.
    let inTables: Column<UInt8>

    /// Event properties that `prop` conditions read, numbered.
    let propertyNames: [String]
    let propertyIndex: [String: Int]

    init(
        nodes: [PredicateNode], children: [Int32], numberPool: [Double], symbolPool: [Int32],
        scalarPool: [ScalarConstant], symbols: [String: Int32], symbolKeys: [[UInt8]], containsOperands: [[UInt8]],
        propertyNames: [String]
    ) {
        self.nodes = Column(nodes)
        self.children = Column(children)
        self.numberPool = Column(numberPool)
        self.symbolPool = Column(symbolPool)
        self.scalarPool = Column(scalarPool)
        self.symbols = symbols
        self.symbolKeys = symbolKeys
        self.containsOperands = containsOperands
        let words = (containsOperands.count + 63) / 64
        maskWords = words
        symbolMasks = Column(symbolKeys.flatMap { containsMask($0, containsOperands, words: words) })
        (inTableStart, inTables) = Self.membershipTables(nodes, symbolPool, symbolCount: symbolKeys.count)
        self.propertyNames = propertyNames
        var propertyIndex: [String: Int] = [:]
        for (i, name) in propertyNames.enumerated() { propertyIndex[name] = i }
        self.propertyIndex = propertyIndex
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
}
