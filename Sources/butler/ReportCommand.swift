import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "项目经理的月度报表：按网格和管家统计。",
        discussion: "示例：butler report --project YS01 --month 2026-11 --csv > 2026-11.csv")
    @Option(help: "项目代码。") var project: String
    @Option(help: ArgumentHelp("月份。", valueName: "YYYY-MM")) var month: YearMonth
    @Flag(help: "输出 Excel 可直接打开的 CSV（UTF-8 带 BOM）。") var csv = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = try withDatabase { db in try MonthlyReportStore(db: db).report(project: project, month: month) }
        if output.json { return try printJSON(report) }
        if csv {
            FileHandle.standardOutput.write(Data(MonthlyReportCSV.text(report).utf8))
            return
        }
        print("\(report.project) \(report.month) 月度报表")
        guard !report.isEmpty else {
            print(report.rows.isEmpty ? "该项目还没有网格，没有可统计的内容。"
                  : "本月没有到期的任务，也没有走访、意见征询、订单或投诉记录。")
            return printArrears(report.arrears)
        }
        var table = TextTable(MonthlyReportCSV.header)
        report.rows.forEach { table.append(MonthlyReportCSV.cells($0)) }
        print(table.render())
        print("说明：完成率 = 按时 ÷ 应完成；回访及时率 = 按时回访 ÷ 应回访（订单回访、投诉回访、查验报告）；—：本月没有到期的项目。")
        printArrears(report.arrears)
    }
}
