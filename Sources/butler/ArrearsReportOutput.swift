import ButlerCore
import ButlerStore
import Foundation

/// The monthly report's fee-collection table (ReportCommand): per grid, then the project.
func printArrears(_ report: ArrearsReport?) {
    guard let report, !report.isEmpty else { return }
    print("\n物业费收缴（目标收缴率 ≥ \(Int(report.target * 100))%）")
    var table = TextTable(["网格", "应收(元)", "实收(元)", "收缴率", "欠费户", "催缴次数", "上报户"])
    for row in report.grids + [report.project] {
        let rate = row.collection_rate.map { String(format: "%.1f%%", $0 * 100) + (row.below_target ? " ▼未达标" : "") } ?? "—"
        table.append([row.grid ?? "全项目", Fen.yuan(row.due_fen), Fen.yuan(row.paid_fen), rate, String(row.houses_in_arrears),
                      String(row.attempts), String(row.escalations)])
    }
    print(table.render())
    print("说明：收缴率 = 截至本月各期实收 ÷ 应收（按收费系统最新快照）；欠费户：本月以前的月份未缴清；▼未达标：低于 \(Int(report.target * 100))%。")
}
