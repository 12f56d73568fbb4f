import CSV
import Foundation

/// The company ranking as a table and a CSV file for Excel (UTF-8 with a BOM, CRLF, formula
/// cells made text: as ``MonthlyReportCSV``).
public enum CompanyReportCSV {
    /// The score ranks repair work (000); fee collection (002 #21) stands beside it, unweighted.
    public static let header = ["排名", "项目", "名称", "得分", "标记"] + RepairFiguresCSV.header + ArrearsReportCSV.header

    public static func text(_ report: CompanyReport) -> String {
        let stream = OutputStream(toMemory: ())
        stream.open()
        defer { stream.close() }
        // Writing to memory cannot fail; a writer error would only come from a full stream.
        guard let writer = try? CSVWriter(stream: stream, newline: .crlf) else { return "" }
        do {
            try writer.write(row: header.map(MonthlyReportCSV.safeCell))
            for row in report.rows { try writer.write(row: cells(row).map(MonthlyReportCSV.safeCell)) }
        } catch {
            return ""
        }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        // CSV.swift ends a row only when the next begins: the last line end is ours.
        return "\u{FEFF}" + String(decoding: data, as: UTF8.self) + "\r\n"
    }

    /// One project as people read it; an unranked project (no order) has `—` for rank and score.
    public static func cells(_ row: CompanyReportRow) -> [String] {
        [row.rank.map(String.init) ?? "—", row.project, row.name, row.score.map { String(format: "%.2f", $0) } ?? "—",
         row.mark?.label ?? ""] + RepairFiguresCSV.cells(row.repairs) + ArrearsReportCSV.cells(row.arrears)
    }
}
