/// A history log (SPEC §12) read into compact tables, ready to report on any period.
///
/// Feed it line by line, in any order; it keeps, per lead, its earliest capture
/// and earliest line, and for the whole log its moves, deals and costs as small
/// fixed-size records, so memory grows with leads and facts, never with the text.
///
/// ```swift
/// var log = HistoryLog(model: model)
/// for line in lines { try log.add(line: line) }      // HistoryError names the line and field
/// let report = log.report(from: start, to: end)      // a FunnelReport
/// print(report.json)
/// ```
///
/// A line that fails leaves the log as it was. Blank lines are skipped but
/// counted, so line numbers match the file.
public struct HistoryLog: Sendable {
    /// The model whose stages the moves name.
    public let model: Model

    /// Lines added so far, blank ones included: the next line is number `lineCount + 1`.
    public private(set) var lineCount = 0

    /// Leads, interned as bytes: a lead's index is its id's key in this table.
    private var leadTable = ByteKeyTable()
    /// The number of distinct leads seen.
    var leadCount: Int { leadTable.count }
    /// Per lead, what the report needs of its lines, in one record so that a
    /// line touches one place per lead (the table is far larger than the caches).
    private(set) var leads: [LeadRecord] = []

    private(set) var moves: [MoveRecord] = []
    private(set) var deals: [DealRecord] = []
    private(set) var costs: [CostRecord] = []

    private var channelTable = ByteKeyTable()
    private(set) var channels: [String] = []
    private var reasonTable = ByteKeyTable()
    private(set) var reasons: [String] = []

    /// A move, its stages as indices; `reason` is interned only for moves into a
    /// stage with an outcome (the only ones the report counts), else -1.
    /// Moves are kept in line order, which is how ties in `at` are broken.
    struct MoveRecord: Sendable {
        var at: Double
        var lead: Int32
        var to: Int32
        var reason: Int32
    }

    /// A lead's earliest `lead` line and earliest line of any kind. Lines come
    /// in line order, so of two at the same time the one kept (the first) is
    /// also the earlier line.
    struct LeadRecord: Sendable {
        /// The earliest `lead` line: `+infinity` when there is none.
        var captureAt: Double = .infinity
        /// The earliest line of any kind.
        var firstAt: Double = .infinity
        /// Channel index of the earliest `lead` line; -1 for null.
        var captureChannel: Int32 = -1
    }

    struct DealRecord: Sendable {
        var at: Double
        var seq: Int
        var lead: Int32
        var value: Double
    }

    struct CostRecord: Sendable {
        var at: Double
        var amount: Double
        /// -1 for null.
        var channel: Int32
    }

    /// An empty log for `model`. A model without stages takes capture, deal and
    /// cost lines; a move line is then an error.
    public init(model: Model) {
        self.model = model
        stageBytes = model.compiled.stages?.ids.map { Array($0.utf8) } ?? []
    }

    /// Stage ids as UTF-8, for comparing with the bytes of a line.
    private let stageBytes: [[UInt8]]

    /// Adds one line of JSON (UTF-8 bytes, without its line terminator).
    ///
    /// - Throws: ``HistoryError`` naming the line number and the field.
    /// - Complexity: O(length of the line), plus one hash lookup of the lead id.
    public mutating func add(line bytes: UnsafeRawBufferPointer) throws(HistoryError) {
        lineCount += 1
        if HistoryReader.isBlank(bytes) { return }
        // The common shape takes the fast path; anything else, including every
        // error, goes through the strict reader.
        if let scanned = HistoryScanner.scan(bytes), record(scanned, bytes) { return }
        let line = try HistoryReader.read(bytes, line: lineCount)
        try record(line)
    }

