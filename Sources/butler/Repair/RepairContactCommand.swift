import ArgumentParser
import ButlerStore
import Foundation

struct RepairContactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact", abstract: "记录已电话联系业主及约定的上门时间（该单维修工）。",
        discussion: "示例：butler repair contact 12 --by E3001 --appointment 2026-11-26T14:00")
    @Argument(help: "报修单编号。") var id: Int
    @Option(help: "维修工工号。") var by: String
    @Option(help: ArgumentHelp("约定的上门时间。", valueName: "YYYY-MM-DDTHH:MM")) var appointment: RecordTime
    @Option(help: ArgumentHelp("发生时间（默认现在）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in
            try RepairStore(db: db, now: Date(), technicianLateness: nil).contact(id, appointment: appointment.date, by: by, at: at?.date)
        }
        try printRepair(order, json: output.json, "报修单 #\(id) 已联系业主，约定 \(shortTime(order.appointment_at))，"
                        + "完工截止 \(shortTime(order.deadlines.complete))")
    }
}
