import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task", abstract: "Act on one task.", subcommands: [Done.self])

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a task done that no other record completes (key inventory, monthly summary...).",
            discussion: "Example: butler task done 42 --by E1001 --note 钥匙 12 把齐全")
        @Argument(help: "Task id.") var id: Int
        @Option(help: "Employee number.") var by: String
        @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        @Option(help: "Note.") var note: String?
        func run() throws {
            try withDatabase { db in try Records(db: db).done(task: id, by: by, at: at?.date, note: note) }
            print("任务 #\(id) 已完成")
        }
    }
}
