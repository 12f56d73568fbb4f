import Foundation

/// The company ranking as a table and a CSV file for Excel (UTF-8 with a BOM, CRLF, formula
/// cells made text: ``SpreadsheetCSV``).
public enum CompanyReportCSV {
    /// The score ranks repair work (000); fee collection (002 #21) stands beside it, unweighted.
    public static let header = ["排名", "项目", "名称", "得分", "标记"] + RepairFiguresCSV.header + ArrearsReportCSV.header

    public static func text(_ report: CompanyReport) -> String {
        SpreadsheetCSV.text([header] + report.rows.map(cells))
    }

    /// One project as people read it; an unranked project (no order) has `—` for rank and score.
    public static func cells(_ row: CompanyReportRow) -> [String] {
        [row.rank.map(String.init) ?? "—", row.project, row.name, row.score.map { String(format: "%.2f", $0) } ?? "—",
         row.mark?.label ?? ""] + RepairFiguresCSV.cells(row.repairs) + ArrearsReportCSV.cells(row.arrears)
    }
}
