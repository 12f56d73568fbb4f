import ArgumentParser
import ButlerStore
import Foundation

struct RepairContactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact", abstract: "Record the call to the owner and the agreed time (its technician).",
        discussion: "Example: butler repair contact 12 --by E3001 --appointment 2026-11-26T14:00")
    @Argument(help: "Repair order id.") var id: Int
    @Option(help: "Employee number of the technician.") var by: String
    @Option(help: ArgumentHelp("The agreed time.", valueName: "YYYY-MM-DDTHH:MM")) var appointment: RecordTime
    @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in
            try RepairStore(db: db, now: Date(), technicianLateness: nil).contact(id, appointment: appointment.date, by: by, at: at?.date)
        }
        try printRepair(order, json: output.json, "报修单 #\(id) 已联系业主，约定 \(shortTime(order.appointment_at))，"
                        + "完工截止 \(shortTime(order.deadlines.complete))")
    }
}
