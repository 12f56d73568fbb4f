import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct HolidayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holiday", abstract: "Holiday concierge: arrivals of owners who do not live in full time.", subcommands: [Arrival.self])

    struct Arrival: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a confirmed arrival: prepare the home the day before, visit the day after.",
            discussion: "Example: butler holiday arrival YS01/3-2-1502 --arrive 2026-12-31 --by E1001")
        @Argument(help: "House code.") var house: String
        @Option(help: ArgumentHelp("Arrival day.", valueName: "YYYY-MM-DD")) var arrive: Day
        @Option(help: "Employee number.") var by: String?
        @OptionGroup var output: OutputOptions
        func run() throws {
            let id = try withDatabase { db in try ArrivalStore(db: db).record(house: house, arrive: arrive, by: by) }
            if output.json { return try printJSON(["id": id]) }
            print(id)
        }
    }
}
