/// Evaluates compiled predicates for one lead (and, inside behaviour rules,
/// one event) of a batch.
///
/// It holds its own references to the arrays it reads, so the hot loop does no
/// reference counting; criteria are memoised per lead.
struct Evaluator {
    let model: CompiledModel
    /// Keeps the batch's columns alive while the buffers below point into
    /// them; nil when the caller does (see ``init(_:criteria:masks:owning:)``).
    private var batch: LeadBatch?
    /// The batch's lead ids.
    private var ids: [String]
    private var masksColumn: Column<UInt64>

    let nodes: UnsafeBufferPointer<PredicateNode>
    let children: UnsafeBufferPointer<Int32>
    let numberPool: UnsafeBufferPointer<Double>
    let symbolPool: UnsafeBufferPointer<Int32>
    private let scalarPool: UnsafeBufferPointer<ScalarConstant>
    let criterionRoots: UnsafeBufferPointer<Int32>
    let inTableStart: UnsafeBufferPointer<Int>
    let inTables: UnsafeBufferPointer<UInt8>
    /// The model's and the batch's masks, one after the other.
    private(set) var containsMasks: ContainsMasks

    private(set) var numbers: UnsafeBufferPointer<Double>
    private(set) var bools: UnsafeBufferPointer<UInt8>
    private(set) var strings: UnsafeBufferPointer<Int32>
    private(set) var setRanges: UnsafeBufferPointer<Int32>
    private(set) var setMembers: UnsafeBufferPointer<Int32>
    private var properties: UnsafeBufferPointer<PropertySlot>
    private var propertySetMembers: UnsafeBufferPointer<Int32>
    let widths: (number: Int, bool: Int, string: Int, strings: Int)
    private let propertyCount: Int
    private var propertyContext: PropertyContext

    /// The lead being evaluated.
    private(set) var lead = 0
    /// The event a `prop` predicate reads.
    var event = 0
    /// The lead's score, for `score` predicates (set once scoring is done).
    private(set) var fit = 0.0
    private(set) var behavior = 0.0
    /// `total` after `total_limits`, and the grade and engagement indices
    /// (-1: none) that `result` predicates read (SPEC §13).
    private(set) var total = 0.0
    private(set) var gradeIndex: Int32 = -1
    private(set) var engagementIndex: Int32 = -1
    private var criteria: [Int8]

    /// An evaluator of `batch`'s leads. `criteria`, a ``criteriaMemo`` an
    /// earlier evaluator of the same model left, is used instead of a new
    /// one; `masks`, when given, must be the model's contains masks followed
    /// by `batch`'s local ones (which a caller that keeps them from lead to
    /// lead need not copy again). Unless `owning`, the evaluator does not
    /// hold the batch's columns (copying a batch retains each of them): the
    /// caller must then keep `batch` alive and unchanged while it is used.
    init(
        _ batch: borrowing LeadBatch, criteria reused: [Int8]? = nil, masks combined: Column<UInt64>? = nil,
        owning: Bool = true
    ) {
        let model = batch.model
        self.model = model
        self.batch = owning ? copy batch : nil
        ids = batch.ids
        if let combined {
            masksColumn = combined
        } else {
            var masks = model.predicates.symbolMasks
            // Appending nothing would still copy the model's masks.
            if !batch.localMasks.isEmpty { masks.append(contentsOf: batch.localMasks) }
            masksColumn = masks
        }
        nodes = model.predicates.nodes.buffer
        children = model.predicates.children.buffer
        numberPool = model.predicates.numberPool.buffer
        symbolPool = model.predicates.symbolPool.buffer
        scalarPool = model.predicates.scalarPool.buffer
        criterionRoots = model.criterionRoots.buffer
        inTableStart = model.predicates.inTableStart.buffer
        inTables = model.predicates.inTables.buffer
        containsMasks = ContainsMasks(
            words: model.predicates.maskWords, model: masksColumn.buffer, local: UnsafeBufferPointer(start: nil, count: 0),
            localBase: Int.max)
        numbers = batch.numbers.buffer
        bools = batch.bools.buffer
        strings = batch.strings.buffer
        setRanges = batch.setRanges.buffer
        setMembers = batch.setMembers.buffer
        properties = batch.properties.buffer
        propertySetMembers = batch.propertySetMembers.buffer
        widths = batch.widths
        propertyCount = model.predicates.propertyNames.count
        propertyContext = PropertyContext(
            scalarPool: model.predicates.scalarPool.buffer, symbolPool: model.predicates.symbolPool.buffer,
            setMembers: batch.propertySetMembers.buffer, masks: containsMasks)
        let criteriaCount = model.criterionRoots.count
        if let reused, reused.count == criteriaCount {
            criteria = reused
        } else {
            criteria = [Int8](repeating: -1, count: criteriaCount)
        }
    }

