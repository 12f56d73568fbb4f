import ButlerCore
import ButlerStore
import Foundation
import Hummingbird

/// The console's /project/report: the manager's month as a table and inline SVG charts, with the CSV (issue 16).
struct ConsoleMonth: Sendable {
    let pool: DatabasePool
    var session = ConsoleSession()
    /// The server's clock, read once per request.
    var now: @Sendable () -> Date = { Date() }

    func register(on router: Router<BasicRequestContext>, routes: RouteTable) {}
}
