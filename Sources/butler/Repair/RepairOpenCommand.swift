import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct RepairOpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Open a repair order for a house (call-centre agents; managers for their project).",
        discussion: """
            Categories: \(RepairCategory.allCases.map(\.rawValue).joined(separator: ", ")).
            Example: butler repair open YS01/3-2-1502 --by E9001 --category water --description 厨房水管漏水 --caller 13900000001
            """)
    @Argument(help: "House code.") var house: String
    @Option(help: "Employee number of who takes the call.") var by: String
    @Option(help: "What broke.") var category: RepairCategory
    @Option(help: "What the owner says.") var description: String
    @Option(help: "The caller's phone.") var caller: String?
    @Option(help: "phone, wechat or app (default phone).") var source: RepairSource = .phone
    @Flag(help: "A complex problem: 3 working days instead of the same day.") var complex = false
    @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let opening = RepairOpening(house: house, category: category, description: description, caller: caller, source: source,
                                    complex: complex)
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).open(opening, by: by, at: at?.date) }
        try printRepair(order, json: output.json, "已开单 #\(order.id)（维修：\(category.label)\(complex ? "，复杂问题" : "")），"
                        + "完工截止 \(shortTime(order.deadlines.complete))；待派工或抢单（接单截止 \(shortTime(order.deadlines.claim))）")
    }
}
