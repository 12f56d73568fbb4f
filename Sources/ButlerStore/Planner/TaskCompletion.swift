import ButlerCore
import Foundation
import Postgres

/// Records complete tasks: a visit completes the move-in and care visits, a call-out the
/// concierge call, an inspection that month's (and older overdue) check, enough visits the quota.
/// Set-based, so the planner can apply it to bulk-imported history as well as to one new record.
struct TaskCompletion {
    let db: Connection

    /// Which open tasks to look at.
    enum Scope {
        /// Tasks of these houses (after new records of them).
        case houses([Int])
        /// These tasks (just created: records may predate them).
        case tasks([Int])
    }

    /// Applies every completion rule to the tasks in `scope`; returns tasks completed.
    func apply(_ scope: Scope, on date: Day, standards: StandardBook) throws -> Int {
        var houseFilter: [Int]?, taskFilter: [Int]?
        switch scope {
        case .houses(let ids): houseFilter = ids
        case .tasks(let ids): taskFilter = ids
        }
        var completed = 0
        // A visit at the house on or after the window start (002 #18, care visits).
        completed += try db.execute("""
            UPDATE tasks t SET done_at = f.at, done_by = f.staff_id, done_note = 'visit'
            FROM (SELECT t2.id, v.at, v.staff_id FROM tasks t2
                  CROSS JOIN LATERAL (SELECT tp.at, tp.staff_id FROM touchpoints tp
                                      WHERE tp.house_id = t2.house_id AND tp.kind = 'visit' AND tp.at >= t2.window_start
                                      ORDER BY tp.at LIMIT 1) v
                  WHERE t2.done_at IS NULL AND t2.standard IN ('move_in_visit', 'care_visit', 'holiday_arrival_visit')
                    AND ($1::bigint[] IS NULL OR t2.house_id = ANY($1::bigint[]))
                    AND ($2::bigint[] IS NULL OR t2.id = ANY($2::bigint[]))) f
            WHERE t.id = f.id
            """, [houseFilter, taskFilter])
        // 002 #28: a call-out to the house within the concierge window.
        completed += try db.execute("""
            UPDATE tasks t SET done_at = f.at, done_by = f.staff_id, done_note = 'call_out'
            FROM (SELECT t2.id, v.at, v.staff_id FROM tasks t2
                  CROSS JOIN LATERAL (SELECT tp.at, tp.staff_id FROM touchpoints tp
                                      WHERE tp.house_id = t2.house_id AND tp.kind = 'call_out'
                                        AND tp.at >= t2.window_start AND tp.at < t2.due_date + 1
                                      ORDER BY tp.at LIMIT 1) v
                  WHERE t2.done_at IS NULL AND t2.standard = 'holiday_concierge_call'
                    AND ($1::bigint[] IS NULL OR t2.house_id = ANY($1::bigint[]))
                    AND ($2::bigint[] IS NULL OR t2.id = ANY($2::bigint[]))) f
            WHERE t.id = f.id
            """, [houseFilter, taskFilter])
        // An inspection in a month completes that month's task and older overdue ones of the same kind.
        completed += try db.execute("""
            UPDATE tasks t SET done_at = f.at, done_by = f.staff_id, done_note = 'inspection'
            FROM (SELECT t2.id, i.at, i.staff_id FROM tasks t2
                  CROSS JOIN LATERAL (SELECT ins.at, ins.staff_id FROM inspections ins
                                      WHERE ins.house_id = t2.house_id
                                        AND ins.kind = CASE WHEN t2.standard = 'paid_cleaning' THEN 'cleaning' ELSE 'check' END
                                        -- A weather check needs an inspection after the alert; a monthly one, within its month or later.
                                        AND ins.at >= CASE WHEN t2.standard = 'weather_check' THEN t2.window_start::timestamptz
                                                           ELSE date_trunc('month', t2.due_date) END
                                      ORDER BY ins.at LIMIT 1) i
                  WHERE t2.done_at IS NULL
                    AND t2.standard IN ('entrusted_check', 'paid_check', 'paid_cleaning', 'vacant_furnished_check', 'vacant_bare_check', 'weather_check')
                    AND ($1::bigint[] IS NULL OR t2.house_id = ANY($1::bigint[]))
                    AND ($2::bigint[] IS NULL OR t2.id = ANY($2::bigint[]))) f
            WHERE t.id = f.id
            """, [houseFilter, taskFilter])
        // 002 #25: each ventilation of a month completes one of the month's ventilation tasks, in
        // order (the n-th ventilation the n-th task), whether recorded live or imported.
        completed += try db.execute("""
            UPDATE tasks t SET done_at = m.at, done_by = m.staff_id, done_note = 'ventilation'
            FROM (SELECT vt.id, vi.at, vi.staff_id
                  FROM (SELECT t2.id, t2.house_id, date_trunc('month', t2.due_date)::date AS month,
                               row_number() OVER (PARTITION BY t2.house_id, date_trunc('month', t2.due_date) ORDER BY t2.due_date, t2.id) AS n
                        FROM tasks t2
                        WHERE t2.standard = 'paid_ventilation'
                          AND ($1::bigint[] IS NULL OR t2.house_id = ANY($1::bigint[]))
                          AND ($2::bigint[] IS NULL OR t2.house_id IN (SELECT house_id FROM tasks WHERE id = ANY($2::bigint[])))) vt
                  JOIN (SELECT ins.house_id, date_trunc('month', ins.at)::date AS month, ins.at, ins.staff_id,
                               row_number() OVER (PARTITION BY ins.house_id, date_trunc('month', ins.at) ORDER BY ins.at, ins.id) AS n
                        FROM inspections ins
                        WHERE ins.kind = 'ventilation'
                          AND ($1::bigint[] IS NULL OR ins.house_id = ANY($1::bigint[]))
                          AND ($2::bigint[] IS NULL OR ins.house_id IN (SELECT house_id FROM tasks WHERE id = ANY($2::bigint[])))) vi
                    ON vi.house_id = vt.house_id AND vi.month = vt.month AND vi.n = vt.n) m
            WHERE t.id = m.id AND t.done_at IS NULL
            """, [houseFilter, taskFilter])
        completed += try completeQuotas(on: date, standards: standards)
        return completed
    }

