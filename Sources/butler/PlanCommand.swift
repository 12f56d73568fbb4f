import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Materialize tasks for every grid for a day; safe to run again.",
        discussion: "Example: butler plan --date 2026-12-01")
    @Option(help: "The day (default: today in Asia/Shanghai).") var date: Day?
    @OptionGroup var output: OutputOptions
    func run() throws {
        let report = try withDatabase(unlimitedStatements: true) { db in try Planner(db: db).plan(date: date ?? Day.today()) }
        if output.json { return try printJSON(report) }
        print("planned \(report.date): \(report.created) tasks created, \(report.completed) completed by records")
        for (code, n) in report.byStandard.sorted(by: { $0.key < $1.key }) { print("  \(code): \(n)") }
    }
}
