import ButlerCore
import Foundation

/// The monthly report as a CSV file for Excel (``SpreadsheetCSV``), and its cells as people read
/// them (the table shows the same).
public enum MonthlyReportCSV {
    public static let header = ["网格", "管家", "应完成", "按时", "逾期完成", "当前逾期", "完成率", "走访", "意见征询", "订单", "收入(元)",
                                "一级投诉", "二级投诉", "三级投诉", "未结投诉", "回访及时率"]

    public static func text(_ report: MonthlyReport) -> String {
        var rows = [header] + report.rows.map(cells)
        // The repair section: a blank line, then its own header and the project's row.
        if let repairs = report.repairs {
            rows += [[""], ["报修"] + RepairFiguresCSV.header, [report.project] + RepairFiguresCSV.cells(repairs)]
        }
        // Fee collection (002 #21): a blank line, its header, each grid, then the project.
        if let arrears = report.arrears, !arrears.isEmpty {
            rows += [[""], ["物业费收缴"] + ArrearsReportCSV.header]
            rows += (arrears.grids + [arrears.project]).map { [$0.grid ?? report.project] + ArrearsReportCSV.cells($0) }
        }
        return SpreadsheetCSV.text(rows)
    }

    /// One row as people read it: the table and the CSV show the same cells.
    public static func cells(_ r: ReportRow) -> [String] {
        [r.grid, r.butler.map { "\($0) \(r.butler_name ?? "")" } ?? "未分配", String(r.tasks_due), String(r.done_on_time),
         String(r.done_late), String(r.overdue_now), rate(r.completion_rate), "\(r.visits)/\(r.quota)",
         "\(r.opinions)/\(r.quota)", String(r.orders), Fen.yuan(r.revenue_fen), String(r.complaints_level1),
         String(r.complaints_level2), String(r.complaints_level3), String(r.complaints_open),
         rate(r.followup_rate)]
    }

    /// OWASP's CSV injection advice: a cell starting with `=`, `+`, `-`, `@` (or a tab or
    /// carriage return, which Excel skips before one) gets a leading `'`, so it stays text.
    public static func safeCell(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }

    /// A rate with nothing to measure is no rate at all (not 100 %).
    private static func rate(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
    }
}
