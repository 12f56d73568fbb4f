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
    /// Done on time ÷ due, 0...1; null when nothing was due (no rate, rather than a false 100 %).
    @EncodedAsNull public var completion_rate: Double? = nil
    public var visits = 0
    public var opinions = 0
    public var quota = 7
    public var orders = 0
    public var revenue_fen = 0
    public var complaints_level1 = 0
    public var complaints_level2 = 0
    public var complaints_level3 = 0
    public var complaints_open = 0
    /// Follow-ups (order follow-ups, complaint follow-ups, inspection reports) due and done on time.
    public var followups_due = 0
    public var followups_on_time = 0
    /// Follow-ups on time ÷ due, 0...1; null when none was due.
    @EncodedAsNull public var followup_rate: Double? = nil

    /// Nothing at all happened in this grid this month (no task due, no record, no order, no complaint).
    public var isEmpty: Bool {
        [tasks_due, visits, opinions, orders, revenue_fen, complaints_level1, complaints_level2, complaints_level3,
         complaints_open].allSatisfy { $0 == 0 }
    }

    /// `part ÷ whole`, or nil when there is no whole to measure against.
    static func rate(_ part: Int, of whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }
}

public struct MonthlyReport: Sendable, Encodable {
    public let project: String
    public let month: String
    public let rows: [ReportRow]
    /// The project's repair figures for the month (000: 考核; ``RepairAssessment``), project-wide:
    /// the assessment ranks projects, and an order is the house's, not a grid butler's work.
    public var repairs: RepairFigures? = nil
    /// Fee collection (002 #21): ArrearsReport.swift.
    public var arrears: ArrearsReport?

    /// No grid, or nothing happened in any of them, and no repair order: the CLI says so instead of a table of zeros.
    public var isEmpty: Bool { rows.allSatisfy(\.isEmpty) && (repairs?.orders ?? 0) == 0 }
}

/// The property manager's view of a project-month: per grid and butler, tasks due and done on
/// time, quota progress (002 #18), orders and revenue (004), complaints (000) and follow-ups.
/// Butler-level tasks, quotas and orders count on the butler's first grid of the project.
public struct MonthlyReportStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func report(project: String, month: YearMonth, now: Date = Date()) throws -> MonthlyReport {
        let today = Day.from(now)
        guard month.first <= today else {
            throw ButlerError(.invalidInput, field: "month", "\(month) 还没有开始：月度报表只统计已经开始的月份（今天是 \(today)）")
        }
        let projectID = try RegistryLookup(db: db).projectID(project)
        // Who serves which grid: as on the month's last day, or today for the current month.
        let reference = min(month.last, today)
        var rows: [String: ReportRow] = [:]
        var order: [String] = []
        for r in try db.query("""
            SELECT g.code, st.employee_no, st.name FROM grids g
            LEFT JOIN grid_assignments ga ON ga.grid_id = g.id AND ga.from_date <= $2::date
                 AND (ga.to_date IS NULL OR ga.to_date >= $2::date)
            LEFT JOIN staff st ON st.id = ga.staff_id
            WHERE g.project_id = $1
            ORDER BY g.code
            """, [projectID, reference.description]) {
            let code: String = try r.decode(0)
            rows[code] = ReportRow(grid: code, butler: try r.decode(1), butler_name: try r.decode(2))
            order.append(code)
        }
        let quota = try StandardsStore(db: db).book()[.visitQuota]?.perPeriod ?? 7
        // Butler-level tasks, quotas and orders count on the butler's first grid here (`home`).
        try merge(db.query("""
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
            """, [projectID, month.first.description, month.last.description, reference.description, now]),
            [\.tasks_due, \.done_on_time, \.done_late, \.overdue_now, \.followups_due, \.followups_on_time,
             \.visits, \.opinions, \.orders, \.revenue_fen], into: &rows)
        // Complaints by the grid of their house: opened this month by level, and every one still
        // open at the end of the month (now, for the current month): a past month's report does
        // not change when its complaints are closed later.
        let monthEnd = min(now, month.last.adding(days: 1).startOfDay())
        try merge(db.query("""
            SELECT g.code, count(*) FILTER (WHERE c.level = 1 AND c.opened_at >= $2::date),
                   count(*) FILTER (WHERE c.level = 2 AND c.opened_at >= $2::date),
                   count(*) FILTER (WHERE c.level = 3 AND c.opened_at >= $2::date),
                   count(*) FILTER (WHERE c.closed_at IS NULL OR c.closed_at > $4)
            FROM complaints c JOIN grid_houses gh ON gh.house_id = c.house_id JOIN grids g ON g.id = gh.grid_id
            WHERE c.project_id = $1 AND c.opened_at < $3::date + 1
              AND (c.opened_at >= $2::date OR c.closed_at IS NULL OR c.closed_at > $4)
            GROUP BY g.code
            """, [projectID, month.first.description, month.last.description, monthEnd]),
            [\.complaints_level1, \.complaints_level2, \.complaints_level3, \.complaints_open], into: &rows)
        let result = order.compactMap { code -> ReportRow? in
            guard var row = rows[code] else { return nil }
            row.quota = quota
            row.completion_rate = ReportRow.rate(row.done_on_time, of: row.tasks_due)
            row.followup_rate = ReportRow.rate(row.followups_on_time, of: row.followups_due)
            return row
        }
        let target = try AssessmentWeights(db: db).satisfactionTarget
        let repairs = try RepairAssessment(db: db).figures(month: month, projectID: projectID, now: now, satisfactionTarget: target).first
        return MonthlyReport(project: project, month: month.description, rows: result, repairs: repairs,
                             arrears: try ArrearsReportStore(db: db).report(projectID: projectID, month: month))
    }

    /// Sets each result row's figures (columns 1...) on the report row of the grid named in
    /// column 0, in the order of `columns`; grids not in the report are ignored.
    private func merge(_ result: QueryResult, _ columns: [WritableKeyPath<ReportRow, Int>],
                       into rows: inout [String: ReportRow]) throws {
        for r in result {
            let code: String = try r.decode(0)
            guard var row = rows[code] else { continue }
            for (index, column) in columns.enumerated() { row[keyPath: column] = try r.decode(index + 1) }
            rows[code] = row
        }
    }
}
