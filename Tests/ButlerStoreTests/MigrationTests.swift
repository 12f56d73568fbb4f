import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

@Suite struct MigrationTests {
    /// A migration that has landed on main is never edited (fixes are new files):
    /// schema/LANDED holds the checksum of each, and any edit of one fails here, in CI.
    @Test func landedMigrations_areNeverEdited() throws {
        let landed = try String(contentsOf: schemaSource.appendingPathComponent("LANDED"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
            .map { $0.split(separator: " ").map(String.init) }
        #expect(landed.count >= 14)
        let migrations = Dictionary(uniqueKeysWithValues: try Migrator.load().migrations.map { ($0.name, $0) })
        // Whatever is on main has landed: a new migration is listed in the commit that adds it
        // (`ops/landed > schema/LANDED`), so an edit after that fails here.
        #expect(Set(landed.map { $0[0] }) == Set(migrations.keys), "every migration on main is in LANDED: run ops/landed")
        for entry in landed {
            let name = entry[0], checksum = entry[1]
            let migration = try #require(migrations[name], "\(name) has landed and may not be removed")
            #expect(Migrator.checksum(migration.sql) == checksum, "\(name) has landed and was edited: fix forward with a new file")
        }
    }

    @Test func migratingTwice_isANoOp() throws {
        let schema = try TestSchema(migrated: false)
        let db = try schema.connect()
        let migrator = try Migrator.load()
        let first = try migrator.migrate(db)
        #expect(first.count == migrator.migrations.count)
        #expect(try migrator.migrate(db).isEmpty)
        #expect(try migrator.pending(on: db).isEmpty)
        #expect(try migrator.applied(on: db).map(\.version) == migrator.migrations.map(\.version))
    }

    @Test func changedChecksum_isRefused() throws {
        let schema = try TestSchema(migrated: false)
        let db = try schema.connect()
        let original = try Migrator.load()
        try original.migrate(db)
        var edited = original.migrations
        edited[0] = Migration(version: edited[0].version, name: edited[0].name, sql: edited[0].sql + "\n-- edited\n")
        let error = #expect(throws: MigrationError.self) { try Migrator(migrations: edited).migrate(db) }
        #expect(error.map { "\($0)" }?.contains("在应用之后被修改过") == true)
    }

    @Test func newMigrationIsAppliedAfterTheOthers() throws {
        let schema = try TestSchema(migrated: false)
        let db = try schema.connect()
        let original = try Migrator.load()
        try original.migrate(db)
        let next = Migration(version: 9999, name: "9999_extra.sql", sql: "CREATE TABLE extra (id int)")
        let applied = try Migrator(migrations: original.migrations + [next]).migrate(db)
        #expect(applied == [next])
    }

    @Test func failingMigration_leavesNothingBehind() throws {
        let schema = try TestSchema(migrated: false)
        let db = try schema.connect()
        let bad = Migration(version: 1, name: "0001_bad.sql", sql: "CREATE TABLE half (id int); SELECT * FROM no_such_table;")
        #expect(throws: MigrationError.self) { try Migrator(migrations: [bad]).migrate(db) }
        #expect(try db.query("SELECT to_regclass('half') IS NULL")[0].decode(0, as: Bool.self))
        #expect(try Migrator(migrations: [bad]).applied(on: db).isEmpty)
    }

    /// Each migration is its own transaction: a failing one is rolled back alone, the ones
    /// before it stay applied, and the error names its file.
    @Test func failingMigration_keepsTheOnesBeforeIt_andNamesItsFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "CREATE TABLE good (id int);\n".write(to: directory.appendingPathComponent("0001_good.sql"), atomically: true, encoding: .utf8)
        try "CREATE TABLE half (id int);\nSELECT * FROM no_such_table;\n"
            .write(to: directory.appendingPathComponent("0002_bad.sql"), atomically: true, encoding: .utf8)
        try "CREATE TABLE later (id int);\n".write(to: directory.appendingPathComponent("0003_later.sql"), atomically: true, encoding: .utf8)
        let schema = try TestSchema(migrated: false)
        let db = try schema.connect()
        let migrator = try Migrator.load(from: directory)
        let error = #expect(throws: MigrationError.self) { try migrator.migrate(db) }
        guard case .failed(let name, let applied, let underlying)? = error else {
            Issue.record("expected .failed, got \(String(describing: error))")
            return
        }
        #expect(name == "0002_bad.sql")
        #expect(applied == ["0001_good.sql"])
        #expect(underlying.isUndefinedTable)
        #expect(error?.description.contains("0002_bad.sql") == true)
        #expect(try migrator.applied(on: db).map(\.name) == ["0001_good.sql"])
        let row = try db.query("SELECT to_regclass('good') IS NOT NULL AND to_regclass('half') IS NULL AND to_regclass('later') IS NULL")[0]
        #expect(try row.decode(0, as: Bool.self))
        // The connection is usable, and a fixed file then applies.
        try "SELECT 1;\n".write(to: directory.appendingPathComponent("0002_bad.sql"), atomically: true, encoding: .utf8)
        #expect(try Migrator.load(from: directory).migrate(db).map(\.name) == ["0002_bad.sql", "0003_later.sql"])
    }

    /// The migrations ship in the binary's resource bundle, not read from the source tree.
    @Test func embeddedMigrations_areTheFilesOfTheSchemaDirectory() throws {
        let embedded = try #require(Migrator.embeddedDirectory)
        #expect(!embedded.standardizedFileURL.path.hasPrefix(schemaSource.standardizedFileURL.path), "\(embedded.path)")
        #expect(embedded.path.contains(".resources") || embedded.path.contains(".bundle"), "\(embedded.path)")
        let files = try FileManager.default.contentsOfDirectory(atPath: schemaSource.path).filter { $0.hasSuffix(".sql") }.sorted()
        let migrations = try Migrator.load().migrations
        #expect(migrations.map(\.name) == files)
        for migration in migrations {
            let source = try String(contentsOf: schemaSource.appendingPathComponent(migration.name), encoding: .utf8)
            #expect(migration.sql == source, "\(migration.name) differs from its source")
        }
    }

    /// An installed butler: the executable and its resource bundle copied elsewhere, run from
    /// another directory, still knows every migration (`db status` on a database never migrated
    /// only reads: everything is pending).
    @Test func anInstalledButler_findsItsMigrations() throws {
        let build = schemaSource.deletingLastPathComponent().appendingPathComponent(".build/debug")
        let fm = FileManager.default
        let install = fm.temporaryDirectory.appendingPathComponent("butler-install-" + UUID().uuidString)
        let elsewhere = fm.temporaryDirectory.appendingPathComponent("butler-cwd-" + UUID().uuidString)
        try fm.createDirectory(at: install, withIntermediateDirectories: true)
        try fm.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: install); try? fm.removeItem(at: elsewhere) }
        try fm.copyItem(at: build.appendingPathComponent("butler"), to: install.appendingPathComponent("butler"))
        try fm.copyItem(at: build.appendingPathComponent("butler_ButlerSchema.resources"),
                        to: install.appendingPathComponent("butler_ButlerSchema.resources"))
        // A marker only the installed bundle holds: the listing proves the bundle next to the
        // binary is read, not the build directory SwiftPM's accessor falls back to.
        let marker = "9999_installed_bundle_marker.sql"
        let schemaDir = try #require(try fm.subpathsOfDirectory(atPath: install.appendingPathComponent("butler_ButlerSchema.resources").path)
            .first { $0.hasSuffix("0001_init.sql") }).dropLast("0001_init.sql".count)
        try "SELECT 1;\n".write(to: install.appendingPathComponent("butler_ButlerSchema.resources").appendingPathComponent(String(schemaDir) + marker),
                                atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = install.appendingPathComponent("butler")
        process.arguments = ["db", "status", "--json"]
        process.currentDirectoryURL = elsewhere
        var environment = ProcessInfo.processInfo.environment
        environment["BUTLER_DATABASE_URL"] = DatabaseConfig.fromEnvironment().url
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
        let names = try fm.contentsOfDirectory(atPath: schemaSource.path).filter { $0.hasSuffix(".sql") }
        for name in names { #expect(stdout.contains(name), "\(name) missing from: \(stdout)") }
        #expect(stdout.contains(marker), "the installed bundle, not the build directory, is read: \(stdout)")
    }
}

/// The migrations' source directory (top-level schema/, the resources of ButlerSchema).
private let schemaSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("schema")
