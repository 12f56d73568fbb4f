import ButlerCore
import Foundation

/// Fee collection as people read it (002 #21): the monthly report's section (table and CSV) and
/// the company ranking show the same cells; a rate under the target (85 %) is marked 未达标.
public enum ArrearsReportCSV {
    public static let header = ["应收(元)", "实收(元)", "收缴率", "欠费户", "催缴次数", "上报户"]

    public static func cells(_ row: ArrearsReportRow) -> [String] {
        let rate = row.collection_rate.map { String(format: "%.1f%%", $0 * 100) + (row.below_target ? " 未达标" : "") } ?? "—"
        return [Fen.yuan(row.due_fen), Fen.yuan(row.paid_fen), rate, String(row.houses_in_arrears), String(row.attempts),
                String(row.escalations)]
    }

    /// What the columns mean, printed under the table.
    public static func note(target: Double) -> String {
        "说明：收缴率 = 截至本月各期实收 ÷ 应收（按收费系统最新快照）；欠费户：本月以前的月份未缴清；未达标：低于 \(Int(target * 100))%；"
            + "上报户：本月 28 日转交项目负责人的户数。"
    }
}
