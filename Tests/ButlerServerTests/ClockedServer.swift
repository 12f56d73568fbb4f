import ButlerServer
import ButlerStore
import ButlerTestSupport
import Hummingbird

/// The server on a test's schema, as the server's role, its clock the test's (read once per
/// request): what every fixed-clock route test runs.
func clockedApp(_ schema: TestSchema, _ clock: TestClock) -> some ApplicationProtocol {
    var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, database: schema.config(role: ServerRole.defaultName), poolSize: 2)
    configuration.now = { clock.now }
    return buildApplication(configuration)
}
