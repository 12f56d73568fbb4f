import ButlerStore
import Foundation
import HTTPTypes
import Hummingbird
import Testing
@testable import ButlerServer

/// `/openapi.json` and the router say the same thing (issue 13 #22): every API route the
/// application registers is documented with its method, path, path and query parameters and
/// status codes (its `RouteContract`), and the document describes nothing the router lacks.
@Suite struct OpenAPIContractTests {
    /// The routes exactly as `buildApplication` registers them (no database is reached).
    static func registeredRoutes() async throws -> [RouteTable.Route] {
        let pool = DatabasePool(config: DatabaseConfig(url: "postgresql://127.0.0.1:1/unused"), size: 1)
        let routes = RouteTable()
        registerRoutes(on: Router(context: BasicRequestContext.self), routes: routes, pool: pool, secureCookies: false)
        try await pool.shutdown()
        return routes.registered
    }

    /// The document's operations: "GET /v1/grids" → the operation object (path-level parameters folded in).
    static func documentedOperations() throws -> [String: [String: Any]] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operations: [String: [String: Any]] = [:]
        for (path, item) in paths {
            let shared = item["parameters"] as? [[String: Any]] ?? []
            for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
                guard var operation = item[method] as? [String: Any] else { continue }
                operation["parameters"] = shared + (operation["parameters"] as? [[String: Any]] ?? [])
                operations["\(method.uppercased()) \(path)"] = operation
            }
        }
        return operations
    }

    static func key(_ route: RouteTable.Route) -> String { "\(route.method.rawValue) \(route.path)" }

    @Test func everyAPIRoute_isDocumented_andEveryDocumentedOperationIsARoute() async throws {
        let routes = try await Self.registeredRoutes()
        let documented = try Self.documentedOperations()
        // A /v1 route must state its contract: an API route cannot be added undocumented.
        for route in routes where route.path.hasPrefix("/v1/") {
            #expect(route.contract != nil, "\(Self.key(route)) is registered without a RouteContract")
        }
        let described = Set(routes.filter { $0.contract != nil }.map(Self.key))
        #expect(described.count > 5)
        for missing in described.subtracting(documented.keys).sorted() {
            Issue.record("\(missing) is a route but not in /openapi.json")
        }
        for extra in Set(documented.keys).subtracting(described).sorted() {
            Issue.record("\(extra) is in /openapi.json but no route answers it")
        }
    }

    @Test func parametersAndStatuses_matchTheRoutes() async throws {
        let documented = try Self.documentedOperations()
        for route in try await Self.registeredRoutes() {
            guard let contract = route.contract, let operation = documented[Self.key(route)] else { continue }
            let parameters = operation["parameters"] as? [[String: Any]] ?? []
            func names(in place: String) -> [String] {
                parameters.filter { $0["in"] as? String == place }.compactMap { $0["name"] as? String }.sorted()
            }
            let pathNames = route.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }.sorted()
            #expect(names(in: "path") == pathNames, "\(Self.key(route)): path parameters")
            #expect(parameters.filter { $0["in"] as? String == "path" }.allSatisfy { $0["required"] as? Bool == true },
                    "\(Self.key(route)): a path parameter is always required")
            #expect(names(in: "query") == contract.query.sorted(), "\(Self.key(route)): query parameters")
            let responses = operation["responses"] as? [String: Any] ?? [:]
            #expect(responses.keys.compactMap { Int($0) }.sorted() == contract.statuses.sorted(), "\(Self.key(route)): status codes")
        }
    }
}
