import ArgumentParser
import ButlerStore

/// Records are append-only: a wrong note is corrected by a new record pointing at it.
struct CorrectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Correct a touchpoint's note with a new record (the original stays readable).",
        discussion: """
            Touchpoints are never overwritten: a second one with the same house, time and kind is refused. \
            The correction is shown on the household card in place of the original note.
            Example: butler correct 42 --by E1001 --note 业主满意，已约周六上门 --reason 笔误
            """)
    @Argument(help: "The touchpoint's id (printed when it was recorded).") var touchpoint: Int
    @Option(help: "Employee number of who corrects it (same scope as recording it).") var by: String
    @Option(help: "The corrected note.") var note: String
    @Option(help: "Why it is corrected.") var reason = ""
    @OptionGroup var output: OutputOptions

    func run() throws {
        let id = try withDatabase { db in try Records(db: db).correct(touchpoint: touchpoint, note: note, reason: reason, by: by) }
        if output.json { return try printJSON(["id": id, "corrects": touchpoint]) }
        print(id)
    }
}
