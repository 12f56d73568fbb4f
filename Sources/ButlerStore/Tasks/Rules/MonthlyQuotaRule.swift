import ButlerCore
import Postgres

/// 002 #18: every butler makes ≥ 7 household visits and ≥ 7 opinion solicitations a month;
/// one progress item each from the month's first working day until met.
struct MonthlyQuotaRule: TaskRule {
    let standards: [StandardCode] = [.visitQuota, .opinionQuota]
    var tunables: [StandardCode: Set<TunableColumn>] { [.visitQuota: [.perPeriod], .opinionQuota: [.perPeriod]] }

    func plan(_ c: PlanContext) throws -> [PlannedTask] {
        let window = c.schedule.monthlyQuotaWindow(c.month)
        return try [StandardCode.visitQuota, .opinionQuota].flatMap { standard in
            try butlerTasks(c, standard, period: c.month.description, window: window, reason: "\(c.month) 月度指标",
                            servingFrom: c.date, servingThrough: c.date)
        }
    }

    /// The item is done when the butler's visits (opinions) of the month reach the standard's
    /// per_period (7 shipped), at the record that reached it.
    func complete(_ db: Connection, _ scope: CompletionScope, on date: Day, standards: StandardBook) throws -> Int {
        var completed = 0
        for (standard, kind) in [(StandardCode.visitQuota, TouchpointKind.visit), (.opinionQuota, .opinion)] {
            completed += try db.execute("""
                UPDATE tasks t SET done_at = q.at, done_note = 'quota reached'
                FROM (SELECT t2.id, (SELECT tp.at FROM touchpoints tp
                                     WHERE tp.staff_id = t2.staff_id AND tp.kind = $2
                                       AND tp.at >= date_trunc('month', t2.window_start)
                                       AND tp.at < date_trunc('month', t2.window_start) + interval '1 month'
                                     ORDER BY tp.at OFFSET $3 - 1 LIMIT 1) AS at
                      FROM tasks t2 WHERE t2.standard = $1 AND t2.done_at IS NULL
                        -- Only the quota items the records in scope can move: of who recorded at those houses.
                        AND ($4::bigint[] IS NULL OR t2.staff_id IN (SELECT tp.staff_id FROM touchpoints tp
                                                                     WHERE tp.house_id = ANY($4::bigint[]) AND tp.kind = $2))
                        AND ($5::bigint[] IS NULL OR t2.id = ANY($5::bigint[]))) q
                WHERE t.id = q.id AND q.at IS NOT NULL
                """, [standard.rawValue, kind.rawValue, standards[standard]?.perPeriod ?? 7] + scope.filters)
        }
        return completed
    }
}
