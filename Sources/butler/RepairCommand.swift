import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

/// `butler repair …`: the call centre's repair loop (000, CONTRACT "Repairs").
struct RepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair", abstract: "报修工单：开单、派工或抢单、签收、联系业主、完工、回访。",
        discussion: """
            状态：open 待派工 → dispatched 已派工（派工或抢单）→ signed 已签收 → contacted 已联系 → completed 已完工 \
            → followed_up 已回访；已完工或已回访的单可返修（reopened，退回维修工）。时限（表 repair_settings，可调）：\
            开单后 15 分钟内派工或被抢单，派工后 15 分钟内签收（抢单的从开单算起），签收后 10 分钟内联系业主，\
            当日完工（复杂问题 3 个工作日），完工后 48 小时内回访；18:00 起开的单按次日开单计。\
            超时由截止扫描（butler jobs run）记录并上报项目经理。
            """,
        subcommands: [RepairOpenCommand.self, RepairDispatchCommand.self, RepairGrabCommand.self, RepairSignCommand.self,
                      RepairContactCommand.self, RepairDelayCommand.self, RepairCompleteCommand.self, RepairFollowupCommand.self,
                      RepairReopenCommand.self, RepairShowCommand.self, RepairListCommand.self])
}

extension RepairCategory: ExpressibleByArgument {}
extension RepairSource: ExpressibleByArgument {}
extension RepairStatus: ExpressibleByArgument {}

/// `2026-11-27T17:15:00+08:00` as people read it: `2026-11-27 17:15`; a midnight (the end of a
/// completion day) as the end of the day before, `2026-11-27 24:00`.
func shortTime(_ rfc3339: String?) -> String {
    guard let text = rfc3339 else { return "—" }
    let short = String(text.prefix(16)).replacingOccurrences(of: "T", with: " ")
    guard short.hasSuffix(" 00:00"), let day = Day(String(short.prefix(10))) else { return short }
    return "\(day.adding(days: -1)) 24:00"
}

/// What an act on an order prints: one line (`报修单 #12 已签收，联系业主截止 …`), or the order with `--json`.
func printRepair(_ order: RepairOrder, json: Bool, _ line: String) throws {
    if json { return try printJSON(order) }
    print(line)
}
