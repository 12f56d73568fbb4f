import ButlerCore
import Postgres

/// 002 #28: before every public holiday, call each holiday home and entrusted house within the
/// 5 working days before it; overlapping windows make one call covering both holidays.
struct HolidayConciergeRule: TaskRule {
    let standards: [StandardCode] = [.holidayConciergeCall]
    var tunables: [StandardCode: Set<TunableColumn>] { [.holidayConciergeCall: [.workingDays]] }

    func plan(_ c: PlanContext) throws -> [PlannedTask] {
        // Calls whose window is open or opens within two weeks.
        let window = c.standards[.holidayConciergeCall]?.workingDays ?? 5
        let calls = c.schedule.conciergeCalls(from: c.date, through: c.date.adding(days: 60), workingDays: window)
            .filter { $0.due >= c.date && $0.windowStart <= c.date.adding(days: 14) }
        var tasks: [PlannedTask] = []
        for call in calls {
            let rows = try c.db.query("""
                SELECT h.id, h.project_id, gh.grid_id FROM houses h
                JOIN grid_houses gh ON gh.house_id = h.id
                WHERE (h.holiday_home OR EXISTS (
                        SELECT 1 FROM entrustments e WHERE e.house_id = h.id AND e.from_date <= $1::date
                        AND (e.to_date IS NULL OR e.to_date >= $1::date)))
                  -- Hashed once, whatever the statistics say (a nested anti-join over fresh calls was 16 s).
                  AND h.id NOT IN (SELECT t.house_id FROM tasks t WHERE t.standard = $3 AND t.period = $2
                                   AND t.house_id IS NOT NULL)
                """, [call.windowStart.description, call.firstHolidayDay.description, StandardCode.holidayConciergeCall.rawValue])
            for r in rows {
                tasks.append(PlannedTask(
                    standard: .holidayConciergeCall, subject: "h\(try r.decode(0, as: Int.self))", period: call.firstHolidayDay.description,
                    projectID: try r.decode(1), gridID: try r.decode(2), houseID: try r.decode(0),
                    windowStart: call.windowStart, due: call.due, reason: call.holidays.joined(separator: "、") + " 节前致电"))
            }
        }
        return tasks
    }

    /// 002 #28: a call-out to the house within the concierge window.
    func complete(_ db: Connection, _ scope: CompletionScope, on date: Day, standards: StandardBook) throws -> Int {
        try RecordCompletion.firstTouchpoint(db, scope, kind: .callOut, standards: self.standards, withinWindow: true)
    }
}
