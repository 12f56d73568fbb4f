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

    /// A `"` inside an unquoted field is an ordinary character (CSV.swift's rule): it must not
    /// make the cut land inside a later quoted multi-line field.
    @Test func bigFile_withAStrayQuoteEarly_andAMultilineFieldLate() throws {
        var text = "id,note\n1,5\" pipe\n"
        var lines = [2]
        for i in 2..<60_000 {
            text += i == 45_000 ? "\(i),\"a\nb,c\"\n" : "\(i),备注\(i)\n"
            lines.append(lines[lines.count - 1] + (i == 45_001 ? 2 : 1))
        }
        text += "60000,no line end at the end of the file"
        lines.append(lines[lines.count - 1] + 1)
        let table = try CSVTable.parse(text, fileName: "big.csv")
        #expect(table.records.count == 60_000)
        #expect(table.records.map(\.line) == lines)
        #expect(table.records[0]["note"] == "5\" pipe")
        #expect(table.records[44_999]["note"] == "a\nb,c")
        #expect(table.records.last?["note"] == "no line end at the end of the file")
    }

    /// Spaces typed with a Chinese input method (U+3000) or left by a spreadsheet (U+00A0) are trimmed like ASCII ones.
    @Test func fullWidthAndNoBreakSpaces_areTrimmed() throws {
        let table = try CSVTable.parse("id,note\n\u{3000}7\u{A0},\t备注\u{3000}\n", fileName: "small.csv")
        #expect(table.records.map { [$0["id"], $0["note"]] } == [["7", "备注"]])
    }

    /// A wrong field count is kept on the table (the import reports it with every other problem).
    @Test func bigFile_errorsNameThePhysicalLine() throws {
        var file = bigFile(rows: 60_000).text
        file += "60000,one,too many\n"
        let table = try CSVTable.parse(file, fileName: "big.csv")
        let last = bigFile(rows: 60_000).lines.last ?? 0
        #expect(table.problems.map(\.message) == ["big.csv:\(last + 1): 应有 2 个字段（id,note），实有 3 个"])
        #expect(table.records.count == 60_000)
    }
}
