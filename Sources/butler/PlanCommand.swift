import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "为所有网格生成某一天的任务；可安全重复运行。",
        discussion: "示例：butler plan --date 2026-12-01")
    @Option(help: ArgumentHelp("日期（默认为上海时间的今天）。", valueName: "YYYY-MM-DD")) var date: Day?
    @OptionGroup var output: OutputOptions
    func run() throws {
        let report = try withDatabase(unlimitedStatements: true) { db in try Planner(db: db).plan(date: date ?? Day.today()) }
        if output.json { return try printJSON(report) }
        print("\(report.date) 已生成计划：新建任务 \(report.created) 项，已有记录完成 \(report.completed) 项")
        var table = TextTable(["标准", "新建"])
        for (code, n) in report.byStandard.sorted(by: { $0.key < $1.key }) { table.append([code, String(n)]) }
        if !report.byStandard.isEmpty { print(table.render()) }
    }
}
