import ButlerCore
import Postgres

/// 002 #18: a household that moved in on day M is visited by the 3rd working day after M;
/// only move-ins of the last 30 days generate a task.
struct MoveInVisitRule: TaskRule {
    let standards: [StandardCode] = [.moveInVisit]
    var tunables: [StandardCode: Set<TunableColumn>] { [.moveInVisit: [.workingDays]] }

    func plan(_ c: PlanContext) throws -> [PlannedTask] {
        let workingDays = c.standards[.moveInVisit]?.workingDays ?? 3
        return try c.db.query("""
            SELECT h.id, h.project_id, gh.grid_id, m.move_in::text
            FROM (SELECT id AS house_id, move_in_date AS move_in FROM houses
                  WHERE move_in_date BETWEEN $1::date - 30 AND $1::date
                  UNION
                  SELECT house_id, move_in_date FROM house_residents
                  WHERE move_in_date BETWEEN $1::date - 30 AND $1::date) m
            JOIN houses h ON h.id = m.house_id
            JOIN grid_houses gh ON gh.house_id = h.id
            WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.standard = $2
                              AND t.subject = 'h' || h.id AND t.period = m.move_in::text)
            """, [c.date.description, StandardCode.moveInVisit.rawValue]).map { r in
            let movedIn = try c.db.day(r, 3)
            return PlannedTask(
                standard: .moveInVisit, subject: "h\(try r.decode(0, as: Int.self))", period: movedIn.description,
                projectID: try r.decode(1), gridID: try r.decode(2), houseID: try r.decode(0),
                windowStart: movedIn, due: c.schedule.moveInVisitDue(movedIn: movedIn, workingDays: workingDays),
                reason: "入住 \(movedIn)")
        }
    }

    /// A visit at the house on or after the window start.
    func complete(_ db: Connection, _ scope: CompletionScope, on date: Day, standards: StandardBook) throws -> Int {
        try RecordCompletion.firstTouchpoint(db, scope, kind: .visit, standards: self.standards)
    }
}
