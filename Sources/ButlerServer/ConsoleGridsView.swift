import ButlerCore
import ButlerStore
import Foundation

/// What the manager's grid pages show (/project, issue 16): plain values, already labelled in
/// Chinese; the templates (ConsoleGridsTemplates.swift) only print them.
enum ConsoleGridsView {
    /// An assignment the store refused: shown next to that grid's form, with what was typed.
    struct Refusal {
        let grid: String
        let butler: String
        let from: String
        let message: String
    }

    /// `/project`: every grid with today's butler, its counts and an assignment form.
    struct Grids: ScreenPopView.Nonced {
        struct Row {
            let code: String
            let name: String
            /// `梁涵淑（E1001）`, or 空缺.
            let butler: String
            let vacant: Bool
            let phone: String
            let houses: Int
            let open: Int
            let overdue: Int
            let late: Bool
            /// The form's values: today and nothing, or what was typed when it was refused.
            let butlerInput: String
            let from: String
            let error: String?
        }
        struct Choice {
            let employeeNo: String
            let label: String
        }

        var nonce = ""
        let project: String
        let name: String
        let date: String
        let csrf: String
        let notice: String?
        /// A refusal that names no grid of the page (a grid code that does not exist). Not `error`:
        /// a row without one would find the page's in Mustache's context stack.
        let problem: String?
        let rows: [Row]
        let empty: Bool
        let totals: String
        let butlers: [Choice]

        init(_ grids: ProjectGrids, csrf: String, notice: String?, refusal: Refusal? = nil) {
            project = grids.project
            name = grids.name
            date = grids.day.description
            self.csrf = csrf
            self.notice = notice
            let today = grids.day.description
            let rows = grids.grids.map { line in
                let g = line.grid
                let refused = refusal?.grid == g.grid ? refusal : nil
                return Row(code: g.grid, name: g.name, butler: g.butler.map { "\(g.butlerName ?? "")（\($0)）" } ?? "空缺",
                           vacant: g.butler == nil, phone: g.phone, houses: g.houses, open: line.open, overdue: line.overdue,
                           late: line.overdue > 0, butlerInput: refused?.butler ?? "",
                           // A date input holds a date or nothing (HTML): what is not one is dropped.
                           from: refused.map { Day($0.from)?.description ?? "" } ?? today,
                           error: refused?.message)
            }
            self.rows = rows
            problem = refusal.flatMap { r in rows.contains { $0.code == r.grid } ? nil : r.message }
            empty = rows.isEmpty
            totals = "共 \(rows.count) 个网格，\(rows.reduce(0) { $0 + $1.houses }) 户，空缺 \(rows.filter(\.vacant).count) 个"
            butlers = grids.butlers.map { Choice(employeeNo: $0.employeeNo, label: "\($0.name)（\($0.employeeNo)）") }
        }
    }

    /// `/project/grids/{code}`: who served the grid, newest first.
    struct History: ScreenPopView.Nonced {
        struct Entry {
            let period: String
            let butler: String
            let recorded: String
            /// 当前 or 待生效 (nothing for a past one).
            let mark: String?
            let current: Bool
        }

        var nonce = ""
        let grid: String
        let name: String
        let phone: String
        let entries: [Entry]
        let empty: Bool

        init(grid summary: GridSummary, history: [GridAssignment], today: Day) {
            grid = summary.grid
            name = summary.name
            phone = summary.phone
            entries = history.reversed().map { a in
                let current = a.from <= today && (a.to.map { today <= $0 } ?? true)
                let period = a.to.map { "\(a.from) 至 \($0)" } ?? "\(a.from) 起"
                let recorded = a.recordedAt.map { "录入于 " + String(Timestamp.rfc3339($0).prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? ""
                return Entry(period: period, butler: "\(a.butlerName)（\(a.butler)）", recorded: recorded,
                             mark: current ? "当前" : a.from > today ? "待生效" : nil, current: current)
            }
            empty = entries.isEmpty
        }
    }
}
