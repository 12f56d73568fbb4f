import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

func printRecord(_ result: RecordResult, json: Bool, what: String) throws {
    if json { return try printJSON(result) }
    print(result.id)
    if !result.completedTasks.isEmpty { printError("completed task(s) \(result.completedTasks.map(String.init).joined(separator: ", "))") }
    if result.outsideOwnGrids { printError("note: \(what) is outside your grids on that date (recorded anyway)") }
}
