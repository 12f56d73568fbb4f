import ButlerCore
import Postgres

/// 002 #18: the month's visit summary is due on the 5th of the next month (or the working day before).
struct MonthlySummaryRule: TaskRule {
    let standards: [StandardCode] = [.monthlySummary]

    func plan(_ c: PlanContext) throws -> [PlannedTask] {
        let previous = c.month.previous
        let due = c.schedule.monthlySummaryDue(for: previous)
        return try butlerTasks(c, .monthlySummary, period: previous.description,
                               window: TaskWindow(start: min(c.month.first, due), due: due), reason: "\(previous) 走访总结",
                               servingFrom: previous.first, servingThrough: previous.last)
    }
}
