import ButlerCore
import Postgres

/// The set-based completions rules share. Every statement takes `$1` (house ids or NULL) and
/// `$2` (task ids or NULL) from ``CompletionScope/filters``, then its own parameters; standard
/// codes are bound from ``StandardCode``, never written into the SQL.
enum RecordCompletion {
    /// The first touchpoint of `kind` at the task's house on or after its window start (and,
    /// with `withinWindow`, before the end of its due day) completes it.
    static func firstTouchpoint(_ db: Connection, _ scope: CompletionScope, kind: TouchpointKind, standards: [StandardCode],
                                withinWindow: Bool = false) throws -> Int {
        try db.execute("""
            UPDATE tasks t SET done_at = f.at, done_by = f.staff_id, done_note = $3
            FROM (SELECT t2.id, v.at, v.staff_id FROM tasks t2
                  CROSS JOIN LATERAL (SELECT tp.at, tp.staff_id FROM touchpoints tp
                                      WHERE tp.house_id = t2.house_id AND tp.kind = $3 AND tp.at >= t2.window_start
                                        AND (NOT $5 OR tp.at < t2.due_date + 1)
                                      ORDER BY tp.at LIMIT 1) v
                  WHERE t2.done_at IS NULL AND t2.standard = ANY($4::text[])
                    AND ($1::bigint[] IS NULL OR t2.house_id = ANY($1::bigint[]))
                    AND ($2::bigint[] IS NULL OR t2.id = ANY($2::bigint[]))) f
            WHERE t.id = f.id
            """, scope.filters + [kind.rawValue, standards.map(\.rawValue), withinWindow])
    }

    /// An inspection of `kind` at the house from `since` on completes the task: for a monthly
    /// task, from the first day of its due month (so a late one also completes older overdue
    /// tasks of the same kind); for an event's task, from its window start.
    static func inspection(_ db: Connection, _ scope: CompletionScope, kind: InspectionKind, standards: [StandardCode],
                           fromWindowStart: Bool) throws -> Int {
        try db.execute("""
            UPDATE tasks t SET done_at = f.at, done_by = f.staff_id, done_note = 'inspection'
            FROM (SELECT t2.id, i.at, i.staff_id FROM tasks t2
                  CROSS JOIN LATERAL (SELECT ins.at, ins.staff_id FROM inspections ins
                                      WHERE ins.house_id = t2.house_id AND ins.kind = $3
                                        AND ins.at >= CASE WHEN $5 THEN t2.window_start::timestamptz
                                                           ELSE date_trunc('month', t2.due_date) END
                                      ORDER BY ins.at LIMIT 1) i
                  WHERE t2.done_at IS NULL AND t2.standard = ANY($4::text[])
                    AND ($1::bigint[] IS NULL OR t2.house_id = ANY($1::bigint[]))
                    AND ($2::bigint[] IS NULL OR t2.id = ANY($2::bigint[]))) f
            WHERE t.id = f.id
            """, scope.filters + [kind.rawValue, standards.map(\.rawValue), fromWindowStart])
    }
}
