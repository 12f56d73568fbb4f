import ArgumentParser
import ButlerStore
import Foundation

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Apply and inspect schema migrations; grant the server role its privileges.",
        subcommands: [Migrate.self, Status.self, Grant.self]
    )

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply schema/*.sql in order; running it again does nothing.",
            discussion: "Refuses when an applied migration file was edited. Example: butler db migrate"
        )

        func run() throws {
            let migrator = try withDatabase { _ in try Migrator.load() }
            let applied = try withDatabase(unlimitedStatements: true) { db in try migrator.migrate(db) }
            if applied.isEmpty {
                print("数据库已是最新（共 \(migrator.migrations.count) 个迁移）")
            } else {
                for migration in applied { print("已应用 \(migration.name)") }
            }
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a database role exactly what `butler serve` needs (schema/0010), and no more.",
            discussion: """
                `db migrate` does this for the role butler_web when it exists; use this command for a role \
                created later or named differently, then run the server with that role in \
                BUTLER_DATABASE_URL. Example: butler db grant butler_web
                """
        )
        @Argument(help: "An existing login role (created by a superuser: CREATE ROLE … LOGIN).") var role: String

        func run() throws {
            try withDatabase { db in try ServerRole(db: db).grant(to: role) }
            print("已授予 \(role) 服务所需的权限")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List applied and pending migrations.",
            discussion: "Example: butler db status --json"
        )

        @OptionGroup var output: OutputOptions

        struct Entry: Encodable {
            let version: Int
            let name: String
            let applied_at: String?
        }

        func run() throws {
            let entries: [Entry] = try withDatabase { db in
                let migrator = try Migrator.load()
                try migrator.verify(db)
                let applied = Dictionary(uniqueKeysWithValues: try migrator.applied(on: db).map { ($0.version, $0) })
                return migrator.migrations.map { m in
                    Entry(version: m.version, name: m.name, applied_at: applied[m.version].map { Timestamp.rfc3339($0.appliedAt) })
                }
            }
            if output.json { return try printJSON(entries) }
            for entry in entries {
                print("\(entry.applied_at == nil ? "待应用" : "已应用")  \(entry.name)\(entry.applied_at.map { "  \($0)" } ?? "")")
            }
            let pending = entries.filter { $0.applied_at == nil }.count
            print(pending == 0 ? "up to date" : "\(pending) pending: run `butler db migrate`")
        }
    }
}
