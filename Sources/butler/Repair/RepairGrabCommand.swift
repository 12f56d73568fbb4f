import ArgumentParser
import ButlerStore
import Foundation

struct RepairGrabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grab", abstract: "Grab (抢单) an undispatched order of your project: the first technician wins.",
        discussion: "Sign within 15 minutes of the opening. Example: butler repair grab 12 --by E3001")
    @Argument(help: "Repair order id.") var id: Int
    @Option(help: "Employee number of the technician.") var by: String
    @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).grab(id, by: by, at: at?.date) }
        try printRepair(order, json: output.json, "抢单成功：报修单 #\(id) 归 \(by)，签收截止 \(shortTime(order.deadlines.sign))")
    }
}
