import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks", abstract: "管家的每日任务清单，按已生成的计划显示（只读）。",
        discussion: """
            逾期的排在最前，其次按优先级、截止时间和房屋排序。查看不会写入任何数据。
            每天的计划由每日作业（butler jobs run 或 butler serve）生成，
            也可用 butler plan --date D 生成。
            查看未生成计划的过去日期时，只显示已有的任务；
            查看未来日期（最多 \(DailyList.previewDays) 天以后）时，附带生成计划将会创建的任务预览
            （--json 中为 "preview": true）。
            示例：butler tasks --butler E1001 --date 2026-11-26 --json
            """)
    @Option(help: "管家工号。") var butler: String
    @Option(help: ArgumentHelp("日期（默认为今天）。", valueName: "YYYY-MM-DD")) var date: Day?
    @OptionGroup var output: OutputOptions
    func run() throws {
        let (list, standards) = try withDatabase { db in
            (try DailyListStore(db: db).list(butler: butler, on: date ?? Day.today()), try StandardsStore(db: db).book())
        }
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
        guard !list.tasks.isEmpty else { return print("\(list.date) 没有任务。") }
        print(table.render())
        let counts = Dictionary(grouping: list.tasks, by: \.standard).sorted { $0.key < $1.key }.map { code, tasks in
            "\(StandardCode(rawValue: code).flatMap { standards[$0]?.name } ?? code) \(tasks.count)"
        }
        let overdue = list.tasks.filter { $0.status == "overdue" }.count
        print("共 \(list.tasks.count) 项，逾期 \(overdue) 项：\(counts.joined(separator: "、"))")
    }
}
