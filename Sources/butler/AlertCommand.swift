import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct AlertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert", abstract: "Severe-weather alerts: checks of entrusted, then vacant houses.", subcommands: [Weather.self, Close.self])

    struct Weather: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Declare a typhoon/rainstorm alert for a project; checks are due the same day.",
            discussion: "Entrusted houses are priority 1, vacant furnished 2, vacant bare 3. Example: butler alert weather --project YS01 --note 台风")
        @Option(help: "Project code.") var project: String
        @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        @Option(help: "Note.") var note = ""
        @Option(help: "Employee number.") var by: String?
        @OptionGroup var output: OutputOptions
        func run() throws {
            let (id, tasks) = try withDatabase { db in try AlertStore(db: db).weather(project: project, at: at?.date ?? Date(), note: note, by: by) }
            if output.json { return try printJSON(["id": id, "tasks": tasks]) }
            print(id)
            printError("\(tasks) weather checks created")
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close an alert.", discussion: "Example: butler alert close 4")
        @Argument(help: "Alert id.") var id: Int
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try AlertStore(db: db).close(id, by: by) }
            print("已关闭预警 #\(id)")
        }
    }
}
