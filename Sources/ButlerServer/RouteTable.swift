import HTTPTypes

/// Every path and method the server answers. The router answers 404 whenever nothing matches,
/// also for a known path asked with another method; with this table that becomes
/// 405 Method Not Allowed with an `Allow` header (RFC 9110 §15.5.6). A test checks it against
/// `/openapi.json`. GET routes answer HEAD too (the router generates them).
enum RouteTable {
    static let routes: [(method: HTTPRequest.Method, path: String)] = [
        (.get, "/healthz"),
        (.get, "/openapi.json"),
        (.get, "/v1/lookup"),
        (.get, "/v1/butlers/{emp}/tasks"),
        (.post, "/v1/touchpoints"),
        (.post, "/v1/inspections"),
        (.post, "/v1/tasks/{id}/done"),
        (.get, "/v1/grids"),
        (.post, "/v1/grids/{code}/assignments"),
        (.get, "/v1/houses/{project}/{house}"),
        (.get, "/v1/houses/{project}"), // the whole code %2F-encoded in one segment
        (.get, "/screen-pop"),
        (.get, "/screen-pop/login"),
        (.post, "/screen-pop/calls"),
    ]

    /// The methods `path` is answered with (empty: an unknown path).
    static func allowedMethods(for path: String) -> [String] {
        // Empty segments are ignored, as the router ignores them ("/v1/lookup/" is "/v1/lookup").
        let segments = path.split(separator: "/")
        var methods: [String] = []
        for route in routes where matches(route.path, segments) && !methods.contains(route.method.rawValue) {
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
