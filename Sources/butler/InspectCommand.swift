import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Record inspections of entrusted or vacant houses, and their reports to owners.",
        subcommands: [Record.self, Report.self, Show.self], defaultSubcommand: Record.self)

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an inspection (check, ventilation, cleaning) with checklist, findings and photos.",
            discussion: """
                Checklist items: \(ChecklistItem.allCases.map(\.rawValue).joined(separator: ", ")), each ok or problem:NOTE.
                Entrusted and vacant houses get a report task: 4 h (paid), 8 h (unpaid), 24 h (vacant).
                Example: butler inspect YS01/3-2-1502 --by E1001 --check gas=ok --check leaks=problem:卫生间渗水 --photo /photos/1.jpg
                """)
        @Argument(help: "House code.") var house: String
        @Option(help: "Employee number.") var by: String
        @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        @Option(help: "check, ventilation or cleaning.") var kind: InspectionKind = .check
        @Option(help: "A finding (repeat for several).") var finding: [String] = []
        @Option(name: .customLong("check"), help: "A checklist item: ITEM=ok or ITEM=problem:NOTE (repeat).") var checks: [String] = []
        @Option(help: "A photo file path or URL (repeat).") var photo: [String] = []
        @OptionGroup var output: OutputOptions

        func validate() throws {
            for item in checks where ChecklistEntry(argument: item) == nil {
                throw ValidationError("--check '\(item)': use ITEM=ok or ITEM=problem:NOTE with ITEM one of \(ChecklistItem.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }

        func run() throws {
            let checklist = checks.compactMap(ChecklistEntry.init(argument:))
            let result = try withDatabase { db in
                try Records(db: db).inspect(house: house, kind: kind, by: by, at: at?.date, findings: finding, checklist: checklist, photos: photo)
            }
            try printRecord(result, json: output.json, what: house, label: kind.label)
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that the inspection report reached the owner.",
            discussion: "Example: butler inspect report 12 --channel wechat --by E1001")
        @Argument(help: "Inspection id.") var id: Int
        @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        @Option(help: "phone, wechat or sms.") var channel: String
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try InspectionReports(db: db).report(id, at: at?.date ?? Date(), channel: channel, by: by) }
            print("查验 #\(id) 的报告已告知业主（\(["phone": "电话", "wechat": "微信", "sms": "短信"][channel] ?? channel)）")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the report text a butler sends the owner.", discussion: "Example: butler inspect show 12")
        @Argument(help: "Inspection id.") var id: Int
        @OptionGroup var output: OutputOptions
        func run() throws {
            let report = try withDatabase { db in try InspectionReports(db: db).show(id) }
            if output.json { return try printJSON(report) }
            print(report.text)
            print(report.reported_at.map { "已于 \($0) 通过 \(report.channel ?? "") 报告业主" } ?? "尚未报告业主")
        }
    }
}
