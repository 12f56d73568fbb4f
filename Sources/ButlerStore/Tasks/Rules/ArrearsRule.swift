import ButlerCore
import Foundation
import Postgres

/// 002 #21, fee collection. From the month's first working day (official calendar) every house
/// owing for a month before this one is on its grid's butler's list (`arrears_contact`), due the
/// 28th or the working day before; the month's first collection attempt (a call, message or
/// letter touchpoint) does it. On that 28th the project manager gets one `arrears_escalation`
/// listing the houses still owing, with their attempts of the month (recorded in
/// `arrears_escalations`). A snapshot that clears a house's arrears closes its open arrears
/// tasks as paid (``closePaid(_:at:)``, run by the import). Task texts name houses and
/// attempts, never amounts: tasks are readable by every signed-in role, amounts are not.
struct ArrearsRule: TaskRule {
    let standards: [StandardCode] = [.arrearsContact, .arrearsEscalation]

    /// Houses listed in an escalation's text; the rest are counted (all are in `arrears list`).
    static let listedInEscalation = 30

    func plan(_ c: PlanContext) throws -> [PlannedTask] {
        let month = c.month
        let listing = c.schedule.arrearsListingDay(month)
        let escalation = c.schedule.arrearsEscalationDay(month)
        var tasks: [PlannedTask] = []
        // A day missed (the server down, a snapshot imported late) is caught up until the 28th.
        if listing <= c.date && c.date <= escalation {
            for r in try c.db.query("""
                SELECT h.id, h.project_id, gh.grid_id
                FROM (SELECT DISTINCT house_id FROM arrears
                      WHERE owing AND period < $1::date) o
                JOIN houses h ON h.id = o.house_id
                JOIN grid_houses gh ON gh.house_id = h.id
                WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.standard = $3 AND t.subject = 'h' || h.id AND t.period = $2)
                """, [month.first.description, month.description, StandardCode.arrearsContact.rawValue]) {
                let house: Int = try r.decode(0)
                tasks.append(PlannedTask(
                    standard: .arrearsContact, subject: "h\(house)", period: month.description, projectID: try r.decode(1),
                    gridID: try r.decode(2), houseID: house, windowStart: c.date, due: escalation,
                    reason: "\(month) 欠费催缴（电话、信息或催缴函，\(escalation) 前）"))
            }
        }
        if escalation <= c.date && c.date <= month.last {
            let due = max(escalation, c.calendar.lastWorkingDay(of: month))
            for r in try c.db.query("""
                WITH owing AS (
                    SELECT DISTINCT project_id, house_id FROM arrears WHERE owing AND period < $1::date
                )
                SELECT o.project_id, m.id,
                       array_agg(h.code || '（催缴 ' || (SELECT count(*) FROM touchpoints tp WHERE tp.house_id = o.house_id
                                                          AND tp.kind = ANY($5::text[]) AND tp.at >= $1::date AND tp.at < $4::date)
                                 || ' 次）' ORDER BY h.code COLLATE house_natural)
                FROM owing o
                JOIN houses h ON h.id = o.house_id
                -- A project without a manager keeps its escalation with nobody named (as the sweep's
                -- escalations): its manager finds it once appointed, `jobs status` counts it.
                LEFT JOIN LATERAL (SELECT id FROM staff WHERE role = 'manager' AND project_id = o.project_id
                                   ORDER BY employee_no LIMIT 1) m ON true
                WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.standard = $3 AND t.subject = 'p' || o.project_id AND t.period = $2)
                GROUP BY o.project_id, m.id
                """, [month.first.description, month.description, StandardCode.arrearsEscalation.rawValue,
                      escalation.description, TouchpointKind.collectionAttempts.map(\.rawValue)]) {
                let project: Int = try r.decode(0)
                let houses: [String] = try r.decode(2)
                let shown = houses.prefix(Self.listedInEscalation).joined(separator: "、")
                let more = houses.count > Self.listedInEscalation ? " 等（全部见 butler arrears list）" : ""
                tasks.append(PlannedTask(
                    standard: .arrearsEscalation, subject: "p\(project)", period: month.description, projectID: project,
                    staffID: try r.decode(1), windowStart: escalation, due: due,
                    reason: "截至 \(escalation) 仍欠费 \(houses.count) 户，转项目负责人催缴：\(shown)\(more)"))
            }
        }
        return tasks
    }

