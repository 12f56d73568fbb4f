import ButlerCore
import Foundation
import Postgres

/// Records complete tasks: each standard's rule says which records complete it
/// (``TaskRule/complete``); this applies them all, set-based, to the tasks in a scope, the same
/// for a new record, an imported history file and newly planned tasks.
struct TaskCompletion {
    let db: Connection

    typealias Scope = CompletionScope

    /// Applies every rule's completion to the tasks in `scope`; returns tasks completed.
    func apply(_ scope: Scope, on date: Day, standards: StandardBook) throws -> Int {
        try TaskRules.all.reduce(0) { $0 + (try $1.complete(db, scope, on: date, standards: standards)) }
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
