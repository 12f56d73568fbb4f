import ButlerCore
import Postgres

/// The butlers serving some grid during a period, with the project of one of their grids.
func butlers(_ c: PlanContext, from: Day, through: Day, withKeysOnly: Bool = false) throws -> [(staff: Int, project: Int)] {
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

func butlerTasks(_ c: PlanContext, _ standard: StandardCode, period: String, window: TaskWindow, reason: String,
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
