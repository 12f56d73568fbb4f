import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks", abstract: "A butler's daily task list, as planned (reading it writes nothing).",
        discussion: """
            Overdue first, then priority, due and house. Days are planned by the daily job (butler jobs run, \
            or butler serve) or by butler plan --date D. A past day that was not planned shows what exists; \
            a future day (up to \(DailyList.previewDays) days ahead) adds a preview of what planning would \
            create ("preview": true in --json).
            Example: butler tasks --butler E1001 --date 2026-11-26 --json
            """)
    @Option(help: "Employee number of the butler.") var butler: String
    @Option(help: "The day (default: today).") var date: Day?
    @OptionGroup var output: OutputOptions
    func run() throws {
        let list = try withDatabase { db in try DailyListStore(db: db).list(butler: butler, on: date ?? Day.today()) }
        if output.json { return try printJSON(list.tasks) }
        print("\(list.name)（\(list.butler)）\(list.date) 待办")
        if list.tasks.contains(where: \.preview) {
            print("注：标 * 的任务为预览（该日尚未生成计划，按标准推算，未保存）")
        } else if !list.planned {
            print("注：该日未生成计划，仅显示已有任务（补生成：butler plan --date \(list.date)）")
        }
        var table = TextTable(["#", "状态", "任务", "房屋", "截止", "说明"])
        let labels = ["overdue": "逾期", "open": "待办", "done": "已完成"]
        for t in list.tasks {
            table.append([t.preview ? "*" : t.id, labels[t.status] ?? t.status, t.title, t.house ?? t.grid ?? "—",
                          String(t.due.prefix(16)).replacingOccurrences(of: "T", with: " "), t.reason])
        }
        print(table.render())
        let counts = Dictionary(grouping: list.tasks, by: \.standard).map { "\($0.key) \($0.value.count)" }.sorted()
        let overdue = list.tasks.filter { $0.status == "overdue" }.count
        print("\(list.tasks.count) tasks, \(overdue) overdue: \(counts.joined(separator: ", "))")
    }
}
