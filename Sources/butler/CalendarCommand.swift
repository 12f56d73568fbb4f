import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "国家法定工作日历：节假日与调休上班日。",
        subcommands: [Import.self, Show.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入官方安排（CSV：date,kind,holiday，可含多个整年；或 holiday-cn 的 JSON）。",
            discussion: """
                文件的年份：holiday-cn 文件看其 "year" 字段，CSV 看列出了哪些年的 1 月 1 日（元旦，须列为休息日）。\
                这些年的安排整体替换，以该年自己的文件为准。文件中属于上一年 12 月或下一年 1 月的日期\
                （例如从 12 月 31 日开始的元旦假期）借给那一年：那一年自己的安排没有记录的补上，\
                以前借来的按新文件更正；与那一年自己的官方安排不一致则拒绝导入并指出日期，什么都不写入。\
                各年按任意顺序导入，结果相同。
                示例：butler calendar import 2027.json
                """)
        @Argument(help: "文件。") var file: String
        func run() throws {
            let years = try withDatabase(unlimitedStatements: true) { db in try CalendarStore(db: db).importFile(path: file, now: Date()) }
            print("已导入 \(years.map(String.init).joined(separator: "、")) 年官方安排")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "显示某一年的节假日（凡有一天落在该年的都列出）和调休上班日。",
            discussion: "示例：butler calendar show 2026")
        @Argument(help: "年份。") var year: Int
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
