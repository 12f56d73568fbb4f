@testable import ButlerStore
import Foundation
import Testing

/// 13 #5: the report CSV is written by CSV.swift (quoting) and a cell a spreadsheet would run
/// as a formula is made text.
@Suite struct MonthlyReportCSVTests {
    func report(grid: String, butlerName: String) -> MonthlyReport {
        var row = ReportRow(grid: grid, butler: "E1001", butler_name: butlerName)
        row.tasks_due = 4
        row.done_on_time = 3
        row.completion_rate = 0.75
        row.revenue_fen = 12_305
        return MonthlyReport(project: "YS01", month: "2026-11", rows: [row])
    }

    @Test func formulaCells_getALeadingQuote() {
        #expect(MonthlyReportCSV.safeCell("=1+2") == "'=1+2")
        #expect(MonthlyReportCSV.safeCell("+86") == "'+86")
        #expect(MonthlyReportCSV.safeCell("-1") == "'-1")
        #expect(MonthlyReportCSV.safeCell("@SUM(A1)") == "'@SUM(A1)")
        #expect(MonthlyReportCSV.safeCell("王管家") == "王管家")
        let text = MonthlyReportCSV.text(report(grid: "=1+2", butlerName: "王"))
        #expect(text.contains("\r\n'=1+2,E1001 王,4,3,0,0,75.0%,"))
    }

    @Test func commaAndQuote_areQuoted_withBOMAndCRLF() {
        let text = MonthlyReportCSV.text(report(grid: "G1", butlerName: "王 \"大\", 管家"))
        #expect(text.hasPrefix("\u{FEFF}网格,管家,应完成,"))
        let lines = text.dropFirst().components(separatedBy: "\r\n")
        #expect(lines.count == 3 && lines[2].isEmpty, "header, one row, and a final line end")
        #expect(lines[1] == "G1,\"E1001 王 \"\"大\"\", 管家\",4,3,0,0,75.0%,0/7,0/7,0,123.05,0,0,0,0,—")
    }
}
