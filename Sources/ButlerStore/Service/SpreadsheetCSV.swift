import CSV
import Foundation

/// A CSV file for Excel: UTF-8 with a BOM (Excel otherwise reads it as the local code page),
/// CRLF line ends, quoting by CSV.swift, and cells that a spreadsheet would run as a formula made
/// text (``MonthlyReportCSV/safeCell(_:)``). The monthly report and the company ranking share it.
enum SpreadsheetCSV {
    static func text(_ rows: [[String]]) -> String {
        let stream = OutputStream(toMemory: ())
        stream.open()
        defer { stream.close() }
        // Writing to memory cannot fail; a writer error would only come from a full stream.
        guard let writer = try? CSVWriter(stream: stream, newline: .crlf) else { return "" }
        do {
            for row in rows { try writer.write(row: row.map(MonthlyReportCSV.safeCell)) }
        } catch {
            return ""
        }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        // CSV.swift ends a row only when the next begins: the last line end is ours.
        return "\u{FEFF}" + String(decoding: data, as: UTF8.self) + "\r\n"
    }
}
