import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "China's official work calendar: holidays and adjusted working days.",
        subcommands: [Import.self, Show.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a year's official schedule (CSV date,kind,holiday or holiday-cn JSON).",
            discussion: "Replaces the years the file holds. Example: butler calendar import 2027.json")
        @Argument(help: "The file.") var file: String
        func run() throws {
            let years = try withDatabase(unlimitedStatements: true) { db in try CalendarStore(db: db).importFile(path: file) }
            print("loaded \(years.map(String.init).joined(separator: ", "))")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a year's holidays and adjusted working days.", discussion: "Example: butler calendar show 2026")
        @Argument(help: "The year.") var year: Int
        @OptionGroup var output: OutputOptions

        struct Shown: Encodable {
            let year: Int
            let official: Bool
            let holidays: [Holiday]
            let adjusted_working_days: [Day]
            let working_days: Int
        }

        func run() throws {
            let calendar = try withDatabase { db in try CalendarStore(db: db).load() }
            let official = calendar.hasOfficialSchedule(year: year)
            if !official {
                printError("warning: no official schedule for \(year); showing the statutory holidays without adjusted working days (load one with butler calendar import)")
            }
            let days = (1...12).compactMap { YearMonth(year: year, month: $0) }.reduce(0) { $0 + calendar.workingDays(in: $1).count }
            let shown = Shown(year: year, official: official, holidays: calendar.holidays(in: year),
                              adjusted_working_days: calendar.adjustedWorkingDays(in: year), working_days: days)
            if output.json { return try printJSON(shown) }
            var table = TextTable(["节假日", "自", "至", "天数"])
            for h in shown.holidays { table.append([h.name, h.first.description, h.last.description, String(h.days.count)]) }
            print(table.render())
            print("调休上班: " + (shown.adjusted_working_days.isEmpty ? "无" : shown.adjusted_working_days.map(\.description).joined(separator: " ")))
            print("\(year) working days: \(days)\(official ? "" : " (statutory fallback)")")
        }
    }
}
