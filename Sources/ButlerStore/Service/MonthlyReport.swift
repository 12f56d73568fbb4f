import ButlerCore
import Foundation
import Postgres

/// One grid and its butler in the manager's monthly view.
public struct ReportRow: Sendable, Encodable, Equatable {
    public var grid: String
    @EncodedAsNull public var butler: String?
    @EncodedAsNull public var butler_name: String?
    public var tasks_due = 0
    public var done_on_time = 0
    public var done_late = 0
    public var overdue_now = 0
    /// Done on time ÷ due, 0...1 (1 when nothing was due).
    public var completion_rate = 1.0
    public var visits = 0
    public var opinions = 0
    public var quota = 7
    public var orders = 0
    public var revenue_fen = 0
    public var complaints_level1 = 0
    public var complaints_level2 = 0
    public var complaints_level3 = 0
    public var complaints_open = 0
    public var followups_due = 0
    public var followups_on_time = 0
    public var followup_rate = 1.0
}

public struct MonthlyReport: Sendable, Encodable {
    public let project: String
    public let month: String
    public let rows: [ReportRow]
}

/// The property manager's view of a project-month: per grid and butler, tasks due and done on
/// time, quota progress (002 #18), orders and revenue (004), complaints (000) and follow-ups.
/// Butler-level tasks, quotas and orders count on the butler's first grid of the project.
public struct MonthlyReportStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func report(project: String, month: YearMonth, now: Date = Date()) throws -> MonthlyReport {
        let projectID = try RegistryLookup(db: db).projectID(project)
        let reference = min(month.last, Day.from(now))
        let params: [any PostgresBindable] = [projectID, month.first.description, month.last.description, reference.description, now]
        var rows: [String: ReportRow] = [:]
        var order: [String] = []
        // Grids with their butler on the reference day; `home` = a butler's first grid here.
        for r in try db.query("""
            SELECT g.code, st.employee_no, st.name FROM grids g
            LEFT JOIN grid_assignments ga ON ga.grid_id = g.id AND ga.from_date <= $4::date
                 AND (ga.to_date IS NULL OR ga.to_date >= $4::date)
            LEFT JOIN staff st ON st.id = ga.staff_id
            WHERE g.project_id = $1 AND $2::date <= $3::date AND $5::timestamptz IS NOT NULL
            ORDER BY g.code
            """, params) {
            let code: String = try r.decode(0)
            rows[code] = ReportRow(grid: code, butler: try r.decode(1), butler_name: try r.decode(2))
            order.append(code)
        }
        let quota = try StandardsStore(db: db).book()[.visitQuota]?.perPeriod ?? 7
        // Butler-level tasks, quotas and orders count on the butler's first grid here (`home`).
        for r in try db.query("""
            WITH home AS (
                SELECT DISTINCT ON (ga.staff_id) ga.staff_id, g.code FROM grid_assignments ga JOIN grids g ON g.id = ga.grid_id
                WHERE g.project_id = $1 AND ga.from_date <= $4::date AND (ga.to_date IS NULL OR ga.to_date >= $4::date)
                ORDER BY ga.staff_id, g.code
            ), t AS (
                SELECT coalesce(g.code, home.code) AS code, t.standard, t.done_at,
                       coalesce(t.due_at, (t.due_date + 1)::timestamptz) AS deadline
                FROM tasks t LEFT JOIN grids g ON g.id = t.grid_id LEFT JOIN home ON home.staff_id = t.staff_id
                WHERE t.project_id = $1 AND t.due_date BETWEEN $2::date AND $3::date
            ), task_stats AS (
                SELECT code, count(*) AS due, count(*) FILTER (WHERE done_at <= deadline) AS on_time,
                       count(*) FILTER (WHERE done_at > deadline) AS late,
                       count(*) FILTER (WHERE done_at IS NULL AND deadline < $5) AS overdue,
                       count(*) FILTER (WHERE standard IN ('service_followup', 'complaint_followup', 'inspection_report')) AS followups,
                       count(*) FILTER (WHERE standard IN ('service_followup', 'complaint_followup', 'inspection_report')
                                        AND done_at <= deadline) AS followups_on_time
                FROM t WHERE code IS NOT NULL GROUP BY code
            ), butler_stats AS (
                SELECT home.code,
                       (SELECT count(*) FROM touchpoints tp WHERE tp.staff_id = home.staff_id AND tp.kind = 'visit'
                          AND tp.at >= $2::date AND tp.at < $3::date + 1) AS visits,
                       (SELECT count(*) FROM touchpoints tp WHERE tp.staff_id = home.staff_id AND tp.kind = 'opinion'
                          AND tp.at >= $2::date AND tp.at < $3::date + 1) AS opinions,
                       (SELECT count(*) FROM orders o WHERE o.recommended_by = home.staff_id AND o.project_id = $1
                          AND o.completed_at >= $2::date AND o.completed_at < $3::date + 1) AS orders,
                       (SELECT coalesce(sum(o.amount_fen), 0) FROM orders o WHERE o.recommended_by = home.staff_id AND o.project_id = $1
                          AND o.completed_at >= $2::date AND o.completed_at < $3::date + 1) AS revenue
                FROM home
            )
            SELECT code, coalesce(ts.due, 0), coalesce(ts.on_time, 0), coalesce(ts.late, 0), coalesce(ts.overdue, 0),
                   coalesce(ts.followups, 0), coalesce(ts.followups_on_time, 0),
                   coalesce(bs.visits, 0), coalesce(bs.opinions, 0), coalesce(bs.orders, 0), coalesce(bs.revenue, 0)
            FROM task_stats ts FULL JOIN butler_stats bs USING (code)
            """, params) {
            let code: String = try r.decode(0)
            guard var row = rows[code] else { continue }
            row.tasks_due = try r.decode(1)
            row.done_on_time = try r.decode(2)
            row.done_late = try r.decode(3)
            row.overdue_now = try r.decode(4)
            row.followups_due = try r.decode(5)
            row.followups_on_time = try r.decode(6)
            row.visits = try r.decode(7)
            row.opinions = try r.decode(8)
            row.orders = try r.decode(9)
            row.revenue_fen = try r.decode(10)
            rows[code] = row
        }
        for r in try db.query("""
            SELECT g.code, count(*) FILTER (WHERE c.level = 1 AND c.opened_at >= $2::date),
                   count(*) FILTER (WHERE c.level = 2 AND c.opened_at >= $2::date),
                   count(*) FILTER (WHERE c.level = 3 AND c.opened_at >= $2::date),
                   count(*) FILTER (WHERE c.closed_at IS NULL OR c.closed_at > $5)
            FROM complaints c JOIN grid_houses gh ON gh.house_id = c.house_id JOIN grids g ON g.id = gh.grid_id
            WHERE c.project_id = $1 AND c.opened_at < $3::date + 1 AND $4::date IS NOT NULL
              AND (c.opened_at >= $2::date OR c.closed_at IS NULL OR c.closed_at > $5)
            GROUP BY g.code
            """, params) {
            let code: String = try r.decode(0)
            guard var row = rows[code] else { continue }
            row.complaints_level1 = try r.decode(1)
            row.complaints_level2 = try r.decode(2)
            row.complaints_level3 = try r.decode(3)
            row.complaints_open = try r.decode(4)
            rows[code] = row
        }
        let result = order.compactMap { code -> ReportRow? in
            guard var row = rows[code] else { return nil }
            row.quota = quota
            row.completion_rate = row.tasks_due == 0 ? 1 : Double(row.done_on_time) / Double(row.tasks_due)
            row.followup_rate = row.followups_due == 0 ? 1 : Double(row.followups_on_time) / Double(row.followups_due)
            return row
        }
        return MonthlyReport(project: project, month: month.description, rows: result)
    }
}
