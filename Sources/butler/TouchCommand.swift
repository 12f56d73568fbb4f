import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct TouchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "touch", abstract: "Record a touchpoint with a household (call, visit, complaint, opinion...).",
        discussion: "Kinds: \(TouchpointKind.allCases.map(\.rawValue).joined(separator: ", ")). Example: butler touch YS01/3-2-1502 --kind visit --by E1001 --note 入住走访")
    @Argument(help: "House code.") var house: String
    @Option(help: "Kind of contact.") var kind: TouchpointKind
    @Option(help: "Employee number of who made it.") var by: String
    @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @Option(help: "What was said or done.") var note = ""
    @Option(help: "Complaint level: 1 mayor's hotline/regulator/media, 2 district or repeated, 3 service lapse (default 3).")
    var level: ComplaintLevel?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let result = try withDatabase { db in
            try Records(db: db).touch(house: house, kind: kind, by: by, at: at?.date, note: note,
                                      level: level)
        }
        try printRecord(result, json: output.json, what: house, label: kind.label)
    }
}
