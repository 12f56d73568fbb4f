import ButlerCore
import ButlerStore
import Foundation

/// The monthly report's fee-collection table (ReportCommand): per grid, then the project.
func printArrears(_ report: ArrearsReport?) {
    guard let report, !report.isEmpty else { return }
    print("\n物业费收缴（目标收缴率 ≥ \(Int(report.target * 100))%）")
    var table = TextTable(["网格"] + ArrearsReportCSV.header)
    for row in report.grids + [report.project] {
        table.append([row.grid ?? "全项目"] + ArrearsReportCSV.cells(row))
    }
    print(table.render())
    print(ArrearsReportCSV.note(target: report.target))
}
