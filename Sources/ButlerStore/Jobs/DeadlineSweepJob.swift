import ButlerCore
import Foundation
import Postgres

/// Every minute: marks open tasks overdue once their due time has passed (a date-only due at the
/// end of its day, a timed one at its instant) and raises the escalations the standards define
/// on the project manager's list (on the project, nobody named, when it has none: never a
/// butler's grid; `jobs status` counts them): a complaint not followed up by its deadline (002 #19, 000)
/// and an inspection report not sent in time (002 #13-15, #25); and records each late stage of
/// a repair order as a breach, with a `repair_escalation` on the manager's list (000,
/// RepairBreachSweep). Cheap when nothing is due: three probes of partial indexes.
struct DeadlineSweepJob: Job {
    let name = "deadline_sweep"

    /// What falls due → what is raised.
    static let escalations: [(from: StandardCode, to: StandardCode, what: String)] = [
        (.complaintFollowup, .complaintEscalation, "投诉回访"),
        (.inspectionReport, .reportEscalation, "查验报告"),
    ]

    func slot(at now: Date) -> Date { Slots.minute(at: now) }

    func slot(after slot: Date) -> Date { slot.addingTimeInterval(60) }

    func run(_ db: Connection, now: Date) throws -> JobOutcome {
        let today = Day.from(now)
        let overdue = try db.query("""
            UPDATE tasks t SET overdue_at = coalesce(t.due_at, ((t.due_date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'))
            WHERE t.id IN (
                SELECT id FROM tasks WHERE done_at IS NULL AND overdue_at IS NULL AND due_at IS NULL AND due_date < $1::date
                UNION ALL
                SELECT id FROM tasks WHERE done_at IS NULL AND overdue_at IS NULL AND due_at IS NOT NULL AND due_at <= $2)
            RETURNING t.id, t.standard
            """, [today.description, now])
        let ids = try overdue.map { try $0.decode(0, as: Int.self) }
        var escalated = 0
        if !ids.isEmpty {
            for rule in Self.escalations {
                escalated += try db.execute("""
                    INSERT INTO tasks (standard, subject, period, project_id, grid_id, house_id, staff_id,
                                       window_start, due_date, priority, title, reason)
                    SELECT $2, t.subject, t.period, t.project_id, NULL, t.house_id, m.id,
                           $4::date, $4::date, s.priority, s.name,
                           $5 || '已超时（截止 ' || to_char(t.overdue_at, 'YYYY-MM-DD HH24:MI') || '）：' || t.title
                               || coalesce('，' || h.code, '') || coalesce('，管家 ' || st.name, '')
                    FROM tasks t
                    JOIN standards s ON s.code = $2 AND s.enabled
                    LEFT JOIN houses h ON h.id = t.house_id
                    LEFT JOIN LATERAL (SELECT ga.staff_id FROM grid_assignments ga WHERE ga.grid_id = t.grid_id
                                       AND ga.from_date <= $4::date AND (ga.to_date IS NULL OR ga.to_date >= $4::date) LIMIT 1) b ON true
                    LEFT JOIN staff st ON st.id = coalesce(t.staff_id, b.staff_id)
                    LEFT JOIN LATERAL (SELECT id FROM staff WHERE role = 'manager' AND project_id = t.project_id
                                       ORDER BY employee_no LIMIT 1) m ON true
                    WHERE t.id = ANY($3::bigint[]) AND t.standard = $1
                    ON CONFLICT ON CONSTRAINT tasks_natural_key DO NOTHING
                    """, [rule.from.rawValue, rule.to.rawValue, ids, today.description, rule.what])
            }
        }
        let breaches = try RepairBreachSweep(db: db).run(now: now)
        return JobOutcome(rows: ids.count + escalated + breaches.breaches + breaches.escalated,
                          detail: ["overdue": ids.count, "escalated": escalated, "repair_breaches": breaches.breaches,
                                   "repair_escalated": breaches.escalated])
    }
}
