import ButlerStore
import Foundation
import Testing

/// Files over 1 MiB are parsed in pieces on all cores; records, values and physical line
/// numbers must be exactly those of one sequential read, quoted newlines and CRLF included.
@Suite struct CSVTableTests {
    /// `id,note`: every 997th note is quoted, spans two lines and holds a comma.
    private func bigFile(rows: Int, lineEnd: String = "\n") -> (text: String, lines: [Int], notes: [String]) {
        var text = "id,note" + lineEnd
        var lines: [Int] = [], notes: [String] = []
        var line = 2
        for i in 0..<rows {
            let multiline = i % 997 == 0
            let note = multiline ? "第\(i)行\n第二行, 含逗号 \"引号\"" : "备注\(i)"
            text += "\(i)," + (multiline ? "\"" + note.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : note) + lineEnd
            lines.append(line)
            notes.append(note)
            line += multiline ? 2 : 1
        }
        return (text, lines, notes)
    }

    @Test(arguments: ["\n", "\r\n"])
    func bigFile_hasTheRecordsAndLinesOfASequentialRead(lineEnd: String) throws {
        let file = bigFile(rows: 60_000, lineEnd: lineEnd)
        #expect(file.text.utf8.count > 1 << 20)
        let table = try CSVTable.parse(file.text, fileName: "big.csv")
        #expect(table.records.count == 60_000)
        #expect(table.records.map(\.line) == file.lines)
        #expect(table.records.map { $0["id"] } == (0..<60_000).map(String.init))
        #expect(table.records.map { $0["note"] } == file.notes)
    }

    @Test func bigFile_errorsNameThePhysicalLine() throws {
        var file = bigFile(rows: 60_000).text
        file += "60000,one,too many\n"
        do {
            _ = try CSVTable.parse(file, fileName: "big.csv")
            Issue.record("expected a field-count error")
        } catch {
            let last = bigFile(rows: 60_000).lines.last ?? 0
            #expect(error.messages == ["big.csv:\(last + 1): expected 2 fields (id,note), found 3"])
        }
    }
}
