import ButlerCore
import ButlerStore
import Foundation
import Hummingbird

/// The console's /me/repairs: the technician's repair orders (sign, contact, delay, complete) (issue 16).
struct ConsoleRepairs: Sendable {
    let pool: DatabasePool
    var session = ConsoleSession()
    /// The server's clock, read once per request.
    var now: @Sendable () -> Date = { Date() }

    func register(on router: Router<BasicRequestContext>, routes: RouteTable) {}
}
