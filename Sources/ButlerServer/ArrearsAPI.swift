import ButlerCore
import ButlerStore
import Foundation
import Hummingbird

/// `GET /v1/arrears` (issue 15, 002 #21): the houses in arrears now, as `arrears list --json`.
/// Amounts are for the house's butler and the project's managers only: the scope model refuses
/// the other roles in Swift, and schema 0019's row-level security narrows the rows again.
struct ArrearsAPI: Sendable {
    let pool: DatabasePool
    /// The server's clock, read once per request ("this month", "today's grids").
    let now: @Sendable () -> Date

    func register(on router: Router<BasicRequestContext>, routes: RouteTable) {
        routes.get("/v1/arrears", .api(query: ["project", "grid"], answers: [200, 400, 401, 403, 404, 503]), on: router) { request, _ -> Response in
            let parameters = request.uri.queryParameters
            let houses = try await pool.asActor(token: bearerHeaderToken(request)) { db, principal in
                try ArrearsStore(db: db, now: now()).list(project: parameters["project"].map(String.init),
                                                          grid: parameters["grid"].map(String.init), as: principal)
            }
            return try jsonResponse(houses)
        }
    }
}
