import ButlerCore
import ButlerStore
import Foundation

/// What the console's templates show: plain values, already labelled in Chinese.
enum ConsoleView {
    struct Message: ScreenPopView.Nonced {
        var nonce: String
        let title: String
        let hint: String
    }

    struct Login: ScreenPopView.Nonced {
        var nonce: String
        let error: String?
    }

    /// The butler's day (`/me`).
    struct Today: ScreenPopView.Nonced {
        /// What a refused form had typed, put back in its card (nothing was written).
        struct Kept {
            /// Which of a card's forms was refused.
            enum Form { case done, record }
            var form: Form
            var task: String?
            var house: String?
            var kind: String?
            var note = ""
            var photo = ""
        }
        struct Option {
            let value: String
            let label: String
            let selected: Bool
        }
        struct Card {
            let id: String
            let house: String
            let title: String
            let reason: String
            let due: String
            let status: String
            let overdue: Bool
            let isDone: Bool
            /// Only a planned, open task has the form (a preview has no id of its own yet).
            let canFinish: Bool
            /// A house's card has the record form (a grid's or a butler's own task has none).
            let hasHouse: Bool
            /// The record form's menu, the record that completes this task preselected.
            let records: [Option]
            let doneNote: String
            let note: String
            let photo: String
            /// The refused form's error, on the card it came from.
            let error: String?
        }
        struct DayLink {
            let date: String
            let label: String
            let current: Bool
        }

        var nonce = ""
        let name: String
        let date: String
        let csrf: String
        let notice: String?
        /// A refused form's error that belongs to no card on the page (shown on top). Not named
        /// `error`: a card's nil `error` would find it in mustache's lookup and repeat it on every card.
        let problem: String?
        /// `每月走访 3/7`: the quota tasks, at the top.
        let quotas: [String]
        let hasQuotas: Bool
        let cards: [Card]
        let empty: Bool
        let preview: Bool
        let days: [DayLink]

        /// The page's place in a long day: 20 cards a page keeps a phone's page small (< 50 KB)
        /// and quick to draw; the overdue ones come first.
        struct Pager {
            let number: Int
            let pages: Int
            let total: Int
            let previous: Int?
            let next: Int?
        }
        /// The page number the forms carry back (nil on the first page).
        let pageNo: Int?
        let pager: Pager?

        static let cardsPerPage = 20
        static let quotaStandards: Set<String> = ["visit_quota", "opinion_quota"]

        init(_ list: DailyList, today: Day, days count: Int, csrf: String, page: Int = 1, notice: String?, error: String? = nil,
             kept: Kept? = nil) {
            name = list.name
            date = list.date.description
            self.csrf = csrf
            self.notice = notice
            quotas = list.tasks.filter { Self.quotaStandards.contains($0.standard) }.map(\.title)
            hasQuotas = !quotas.isEmpty
            var placed = false
            let all = list.tasks.filter { !Self.quotaStandards.contains($0.standard) }
            let pages = max(1, (all.count + Self.cardsPerPage - 1) / Self.cardsPerPage)
            let number = min(page, pages)
            pageNo = number > 1 ? number : nil
            pager = pages > 1 ? Pager(number: number, pages: pages, total: all.count, previous: number > 1 ? number - 1 : nil,
                                      next: number < pages ? number + 1 : nil) : nil
            cards = all.dropFirst((number - 1) * Self.cardsPerPage).prefix(Self.cardsPerPage).map { task in
                let label = task.preview ? "预览" : ["overdue": "逾期", "done": "已完成", "open": "待办"][task.status] ?? task.status
                let canFinish = !task.preview && task.status != "done" && Int(task.id) != nil
                // The refused form's card: its task, or the first card of its house.
                let mine = error != nil && !placed && ((kept?.task).map { $0 == task.id } ?? (kept?.house != nil && kept?.house == task.house))
                if mine { placed = true }
                let keptKind = mine ? kept?.kind : nil
                let records = CardRecord.menu(for: task.standard).map { record, suggested in
                    Option(value: record.rawValue, label: record.label, selected: keptKind.map { $0 == record.rawValue } ?? suggested)
                }
                return Card(id: task.id, house: task.house ?? task.grid ?? "—", title: task.title, reason: task.reason,
                            due: task.due.count == 10 ? task.due : ScreenPopView.shortTime(task.due),
                            status: label, overdue: task.status == "overdue", isDone: task.status == "done",
                            canFinish: canFinish, hasHouse: task.house != nil, records: records,
                            doneNote: mine && kept?.form == .done ? kept?.note ?? "" : "",
                            note: mine && kept?.form == .record ? kept?.note ?? "" : "", photo: mine ? kept?.photo ?? "" : "",
                            error: mine ? error : nil)
            }
            problem = placed ? nil : error
            empty = cards.isEmpty && quotas.isEmpty
            preview = list.date > today
            days = (0..<count).map { offset in
                let day = today.adding(days: offset)
                return DayLink(date: day.description, label: offset == 0 ? "今天" : String(day.description.suffix(5)),
                               current: day == list.date)
            }
        }
    }
}
