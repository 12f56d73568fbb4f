import ButlerCore
import Postgres

/// Monthly inspections of entrusted and vacant houses, levelled over each butler's working days:
/// 002 #13 unpaid entrusted check; 002 #25 paid check, cleaning and two ventilations;
/// 002 #14 vacant furnished monthly; 002 #15 vacant bare only when not checked the month before.
struct MonthlyInspectionRule: TaskRule {
    let standards: [StandardCode] = [.entrustedCheck, .paidCheck, .paidCleaning, .paidVentilation, .vacantFurnishedCheck, .vacantBareCheck]
    /// The report deadline of each (InspectionReports reads it when the inspection is recorded).
    var tunables: [StandardCode: Set<TunableColumn>] { [.entrustedCheck: [.deadlineHours], .paidCheck: [.deadlineHours],
                                                            .vacantFurnishedCheck: [.deadlineHours], .vacantBareCheck: [.deadlineHours]] }

    func plan(_ c: PlanContext) throws -> [PlannedTask] {
        let month = c.month
        let rows = try c.db.query("""
            WITH active AS (
                SELECT house_id, kind FROM entrustments
                WHERE from_date <= $2::date AND (to_date IS NULL OR to_date >= $1::date)
            ), candidates AS (
                SELECT house_id, CASE kind WHEN 'paid' THEN $6 ELSE $5 END AS standard, false AS checked_before FROM active
                UNION ALL SELECT house_id, $7, false FROM active WHERE kind = 'paid'
                UNION ALL SELECT house_id, $8, false FROM active WHERE kind = 'paid'
                UNION ALL SELECT h.id, $9, false FROM houses h
                    WHERE h.occupancy = 'vacant_furnished' AND NOT EXISTS (SELECT 1 FROM active a WHERE a.house_id = h.id)
                -- 002 #15: whether the bare shell was checked the month before (TaskSchedule decides).
                UNION ALL SELECT h.id, $10, EXISTS (SELECT 1 FROM inspections i WHERE i.house_id = h.id AND i.kind = 'check'
                                                    AND i.at >= ($1::date - interval '1 month') AND i.at < $1::date)
                    FROM houses h
                    WHERE h.occupancy = 'vacant_bare' AND NOT EXISTS (SELECT 1 FROM active a WHERE a.house_id = h.id)
            )
            SELECT c.standard, h.id, h.project_id, gh.grid_id, h.building, h.unit, h.room, coalesce(ga.staff_id, -gh.grid_id),
                   c.checked_before
            FROM candidates c
            JOIN houses h ON h.id = c.house_id
            JOIN grid_houses gh ON gh.house_id = h.id
            LEFT JOIN grid_assignments ga ON ga.grid_id = gh.grid_id AND ga.from_date <= $4::date
                 AND (ga.to_date IS NULL OR ga.to_date >= $4::date)
            WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.standard = c.standard AND t.subject = 'h' || h.id
                              AND t.period IN ($3, $3 || '#1'))
            """, [month.first.description, month.last.description, month.description, c.date.description]
                + [StandardCode.entrustedCheck, .paidCheck, .paidCleaning, .paidVentilation, .vacantFurnishedCheck, .vacantBareCheck].map(\.rawValue))

        struct Candidate { let standard: StandardCode; let house: Int; let project: Int; let grid: Int; let item: LevelItem }
        var byButler: [Int: [Candidate]] = [:]
        var ventilations: [Candidate] = []
        for r in rows {
            guard let standard = StandardCode(rawValue: try r.decode(0)) else { continue }
            if standard == .vacantBareCheck,
               c.schedule.vacantBareCheckDue(month, checkedInPreviousMonth: try r.decode(8, as: Bool.self)) == nil { continue }
            let house: Int = try r.decode(1)
            let candidate = Candidate(
                standard: standard, house: house, project: try r.decode(2), grid: try r.decode(3),
                item: LevelItem(id: "\(standard.rawValue)|\(house)", building: try r.decode(4), unit: try r.decode(5), room: try r.decode(6)))
            if standard == .paidVentilation { ventilations.append(candidate) } else { byButler[try r.decode(7), default: []].append(candidate) }
        }

        let due = c.schedule.monthlyCheckDue(month)
        // Spread over the working days still ahead in the month (all of them when planned on the 1st).
        let days = c.calendar.workingDays(from: max(month.first, c.date), through: due)
        var tasks: [PlannedTask] = []
        for (_, candidates) in byButler.sorted(by: { $0.key < $1.key }) {
            let planned = TaskSchedule.level(candidates.map(\.item), over: days.isEmpty ? [due] : days)
            for cand in candidates {
                tasks.append(PlannedTask(
                    standard: cand.standard, subject: "h\(cand.house)", period: month.description, projectID: cand.project,
                    gridID: cand.grid, houseID: cand.house, windowStart: planned[cand.item.id] ?? due, due: due,
                    reason: "\(month) 月度"))
            }
        }
        // 002 #25: ventilation twice a month, the first due mid-month, the second at month end.
        let dues = c.schedule.ventilationDues(month)
        for cand in ventilations {
            var start = c.calendar.firstWorkingDay(of: month)
            for (i, d) in dues.enumerated() {
                tasks.append(PlannedTask(
                    standard: .paidVentilation, subject: "h\(cand.house)", period: "\(month)#\(i + 1)", projectID: cand.project,
                    gridID: cand.grid, houseID: cand.house, windowStart: start, due: d, reason: "\(month) 第\(i + 1)次通风"))
                start = d.adding(days: 1)
            }
        }
        return tasks
    }

