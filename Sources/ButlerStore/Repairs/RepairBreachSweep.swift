import ButlerCore
import Foundation
import Postgres

/// The deadline sweep's repair part (000, issue 14): every stage of an order done late, or not
/// done once its deadline has passed, is a breach recorded at the deadline (once per stage and
/// round), and each new breach puts one `repair_escalation` on the project manager's list (on
/// the project with nobody named when it has no manager: never a butler's grid; `jobs status`
/// counts them, ``UnassignedEscalations``). One probe of `repair_orders_sweep`: the
/// trigger of schema 0016 keeps `sweep_at` at the earliest deadline not yet dealt with.
struct RepairBreachSweep {
    let db: Connection

    func run(now: Date) throws -> (breaches: Int, escalated: Int) {
        let rows = try db.query("""
            WITH probed AS (
                SELECT o.* FROM repair_orders o WHERE o.sweep_at IS NOT NULL AND o.sweep_at <= $1
            ), due AS (
                SELECT o.id, o.project_id, o.house_id, o.category, s.stage, s.round, s.due, t.name AS technician
                FROM probed o
                CROSS JOIN LATERAL (VALUES ('claim', o.claim_due, o.dispatched_at, 0::smallint, false),
                                           ('sign', o.sign_due, o.signed_at, 0::smallint, false),
                                           ('contact', o.contact_due, o.contacted_at, 0::smallint, false),
                                           ('complete', o.complete_due, o.completed_at, o.round, true),
                                           ('followup', o.followup_due, o.followed_up_at, o.round, false)) s (stage, due, done, round, exclusive)
                LEFT JOIN staff t ON t.id = o.technician_id
                WHERE (s.due < $1 OR (s.exclusive AND s.due = $1))
                  AND (s.done IS NULL OR s.done > s.due OR (s.exclusive AND s.done = s.due))
                UNION ALL
                -- The rounds a reopen closed: done late (kept in repair_rounds), even if the sweep
                -- did not run between the lateness and the reopen.
                SELECT o.id, o.project_id, o.house_id, o.category, l.stage, r.round, l.due, t.name
                FROM probed o
                JOIN repair_rounds r ON r.order_id = o.id AND r.round < o.round
                CROSS JOIN LATERAL (VALUES ('complete', r.complete_due, r.completed_at >= r.complete_due),
                                           ('followup', r.followup_due, r.followed_up_at > r.followup_due)) l (stage, due, late)
                LEFT JOIN staff t ON t.id = o.technician_id
                WHERE l.late AND l.due <= $1
            ), breached AS (
                INSERT INTO repair_breaches (order_id, project_id, stage, round, at)
                SELECT id, project_id, stage, round, due FROM due
                ON CONFLICT DO NOTHING RETURNING order_id, stage, round
            ), escalated AS (
                INSERT INTO tasks (standard, subject, period, project_id, grid_id, house_id, staff_id,
                                   window_start, due_date, priority, title, reason)
                SELECT 'repair_escalation', 'r' || d.id, d.stage || '#' || d.round, d.project_id,
                       NULL, d.house_id, m.id, $2::date, $2::date, s.priority, s.name,
                       '报修单 #' || d.id || ' ' || ($3::jsonb ->> d.stage) || '超时（截止 ' || to_char(d.due, 'YYYY-MM-DD HH24:MI') || '）：'
                           || h.code || coalesce('，维修工 ' || d.technician, '，未派工')
                FROM breached b
                JOIN due d ON d.id = b.order_id AND d.stage = b.stage AND d.round = b.round
                JOIN standards s ON s.code = 'repair_escalation' AND s.enabled
                JOIN houses h ON h.id = d.house_id
                LEFT JOIN LATERAL (SELECT id FROM staff WHERE role = 'manager' AND project_id = d.project_id
                                   ORDER BY employee_no LIMIT 1) m ON true
                ON CONFLICT ON CONSTRAINT tasks_natural_key DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT array_agg(DISTINCT order_id) FROM breached), (SELECT count(*) FROM breached)::int,
                   (SELECT count(*) FROM escalated)::int
            """, [now, Day.from(now).description, Self.stageLabels])
        let orders = try rows[0].decode(0, as: [Int]?.self) ?? []
        if !orders.isEmpty {
            // Re-running the trigger moves each order's sweep_at past what was just recorded.
            try db.execute("UPDATE repair_orders SET round = round WHERE id = ANY($1::bigint[])", [orders])
        }
        return (try rows[0].decode(1), try rows[0].decode(2))
    }

    /// Stage → its Chinese name, for the escalation's reason.
    static let stageLabels: String = {
        let pairs = RepairStage.allCases.map { "\"\($0.rawValue)\": \"\($0.label)\"" }
        return "{" + pairs.joined(separator: ", ") + "}"
    }()
}
