import HTTPTypes
import Hummingbird
import Synchronization

/// Every path and method the server answers, recorded as the routes are registered (routes are
/// added through this table, so it cannot drift from them). The router answers 404 whenever
/// nothing matches, also for a known path asked with another method; with this table that
/// becomes 405 Method Not Allowed with an `Allow` header (RFC 9110 §15.5.6). GET routes answer
/// HEAD too (the router generates them).
final class RouteTable: Sendable {
    private let routes = Mutex<[(method: HTTPRequest.Method, path: String)]>([])

    @discardableResult
    func get(_ path: String, on router: Router<BasicRequestContext>,
             use handler: @Sendable @escaping (Request, BasicRequestContext) async throws -> Response) -> Router<BasicRequestContext> {
        add(.get, path, on: router, use: handler)
    }

    @discardableResult
    func post(_ path: String, on router: Router<BasicRequestContext>,
              use handler: @Sendable @escaping (Request, BasicRequestContext) async throws -> Response) -> Router<BasicRequestContext> {
        add(.post, path, on: router, use: handler)
    }

    private func add(_ method: HTTPRequest.Method, _ path: String, on router: Router<BasicRequestContext>,
                     use handler: @Sendable @escaping (Request, BasicRequestContext) async throws -> Response) -> Router<BasicRequestContext> {
        routes.withLock { $0.append((method, path)) }
        return router.on(RouterPath(path), method: method, use: handler)
    }

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
