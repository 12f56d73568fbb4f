import ArgumentParser
import ButlerStore
import Foundation

struct RepairDispatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch", abstract: "Dispatch an open order to a technician of its project.",
        discussion: "The technician signs within 15 minutes. Example: butler repair dispatch 12 --to E3001 --by E9001")
    @Argument(help: "Repair order id.") var id: Int
    @Option(help: "Employee number of the technician.") var to: String
    @Option(help: "Employee number of who dispatches.") var by: String
    @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).dispatch(id, to: to, by: by, at: at?.date) }
        try printRepair(order, json: output.json, "报修单 #\(id) 已派给 \(to)，签收截止 \(shortTime(order.deadlines.sign))")
    }
}