    /// A check (a cleaning for paid_cleaning) in the task's month or later; each ventilation
    /// of a month completes one of the month's ventilation tasks (002 #25): the open tasks, by
    /// due date, take the ventilations not yet credited to a task, by time, so a ventilation
    /// recorded late never takes another's credit.
    func complete(_ db: Connection, _ scope: CompletionScope, on date: Day, standards: StandardBook) throws -> Int {
        let checks: [StandardCode] = [.entrustedCheck, .paidCheck, .vacantFurnishedCheck, .vacantBareCheck]
        return try RecordCompletion.inspection(db, scope, kind: .check, standards: checks, fromWindowStart: false)
            + RecordCompletion.inspection(db, scope, kind: .cleaning, standards: [.paidCleaning], fromWindowStart: false)
            + completeVentilations(db, scope)
    }

    private func completeVentilations(_ db: Connection, _ scope: CompletionScope) throws -> Int {
        try db.execute("""
            UPDATE tasks t SET done_at = m.at, done_by = m.staff_id, done_note = 'ventilation ' || m.inspection
            FROM (SELECT vt.id, vi.at, vi.staff_id, vi.inspection
                  FROM (SELECT t2.id, t2.house_id, date_trunc('month', t2.due_date)::date AS month,
                               row_number() OVER (PARTITION BY t2.house_id, date_trunc('month', t2.due_date) ORDER BY t2.due_date, t2.id) AS n
                        FROM tasks t2
                        WHERE t2.standard = $3 AND t2.done_at IS NULL
                          AND ($1::bigint[] IS NULL OR t2.house_id = ANY($1::bigint[]))
                          AND ($2::bigint[] IS NULL OR t2.house_id IN (SELECT house_id FROM tasks WHERE id = ANY($2::bigint[])))) vt
                  JOIN (SELECT ins.house_id, date_trunc('month', ins.at)::date AS month, ins.at, ins.staff_id, ins.id AS inspection,
                               row_number() OVER (PARTITION BY ins.house_id, date_trunc('month', ins.at) ORDER BY ins.at, ins.id) AS n
                        FROM inspections ins
                        WHERE ins.kind = 'ventilation'
                          AND ($1::bigint[] IS NULL OR ins.house_id = ANY($1::bigint[]))
                          AND ($2::bigint[] IS NULL OR ins.house_id IN (SELECT house_id FROM tasks WHERE id = ANY($2::bigint[])))
                          AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.house_id = ins.house_id AND c.standard = $3
                                          AND c.done_note = 'ventilation ' || ins.id)) vi
                    ON vi.house_id = vt.house_id AND vi.month = vt.month AND vi.n = vt.n) m
            WHERE t.id = m.id AND t.done_at IS NULL
            """, scope.filters + [StandardCode.paidVentilation.rawValue])
    }
}
