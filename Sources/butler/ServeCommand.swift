import ArgumentParser
import ButlerServer
import ButlerStore
import Foundation
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP API and the call-centre screen-pop page.",
        discussion: """
            JSON API under /v1 (OpenAPI at /openapi.json), screen-pop at /screen-pop?phone=…, health at /healthz.
            The server also runs the jobs (daily planning at 00:05, the deadline sweep every minute) on a \
            connection of the owner's role: BUTLER_JOBS_DATABASE_URL (when the server itself runs as the \
            owner, its own URL). Without it, run `butler jobs run` from a timer.
            Stops gracefully on SIGTERM/SIGINT. Example: butler serve --port 8080
            """)
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port.") var port = 8080
    @Option(help: "Worker threads and database connections.") var pool = 8

    func run() async throws {
        var logger = Logger(label: "butler.server")
        logger.logLevel = .info
        // Least privilege: say so when the server could alter the schema (README, "Database roles").
        let asOwner = (try? ServerRole(db: DatabaseConfig.fromEnvironment().connect()).connectedAsOwner()) == true
        if asOwner {
            logger.warning("connected as the schema owner; run butler serve as the server role (butler db grant butler_web, then user=butler_web in BUTLER_DATABASE_URL)")
        }
        let environment = ProcessInfo.processInfo.environment
        // Planning a day may run longer than a request's statement timeout.
        let jobs = (environment["BUTLER_JOBS_DATABASE_URL"].flatMap { $0.isEmpty ? nil : DatabaseConfig(url: $0) }
            ?? (asOwner ? DatabaseConfig.fromEnvironment() : nil))?.unlimitedStatements
        if jobs == nil {
            logger.warning("this server runs no jobs: set BUTLER_JOBS_DATABASE_URL (the owner's URL), or run `butler jobs run` every minute from a timer")
        }
        let app = buildApplication(
            ServerConfiguration(host: host, port: port, database: DatabaseConfig.fromEnvironment(), poolSize: pool, jobsDatabase: jobs),
            logger: logger)
        try await app.runService()
    }
}
