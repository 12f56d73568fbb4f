import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct PatrolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrol", abstract: "Record a grid patrol; completes the grid's oldest open patrol task.",
        discussion: "Example: butler patrol YS01-G01 --by E1001 --note 消防通道畅通")
    @Argument(help: "Grid code.") var grid: String
    @Option(help: "Employee number.") var by: String
    @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @Option(help: "Problems seen.") var note = ""
    @OptionGroup var output: OutputOptions
    func run() throws {
        let result = try withDatabase { db in try Records(db: db).patrol(grid: grid, by: by, at: at?.date, note: note) }
        try printRecord(result, json: output.json, what: grid, label: "巡查")
    }
}
