import ArgumentParser
import ButlerStore

/// Records are append-only: a wrong note is corrected by a new record pointing at it.
struct CorrectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "以一条新记录更正触点的备注（原记录保留，仍可查看）。",
        discussion: """
            触点记录不会被覆盖：同一房屋、同一时间、同一类型的第二条记录会被拒绝。
            住户卡片上显示更正后的备注，代替原备注。
            示例：butler correct 42 --by E1001 --note 业主满意，已约周六上门 --reason 笔误
            """)
    @Argument(help: "触点编号（登记时打印的编号）。") var touchpoint: Int
    @Option(help: "更正人工号（权限范围与登记触点相同）。") var by: String
    @Option(help: "更正后的备注。") var note: String
    @Option(help: "更正原因。") var reason = ""
    @OptionGroup var output: OutputOptions

    func run() throws {
        let id = try withDatabase { db in try Records(db: db).correct(touchpoint: touchpoint, note: note, reason: reason, by: by) }
        if output.json { return try printJSON(["id": id, "corrects": touchpoint]) }
        print(id)
    }
}
