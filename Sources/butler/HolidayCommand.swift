import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct HolidayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holiday", abstract: "虚拟礼宾：登记非常住业主的节假日到访。", subcommands: [Arrival.self])

    struct Arrival: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "登记确认的到访：到访前一天做好准备，次日上门走访。",
            discussion: "示例：butler holiday arrival YS01/3-2-1502 --arrive 2026-12-31 --by E1001")
        @Argument(help: "房屋编码。") var house: String
        @Option(help: ArgumentHelp("到访日期。", valueName: "YYYY-MM-DD")) var arrive: Day
        @Option(help: "登记人工号。") var by: String?
        @OptionGroup var output: OutputOptions
        func run() throws {
            let id = try withDatabase { db in try ArrivalStore(db: db).record(house: house, arrive: arrive, by: by) }
            if output.json { return try printJSON(["id": id]) }
            print(id)
        }
    }
}
