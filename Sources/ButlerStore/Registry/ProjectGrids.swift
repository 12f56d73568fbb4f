import ButlerCore
import Foundation
import Postgres

/// A project's grids as its manager oversees them (the console's /project, issue 16): each grid
/// with the butler serving it on the day (``GridStore/list(project:on:)``), its open and overdue
/// tasks, and the project's butlers to choose from when assigning. A fixed number of queries,
/// whatever the number of grids (the largest projects have hundreds).
public struct ProjectGrids: Sendable {
    public struct Line: Sendable, Equatable {
        public let grid: GridSummary
        /// Open tasks of the grid whose window has started and whose deadline has not passed.
        public let open: Int
        /// Open tasks past their deadline (as the butler's list counts them: a time, or the day's end).
        public let overdue: Int
    }

    public struct Butler: Sendable, Equatable {
        public let employeeNo: String
        public let name: String
    }

    public let project: String
    public let name: String
    public let day: Day
    public let grids: [Line]
    public let butlers: [Butler]

    /// `now` decides which deadlines with a time have passed today (the caller's clock).
    public init(db: Connection, project: String, on day: Day, now: Date) throws {
        guard let row = try db.query("SELECT id, name FROM projects WHERE code = $1", [project]).first else {
            throw ButlerError(.notFound, field: "project", "项目 \(project) 不存在")
        }
        let projectID: Int = try row.decode(0)
        self.project = project
        name = try row.decode(1)
        self.day = day
        // One pass over the open tasks of the project's grids (tasks_open_by_grid), grouped.
        // Overdue exactly as DailyListStore says it: past its time today, else past its day.
        let cutoff = day == Day.from(now) ? now : day.adding(days: 1).startOfDay()
        var counts: [String: (Int, Int)] = [:]
        for r in try db.query("""
            SELECT g.code,
                   count(*) FILTER (WHERE NOT coalesce(t.due_at < $3, t.due_date < $2::date)),
                   count(*) FILTER (WHERE coalesce(t.due_at < $3, t.due_date < $2::date))
            FROM grids g
            JOIN tasks t ON t.grid_id = g.id AND t.done_at IS NULL AND t.window_start <= $2::date
            WHERE g.project_id = $1
            GROUP BY g.code
            """, [projectID, day.description, cutoff]) {
            counts[try r.decode(0)] = (try r.decode(1), try r.decode(2))
        }
        grids = try GridStore(db: db).list(project: project, on: day).map { grid in
            let (open, overdue) = counts[grid.grid] ?? (0, 0)
            return Line(grid: grid, open: open, overdue: overdue)
        }
        butlers = try db.query("""
            SELECT employee_no, name FROM staff WHERE project_id = $1 AND role = 'butler' ORDER BY employee_no
            """, [projectID]).map { Butler(employeeNo: try $0.decode(0), name: try $0.decode(1)) }
    }
}