    /// Points this evaluator, made with `owning` false, at `batch` (of its
    /// model) and `combined` masks as ``init(_:criteria:masks:owning:)`` would:
    /// what a caller scoring one lead at a time does instead of making a new
    /// one. The caller keeps `batch` alive and unchanged while this is used.
    mutating func rebind(_ batch: borrowing LeadBatch, masks combined: Column<UInt64>) {
        ids = batch.ids
        masksColumn = combined
        containsMasks = ContainsMasks(
            words: model.predicates.maskWords, model: masksColumn.buffer, local: UnsafeBufferPointer(start: nil, count: 0),
            localBase: Int.max)
        numbers = batch.numbers.buffer
        bools = batch.bools.buffer
        strings = batch.strings.buffer
        setRanges = batch.setRanges.buffer
        setMembers = batch.setMembers.buffer
        properties = batch.properties.buffer
        propertySetMembers = batch.propertySetMembers.buffer
        propertyContext = PropertyContext(
            scalarPool: propertyContext.scalarPool, symbolPool: propertyContext.symbolPool,
            setMembers: propertySetMembers, masks: containsMasks)
    }

    /// Lets go of the batch's ids and the masks, so that their owners can
    /// change them in place: the evaluator is then unusable until ``rebind(_:masks:)``.
    mutating func letGo() {
        ids = []
        // The model's masks, never changed (an empty column would allocate its storage).
        masksColumn = model.predicates.symbolMasks
    }

    /// The memory of which criteria hold, for a later evaluator of the same
    /// model (``init(_:criteria:masks:)``); what it holds is forgotten there.
    var criteriaMemo: [Int8] { criteria }

    /// The current lead's id.
    /// The current lead's id (its index, for a batch filled from columns).
    var leadID: String { lead < ids.count ? ids[lead] : String(lead) }

    /// Starts on lead `index`: forgets the previous lead's criteria and score.
    @inline(__always)
    mutating func begin(lead index: Int) {
        lead = index
        fit = 0
        behavior = 0
        total = 0
        gradeIndex = -1
        engagementIndex = -1
        for i in criteria.indices { criteria[i] = -1 }
    }

    /// Records the current lead's score, once scoring is done, and what
    /// follows from it: total, grade and engagement.
    mutating func setScore(fit: Double, behavior: Double) {
        self.fit = fit
        self.behavior = behavior
        let scoring = model.scoring
        total = scoring.total(fit: fit, behavior: behavior)
        gradeIndex = scoring.grades.index(fit)
        engagementIndex = scoring.engagement.index(behavior)
    }

    /// The index a `result` predicate of `kind` reads; -1 when it is null.
    @inline(__always)
    func resultIndex(_ kind: ResultKind) -> Int32 {
        switch kind {
        case .grade: return gradeIndex
        case .engagement: return engagementIndex
        case .priority:
            guard gradeIndex >= 0, engagementIndex >= 0 else { return -1 }
            return gradeIndex &* Int32(model.scoring.engagement.names.count) &+ engagementIndex
        }
    }

    /// Appends to `unmet` the parts of `predicate` (compiled at `node`) that do
    /// not hold, looking through `all` and criteria: what the lead still lacks.
    mutating func collectUnmet(_ node: Int32, _ predicate: Predicate, into unmet: inout [String]) {
        if holds(node) { return }
        switch (predicate, nodes[Int(node)]) {
        case (.all(let parts), .all(let range)):
            for (k, part) in parts.enumerated() {
                collectUnmet(children[Int(range.start) + k], part, into: &unmet)
            }
        case (.criterion, .criterion(let index)):
            collectUnmet(criterionRoots[Int(index)], model.definition.criteria[Int(index)].predicate, into: &unmet)
        default:
            unmet.append(predicate.description)
        }
    }

    /// Whether criterion `index` holds for the current lead.
    mutating func criterion(_ index: Int) -> Bool {
        let memo = criteria[index]
        if memo >= 0 { return memo == 1 }
        let value = holds(criterionRoots[index])
        criteria[index] = value ? 1 : 0
        return value
    }

