import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "月度报表：项目经理按网格和管家统计，或全公司项目考核排名。",
        discussion: """
            按项目：每个网格和管家的任务、走访、订单、投诉，以及项目的报修考核数据（签收、联系、办结、回访及时率，\
            满意率，一次合格率，户均报修，每千户有效投诉）。
            全公司（--company）：所有项目按加权得分排名（权重默认过程 60%、结果 40%），标出前五名和后三名；\
            本月没有报修单的项目不参与排名，列在最后。
            示例：butler report --project YS01 --month 2026-11 --csv > 2026-11.csv
            示例：butler report --company --month 2026-11
            """)
    @Option(help: "项目代码（与 --company 二选一）。") var project: String?
    @Flag(help: "全公司所有项目的考核排名。") var company = false
    @Option(help: ArgumentHelp("月份。", valueName: "YYYY-MM")) var month: YearMonth
    @Flag(help: "输出 Excel 可直接打开的 CSV（UTF-8 带 BOM）。") var csv = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if company, project != nil {
            throw ValidationError(ButlerError(.invalidInput, field: "company", "全公司排名包括所有项目，不能再指定项目").cliMessage)
        }
        if !company, project == nil {
            throw ValidationError(ButlerError(.invalidInput, field: "project", "请指定项目代码（或查看全公司排名）").cliMessage)
        }
    }

    func run() throws {
        guard let project else { return try runCompany() }
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
        if report.rows.allSatisfy(\.isEmpty) {
            print(report.rows.isEmpty ? "该项目还没有网格。" : "本月网格没有到期的任务，也没有走访、意见征询、订单或投诉记录。")
        } else {
            var table = TextTable(MonthlyReportCSV.header)
            report.rows.forEach { table.append(MonthlyReportCSV.cells($0)) }
            print(table.render())
            print("说明：完成率 = 按时 ÷ 应完成；回访及时率 = 按时回访 ÷ 应回访（订单回访、投诉回访、查验报告）；—：本月没有到期的项目。")
        }
        // The repair section (本月报修), when the month had orders.
        if let repairs = report.repairs, repairs.orders > 0 {
            print("\n本月报修")
            var table = TextTable(RepairFiguresCSV.header)
            table.append(RepairFiguresCSV.cells(repairs))
            print(table.render())
            print(RepairFiguresCSV.note(target: repairs.satisfaction_target))
        }
        printArrears(report.arrears)
    }

    private func runCompany() throws {
        let report = try withDatabase { db in try CompanyReportStore(db: db).report(month: month, now: Date()) }
        if output.json { return try printJSON(report) }
        if csv {
            FileHandle.standardOutput.write(Data(CompanyReportCSV.text(report).utf8))
            return
        }
        print("全公司 \(report.month) 项目考核排名")
        guard !report.isEmpty else {
            print(report.rows.isEmpty ? "还没有项目。" : "本月没有报修单，没有可排名的项目。")
            return
        }
        var table = TextTable(CompanyReportCSV.header)
        report.rows.forEach { table.append(CompanyReportCSV.cells($0)) }
        print(table.render())
        let weights = AssessmentComponent.allCases.map { "\($0.label) \(report.weights[$0.rawValue] ?? 0)" }.joined(separator: "、")
        print("说明：得分 = 各项得分（及时率、满意率、合格率按百分数；有效投诉不超过每千户 0.25 件为 100）按权重（\(weights)）加权平均，"
              + "没有可计数据的项不计；前五、后三：前五名和倒数三名；本月没有报修单的项目不排名（—），列在最后。")
    }
}
