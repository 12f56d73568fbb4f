import ArgumentParser
import ButlerStore
import Foundation

struct RepairDelayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delay", abstract: "Put on record why an order cannot be finished in time (its technician).",
        discussion: "The deadline stays. Example: butler repair delay 12 --by E3001 --reason 等待配件")
    @Argument(help: "Repair order id.") var id: Int
    @Option(help: "Employee number of the technician.") var by: String
    @Option(help: "Why.") var reason: String
    @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).delay(id, reason: reason, by: by, at: at?.date) }
        try printRepair(order, json: output.json, "报修单 #\(id) 已登记延期原因（完工截止仍为 \(shortTime(order.deadlines.complete))）")
    }
}
