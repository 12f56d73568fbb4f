import ArgumentParser
import ButlerCore
import ButlerStore

struct EntrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entrust",
        abstract: "Record that an owner entrusts a house (委托代管) to the butler.",
        discussion: "Overlapping entrustments of one house are refused. Example: butler entrust YS01/3-2-1502 --kind paid --from 2026-12-01 --keys 2")
    @Argument(help: "House code (PROJECT/BUILDING-UNIT-ROOM).") var house: String
    @Option(help: "unpaid (monthly check) or paid (ventilation, cleaning, check).") var kind: EntrustmentKind
    @Option(help: ArgumentHelp("First day.", valueName: "YYYY-MM-DD")) var from: Day
    @Option(help: ArgumentHelp("Last day (open-ended when omitted).", valueName: "YYYY-MM-DD")) var to: Day?
    @Option(help: "Number of keys held.") var keys = 0
    @OptionGroup var output: OutputOptions

    func run() throws {
        let id = try withDatabase { db in try EntrustmentStore(db: db).entrust(house: house, kind: kind, from: from, to: to, keys: keys) }
        if output.json { return try printJSON(["id": id]) }
        print(id)
    }
}
