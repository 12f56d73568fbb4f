import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

/// `butler repair …`: the call centre's repair loop (000, CONTRACT "Repairs").
struct RepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair", abstract: "Repair orders (报修工单): open, dispatch or grab, sign, contact, complete, follow up.",
        discussion: """
            States: open → dispatched (dispatch or grab) → signed → contacted → completed → followed_up; \
            a completed or followed-up order may be reopened (back to the technician). Time limits (000, \
            table repair_settings): sign 15 min after dispatch (after opening for a grabbed order), contact \
            10 min after signing, complete the same day (complex: 3 working days after), follow-up 48 h \
            after completion; an order opened from 18:00 on counts as opened the next calendar day. The \
            deadline sweep (butler jobs run) records breaches and escalates them to the project manager.
            """,
        subcommands: [RepairOpenCommand.self, RepairDispatchCommand.self, RepairGrabCommand.self, RepairSignCommand.self,
                      RepairContactCommand.self, RepairDelayCommand.self, RepairCompleteCommand.self, RepairFollowupCommand.self,
                      RepairReopenCommand.self, RepairShowCommand.self, RepairListCommand.self])
}

extension RepairCategory: ExpressibleByArgument {}
extension RepairSource: ExpressibleByArgument {}
extension RepairStatus: ExpressibleByArgument {}

/// `2026-11-27T23:59:59+08:00` as people read it: `2026-11-27 23:59`.
func shortTime(_ rfc3339: String?) -> String {
    guard let text = rfc3339 else { return "—" }
    return String(text.prefix(16)).replacingOccurrences(of: "T", with: " ")
}

/// What an act on an order prints: one line (`报修单 #12 已签收，联系业主截止 …`), or the order with `--json`.
func printRepair(_ order: RepairOrder, json: Bool, _ line: String) throws {
    if json { return try printJSON(order) }
    print(line)
}
