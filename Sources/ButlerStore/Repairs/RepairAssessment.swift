import ButlerCore
import Foundation
import Postgres

/// The month's repair figures of one project or of every project (000: 考核), in one
/// set-based query grouped by project: the same figures in the monthly report's repair
/// section and in the company ranking. Reads only.
public struct RepairAssessment {
    let db: Connection

    public init(db: Connection) { self.db = db }

    /// Every project's figures (`projectID` nil) or one project's, in project code order, as
    /// read at `now` (stages not yet due and not done are left out, see ``RepairFigures``).
    public func figures(month: YearMonth, projectID: Int? = nil, now: Date,
                        satisfactionTarget: Double = AssessmentWeights.standard.satisfactionTarget) throws -> [RepairFigures] {
        // An order counts on `counted_on`, at most the day after it was opened: the opened_at
        // range (from the day before the month) lets the (project_id, opened_at) index serve one project.
        try db.query("""
            WITH o AS (
                SELECT o.id, o.project_id, o.signed_at, o.sign_due, o.contacted_at, o.contact_due, o.completed_at, o.round
                FROM repair_orders o
                WHERE o.counted_on BETWEEN $1::date AND $2::date
                  AND o.opened_at >= $1::date - 1 AND o.opened_at < $2::date + 1
                  AND ($4::integer IS NULL OR o.project_id = $4::integer)
            ), orders AS (
                SELECT project_id, count(*) AS orders,
                       count(*) FILTER (WHERE signed_at IS NOT NULL OR sign_due < $3) AS sign_due,
                       count(*) FILTER (WHERE signed_at <= sign_due) AS sign_on_time,
                       count(*) FILTER (WHERE contacted_at IS NOT NULL OR contact_due < $3) AS contact_due,
                       count(*) FILTER (WHERE contacted_at <= contact_due) AS contact_on_time,
                       count(*) FILTER (WHERE round > 0 OR completed_at IS NOT NULL) AS pass_due,
                       count(*) FILTER (WHERE round = 0 AND completed_at IS NOT NULL) AS passed
                FROM o GROUP BY project_id
            ), rounds AS (
                -- Completion is on time before its deadline, the midnight that ends the due day. A
                -- round reopened before its call-back needs none (the sweep no longer waits for it),
                -- unless the sweep had already found it late.
                SELECT o.project_id,
                       count(*) FILTER (WHERE r.completed_at IS NOT NULL OR r.complete_due <= $3) AS complete_due,
                       count(*) FILTER (WHERE r.completed_at < r.complete_due) AS complete_on_time,
                       count(*) FILTER (WHERE r.followed_up_at IS NOT NULL OR (r.followup_due < $3 AND (r.round = o.round
                           OR EXISTS (SELECT 1 FROM repair_breaches b
                                      WHERE b.order_id = o.id AND b.stage = 'followup' AND b.round = r.round)))) AS followup_due,
                       count(*) FILTER (WHERE r.followed_up_at <= r.followup_due) AS followup_on_time,
                       count(r.rating) AS rated, count(*) FILTER (WHERE r.rating >= 4) AS satisfied
                FROM o JOIN repair_rounds r ON r.order_id = o.id
                GROUP BY o.project_id
            ), complaints AS (
                SELECT project_id, count(*) FILTER (WHERE level = 1) AS level1, count(*) FILTER (WHERE level = 2) AS level2,
                       count(*) FILTER (WHERE level = 3) AS level3
                FROM complaints
                WHERE opened_at >= $1::date AND opened_at < $2::date + 1
                  AND ($4::integer IS NULL OR project_id = $4::integer)
                GROUP BY project_id
            ), households AS (
                SELECT project_id, count(*) AS households FROM houses
                WHERE $4::integer IS NULL OR project_id = $4::integer
                GROUP BY project_id
            )
            SELECT p.code, p.name, coalesce(h.households, 0), coalesce(o.orders, 0),
                   coalesce(o.sign_due, 0), coalesce(o.sign_on_time, 0), coalesce(o.contact_due, 0), coalesce(o.contact_on_time, 0),
                   coalesce(r.complete_due, 0), coalesce(r.complete_on_time, 0), coalesce(r.followup_due, 0),
                   coalesce(r.followup_on_time, 0), coalesce(r.rated, 0), coalesce(r.satisfied, 0),
                   coalesce(o.pass_due, 0), coalesce(o.passed, 0),
                   coalesce(c.level1, 0), coalesce(c.level2, 0), coalesce(c.level3, 0)
            FROM projects p
            LEFT JOIN orders o ON o.project_id = p.id
            LEFT JOIN rounds r ON r.project_id = p.id
            LEFT JOIN complaints c ON c.project_id = p.id
            LEFT JOIN households h ON h.project_id = p.id
            WHERE $4::integer IS NULL OR p.id = $4::integer
            ORDER BY p.code
            """, [month.first.description, month.last.description, now, projectID]).map { r in
            var f = RepairFigures(project: try r.decode(0), name: try r.decode(1))
            let counts: [WritableKeyPath<RepairFigures, Int>] = [
                \.households, \.orders, \.sign_due, \.sign_on_time, \.contact_due, \.contact_on_time, \.complete_due,
                \.complete_on_time, \.followup_due, \.followup_on_time, \.rated, \.satisfied, \.pass_due, \.passed,
                \.complaints_level1, \.complaints_level2, \.complaints_level3]
            for (index, count) in counts.enumerated() { f[keyPath: count] = try r.decode(index + 2) }
            f.computeRates(satisfactionTarget: satisfactionTarget)
            return f
        }
    }
}
