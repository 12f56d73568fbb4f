import ArgumentParser
import ButlerStore
import Foundation

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "执行和查看数据库迁移；为服务端角色授予权限。",
        subcommands: [Migrate.self, Status.self, Grant.self]
    )

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "按顺序执行 schema/*.sql；重复运行不会做任何改动。",
            discussion: "已应用的迁移文件如被修改过，则拒绝执行。\n示例：butler db migrate"
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
            abstract: "只给数据库角色授予 `butler serve` 所需的权限（schema/0010）。",
            discussion: """
                `db migrate` 会为已存在的 butler_web 角色自动授权；
                之后新建的或名称不同的角色用本命令授权，
                然后在 BUTLER_DATABASE_URL 中以该角色运行服务。
                示例：butler db grant butler_web
                """
        )
        @Argument(help: "已存在的登录角色（由超级用户用 CREATE ROLE … LOGIN 创建）。") var role: String

        func run() throws {
            try withDatabase { db in try ServerRole(db: db).grant(to: role) }
            print("已授予 \(role) 服务所需的权限")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "列出已应用和待应用的迁移。",
            discussion: "示例：butler db status --json"
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
            print(pending == 0 ? "已是最新" : "有 \(pending) 个迁移待应用：请运行 `butler db migrate`")
        }
    }
}
