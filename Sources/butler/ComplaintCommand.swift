import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct ComplaintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complaint", abstract: "Complaints (opened by `butler touch HOUSE --kind complaint --level N`).",
        subcommands: [Close.self])

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a complaint with its result.", discussion: "Example: butler complaint close 3 --result 已维修，业主满意")
        @Argument(help: "Complaint id.") var id: Int
        @Option(help: "How it was resolved.") var result: String
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try ComplaintStore(db: db).close(id, result: result, by: by) }
            print("已关闭投诉 #\(id)")
        }
    }
}