    /// The houses an escalation hands over, with their attempts before its day (what its text says).
    func created(_ db: Connection, _ ids: [String: [Int]]) throws {
        guard let escalations = ids[StandardCode.arrearsEscalation.rawValue], !escalations.isEmpty else { return }
        try db.execute("""
            INSERT INTO arrears_escalations (house_id, project_id, month, task_id, attempts)
            SELECT o.house_id, o.project_id, m.first, t.id,
                   (SELECT count(*) FROM touchpoints tp WHERE tp.house_id = o.house_id AND tp.kind = ANY($2::text[])
                      AND tp.at >= m.first AND tp.at < t.window_start)
            FROM tasks t
            CROSS JOIN LATERAL (SELECT (t.period || '-01')::date AS first) m
            JOIN LATERAL (SELECT DISTINCT project_id, house_id FROM arrears a
                          WHERE a.project_id = t.project_id AND a.owing AND a.period < m.first) o ON true
            WHERE t.id = ANY($1::bigint[])
            ON CONFLICT (house_id, month) DO NOTHING
            """, [escalations, TouchpointKind.collectionAttempts.map(\.rawValue)])
    }

    /// The month's first collection attempt at the house, whenever in the month (before the task
    /// was listed too), completes its contact task.
    func complete(_ db: Connection, _ scope: CompletionScope, on date: Day, standards: StandardBook) throws -> Int {
        try db.execute("""
            UPDATE tasks t SET done_at = f.at, done_by = f.staff_id, done_note = f.kind || ' ' || f.touchpoint
            FROM (SELECT t2.id, v.at, v.staff_id, v.kind, v.touchpoint FROM tasks t2
                  CROSS JOIN LATERAL (SELECT tp.id AS touchpoint, tp.at, tp.staff_id, tp.kind FROM touchpoints tp
                                      WHERE tp.house_id = t2.house_id AND tp.kind = ANY($4::text[])
                                        AND tp.at >= (t2.period || '-01')::date
                                        AND tp.at < (t2.period || '-01')::date + interval '1 month'
                                      ORDER BY tp.at LIMIT 1) v
                  WHERE t2.done_at IS NULL AND t2.standard = $3
                    AND ($1::bigint[] IS NULL OR t2.house_id = ANY($1::bigint[]))
                    AND ($2::bigint[] IS NULL OR t2.id = ANY($2::bigint[]))) f
            WHERE t.id = f.id
            """, scope.filters + [StandardCode.arrearsContact.rawValue, TouchpointKind.collectionAttempts.map(\.rawValue)])
    }

    /// Closes, as paid at `now`, the open contact tasks of houses that no longer owe for a month
    /// before the task's, and the open escalations whose houses all have paid. Returns how many.
    static func closePaid(_ db: Connection, at now: Date) throws -> Int {
        try db.query("""
            WITH contact AS (
                UPDATE tasks t SET done_at = $1, done_note = 'paid'
                WHERE t.standard = $2 AND t.done_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM arrears a WHERE a.project_id = t.project_id AND a.house_id = t.house_id
                                    AND a.owing AND a.period < (t.period || '-01')::date)
                RETURNING 1
            ), escalation AS (
                UPDATE tasks t SET done_at = $1, done_note = 'paid'
                WHERE t.standard = $3 AND t.done_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM arrears_escalations e
                                  JOIN arrears a ON a.project_id = e.project_id AND a.house_id = e.house_id
                                   AND a.owing AND a.period < e.month
                                  WHERE e.task_id = t.id)
                RETURNING 1
            )
            SELECT ((SELECT count(*) FROM contact) + (SELECT count(*) FROM escalation))::int
            """, [now, StandardCode.arrearsContact.rawValue, StandardCode.arrearsEscalation.rawValue])[0].decode(0)
    }
}
