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
            discussion: """
                The file is for one year: a holiday-cn file's "year" field, or the year most of a CSV's days \
                fall in. That year's schedule is replaced; the file must list its January 1 (元旦) as a day off. \
                Days it lists in the year before or after (a New Year run starting on December 31) are added to \
                that year where it has no entry for the day, and must agree (off or work) where it has one; a \
                disagreement is refused, naming the date, and nothing is written. Importing years in any order \
                gives the same calendar. Example: butler calendar import 2027.json
                """)
        @Argument(help: "The file.") var file: String
        func run() throws {
            let year = try withDatabase(unlimitedStatements: true) { db in try CalendarStore(db: db).importFile(path: file, now: Date()) }
            print("已导入 \(year) 年官方安排")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a year's holidays (every one with a day in the year) and adjusted working days.",
            discussion: "Example: butler calendar show 2026")
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
                printError("注意：\(year) 年没有官方安排，以下按法定节假日推算，不含调休（用 butler calendar import 导入）")
            }
            let days = (1...12).compactMap { YearMonth(year: year, month: $0) }.reduce(0) { $0 + calendar.workingDays(in: $1).count }
            let shown = Shown(year: year, official: official, holidays: calendar.holidays(in: year),
                              adjusted_working_days: calendar.adjustedWorkingDays(in: year), working_days: days)
            if output.json { return try printJSON(shown) }
            print(Self.render(shown))
        }

        /// The human text: the holidays table, the adjusted working days and the working-day count.
        static func render(_ shown: Shown) -> String {
            var table = TextTable(["节假日", "自", "至", "天数"])
            for h in shown.holidays { table.append([h.name, h.first.description, h.last.description, String(h.days.count)]) }
            let adjusted = shown.adjusted_working_days.isEmpty ? "无" : shown.adjusted_working_days.map(\.description).joined(separator: " ")
            let basis = shown.official ? "" : "（未导入官方安排，按法定节假日推算）"
            return [table.render(), "调休上班：" + adjusted, "\(shown.year) 年工作日：\(shown.working_days) 天" + basis].joined(separator: "\n")
        }
    }
}
