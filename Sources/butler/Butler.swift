import ArgumentParser
import ButlerStore
import Foundation
import Postgres

@main
struct Butler: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The grid butler CRM: registry, daily task lists and call-centre lookup.",
        discussion: """
            Database: BUTLER_DATABASE_URL (a libpq connection string or URI); when unset, \
            the private cluster started by ops/db (\(DatabaseConfig.defaultURL)).
            Dates are YYYY-MM-DD, times ISO 8601 (Asia/Shanghai when no offset is given).
            Exit status: 0 success, 1 bad input, 2 database unreachable or not migrated.
            """,
        subcommands: [
            DatabaseCommand.self, ImportCommand.self, GridCommand.self, EntrustCommand.self,
            LookupCommand.self, AuditCommand.self, CalendarCommand.self, StandardsCommand.self,
            PlanCommand.self, JobsCommand.self, TasksCommand.self, TouchCommand.self, CorrectCommand.self, InspectCommand.self, PatrolCommand.self,
            TaskCommand.self, OrderCommand.self, RepairCommand.self, ComplaintCommand.self, AlertCommand.self, HolidayCommand.self,
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
                if fullMessage(for: error).contains("<YYYY-MM") {
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
        printError("butler: 数据库配置无效（\(error.message)）。请检查环境变量 BUTLER_DATABASE_URL、BUTLER_CONNECT_TIMEOUT、BUTLER_STATEMENT_TIMEOUT。")
        throw ExitCode(1)
    } catch let error as PostgresError where error.kind == .connection {
        printError("""
            butler: cannot reach the database: \(error.message)
            Start the private cluster with `ops/db start`, or set BUTLER_DATABASE_URL.
            """)
        throw ExitCode(2)
    } catch let error as PostgresError where error.isUndefinedTable || error.sqlState == "42703" || error.sqlState == "42883" {
        printError("butler: the database is not migrated (\(error.message)): run `butler db migrate`")
        throw ExitCode(2)
    } catch let error as MigrationError {
        printError("butler: \(error)")
        throw ExitCode(2)
    }
}

/// `--json` for commands that can print one JSON document.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON document on stdout (snake_case keys).")
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
