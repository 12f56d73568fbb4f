import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

private func at(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }

/// The clock (issue 12), on fixed clocks: every `now` is given, never read from the wall.
@Suite struct JobTests {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRegistry(db)
        try seedManager(db)
    }

    /// The task table as a set of natural keys with their dates.
    static func tasks(_ db: Connection) throws -> Set<String> {
        Set(try db.query("""
            SELECT standard || ' ' || subject || ' ' || period || ' ' || window_start || ' ' || due_date || ' ' || coalesce(grid_id::text, '-')
            FROM tasks
            """).map { try $0.decode(0, as: String.self) })
    }

    @Test func catchUpAfterAWeekOfDowntime_makesTheTasksDailyRunsWouldHave() throws {
        // The same registry planned by hand every day of the week...
        let daily = try TestSchema()
        let byHand = try daily.connect()
        try seedRegistry(byHand)
        var day = try #require(Day("2026-11-01"))
        while day <= (try #require(Day("2026-11-07"))) {
            try Planner(db: byHand).plan(date: day)
            day = day.adding(days: 1)
        }
        // ...and by one job run after a week of downtime (a database never planned starts on the 1st).
        let reports = try JobRunner(db: db).runDue(now: try at("2026-11-07T00:10"), only: ["daily_planning"])
        #expect(reports.map(\.outcome) == ["ok"])
        #expect(reports.first?.detail["days"] == 7)
        #expect(try Self.tasks(db) == (try Self.tasks(byHand)))
        #expect(try count(db, "SELECT count(*) FROM plan_runs") == 7)
        // Before 00:05 the day's slot is not due yet: the run at 00:04 the next day plans nothing new.
        let early = try JobRunner(db: db).runDue(now: try at("2026-11-08T00:04"), only: ["daily_planning"])
        #expect(early.map(\.outcome) == ["done"])
        let next = try JobRunner(db: db).runDue(now: try at("2026-11-08T00:05"), only: ["daily_planning"])
        #expect(next.map(\.outcome) == ["ok"])
        #expect(next.first?.detail["days"] == 1)
    }

    /// Done when: the clock left running over a month (a run at every day's 00:05, and sweeps)
    /// produces the task table and the monthly report of a `plan` by hand every day. Three quiet
    /// days (no list opened) change nothing: their patrols exist and count as missed.
    @Test func aMonthOnTheClock_equalsPlanningByHandEveryDay() throws {
        let daily = try TestSchema()
        let byHand = try daily.connect()
        try seedRegistry(byHand)
        try seedManager(byHand)
        let runner = JobRunner(db: db)
        // The server is down from the 10th to the 12th: no run at all on those days.
        let quiet = Set(["2026-11-10", "2026-11-11", "2026-11-12"])
        var day = try #require(Day("2026-11-01"))
        while day <= (try #require(Day("2026-11-30"))) {
            try Planner(db: byHand).plan(date: day)
            if !quiet.contains(day.description) {
                _ = try runner.runDue(now: day.startOfDay().addingTimeInterval(5 * 60))
                _ = try runner.runDue(now: day.startOfDay().addingTimeInterval(12 * 3600))
            }
            day = day.adding(days: 1)
        }
        #expect(try count(db, "SELECT count(*) FROM job_runs WHERE job = 'daily_planning' AND outcome = 'ok'") == 27)
        #expect(try count(db, "SELECT count(*) FROM plan_runs") == 30, "the quiet days were caught up on the 13th")
        #expect(try Self.tasks(db) == (try Self.tasks(byHand)))
        let month = try #require(YearMonth("2026-11"))
        let end = try at("2026-12-01T09:00")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let onTheClock = try encoder.encode(try MonthlyReportStore(db: db).report(project: "YS01", month: month, now: end))
        let planned = try encoder.encode(try MonthlyReportStore(db: byHand).report(project: "YS01", month: month, now: end))
        #expect(String(decoding: onTheClock, as: UTF8.self) == String(decoding: planned, as: UTF8.self))
        // Nothing was done: every task due in the month counts as missed in the report.
        let report = try MonthlyReportStore(db: db).report(project: "YS01", month: month, now: end)
        let patrols = try count(db, "SELECT count(*) FROM tasks WHERE standard = 'grid_patrol'")
        #expect(report.rows.allSatisfy { $0.done_on_time == 0 && $0.overdue_now > 0 })
        #expect(report.rows.map(\.tasks_due).reduce(0, +) >= patrols)
        // Every patrol of the month exists (none was done): all of them are past due.
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'grid_patrol' AND overdue_at IS NULL AND due_date < '2026-11-30'") == 0)
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'grid_patrol'") >= 16)
    }

    @Test func sweep_escalatesAtTheDeadlineMinute_andNotBefore() throws {
        // An entrusted house inspected at 09:00: its report is due at 17:00 (unpaid: 8 h, 002 #13).
        let inspection = try Records(db: db, now: try at("2026-11-20T09:00"))
            .inspect(house: "YS01/1-1-103", kind: .check, by: "E1001", at: try at("2026-11-20T09:00"), findings: [])
        #expect(inspection.id > 0)
        let runner = JobRunner(db: db)
        let before = try runner.runDue(now: try at("2026-11-20T16:59:30"), only: ["deadline_sweep"])
        #expect(before.first?.detail["escalated"] == 0)
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'report_escalation'") == 0)
        let atDeadline = try runner.runDue(now: try at("2026-11-20T17:00"), only: ["deadline_sweep"])
        #expect(atDeadline.first?.detail["escalated"] == 1)
        let escalation = try #require(try db.query("""
            SELECT st.employee_no, t.due_date::text, t.reason FROM tasks t JOIN staff st ON st.id = t.staff_id
            WHERE t.standard = 'report_escalation'
            """).first)
        #expect(try escalation.decode(0, as: String.self) == "E8001")
        #expect(try escalation.decode(1, as: String.self) == "2026-11-20")
        #expect(try escalation.decode(2, as: String.self).contains("YS01/1-1-103"))
        // On the manager's list, and raised once however often the sweep runs.
        let list = try DailyListStore(db: db).list(butler: "E8001", on: try #require(Day("2026-11-20")), now: try at("2026-11-20T17:01"))
        #expect(list.tasks.map(\.standard).contains("report_escalation"))
        _ = try runner.runDue(now: try at("2026-11-20T17:01"), only: ["deadline_sweep"])
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'report_escalation'") == 1)
    }

    @Test func aComplaintNotFollowedUp_escalatesWhenItsDayEnds() throws {
        // Opened Friday 2026-11-20: follow-up due the next working day, Monday 11-23 (002 #19).
        let result = try Records(db: db, now: try at("2026-11-20T10:00"))
            .touch(house: "YS01/1-1-101", kind: .complaint, by: "E1001", at: try at("2026-11-20T10:00"), note: "噪音")
        #expect(result.complaint != nil)
        let runner = JobRunner(db: db)
        _ = try runner.runDue(now: try at("2026-11-23T23:59"), only: ["deadline_sweep"])
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'complaint_escalation'") == 0)
        _ = try runner.runDue(now: try at("2026-11-24T00:00"), only: ["deadline_sweep"])
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'complaint_escalation'") == 1)
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'complaint_followup' AND overdue_at IS NOT NULL") == 1)
    }

    @Test func twoConcurrentRuns_doEachJobOnce() async throws {
        let now = try at("2026-11-10T00:06")
        let config = schema.config
        let outcomes = try await withThrowingTaskGroup(of: [JobRunReport].self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let db = try config.connect()
                    return try JobRunner(db: db).runDue(now: now)
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(outcomes.filter { $0.outcome == "ok" }.map(\.job).sorted() == ["daily_planning", "deadline_sweep"])
        #expect(outcomes.filter { $0.outcome == "busy" || $0.outcome == "done" }.count == 2)
        #expect(try count(db, "SELECT count(*) FROM job_runs WHERE outcome = 'ok'") == 2)
        #expect(try count(db, "SELECT count(*) FROM plan_runs") == 10)
    }

    @Test func aJobThatFails_isOnRecord_andTheOthersRun() throws {
        // Planning cannot finish (a constraint the owner adds for the test); the sweep still runs.
        try db.execute("ALTER TABLE plan_runs ADD CONSTRAINT test_refuses CHECK (day < '2000-01-01')")
        let reports = try JobRunner(db: db).runDue(now: try at("2026-11-10T00:06"))
        #expect(reports.map(\.outcome) == ["failed", "ok"])
        #expect(try count(db, "SELECT count(*) FROM tasks") == 0, "the failed run wrote nothing")
        let status = try JobRunner(db: db).status(now: try at("2026-11-10T00:06"))
        let planning = try #require(status.first { $0.job == "daily_planning" })
        #expect(planning.last_outcome == "failed")
        #expect(planning.last_error?.contains("test_refuses") == true)
        #expect(planning.next_due == "2026-11-10T00:05:00+08:00", "still due")
        let sweep = try #require(status.first { $0.job == "deadline_sweep" })
        #expect(sweep.next_due == "2026-11-10T00:07:00+08:00")
    }

    @Test func readsOfPastAndFutureDays_leaveTheTaskTableUnchanged() throws {
        let now = try at("2026-11-20T10:00")
        try Planner(db: db).plan(date: try #require(Day("2026-11-20")))
        let before = try Self.tasks(db)
        let runs = try count(db, "SELECT count(*) FROM plan_runs")
        let lists = DailyListStore(db: db)
        let past = try lists.list(butler: "E1001", on: try #require(Day("2026-11-02")), now: now)
        #expect(!past.planned)
        #expect(past.tasks.allSatisfy { !$0.preview })
        let future = try lists.list(butler: "E1001", on: try #require(Day("2026-11-25")), now: now)
        #expect(!future.planned)
        #expect(future.tasks.contains { $0.preview && $0.standard == "grid_patrol" })
        #expect(future.tasks.filter(\.preview).allSatisfy { $0.id.hasPrefix("preview:") })
        #expect(try Self.tasks(db) == before)
        #expect(try count(db, "SELECT count(*) FROM plan_runs") == runs)
        // A preview reaches 31 days ahead, and no further.
        #expect(throws: ButlerError.self) { try lists.list(butler: "E1001", on: try #require(Day("2026-12-22")), now: now) }
    }

    /// A day planned ahead by hand does not make the job skip the days before it.
    @Test func aDayPlannedAhead_doesNotHideTheDaysBefore() throws {
        try Planner(db: db).plan(date: try #require(Day("2026-11-20")))
        let reports = try JobRunner(db: db).runDue(now: try at("2026-11-05T00:06"), only: ["daily_planning"])
        #expect(reports.first?.detail["days"] == 5)
        #expect(try count(db, "SELECT count(*) FROM plan_runs WHERE day <= '2026-11-05'") == 5)
    }

    /// A ventilation recorded late never takes the credit of one already counted (002 #25).
    @Test func aLateVentilation_completesTheNextTask_inItsAuthorsName() throws {
        _ = try EntrustmentStore(db: db).entrust(house: "YS01/1-1-102", kind: .paid, from: try #require(Day("2026-11-01")), to: nil, keys: 1)
        _ = try Importer(db: db).run(.staff, table: try CSVTable.parse(
            "employee_no,name,phone,role,project\nE1003,王三,13800000013,butler,YS01\n", fileName: "staff.csv"))
        try Planner(db: db).plan(date: try #require(Day("2026-11-20")))
        _ = try Records(db: db, now: try at("2026-11-20T10:00"))
            .inspect(house: "YS01/1-1-102", kind: .ventilation, by: "E1001", at: try at("2026-11-20T10:00"), findings: [])
        _ = try Records(db: db, now: try at("2026-11-21T10:00"))
            .inspect(house: "YS01/1-1-102", kind: .ventilation, by: "E1003", at: try at("2026-11-10T10:00"), findings: [])
        let credited = try db.query("""
            SELECT st.employee_no FROM tasks t JOIN staff st ON st.id = t.done_by
            WHERE t.standard = 'paid_ventilation' ORDER BY st.employee_no
            """).map { try $0.decode(0, as: String.self) }
        #expect(credited == ["E1001", "E1003"])
    }

    /// 002 #25: completion is the same for live records and imported history.
    @Test func anImportedVentilation_completesItsTask_asARecordedOneDoes() throws {
        _ = try EntrustmentStore(db: db).entrust(house: "YS01/1-1-102", kind: .paid, from: try #require(Day("2026-11-01")), to: nil, keys: 1)
        try Planner(db: db).plan(date: try #require(Day("2026-11-20")))
        let open = "SELECT count(*) FROM tasks WHERE standard = 'paid_ventilation' AND done_at IS NULL"
        #expect(try count(db, SQL(unsafeRaw: open)) == 2)
        _ = try Importer(db: db).run(.inspections, table: try CSVTable.parse("""
            project,building,unit,room,kind,by,at,finding
            YS01,1,1,102,ventilation,E1001,2026-11-05T10:00,通风一小时

            """, fileName: "inspections.csv"))
        #expect(try count(db, SQL(unsafeRaw: open)) == 1)
        _ = try Records(db: db, now: try at("2026-11-25T10:00"))
            .inspect(house: "YS01/1-1-102", kind: .ventilation, by: "E1001", at: try at("2026-11-25T10:00"), findings: [])
        #expect(try count(db, SQL(unsafeRaw: open)) == 0)
    }

    @Test func movingHousesToAnotherGrid_takesTheirOpenTasksAlong() throws {
        try Planner(db: db).plan(date: try #require(Day("2026-11-20")))
        let open = try count(db, """
            SELECT count(*) FROM tasks t JOIN houses h ON h.id = t.house_id WHERE h.building = '1' AND t.done_at IS NULL
            """)
        #expect(open > 0)
        _ = try GridStore(db: db).cover(grid: "YS01-G02", building: "1", unit: nil, move: true)
        #expect(try count(db, """
            SELECT count(*) FROM tasks t JOIN houses h ON h.id = t.house_id JOIN grids g ON g.id = t.grid_id
            WHERE h.building = '1' AND t.done_at IS NULL AND g.code = 'YS01-G02'
            """) == open)
    }
}
