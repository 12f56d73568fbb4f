import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

@Suite struct MigrationTests {
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
