import ButlerCore
import Postgres

/// 002 #16: every grid is patrolled twice per ISO week, due on the week's middle and last
/// working days (one patrol in a week with one working day, none without).
/// Completed by patrols as they are recorded (`Records.patrol`: each completes the grid's oldest
/// open patrol task); there is no patrol history to import.
struct GridPatrolRule: TaskRule {
    let standards: [StandardCode] = [.gridPatrol]
    var tunables: [StandardCode: Set<TunableColumn>] { [.gridPatrol: [.perPeriod]] }

    func plan(_ c: PlanContext) throws -> [PlannedTask] {
        let week = c.date.isoWeek
        let dues = Array(c.schedule.gridPatrolDues(week).prefix(c.standards[.gridPatrol]?.perPeriod ?? 2))
        guard let firstWorkingDay = c.calendar.workingDays(from: week.monday, through: week.sunday).first else { return [] }
        let grids = try c.db.query("""
            SELECT g.id, g.project_id FROM grids g
            WHERE EXISTS (SELECT 1 FROM grid_houses gh WHERE gh.grid_id = g.id)
              AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.standard = $2 AND t.subject = 'g' || g.id
                              AND t.period LIKE $1 || '#%')
            """, [week.description, StandardCode.gridPatrol.rawValue])
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
