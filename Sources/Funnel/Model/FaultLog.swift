/// Faults collected in the order they were found, each at its JSON path.
///
/// Every reader and compiler of a document reports through one of these and
/// goes on after a fault, so that `funnel validate` lists every fault in one
/// run; the checks that recur across documents (ids, finite and positive
/// numbers) live here once.
struct FaultLog: Sendable {
    private(set) var faults: [ModelFault] = []

    var isEmpty: Bool { faults.isEmpty }

    mutating func fault(_ path: String, _ message: String) {
        faults.append(ModelFault(path: path, message: message))
    }

    mutating func append(contentsOf more: [ModelFault]) {
        faults += more
    }

    /// A non-empty id not seen before in its list (`seen`).
    mutating func checkID(_ id: String, _ path: String, _ seen: inout Set<String>) {
        if id.isEmpty {
            fault(path.joined("id"), "expected a non-empty string")
        } else if !seen.insert(id).inserted {
            fault(path.joined("id"), "duplicate id \"\(id)\"")
        }
    }

    mutating func checkFinite(_ x: Double, _ path: String) {
        if !x.isFinite { fault(path, "expected a finite number") }
    }

    /// A finite number > 0 (half-lives, windows, caps), when given.
    mutating func checkPositive(_ x: Double?, _ path: String) {
        if let x, !(x > 0 && x.isFinite) { fault(path, "expected a finite number > 0") }
    }
}
