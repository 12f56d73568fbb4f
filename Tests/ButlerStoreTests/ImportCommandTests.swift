import ButlerStore
import Foundation
import Testing

/// 13 #24: `butler import --help` lists each kind's columns from `ImportKind.columns`.
extension CLITests {
    @Test func importHelp_listsTheColumnsOfEveryKind_fromImportKind() throws {
        let help = try butler("import", "--help")
        #expect(help.status == 0)
        // Help wraps long lines: compare with every run of spaces and line ends as one space.
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for kind in ImportKind.allCases {
            let required = kind.columns.filter { !kind.optionalColumns.contains($0) }.joined(separator: ",")
            let listed = required + kind.optionalColumns.map { "[,\($0)]" }.joined()
            #expect(text.contains(" \(kind.rawValue) \(listed)"), "\(kind): \(listed)")
        }
    }
}
