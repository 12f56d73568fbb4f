import ButlerSchema
import Foundation
@_spi(RawSQL) import Postgres

/// One numbered migration file, e.g. `0002_registry.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

public struct AppliedMigration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let checksum: String
    public let appliedAt: Date
}

public enum MigrationError: Error, CustomStringConvertible {
    case schemaDirectoryNotFound
    case badFileName(String)
    case duplicateVersion(Int, String, String)
    case checksumChanged(version: Int, name: String)
    case appliedButMissing(version: Int, name: String)
    /// One migration failed: it was rolled back, the ones before it stay applied.
    case failed(name: String, applied: [String], underlying: PostgresError)

    public var description: String {
        switch self {
        case .schemaDirectoryNotFound:
            "找不到 butler 的迁移文件（butler_ButlerSchema.resources 目录须与可执行文件放在一起）"
        case .badFileName(let name):
            "\(name)：迁移文件须命名为 NNNN_说明.sql"
        case .duplicateVersion(let version, let a, let b):
            "迁移编号 \(version) 被用了两次（\(a)、\(b)）"
        case .checksumChanged(let version, let name):
            "\(name)：迁移 \(version) 在应用之后被修改过；已应用的迁移不能改：请恢复原文件，另加一个新迁移"
        case .appliedButMissing(let version, let name):
            "数据库已应用迁移 \(version)（\(name)），但这个 butler 没有它（是较旧的版本吗？）"
        case .failed(let name, let applied, let underlying):
            "迁移 \(name) 失败，已回滚：\(underlying)"
                + (applied.isEmpty ? "" : "\n（在它之前已应用并保留：\(applied.joined(separator: "、"))）")
        }
    }
}

/// Applies the numbered migrations in order, each in its own transaction, recorded with a checksum.
/// They ship with the binary (`schema/`, the resource bundle of the ButlerSchema target).
public struct Migrator {
    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The migrations embedded in this build (``embeddedDirectory``), or those of `directory`.
    public static func load(from directory: URL? = nil) throws -> Migrator {
        guard let directory = directory ?? embeddedDirectory else { throw MigrationError.schemaDirectoryNotFound }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        var seen: [Int: String] = [:]
        var migrations: [Migration] = []
        for file in files {
            guard let prefix = file.split(separator: "_").first, prefix.count == 4, let version = Int(prefix) else {
                throw MigrationError.badFileName(file)
            }
            if let other = seen[version] { throw MigrationError.duplicateVersion(version, other, file) }
            seen[version] = file
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: file, sql: sql))
        }
        return Migrator(migrations: migrations)
    }

    /// The migrations in ButlerSchema's resource bundle (next to the executable once installed).
    public static var embeddedDirectory: URL? { ButlerSchema.directory }

    /// What the database has applied, oldest first (empty when never migrated).
    public func applied(on db: Connection) throws -> [AppliedMigration] {
        let exists = try db.query("SELECT to_regclass('schema_migrations') IS NOT NULL")[0].decode(0, as: Bool.self)
        guard exists else { return [] }
        return try db.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version").map {
            AppliedMigration(version: try $0.decode(0), name: try $0.decode(1), checksum: try $0.decode(2), appliedAt: try $0.decode(3))
        }
    }

    /// Migrations whose files are not applied yet.
    public func pending(on db: Connection) throws -> [Migration] {
        let done = Set(try applied(on: db).map(\.version))
        return migrations.filter { !done.contains($0.version) }
    }

    /// Applies every pending migration, each in its own transaction; refuses when an applied
    /// file was edited. A failing migration is rolled back alone: those before it stay applied,
    /// and the error (``MigrationError/failed(name:applied:underlying:)``) names its file.
    /// Returns the migrations it applied (empty when already up to date).
    @discardableResult
    public func migrate(_ db: Connection) throws -> [Migration] {
        try db.runScript("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        // Two processes migrating at once: the second waits, then finds nothing to do. A session
        // lock, since it outlives each migration's transaction.
        try db.execute("SELECT pg_advisory_lock(20261126)")
        defer { _ = try? db.execute("SELECT pg_advisory_unlock(20261126)") }
        try verify(db)
        var done: [Migration] = []
        for migration in try pending(on: db) {
            do {
                try db.transaction {
                    try db.runScript(migration.sql)
                    try db.execute(
                        "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                        [migration.version, migration.name, Self.checksum(migration.sql)])
                }
            } catch let error as PostgresError {
                throw MigrationError.failed(name: migration.name, applied: done.map(\.name), underlying: error)
            }
            done.append(migration)
        }
        // The server roles' privileges are re-applied every time: a role created after the
        // migration that defined them, a new table, or a function a migration re-created (which
        // drops its grants) still ends up with exactly its set. Server roles are butler_web and
        // every other role `butler db grant` gave the registry to (it reads `grids`).
        try db.runScript("""
            DO $$ DECLARE server_role name; BEGIN
                IF to_regprocedure('grant_server_privileges(name)') IS NOT NULL THEN
                    FOR server_role IN
                        SELECT r.rolname FROM pg_roles r
                        WHERE NOT r.rolsuper AND r.rolname <> current_user AND r.rolname NOT LIKE 'pg\\_%'
                          AND (r.rolname = 'butler_web' OR has_table_privilege(r.oid, 'grids', 'SELECT'))
                    LOOP
                        PERFORM grant_server_privileges(server_role);
                    END LOOP;
                END IF;
            END $$
            """)
        return done
    }

    /// Throws when an applied migration's file changed or disappeared.
    public func verify(_ db: Connection) throws {
        let files = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for applied in try applied(on: db) {
            guard let file = files[applied.version] else {
                throw MigrationError.appliedButMissing(version: applied.version, name: applied.name)
            }
            if Self.checksum(file.sql) != applied.checksum {
                throw MigrationError.checksumChanged(version: applied.version, name: file.name)
            }
        }
    }

    /// FNV-1a 64-bit over the file's UTF-8 bytes: detects edits, not tampering.
    public static func checksum(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
