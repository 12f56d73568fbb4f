import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

@Suite struct MigrationTests {
    /// A migration that has landed on main is never edited (fixes are new files): schema/LANDED
    /// holds the checksum of each, and any edit of one fails here, in CI.
    @Test func landedMigrations_areNeverEdited() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let landed = try String(contentsOf: root.appendingPathComponent("schema/LANDED"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
            .map { $0.split(separator: " ").map(String.init) }
        #expect(landed.count >= 12)
        let migrations = Dictionary(uniqueKeysWithValues: try Migrator.load().migrations.map { ($0.name, $0) })
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
        #expect(error.map { "\($0)" }?.contains("was changed after it was applied") == true)
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
        #expect(throws: PostgresError.self) { try Migrator(migrations: [bad]).migrate(db) }
        #expect(try db.query("SELECT to_regclass('half') IS NULL")[0].decode(0, as: Bool.self))
        #expect(try Migrator(migrations: [bad]).applied(on: db).isEmpty)
    }
}
