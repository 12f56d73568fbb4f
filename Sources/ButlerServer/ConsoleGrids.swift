import ButlerCore
import ButlerStore
import Foundation
import Hummingbird

/// The console's /project: the manager's grids, their butlers today and the assignment form (issue 16).
struct ConsoleGrids: Sendable {
    let pool: DatabasePool
    var session = ConsoleSession()
    /// The server's clock, read once per request.
    var now: @Sendable () -> Date = { Date() }

    func register(on router: Router<BasicRequestContext>, routes: RouteTable) {}
}
