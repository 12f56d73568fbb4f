import ButlerCore
import Postgres

/// 002 #18: a household that moved in on day M is visited by the 3rd working day after M;
/// only move-ins of the last 30 days generate a task.
struct MoveInVisitRule: PlanningRule {
    let standards: [StandardCode] = [.moveInVisit]

    func tasks(_ c: PlanContext) throws -> [PlannedTask] {
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
            WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.standard = 'move_in_visit'
                              AND t.subject = 'h' || h.id AND t.period = m.move_in::text)
            """, [c.date.description]).map { r in
            let movedIn = try c.db.day(r, 3)
            return PlannedTask(
                standard: .moveInVisit, subject: "h\(try r.decode(0, as: Int.self))", period: movedIn.description,
                projectID: try r.decode(1), gridID: try r.decode(2), houseID: try r.decode(0),
                windowStart: movedIn, due: c.schedule.moveInVisitDue(movedIn: movedIn, workingDays: workingDays),
                reason: "入住 \(movedIn)")
        }
    }
}

/// Monthly inspections of entrusted and vacant houses, levelled over each butler's working days:
/// 002 #13 unpaid entrusted check; 002 #25 paid check, cleaning and two ventilations;
/// 002 #14 vacant furnished monthly; 002 #15 vacant bare only when not checked the month before.
struct MonthlyInspectionRule: PlanningRule {
    let standards: [StandardCode] = [.entrustedCheck, .paidCheck, .paidCleaning, .paidVentilation, .vacantFurnishedCheck, .vacantBareCheck]

    func tasks(_ c: PlanContext) throws -> [PlannedTask] {
        let month = c.month
        let rows = try c.db.query("""
            WITH active AS (
                SELECT house_id, kind FROM entrustments
                WHERE from_date <= $2::date AND (to_date IS NULL OR to_date >= $1::date)
            ), candidates AS (
                SELECT house_id, CASE kind WHEN 'paid' THEN 'paid_check' ELSE 'entrusted_check' END AS standard FROM active
                UNION ALL SELECT house_id, 'paid_cleaning' FROM active WHERE kind = 'paid'
                UNION ALL SELECT house_id, 'paid_ventilation' FROM active WHERE kind = 'paid'
                UNION ALL SELECT h.id, 'vacant_furnished_check' FROM houses h
                    WHERE h.occupancy = 'vacant_furnished' AND NOT EXISTS (SELECT 1 FROM active a WHERE a.house_id = h.id)
                UNION ALL SELECT h.id, 'vacant_bare_check' FROM houses h
                    WHERE h.occupancy = 'vacant_bare' AND NOT EXISTS (SELECT 1 FROM active a WHERE a.house_id = h.id)
                      AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.house_id = h.id AND i.kind = 'check'
                                      AND i.at >= ($1::date - interval '1 month') AND i.at < $1::date)
            )
            SELECT c.standard, h.id, h.project_id, gh.grid_id, h.building, h.unit, h.room, coalesce(ga.staff_id, -gh.grid_id)
            FROM candidates c
            JOIN houses h ON h.id = c.house_id
            JOIN grid_houses gh ON gh.house_id = h.id
            LEFT JOIN grid_assignments ga ON ga.grid_id = gh.grid_id AND ga.from_date <= $4::date
                 AND (ga.to_date IS NULL OR ga.to_date >= $4::date)
            WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.standard = c.standard AND t.subject = 'h' || h.id
                              AND t.period IN ($3, $3 || '#1'))
            """, [month.first.description, month.last.description, month.description, c.date.description])

        struct Candidate { let standard: StandardCode; let house: Int; let project: Int; let grid: Int; let item: LevelItem }
        var byButler: [Int: [Candidate]] = [:]
        var ventilations: [Candidate] = []
        for r in rows {
            guard let standard = StandardCode(rawValue: try r.decode(0)) else { continue }
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
}

/// 002 #28: before every public holiday, call each holiday home and entrusted house within the
/// 5 working days before it; overlapping windows make one call covering both holidays.
struct HolidayConciergeRule: PlanningRule {
    let standards: [StandardCode] = [.holidayConciergeCall]

    func tasks(_ c: PlanContext) throws -> [PlannedTask] {
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
                  AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.standard = 'holiday_concierge_call'
                                  AND t.subject = 'h' || h.id AND t.period = $2)
                """, [call.windowStart.description, call.firstHolidayDay.description])
            for r in rows {
                tasks.append(PlannedTask(
                    standard: .holidayConciergeCall, subject: "h\(try r.decode(0, as: Int.self))", period: call.firstHolidayDay.description,
                    projectID: try r.decode(1), gridID: try r.decode(2), houseID: try r.decode(0),
                    windowStart: call.windowStart, due: call.due, reason: call.holidays.joined(separator: "、") + " 节前致电"))
            }
        }
        return tasks
    }
}

/// 001, 003: residents tagged elderly_alone or disabled get a safety visit every N days
/// (14 by default, `interval_days` of the standard); one task per household.
struct CareVisitRule: PlanningRule {
    let standards: [StandardCode] = [.careVisit]

    func tasks(_ c: PlanContext) throws -> [PlannedTask] {
        let interval = c.standards[.careVisit]?.intervalDays ?? 14
        return try c.db.query("""
            SELECT h.id, h.project_id, gh.grid_id,
                   (SELECT max(tp.at)::date::text FROM touchpoints tp WHERE tp.house_id = h.id AND tp.kind = 'visit')
            FROM houses h JOIN grid_houses gh ON gh.house_id = h.id
            WHERE EXISTS (SELECT 1 FROM house_residents hr WHERE hr.house_id = h.id
                          AND hr.tags && ARRAY['elderly_alone', 'disabled'])
              AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.standard = 'care_visit' AND t.subject = 'h' || h.id
                              AND t.done_at IS NULL)
            """).compactMap { r in
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
}
