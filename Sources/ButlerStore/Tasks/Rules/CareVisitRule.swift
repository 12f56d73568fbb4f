import ButlerCore
import Postgres

/// 001, 003: residents tagged elderly_alone or disabled get a safety visit every N days
/// (14 by default, `interval_days` of the standard); one task per household.
struct CareVisitRule: TaskRule {
    let standards: [StandardCode] = [.careVisit]
    var tunables: [StandardCode: Set<TunableColumn>] { [.careVisit: [.intervalDays]] }

    func plan(_ c: PlanContext) throws -> [PlannedTask] {
        let interval = c.standards[.careVisit]?.intervalDays ?? 14
        return try c.db.query("""
            SELECT h.id, h.project_id, gh.grid_id,
                   (SELECT max(tp.at)::date::text FROM touchpoints tp WHERE tp.house_id = h.id AND tp.kind = 'visit')
            FROM houses h JOIN grid_houses gh ON gh.house_id = h.id
            WHERE EXISTS (SELECT 1 FROM house_residents hr WHERE hr.house_id = h.id
                          AND hr.tags && ARRAY['elderly_alone', 'disabled'])
              AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.standard = $1 AND t.subject = 'h' || h.id
                              AND t.done_at IS NULL)
            """, [StandardCode.careVisit.rawValue]).compactMap { r in
            let last = try r.decode(3, as: String?.self).flatMap(Day.init)
            let due = TaskSchedule.careVisitDue(lastVisit: last, today: c.date, intervalDays: interval)
            // The visit shows on the list from three days before it is due.
            let start = last == nil ? c.date : due.adding(days: -3)
            guard start <= c.date else { return nil }
            return PlannedTask(
                standard: .careVisit, subject: "h\(try r.decode(0, as: Int.self))", period: last.map { _ in due.description } ?? "first",
                projectID: try r.decode(1), gridID: try r.decode(2), houseID: try r.decode(0),
                windowStart: start, due: due, reason: last.map { "上次走访 \($0)" } ?? "首次关爱走访")
        }
    }

    /// A visit at the house on or after the window start.
    func complete(_ db: Connection, _ scope: CompletionScope, on date: Day, standards: StandardBook) throws -> Int {
        try RecordCompletion.firstTouchpoint(db, scope, kind: .visit, standards: self.standards)
    }
}
