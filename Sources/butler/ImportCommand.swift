import ArgumentParser
import ButlerStore
import Foundation

extension ImportKind: ExpressibleByArgument {}
extension FileEncoding: ExpressibleByArgument {}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load projects, staff, houses, residents, grids, entrustments, touchpoints or inspections from CSV.",
        discussion: """
            Files: UTF-8 (with or without BOM) or GB18030, header on line 1. Every row is checked \
            first; on any error nothing is imported and every problem is printed as \
            FILE:LINE: column: message. Re-importing a file changes nothing (upsert by natural key).
            Columns:
            \(columnList)
            Example: butler import houses houses.csv
            """
    )

    /// One line per kind, from `ImportKind.columns` (optional columns in brackets).
    static var columnList: String {
        let notes: [ImportKind: String] = [.grids: "(one row per building or unit)", .inspections: "(findings separated by ;)"]
        let width = ImportKind.allCases.map(\.rawValue.count).max() ?? 0
        return ImportKind.allCases.map { kind in
            let required = kind.columns.filter { !kind.optionalColumns.contains($0) }.joined(separator: ",")
            let optional = kind.optionalColumns.map { "[,\($0)]" }.joined()
            let name = kind.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            return ["  \(name)  \(required)\(optional)", notes[kind]].compactMap { $0 }.joined(separator: "   ")
        }.joined(separator: "\n")
    }

    @Argument(help: "What the file holds: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: ImportKind

    @Argument(help: "The CSV file.")
    var file: String

    @Option(help: "Force the file's encoding (utf8 or gb18030) instead of detecting it.")
    var encoding: FileEncoding?

    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = try withDatabase(unlimitedStatements: true) { db in
            let table = try CSVTable.read(path: file, encoding: encoding)
            return try Importer(db: db, progress: printError).run(kind, table: table)
        }
        if output.json { return try printJSON(report) }
        let unit = kind == .grids ? "个网格" : "行"
        print("\(report.file)：\(report.rows) \(unit)（\(report.encoding)）：新增 \(report.inserted)，更新 \(report.updated)，未变 \(report.unchanged)")
    }
}
