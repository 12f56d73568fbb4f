import ArgumentParser
import ButlerStore
import Foundation

struct RepairReopenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen", abstract: "Send a completed order back to its technician (it no longer passes).",
        discussion: "A new completion deadline, as if opened now. Example: butler repair reopen 12 --by E9001 --reason 仍然漏水")
    @Argument(help: "Repair order id.") var id: Int
    @Option(help: "Employee number.") var by: String
    @Option(help: "Why.") var reason: String
    @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).reopen(id, reason: reason, by: by, at: at?.date) }
        try printRepair(order, json: output.json, "报修单 #\(id) 已返修，退回 \(order.technician ?? "—")，"
                        + "新的完工截止 \(shortTime(order.deadlines.complete))")
    }
}