    /// Adds one line of JSON given as bytes.
    public mutating func add(line bytes: some Collection<UInt8>) throws(HistoryError) {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(HistoryError) in try add(line: UnsafeRawBufferPointer(buffer)) }
        }
        if let result { return try result.get() }
        try add(line: Array(bytes))
    }

    /// Adds one line of JSON given as text.
    public mutating func add(line text: String) throws(HistoryError) {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(HistoryError) in try add(line: UnsafeRawBufferPointer(buffer)) }
        }
        try result.get()
    }

    /// Adds every line of a JSON Lines document (`\n` or `\r\n` separated).
    ///
    /// Stops at the first bad line; the lines before it stay in the log.
    public mutating func add(jsonLines bytes: UnsafeRawBufferPointer) throws(HistoryError) {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            let end = start + offsetOfByte(0x0A, in: base + start, count: bytes.count - start)
            var stop = end
            if stop > start && bytes[stop - 1] == 0x0D { stop -= 1 }
            try add(line: UnsafeRawBufferPointer(rebasing: bytes[start..<stop]))
            start = end + 1
        }
    }

    /// Adds every line of a JSON Lines document given as text.
    public mutating func add(jsonLines text: String) throws(HistoryError) {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(HistoryError) in try add(jsonLines: UnsafeRawBufferPointer(buffer)) }
        }
        try result.get()
    }

    /// Adds one fact given as a value; it counts as the next line.
    ///
    /// - Throws: ``HistoryError`` for a stage the model lacks, an empty id, a
    ///   time or amount that is not a finite number.
    public mutating func add(_ line: HistoryLine) throws(HistoryError) {
        lineCount += 1
        try validate(line)
        try record(line)
    }

    /// The report for `[from, to)` (SPEC §12); `nil` leaves that end open.
    public func report(from: Double? = nil, to: Double? = nil) -> FunnelReport {
        ReportBuilder(log: self, from: from, to: to).build()
    }

    // MARK: Recording

    /// Checks a fact given as a value the way the reader checks a line.
    private func validate(_ line: HistoryLine) throws(HistoryError) {
        func fail(_ field: String, _ message: String) -> HistoryError {
            HistoryError(line: lineCount, field: field, message: message)
        }
        if let lead = line.lead, lead.isEmpty { throw fail("lead", "expected a non-empty string") }
        if !line.at.isFinite { throw fail("at", "expected a finite number of seconds") }
        switch line {
        case .lead(_, _, let channel):
            if channel?.isEmpty == true { throw fail("channel", "expected a non-empty string or null") }
        case .move(_, _, _, _, let reason, let by):
            if reason?.isEmpty == true { throw fail("reason", "expected a non-empty string or null") }
            if by?.isEmpty == true { throw fail("by", "expected a non-empty string or null") }
        case .deal(_, let value, _):
            if !value.isFinite || value < 0 { throw fail("value", "expected a number of at least 0, found \(value)") }
        case .cost(let channel, let amount, _):
            if channel?.isEmpty == true { throw fail("channel", "expected a non-empty string or null") }
            if !amount.isFinite || amount < 0 { throw fail("amount", "expected a number of at least 0, found \(amount)") }
        }
    }

    /// Stores a checked fact; checks stage ids first so that a failing line changes nothing.
    private mutating func record(_ line: HistoryLine) throws(HistoryError) {
        let seq = lineCount
        switch line {
        case .lead(let id, let at, let channel):
            recordCapture(intern(lead: id), at, channel.map { intern(channel: $0) } ?? -1)
        case .move(let id, let from, let to, let at, let reason, _):
            guard let stages = model.compiled.stages else {
                throw HistoryError(line: seq, field: "kind", message: "a move needs a model with a stages section")
            }
            guard stageIndex(Array(from.utf8)[...]) != nil else {
                throw HistoryError(line: seq, field: "from", message: "unknown stage \"\(from)\"")
            }
            guard let target = stageIndex(Array(to.utf8)[...]) else {
                throw HistoryError(line: seq, field: "to", message: "unknown stage \"\(to)\"")
            }
            var reasonID: Int32 = -1
            if stages.outcomes[Int(target)] != nil, let reason { reasonID = intern(reason: reason) }
            recordMove(intern(lead: id), target, at, reasonID)
        case .deal(let id, let value, let at):
            recordDeal(intern(lead: id), value, at)
        case .cost(let channel, let amount, let at):
            costs.append(CostRecord(at: at, amount: amount, channel: channel.map { intern(channel: $0) } ?? -1))
        }
    }

    /// Stores a line the fast path scanned; `false` (nothing stored) when a stage
    /// is unknown, so that the strict reader reports it.
    private mutating func record(_ line: HistoryScanner.Line, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let p = bytes.bindMemory(to: UInt8.self)
        func slice(_ t: HistoryScanner.Text) -> Slice<UnsafeBufferPointer<UInt8>> {
            p[t.start..<(t.start + t.count)]
        }
        func text(_ t: HistoryScanner.Text) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: slice(t))
        }
        switch line.kind {
        case .lead:
            guard let lead = line.lead else { return false }
            recordCapture(intern(lead: text(lead)), line.at, line.channel.map { intern(channel: text($0)) } ?? -1)
        case .move:
            guard let stages = model.compiled.stages, let lead = line.lead, let from = line.from, let to = line.to,
                stageIndex(text(from)) != nil, let target = stageIndex(text(to))
            else { return false }
            var reasonID: Int32 = -1
            if stages.outcomes[Int(target)] != nil, let reason = line.reason { reasonID = intern(reason: text(reason)) }
            recordMove(intern(lead: text(lead)), target, line.at, reasonID)
        case .deal:
            guard let lead = line.lead else { return false }
            recordDeal(intern(lead: text(lead)), line.number, line.at)
        case .cost:
            costs.append(
                CostRecord(at: line.at, amount: line.number, channel: line.channel.map { intern(channel: text($0)) } ?? -1))
        }
        return true
    }

    private mutating func recordCapture(_ lead: Int32, _ at: Double, _ channel: Int32) {
        leads.withUnsafeMutableBufferPointer { leads in
            let l = Int(lead)
            if at < leads[l].firstAt { leads[l].firstAt = at }
            if at < leads[l].captureAt {
                leads[l].captureAt = at
                leads[l].captureChannel = channel
            }
        }
    }

    private mutating func recordMove(_ lead: Int32, _ target: Int32, _ at: Double, _ reason: Int32) {
        touch(lead, at)
        moves.append(MoveRecord(at: at, lead: lead, to: target, reason: reason))
    }

    private mutating func recordDeal(_ lead: Int32, _ value: Double, _ at: Double) {
        touch(lead, at)
        deals.append(DealRecord(at: at, seq: lineCount, lead: lead, value: value))
    }

    /// A stage's index by comparing bytes with the (few) stage ids: no hashing per line.
    private func stageIndex<C: Collection<UInt8>>(_ id: C) -> Int32? {
        for (i, candidate) in stageBytes.enumerated() where candidate.count == id.count && candidate.elementsEqual(id) {
            return Int32(i)
        }
        return nil
    }

    /// A stage's index from bytes in place: lengths first, then `memcmp`.
    private func stageIndex(_ id: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard let base = id.baseAddress else { return nil }
        for (i, candidate) in stageBytes.enumerated() where candidate.count == id.count {
            if candidate.withUnsafeBufferPointer({ $0.baseAddress.map { bytesEqual($0, base, id.count) } ?? false }) {
                return Int32(i)
            }
        }
        return nil
    }

    private mutating func touch(_ lead: Int32, _ at: Double) {
        leads.withUnsafeMutableBufferPointer { leads in
            let l = Int(lead)
            if at < leads[l].firstAt { leads[l].firstAt = at }
        }
    }

    private mutating func intern(lead id: String) -> Int32 {
        withUTF8Bytes(id) { intern(lead: $0) }
    }

    private mutating func intern(lead id: UnsafeBufferPointer<UInt8>) -> Int32 {
        let (index, inserted) = leadTable.insert(id)
        if inserted { leads.append(LeadRecord()) }
        return index
    }

    private mutating func intern(channel: String) -> Int32 {
        withUTF8Bytes(channel) { intern(channel: $0) }
    }

    private mutating func intern(channel: UnsafeBufferPointer<UInt8>) -> Int32 {
        let (index, inserted) = channelTable.insert(channel)
        if inserted { channels.append(String(decoding: channel, as: UTF8.self)) }
        return index
    }

    private mutating func intern(reason: String) -> Int32 {
        withUTF8Bytes(reason) { intern(reason: $0) }
    }

    private mutating func intern(reason: UnsafeBufferPointer<UInt8>) -> Int32 {
        let (index, inserted) = reasonTable.insert(reason)
        if inserted { reasons.append(String(decoding: reason, as: UTF8.self)) }
        return index
    }
}
