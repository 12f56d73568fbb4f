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
              projects      code,name
              staff         employee_no,name,phone,role[,project]
              houses        project,building,unit,room,floor,area_m2,occupancy,move_in_date,holiday_home
              residents     project,building,unit,room,name,phone,role,move_in_date,tags
              grids         grid,project,name,phone,building,unit,butler,from   (one row per building or unit)
              entrustments  project,building,unit,room,kind,from,to,keys
              touchpoints   project,building,unit,room,kind,by,at,note
              inspections   project,building,unit,room,kind,by,at,finding   (findings separated by ;)
            Example: butler import houses houses.csv
            """
    )

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
        print("\(report.file): \(report.rows) \(kind == .grids ? "grids" : "rows") (\(report.encoding)): \(report.inserted) inserted, \(report.updated) updated, \(report.unchanged) unchanged")
    }
}
