import ButlerCore
import Foundation
import Postgres

/// Daily planning at 00:05 Asia/Shanghai: plans every day from the day after the last planned
/// day through today (a database never planned starts on the first day of the current month),
/// so a server that was down for a week catches up and the report knows what was missed.
struct DailyPlanningJob: Job {
    let name = "daily_planning"
    /// 00:05: after midnight's date change, before anyone's working day.
    static let minuteOfDay = 5

    func slot(at now: Date) -> Date { Slots.daily(at: now, minuteOfDay: Self.minuteOfDay) }

    func slot(after slot: Date) -> Date { slot.addingTimeInterval(86_400) }

    func run(_ db: Connection, now: Date) throws -> JobOutcome {
        let planner = Planner(db: db)
        let today = Day.from(slot(at: now))
        let first = try planner.lastPlannedDay(through: today).map { $0.adding(days: 1) } ?? today.monthOfYear.first
        var outcome = JobOutcome(rows: 0, detail: ["days": 0, "completed": 0])
        var day = first
        while day <= today {
            let report = try planner.plan(date: day)
            // A catch-up runs in one transaction: after a day that added many tasks (a month's
            // first day, the day holiday calls open) the statistics would still describe the table
            // before it, and the next day's anti-joins would be planned for an empty table
            // (measured: 45.9 s for a 7-day catch-up across New Year's calls, ops/BENCHMARKS.md).
            if report.created >= 1_000 && day < today { try db.execute("ANALYZE tasks") }
            outcome.rows += report.created
            outcome.detail["days", default: 0] += 1
            outcome.detail["completed", default: 0] += report.completed
            day = day.adding(days: 1)
        }
        return outcome
    }
}
