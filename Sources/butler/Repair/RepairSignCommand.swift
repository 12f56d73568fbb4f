import ArgumentParser
import ButlerStore
import Foundation

struct RepairSignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Sign an order dispatched to you (its technician).",
        discussion: "Phone the owner within 10 minutes. Example: butler repair sign 12 --by E3001")
    @Argument(help: "Repair order id.") var id: Int
    @Option(help: "Employee number of the technician.") var by: String
    @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).sign(id, by: by, at: at?.date) }
        try printRepair(order, json: output.json, "报修单 #\(id) 已签收，联系业主截止 \(shortTime(order.deadlines.contact))")
    }
}
