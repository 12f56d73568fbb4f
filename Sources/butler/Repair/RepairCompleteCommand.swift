import ArgumentParser
import ButlerStore
import Foundation

struct RepairCompleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete", abstract: "完工，附完工部位照片（该单维修工）。",
        discussion: "至少一张 --photo；客服中心 48 小时内回访。\n示例：butler repair complete 12 --by E3001 --photo /photos/12-1.jpg")
    @Argument(help: "报修单编号。") var id: Int
    @Option(help: "维修工工号。") var by: String
    @Option(help: "照片文件路径或网址（可重复）。") var photo: [String] = []
    @Option(help: "备注。") var note = ""
    @Option(help: ArgumentHelp("发生时间（默认现在）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
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
