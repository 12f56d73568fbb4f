import ButlerStore
import Foundation
@_spi(RawSQL) import Postgres

/// A private schema in the test database (`BUTLER_DATABASE_URL`, set by `ops/test`),
/// dropped when the value is released. Tests in parallel each get their own.
///
/// There is no skipping: without a reachable database the test fails with a message
/// saying how to run the tests (`ops/test`).
public final class TestSchema: @unchecked Sendable {
    public let name: String
    public let config: DatabaseConfig
    private let admin: Connection

    public init(migrated: Bool = true) throws {
        let base = DatabaseConfig.fromEnvironment()
        try Self.refuseRemote(base.url)
        do {
            admin = try base.connect()
        } catch {
            throw TestDatabaseUnavailable(url: base.url, underlying: error.description)
        }
        name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try admin.query(SQL(unsafeRaw: "CREATE SCHEMA " + SQL.quoteIdentifier(name)))
        var config = base
        config.settings["options"] = "-c search_path=\(name),public"
        self.config = config
        if migrated {
            let db = try config.connect()
            try Migrator.load().migrate(db)
        }
    }

    deinit {
        _ = try? admin.query(SQL(unsafeRaw: "DROP SCHEMA " + SQL.quoteIdentifier(name) + " CASCADE"))
    }

    /// A new connection whose search path is this schema.
    public func connect() throws -> Connection { try config.connect() }

    /// This schema's connection settings for another role (e.g. `butler_web`, which `ops/db start` creates).
    public func config(role: String) -> DatabaseConfig {
        var other = config
        other.settings["user"] = role
        return other
    }

    /// Tests must never touch a database on another machine.
    private static func refuseRemote(_ url: String) throws {
        let local = ["127.0.0.1", "localhost", "host=/", "host=%2F", "@/", "[::1]", "?host=/"]
        let isSocketURI = url.hasPrefix("postgresql:///") || url.hasPrefix("postgres:///")
        guard isSocketURI || local.contains(where: url.contains) else {
            throw TestDatabaseUnavailable(url: url, underlying: "refusing to run tests against a non-local database")
        }
    }
}

public struct TestDatabaseUnavailable: Error, CustomStringConvertible {
    public let url: String
    public let underlying: String

    public init(url: String, underlying: String) {
        self.url = url
        self.underlying = underlying
    }
    public var description: String {
        "test database not reachable at \(url): \(underlying)\nRun the tests with ops/test, which starts PostgreSQL and sets BUTLER_DATABASE_URL."
    }
}
