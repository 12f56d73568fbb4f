import ArgumentParser
import ButlerStore
import Foundation
import Postgres

@main
struct Butler: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "网格管家 CRM：基础档案、管家每日任务清单、客服中心来电查询。",
        discussion: """
            数据库：BUTLER_DATABASE_URL（libpq 连接串或 URI）；未设置时使用 ops/db 启动的私有集群\
            （\(DatabaseConfig.defaultURL)）。
            日期写作 YYYY-MM-DD，时间写作 ISO 8601（不带时区偏移时按上海时间）。
            退出状态：0 成功，1 输入有误，2 数据库无法连接或尚未迁移。
            """,
        subcommands: [
            DatabaseCommand.self, ImportCommand.self, GridCommand.self, EntrustCommand.self,
            LookupCommand.self, AuditCommand.self, CalendarCommand.self, StandardsCommand.self,
            PlanCommand.self, JobsCommand.self, TasksCommand.self, TouchCommand.self, CorrectCommand.self, InspectCommand.self, PatrolCommand.self,
            TaskCommand.self, OrderCommand.self, RepairCommand.self, ArrearsCommand.self, ComplaintCommand.self, AlertCommand.self, HolidayCommand.self,
            ReportCommand.self, TokenCommand.self, ServeCommand.self,
        ]
    )

    /// ArgumentParser exits 64 (EX_USAGE) for a bad argument; the contract says every input
    /// error exits 1, whoever finds it.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                // The parser's own message names the option and its format (`--date <YYYY-MM-DD>`);
                // the reader's language follows.
                // Only when the refused value is a date, time or month (the first line names it).
                if fullMessage(for: error).split(separator: "\n").first?.contains("<YYYY-MM") == true {
                    printError("butler: 参数格式不对：日期写作 YYYY-MM-DD，时间写作 YYYY-MM-DDTHH:MM（上海时间），月份写作 YYYY-MM")
                }
                exit(withError: ExitCode(1))
            }
            exit(withError: error)
        }
    }
}


/// Opens the database and runs `body`, turning failures into the exit codes of the contract:
/// 1 for input the user can fix, 2 when the database is unreachable or not migrated.
/// `unlimitedStatements`: imports, planning and migrations, which may rightly run longer than
/// `BUTLER_STATEMENT_TIMEOUT`.
func withDatabase<T>(unlimitedStatements: Bool = false, _ body: (Connection) throws -> T) throws -> T {
    do {
        let config = DatabaseConfig.fromEnvironment()
        let db = try (unlimitedStatements ? config.unlimitedStatements : config).connect()
        return try body(db)
    } catch let error as ButlerError {
        printError(error.cliMessage)
        throw ExitCode(1)
    } catch let error as PostgresError where error.sqlState?.hasPrefix("22") == true || error.sqlState == "BU409" {
        // Values the database refuses (a NUL, a date out of its range) and records it will not change.
        printError("butler: \(error.message)")
        throw ExitCode(1)
    } catch let error as PostgresError where error.kind == .configuration {
        // A malformed BUTLER_DATABASE_URL or timeout: the user fixes the environment, nothing was tried.
        printError(configurationMessage(error))
        throw ExitCode(1)
    } catch let error as PostgresError where error.kind == .connection {
        printError("""
            butler: 连不上数据库：\(error.message)
            请用 `ops/db start` 启动本地数据库，或设置 BUTLER_DATABASE_URL。
            """)
        throw ExitCode(2)
    } catch let error as PostgresError where error.isUndefinedTable || error.sqlState == "42703" || error.sqlState == "42883" {
        printError("butler: 数据库尚未迁移到最新（\(error.message)）：请先运行 `butler db migrate`")
        throw ExitCode(2)
    } catch let error as PostgresError where error.sqlState == "57014" {
        // A statement over BUTLER_STATEMENT_TIMEOUT (the server canceled it; nothing was kept).
        printError("butler: 数据库语句超时被取消（BUTLER_STATEMENT_TIMEOUT，默认 30 秒），未做任何更改：\(error.message)")
        throw ExitCode(2)
    } catch let error as MigrationError {
        printError("butler: \(error)")
        throw ExitCode(2)
    }
}

/// A malformed BUTLER_DATABASE_URL or timeout: the user fixes the environment, nothing was tried.
func configurationMessage(_ error: PostgresError) -> String {
    "butler: 数据库配置无效（\(error.message)）。请检查环境变量 BUTLER_DATABASE_URL、BUTLER_CONNECT_TIMEOUT、BUTLER_STATEMENT_TIMEOUT。"
}

/// `--json` for commands that can print one JSON document.
struct OutputOptions: ParsableArguments {
    @Flag(help: "在标准输出打印一个 JSON 文档（键名为 snake_case）。")
    var json = false
}

/// Writes `value` as pretty JSON with sorted keys on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

extension ButlerError {
    /// The refusal as the CLI says it: the field as its option (`--from：…`).
    var cliMessage: String {
        let prefix = field.map { "--" + $0.replacingOccurrences(of: "_", with: "-") + "：" } ?? ""
        return messages.map { "butler: " + prefix + $0 }.joined(separator: "\n")
    }
}
