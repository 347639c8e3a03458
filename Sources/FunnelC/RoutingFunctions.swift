import Funnel

/// What a `funnel_router *` points to: a router and the lock that keeps two
/// threads from changing it at once. The header says a router is for one
/// thread at a time; calls that overlap anyway are serialised, never a crash.
final class RouterHandle {
    private let router: Locked<Router>

    init(_ router: Router) {
        self.router = Locked(router)
    }

    /// Runs `body`, which changes nothing when it fails (a `Router` call), on the router.
    func update<T>(_ body: (inout Router) throws(Failure) -> T) throws(Failure) -> T {
        try router.withLock(body)
    }

    /// Runs `body` on a copy of the router and keeps the copy only when it
    /// succeeds: a failed call leaves the state unchanged.
    func transaction<T>(_ body: (inout Router) throws(Failure) -> T) throws(Failure) -> T {
        try router.withLock { (router: inout Router) throws(Failure) -> T in
            var copy = router
            let result = try body(&copy)
            router = copy
            return result
        }
    }

    /// Reads the router under the lock.
    func read<T>(_ body: (Router) -> T) -> T {
        router.withLock { body($0) }
    }

    static func from(_ pointer: OpaquePointer?) throws(Failure) -> RouterHandle {
        guard let pointer else { throw Failure(.argument, "router is NULL") }
        return Unmanaged<RouterHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }
}

/// A routing or state document's faults, one a line.
private func invalid(_ error: RoutingError) -> Failure {
    Failure(.invalid, error.faults.map(\.description).joined(separator: "\n"))
}

/// `funnel_router_new`: compiles a routing document against a model, with a
/// state document or fresh.
@_cdecl("funnel_router_new")
public func funnel_router_new(
    _ model: OpaquePointer?, _ routingJSON: UnsafePointer<CChar>?, _ length: Int,
    _ stateJSON: UnsafePointer<CChar>?, _ stateLength: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    guarded("funnel_router_new") { () throws(Failure) in
        let out = try Check.out(out, "out")
        let handle = try ModelHandle.from(model)
        let routingValue = try parseJSON(try Check.bytes(routingJSON, length, "routing_json"))
        let stateValue = stateJSON == nil ? nil : try parseJSON(try Check.bytes(stateJSON, stateLength, "state_json"))
        var router: Router
        do throws(RoutingError) {
            router = try Router(model: handle.model, routingValue: routingValue)
            if let stateValue { try router.restoreState(jsonValue: stateValue) }
        } catch {
            throw invalid(error)
        }
        out.pointee = OpaquePointer(Unmanaged.passRetained(RouterHandle(router)).toOpaque())
    }
}

/// `funnel_router_free`: NULL is a no-op.
@_cdecl("funnel_router_free")
public func funnel_router_free(_ router: OpaquePointer?) {
    guard let router else { return }
    Unmanaged<RouterHandle>.fromOpaque(UnsafeRawPointer(router)).release()
}

/// `funnel_router_route_json`: routes one lead (at its own "at" when it has
/// one, else at `at`) and returns its SPEC §10 route result.
@_cdecl("funnel_router_route_json")
public func funnel_router_route_json(
    _ router: OpaquePointer?, _ leadJSON: UnsafePointer<CChar>?, _ length: Int, _ at: Double, _ reassign: Int32,
    _ out: CStringOut?
) -> Int32 {
    guarded("funnel_router_route_json") { () throws(Failure) in
        let out = try Check.out(out, "out_json")
        let handle = try RouterHandle.from(router)
        let value = try parseJSON(try Check.bytes(leadJSON, length, "lead_json"))
        let lead: Lead
        let instant: Double
        do throws(LeadError) {
            lead = try Lead(jsonValue: value)
            instant = try Router.lineInstant(value) ?? at
        } catch {
            throw Failure(.invalid, error.description)
        }
        let result = try handle.update { router throws(Failure) in
            do throws(RouteError) {
                return try router.route(lead, at: instant, reassign: reassign != 0)
            } catch {
                switch error.code {
                case .badInstant where instant.isFinite: throw Failure(.refused, error.message)
                case .badInstant: throw Failure(.argument, error.message)
                default: throw Failure(.invalid, error.message)
                }
            }
        }
        try deliver(Array(result.json.utf8), to: out)
    }
}

/// `funnel_router_route_jsonl`: routes JSON Lines leads in order, one route
/// result a line; all or nothing.
@_cdecl("funnel_router_route_jsonl")
public func funnel_router_route_jsonl(
    _ router: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ at: Double, _ reassign: Int32,
    _ out: CStringOut?
) -> Int32 {
    guarded("funnel_router_route_jsonl") { () throws(Failure) in
        let out = try Check.out(out, "out_jsonl")
        let handle = try RouterHandle.from(router)
        let bytes = try Check.bytes(jsonl, length, "jsonl")
        guard at.isFinite else { throw Failure(.argument, "at must be a finite number of seconds") }
        let (lines, numbers) = JSONLines.split(bytes)
        let results = try handle.transaction { router throws(Failure) in
            var results: [UInt8] = []
            if let failure = router.routeLines(lines, numbers: numbers, at: at, reassign: reassign != 0, into: &results) {
                let status: Status = failure.error.isParseError ? .parse : failure.refused ? .refused : .invalid
                throw Failure(status, failure.description)
            }
            return results
        }
        try deliver(results, to: out)
    }
}

/// `funnel_router_set_available`: marks a person available (non-zero) or not.
@_cdecl("funnel_router_set_available")
public func funnel_router_set_available(_ router: OpaquePointer?, _ person: UnsafePointer<CChar>?, _ available: Int32)
    -> Int32
{
    guarded("funnel_router_set_available") { () throws(Failure) in
        let handle = try RouterHandle.from(router)
        let person = try Check.string(person, "person")
        try handle.update { router throws(Failure) in
            do throws(RouteError) {
                try router.setAvailable(person, available != 0)
            } catch {
                throw Failure(.invalid, error.message)
            }
        }
    }
}

/// `funnel_router_state_json`: the router's funnel.roster/1 document.
@_cdecl("funnel_router_state_json")
public func funnel_router_state_json(_ router: OpaquePointer?, _ out: CStringOut?) -> Int32 {
    guarded("funnel_router_state_json") { () throws(Failure) in
        let out = try Check.out(out, "out_json")
        let handle = try RouterHandle.from(router)
        try deliver(Array(handle.read { $0.stateJSON }.utf8), to: out)
    }
}
