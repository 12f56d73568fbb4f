import Foundation
import Postgres

/// Where the database is, read from the environment.
public struct DatabaseConfig: Sendable {
    /// The private cluster that `ops/db start` runs.
    public static let defaultURL = "postgresql://butler@127.0.0.1:54329/butler"

    public var url: String
    /// Extra libpq keywords, e.g. `options` to set a test schema's search path.
    public var settings: [String: String]

    public init(url: String = DatabaseConfig.defaultURL, settings: [String: String] = [:]) {
        self.url = url
        self.settings = settings
    }

    /// `BUTLER_DATABASE_URL`, or the private cluster's default.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseConfig {
        let url = environment["BUTLER_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultURL
        return DatabaseConfig(url: url)
    }

    /// Opens a connection with the session settings every butler connection uses.
    public func connect() throws(PostgresError) -> Connection {
        var settings = self.settings
        // Business dates are Asia/Shanghai: `now()::date` and timestamptz output follow it.
        let options = "-c TimeZone=Asia/Shanghai -c DateStyle=ISO"
        settings["options"] = settings["options"].map { options + " " + $0 } ?? options
        return try Connection(url, settings: settings)
    }
}