    /// 002 #18: the quota item is done when the butler's visits (opinions) of the month reach the target.
    func completeQuotas(on date: Day, standards: StandardBook) throws -> Int {
        var completed = 0
        for (standard, kind) in [(StandardCode.visitQuota, "visit"), (.opinionQuota, "opinion")] {
            let target = standards[standard]?.perPeriod ?? 7
            completed += try db.execute("""
                UPDATE tasks t SET done_at = q.at, done_note = 'quota reached'
                FROM (SELECT t2.id, (SELECT tp.at FROM touchpoints tp
                                     WHERE tp.staff_id = t2.staff_id AND tp.kind = $2
                                       AND tp.at >= date_trunc('month', t2.window_start)
                                       AND tp.at < date_trunc('month', t2.window_start) + interval '1 month'
                                     ORDER BY tp.at OFFSET $3 - 1 LIMIT 1) AS at
                      FROM tasks t2 WHERE t2.standard = $1 AND t2.done_at IS NULL) q
                WHERE t.id = q.id AND q.at IS NOT NULL
                """, [standard.rawValue, kind, target])
        }
        return completed
    }

    /// Completes the oldest open task of a standard for a subject (one patrol, one ventilation).
    func completeOldest(standard: StandardCode, gridID: Int? = nil, houseID: Int? = nil, at: Date, by staffID: Int, note: String) throws -> Int? {
        try db.query("""
            UPDATE tasks SET done_at = $4, done_by = $5, done_note = $6
            WHERE id = (SELECT id FROM tasks WHERE standard = $1 AND done_at IS NULL AND window_start <= $4::timestamptz::date
                          AND (($2::integer IS NOT NULL AND grid_id = $2) OR ($3::bigint IS NOT NULL AND house_id = $3))
                        ORDER BY due_date, id LIMIT 1 FOR UPDATE)
            RETURNING id
            """, [standard.rawValue, gridID, houseID, at, staffID, note]).first.map { try $0.decode(0) }
    }
}
