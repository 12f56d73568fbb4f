import ArgumentParser
import ButlerStore
import Foundation

struct RepairFollowupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup", abstract: "Record the call-back with the owner's rating 1-5 (4-5: satisfied).",
        discussion: "Example: butler repair followup 12 --by E9001 --rating 5 --note 很满意")
    @Argument(help: "Repair order id.") var id: Int
    @Option(help: "Employee number of who called back.") var by: String
    @Option(help: "Rating 1-5.") var rating: Int
    @Option(help: "Note.") var note = ""
    @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in
            try RepairStore(db: db, now: Date(), technicianLateness: nil).followup(id, rating: rating, note: note, by: by, at: at?.date)
        }
        try printRepair(order, json: output.json, "报修单 #\(id) 已回访，评分 \(rating)（\(rating >= 4 ? "满意" : "不满意")）")
    }
}
