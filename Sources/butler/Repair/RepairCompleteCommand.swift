import ArgumentParser
import ButlerStore
import Foundation

struct RepairCompleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete", abstract: "Complete an order with photos of the finished work (its technician).",
        discussion: "At least one --photo. The call centre follows up within 48 h. Example: butler repair complete 12 --by E3001 --photo /photos/12-1.jpg")
    @Argument(help: "Repair order id.") var id: Int
    @Option(help: "Employee number of the technician.") var by: String
    @Option(help: "A photo file path or URL (repeat).") var photo: [String] = []
    @Option(help: "Note.") var note = ""
    @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        // Refused before the database is reached, naming the option (the store names the API's `photos`).
        if photo.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            printError("butler: --photo：完工须至少附一张完工部位的照片")
            throw ExitCode(1)
        }
        let order = try withDatabase { db in
            try RepairStore(db: db, now: Date(), technicianLateness: nil).complete(id, photos: photo, note: note, by: by, at: at?.date)
        }
        try printRepair(order, json: output.json, "报修单 #\(id) 已完工，回访截止 \(shortTime(order.deadlines.followup))")
    }
}
