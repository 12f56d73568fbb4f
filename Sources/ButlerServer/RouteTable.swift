import HTTPTypes
import Hummingbird
import Synchronization

/// What an API route promises its callers: the query parameters its handler reads and every
/// status it answers with (errors included; the transport's own 405, 414 and 431 aside).
/// `/openapi.json` must say the same: `OpenAPIContractTests` compares them route by route.
struct RouteContract: Sendable, Hashable {
    let query: [String]
    let statuses: [Int]

    static func api(query: [String] = [], answers statuses: [Int]) -> RouteContract {
        RouteContract(query: query, statuses: statuses)
    }
}

/// Every path and method the server answers, recorded as the routes are registered (routes are
/// added through this table, so it cannot drift from them). The router answers 404 whenever
/// nothing matches, also for a known path asked with another method; with this table that
/// becomes 405 Method Not Allowed with an `Allow` header (RFC 9110 §15.5.6). GET routes answer
/// HEAD too (the router generates them).
final class RouteTable: Sendable {
    /// A registered route; `contract` is nil for what the API document does not describe (the
    /// screen-pop pages, `/metrics`, `/openapi.json` itself).
    struct Route: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let contract: RouteContract?
    }

    private let routes = Mutex<[Route]>([])

    @discardableResult
    func get(_ path: String, _ contract: RouteContract? = nil, on router: Router<BasicRequestContext>,
             use handler: @Sendable @escaping (Request, BasicRequestContext) async throws -> Response) -> Router<BasicRequestContext> {
        add(.get, path, contract, on: router, use: handler)
    }

    @discardableResult
    func post(_ path: String, _ contract: RouteContract? = nil, on router: Router<BasicRequestContext>,
              use handler: @Sendable @escaping (Request, BasicRequestContext) async throws -> Response) -> Router<BasicRequestContext> {
        add(.post, path, contract, on: router, use: handler)
    }

    private func add(_ method: HTTPRequest.Method, _ path: String, _ contract: RouteContract?, on router: Router<BasicRequestContext>,
                     use handler: @Sendable @escaping (Request, BasicRequestContext) async throws -> Response) -> Router<BasicRequestContext> {
        routes.withLock { $0.append(Route(method: method, path: path, contract: contract)) }
        return router.on(RouterPath(path), method: method, use: handler)
    }

    /// Every route registered so far, in order.
    var registered: [Route] { routes.withLock { $0 } }

    /// The methods `path` is answered with (empty: an unknown path).
    func allowedMethods(for path: String) -> [String] {
        // Empty segments are ignored, as the router ignores them ("/v1/lookup/" is "/v1/lookup").
        let segments = path.split(separator: "/")
        var methods: [String] = []
        for route in routes.withLock({ $0 }) where Self.matches(route.path, segments) && !methods.contains(route.method.rawValue) {
            methods.append(route.method.rawValue)
            if route.method == .get { methods.append(HTTPRequest.Method.head.rawValue) }
        }
        return methods
    }

    private static func matches(_ pattern: String, _ segments: [Substring]) -> Bool {
        let parts = pattern.split(separator: "/")
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in
            part.hasPrefix("{") ? !segment.isEmpty : part == segment
        }
    }
}