    /// Whether the predicate rooted at `node` holds.
    mutating func holds(_ node: Int32) -> Bool {
        switch nodes[Int(node)] {
        case .constant(let value):
            return value
        case .number(let slot, let test):
            let x = numbers[lead &* widths.number &+ Int(slot)]
            return !x.isNaN && test.holds(x)
        case .numberIn(let slot, let range, let negate):
            let x = numbers[lead &* widths.number &+ Int(slot)]
            if x.isNaN { return false }
            return contains(numberPool, range, x) != negate
        case .bool(let slot, let acceptsTrue, let acceptsFalse):
            switch bools[lead &* widths.bool &+ Int(slot)] {
            case 0: return acceptsFalse
            case 1: return acceptsTrue
            default: return false
            }
        case .string(let slot, let symbol, let negate):
            let s = strings[lead &* widths.string &+ Int(slot)]
            return s >= 0 && (s == symbol) != negate
        case .stringIn(let slot, let range, let negate):
            let s = strings[lead &* widths.string &+ Int(slot)]
            return s >= 0 && contains(symbolPool, range, s) != negate
        case .stringContains(let slot, let operand):
            let s = strings[lead &* widths.string &+ Int(slot)]
            return s >= 0 && containsMasks.has(s, operand: operand)
        case .setContains(let slot, let symbol):
            guard let members = memberRange(slot: Int(slot), lead: lead) else { return false }
            return contains(setMembers, members, symbol)
        case .setAnyOf(let slot, let wanted):
            guard let members = memberRange(slot: Int(slot), lead: lead) else { return false }
            return sharesMember(setMembers, members, wanted)
        case .exists(let type, let slot, let expected):
            return isPresent(type, Int(slot), lead: lead) == expected
        case .property(let index, let test):
            return propertyContext.holds(properties[event &* propertyCount &+ Int(index)], test)
        case .score(let kind, let test):
            switch kind {
            case .fit: return test.holds(fit)
            case .behavior: return test.holds(behavior)
            case .total: return test.holds(total)
            }
        case .result(let kind, let range, let negate):
            let index = resultIndex(kind)
            return index >= 0 && contains(symbolPool, range, index) != negate
        case .criterion(let index):
            return criterion(Int(index))
        case .all(let parts):
            for i in parts.indices where !holds(children[i]) { return false }
            return true
        case .any(let parts):
            for i in parts.indices where holds(children[i]) { return true }
            return false
        case .not(let inner):
            return !holds(inner)
        }
    }

    /// Where lead `lead`'s set in `strings` slot `slot` lies in `setMembers`; nil when missing.
    @inline(__always)
    func memberRange(slot: Int, lead: Int) -> PoolRange? {
        let base = (lead &* widths.strings &+ slot) &* 2
        let count = setRanges[base &+ 1]
        return count >= 0 ? PoolRange(start: setRanges[base], count: count) : nil
    }

    func isPresent(_ type: AttributeType, _ slot: Int, lead: Int) -> Bool {
        switch type {
        case .number: !numbers[lead &* widths.number &+ slot].isNaN
        case .bool: bools[lead &* widths.bool &+ slot] != 2
        case .string: strings[lead &* widths.string &+ slot] >= 0
        case .strings: setRanges[(lead &* widths.strings &+ slot) &* 2 &+ 1] >= 0
        }
    }

    /// Linear search without slicing (a slice would retain the array).
    @inline(__always)
    func contains<T: Equatable>(_ array: UnsafeBufferPointer<T>, _ range: PoolRange, _ value: T) -> Bool {
        for k in range.indices where array[k] == value { return true }
        return false
    }

    /// Whether the members in `range` of `members` and the pool symbols in `wanted` meet.
    func sharesMember(_ members: UnsafeBufferPointer<Int32>, _ range: PoolRange, _ wanted: PoolRange) -> Bool {
        for k in range.indices where contains(symbolPool, wanted, members[k]) { return true }
        return false
    }
}

extension PoolRange {
    @inline(__always)
    var indices: Range<Int> { Int(start)..<(Int(start) + Int(count)) }
}

extension PropertySlot {
    /// Whether the value equals the constant; `nil` when their types differ.
    @inline(__always)
    func matches(_ constant: ScalarConstant) -> Bool? {
        guard kind == constant.kind else { return nil }
        switch kind {
        case .string: return symbol == constant.symbol
        case .number, .bool: return number == constant.number
        default: return nil
        }
    }
}
