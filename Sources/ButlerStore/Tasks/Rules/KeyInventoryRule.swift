import ButlerCore
import Postgres

/// 002 #12: butlers holding keys of entrusted houses count them monthly.
struct KeyInventoryRule: TaskRule {
    let standards: [StandardCode] = [.keyInventory]

    func plan(_ c: PlanContext) throws -> [PlannedTask] {
        let window = TaskWindow(start: c.calendar.firstWorkingDay(of: c.month), due: c.schedule.monthlyDue(c.month))
        return try butlerTasks(c, .keyInventory, period: c.month.description, window: window, reason: "\(c.month) 钥匙盘点",
                               withKeysOnly: true, servingFrom: c.date, servingThrough: c.date)
    }
}
