import Foundation
import Postgres

/// Where the database is and how long to wait for it, read from the environment.
public struct DatabaseConfig: Sendable {
    /// The private cluster that `ops/db start` runs.
    public static let defaultURL = "postgresql://butler@127.0.0.1:54329/butler"
    /// Waiting for the server to answer a connection attempt.
    public static let defaultConnectTimeout = Duration.seconds(10)
    /// The longest one statement of the server or the CLI may run; imports and planning
    /// lift it (``unlimitedStatements``).
    public static let defaultStatementTimeout = Duration.seconds(30)

    public var url: String
    /// Extra libpq keywords, e.g. `options` to set a test schema's search path.
    public var settings: [String: String]
    /// libpq `connect_timeout` (whole seconds; libpq takes at least 2). `nil`: wait as libpq does.
    public var connectTimeout: Duration?
    /// The session's `statement_timeout`. `nil`: no limit.
    public var statementTimeout: Duration?
    /// Where `url` came from, named in errors (`BUTLER_DATABASE_URL`).
    public var origin = "the database URL"
    /// A malformed timeout variable, reported by ``connect()`` (nothing is tried).
    private var problem: String?

    public init(url: String = DatabaseConfig.defaultURL, settings: [String: String] = [:],
                connectTimeout: Duration? = DatabaseConfig.defaultConnectTimeout,
                statementTimeout: Duration? = DatabaseConfig.defaultStatementTimeout) {
        self.url = url
        self.settings = settings
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
    }

    /// `BUTLER_DATABASE_URL` (or the private cluster's default), `BUTLER_CONNECT_TIMEOUT` and
    /// `BUTLER_STATEMENT_TIMEOUT` (seconds, `0` for no limit).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseConfig {
        let url = environment["BUTLER_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultURL
        var config = DatabaseConfig(url: url)
        if environment["BUTLER_DATABASE_URL"]?.isEmpty == false { config.origin = "BUTLER_DATABASE_URL" }
        var problem: String?
        func seconds(_ name: String, _ fallback: Duration?) -> Duration? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return fallback }
            guard let value = Double(text), value.isFinite, value >= 0, value <= 86_400 else {
                problem = problem ?? "\(name): '\(text)' is not a number of seconds (0 to 86400; 0: no limit)"
                return fallback
            }
            return value == 0 ? nil : .milliseconds(Int64((value * 1000).rounded(.up)))
        }
        let connectTimeout = seconds("BUTLER_CONNECT_TIMEOUT", defaultConnectTimeout)
        let statementTimeout = seconds("BUTLER_STATEMENT_TIMEOUT", defaultStatementTimeout)
        config.connectTimeout = connectTimeout
        config.statementTimeout = statementTimeout
        config.problem = problem
        return config
    }

    /// The same database with no statement timeout: imports and planning, which may rightly
    /// run for minutes on a company's data.
    public var unlimitedStatements: DatabaseConfig {
        var config = self
        config.statementTimeout = nil
        return config
    }

    /// Opens a connection with the session settings every butler connection uses.
    /// A malformed URL or timeout is a ``PostgresError/Kind/configuration`` error naming its variable.
    public func connect() throws(PostgresError) -> Connection {
        if let problem { throw PostgresError(kind: .configuration, message: problem) }
        var settings = self.settings
        // Business dates are Asia/Shanghai: `now()::date` and timestamptz output follow it.
        var options = "-c TimeZone=Asia/Shanghai -c DateStyle=ISO"
        if let statementTimeout { options += " -c statement_timeout=" + StatementTimeout.milliseconds(statementTimeout) }
        settings["options"] = settings["options"].map { options + " " + $0 } ?? options
        // A connect_timeout written in the URL itself stays the user's choice.
        if let connectTimeout, settings["connect_timeout"] == nil, !url.contains("connect_timeout") {
            let (seconds, attoseconds) = connectTimeout.components
            settings["connect_timeout"] = String(seconds + (attoseconds > 0 ? 1 : 0))
        }
        do {
            return try Connection(url, settings: settings)
        } catch where error.kind == .configuration {
            throw PostgresError(kind: .configuration, message: "\(origin) is not a libpq connection string or URI: \(error.message)")
        }
    }
}
