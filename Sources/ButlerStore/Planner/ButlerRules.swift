import ButlerCore
import Postgres

/// 002 #16: every grid is patrolled twice per ISO week, due on the week's middle and last
/// working days (one patrol in a week with one working day, none without).
struct GridPatrolRule: PlanningRule {
    let standards: [StandardCode] = [.gridPatrol]

    func tasks(_ c: PlanContext) throws -> [PlannedTask] {
        let week = c.date.isoWeek
        let dues = Array(c.schedule.gridPatrolDues(week).prefix(c.standards[.gridPatrol]?.perPeriod ?? 2))
        guard let firstWorkingDay = c.calendar.workingDays(from: week.monday, through: week.sunday).first else { return [] }
        let grids = try c.db.query("""
            SELECT g.id, g.project_id FROM grids g
            WHERE EXISTS (SELECT 1 FROM grid_houses gh WHERE gh.grid_id = g.id)
              AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.standard = 'grid_patrol' AND t.subject = 'g' || g.id
                              AND t.period LIKE $1 || '#%')
            """, [week.description])
        var tasks: [PlannedTask] = []
        for r in grids {
            var start = firstWorkingDay
            for (i, due) in dues.enumerated() {
                tasks.append(PlannedTask(
                    standard: .gridPatrol, subject: "g\(try r.decode(0, as: Int.self))", period: "\(week)#\(i + 1)",
                    projectID: try r.decode(1), gridID: try r.decode(0), windowStart: start, due: due,
                    reason: "\(week) 第\(i + 1)次巡查"))
                start = due.adding(days: 1)
            }
        }
        return tasks
    }
}

/// The butlers serving some grid during a period, with the project of one of their grids.
private func butlers(_ c: PlanContext, from: Day, through: Day, withKeysOnly: Bool = false) throws -> [(staff: Int, project: Int)] {
    try c.db.query("""
        SELECT ga.staff_id, min(ga.project_id) FROM grid_assignments ga
        WHERE ga.from_date <= $2::date AND (ga.to_date IS NULL OR ga.to_date >= $1::date)
          AND (NOT $3 OR EXISTS (
                SELECT 1 FROM grid_houses gh JOIN entrustments e ON e.house_id = gh.house_id
                WHERE gh.grid_id = ga.grid_id AND e.keys > 0
                  AND e.from_date <= $2::date AND (e.to_date IS NULL OR e.to_date >= $1::date)))
        GROUP BY ga.staff_id
        """, [from.description, through.description, withKeysOnly]).map { (try $0.decode(0), try $0.decode(1)) }
}

private func butlerTasks(_ c: PlanContext, _ standard: StandardCode, period: String, window: TaskWindow, reason: String,
                         withKeysOnly: Bool = false, servingFrom: Day, servingThrough: Day) throws -> [PlannedTask] {
    let existing = Set(try c.db.query("SELECT subject FROM tasks WHERE standard = $1 AND period = $2", [standard.rawValue, period])
        .map { try $0.decode(0, as: String.self) })
    return try butlers(c, from: servingFrom, through: servingThrough, withKeysOnly: withKeysOnly)
        .filter { !existing.contains("s\($0.staff)") }
        .map { b in
            PlannedTask(standard: standard, subject: "s\(b.staff)", period: period, projectID: b.project, staffID: b.staff,
                        windowStart: window.start, due: window.due, reason: reason)
        }
}

/// 002 #18: every butler makes ≥ 7 household visits and ≥ 7 opinion solicitations a month;
/// one progress item each from the month's first working day until met.
struct MonthlyQuotaRule: PlanningRule {
    let standards: [StandardCode] = [.visitQuota, .opinionQuota]

    func tasks(_ c: PlanContext) throws -> [PlannedTask] {
        let window = c.schedule.monthlyQuotaWindow(c.month)
        return try [StandardCode.visitQuota, .opinionQuota].flatMap { standard in
            try butlerTasks(c, standard, period: c.month.description, window: window, reason: "\(c.month) 月度指标",
                            servingFrom: c.date, servingThrough: c.date)
        }
    }
}

/// 002 #18: the month's visit summary is due on the 5th of the next month (or the working day before).
struct MonthlySummaryRule: PlanningRule {
    let standards: [StandardCode] = [.monthlySummary]

    func tasks(_ c: PlanContext) throws -> [PlannedTask] {
        let previous = c.month.previous
        let due = c.schedule.monthlySummaryDue(for: previous)
        return try butlerTasks(c, .monthlySummary, period: previous.description,
                               window: TaskWindow(start: min(c.month.first, due), due: due), reason: "\(previous) 走访总结",
                               servingFrom: previous.first, servingThrough: previous.last)
    }
}

/// 002 #12: butlers holding keys of entrusted houses count them monthly.
struct KeyInventoryRule: PlanningRule {
    let standards: [StandardCode] = [.keyInventory]

    func tasks(_ c: PlanContext) throws -> [PlannedTask] {
        let window = TaskWindow(start: c.calendar.firstWorkingDay(of: c.month), due: c.schedule.monthlyDue(c.month))
        return try butlerTasks(c, .keyInventory, period: c.month.description, window: window, reason: "\(c.month) 钥匙盘点",
                               withKeysOnly: true, servingFrom: c.date, servingThrough: c.date)
    }
}
