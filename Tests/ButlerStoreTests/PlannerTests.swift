import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

func count(_ db: Connection, _ sql: SQL, _ params: [any PostgresBindable] = []) throws -> Int {
    try db.query(sql, params)[0].decode(0)
}

@Suite struct PlannerTests {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRegistry(db)
    }

    @Test func planningTwice_createsNoDuplicates() throws {
        let day = try #require(Day("2026-11-23"))
        let first = try Planner(db: db).plan(date: day)
        #expect(first.created > 0)
        #expect(first.byStandard["move_in_visit"] == 1)
        #expect(first.byStandard["entrusted_check"] == 1)
        #expect(first.byStandard["vacant_furnished_check"] == 1)
        #expect(first.byStandard["vacant_bare_check"] == 1)
        #expect(first.byStandard["grid_patrol"] == 4)
        let again = try Planner(db: db).plan(date: day)
        #expect(again.created == 0)
        #expect(try count(db, "SELECT count(*) FROM tasks") == first.created)
    }

    @Test func concurrentPlans_createNoDuplicates() async throws {
        let config = schema.config
        let day = try #require(Day("2026-11-23"))
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    let connection = try config.connect()
                    return try Planner(db: connection).plan(date: day).created
                }
            }
            var total = 0
            for try await created in group { total += created }
            #expect(try count(db, "SELECT count(*) FROM tasks") == total)
        }
        #expect(try count(db, "SELECT count(*) FROM (SELECT standard, subject, period FROM tasks GROUP BY 1, 2, 3 HAVING count(*) > 1) d") == 0)
    }

    @Test func moveInOnFriday_isDueThirdWorkingDay_onTheList() throws {
        // Reads never plan: the day is planned first, as the daily job does.
        try Planner(db: db).plan(date: try #require(Day("2026-11-23")))
        let list = try DailyListStore(db: db).list(butler: "E1001", on: try #require(Day("2026-11-23")))
        let visit = try #require(list.tasks.first { $0.standard == "move_in_visit" })
        #expect(visit.house == "YS01/1-1-101")
        #expect(visit.due == "2026-11-25")
        #expect(visit.status == "open")
        let later = try DailyListStore(db: db).list(butler: "E1001", on: try #require(Day("2026-11-26")))
        #expect(later.tasks.first?.standard == "move_in_visit")
        #expect(later.tasks.first?.status == "overdue")
    }

    @Test func visitRecord_completesMoveInAndCareVisits() throws {
        let day = try #require(Day("2026-11-23"))
        try Planner(db: db).plan(date: day)
        let at = try #require(Timestamp.parse("2026-11-24T10:00"))
        let result = try Records(db: db).touch(house: "YS01/1-1-101", kind: .visit, by: "E1001", at: at, note: "入住走访")
        #expect(result.completedTasks.count == 2)
        #expect(!result.outsideOwnGrids)
        let list = try DailyListStore(db: db).list(butler: "E1001", on: try #require(Day("2026-11-25")))
        #expect(!list.tasks.contains { $0.standard == "move_in_visit" })
    }

    @Test func inspection_completesThisMonthsAndOlderChecks() throws {
        try Planner(db: db).plan(date: try #require(Day("2026-10-15")))
        try Planner(db: db).plan(date: try #require(Day("2026-11-16")))
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'entrusted_check' AND done_at IS NULL") == 2)
        let result = try Records(db: db).inspect(
            house: "YS01/1-1-103", kind: .check, by: "E1001", at: try #require(Timestamp.parse("2026-11-20T09:00")), findings: ["门窗完好"])
        #expect(result.completedTasks.count == 2)
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'entrusted_check' AND done_at IS NULL") == 0)
    }

    @Test func importedHistory_completesTasksLikeRecordsDo() throws {
        try Planner(db: db).plan(date: try #require(Day("2026-11-23")))
        _ = try Importer(db: db).run(.touchpoints, table: try CSVTable.parse("""
            project,building,unit,room,kind,by,at,note
            YS01,1,1,101,visit,E1001,2026-11-24T10:00,入住走访

            """, fileName: "touchpoints.csv"))
        _ = try Importer(db: db).run(.inspections, table: try CSVTable.parse("""
            project,building,unit,room,kind,by,at,finding
            YS01,1,1,103,check,E1001,2026-11-24T11:00,门窗完好

            """, fileName: "inspections.csv"))
        let done = try db.query("SELECT standard FROM tasks WHERE done_at IS NOT NULL ORDER BY standard").map { try $0.decode(0, as: String.self) }
        #expect(done == ["care_visit", "entrusted_check", "move_in_visit"])
    }

    @Test func tasksCreatedAfterTheirRecord_areCreatedDone() throws {
        _ = try Records(db: db).inspect(house: "YS01/1-1-103", kind: .check, by: "E1001",
                                        at: try #require(Timestamp.parse("2026-11-02T09:00")), findings: [])
        let report = try Planner(db: db).plan(date: try #require(Day("2026-11-23")))
        #expect(report.completed >= 1)
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'entrusted_check' AND done_at IS NULL") == 0)
    }

    @Test func reassignmentMidMonth_movesOpenTasksToTheNewButler() throws {
        let day = try #require(Day("2026-11-16"))
        try Planner(db: db).plan(date: day)
        try GridStore(db: db).assign(grid: "YS01-G01", butler: "E1002", from: try #require(Day("2026-11-20")))
        let before = try DailyListStore(db: db).list(butler: "E1001", on: try #require(Day("2026-11-19")))
        #expect(before.tasks.contains { $0.standard == "entrusted_check" })
        let after = try DailyListStore(db: db).list(butler: "E1002", on: try #require(Day("2026-11-30")))
        #expect(after.tasks.contains { $0.standard == "entrusted_check" && $0.house == "YS01/1-1-103" })
        let old = try DailyListStore(db: db).list(butler: "E1001", on: try #require(Day("2026-11-30")))
        #expect(!old.tasks.contains { $0.grid == "YS01-G01" })
    }

    @Test func patrol_completesOldestOpenPatrolOfTheGrid() throws {
        try Planner(db: db).plan(date: try #require(Day("2026-11-23")))
        let result = try Records(db: db).patrol(grid: "YS01-G01", by: "E1001", at: try #require(Timestamp.parse("2026-11-24T08:00")), note: "")
        #expect(result.completedTasks.count == 1)
        let done = try db.query("SELECT period FROM tasks WHERE id = $1", [result.completedTasks[0]])[0].decode(0, as: String.self)
        #expect(done == "2026-W48#1")
    }

    @Test func futureOrUnknownRecords_areRefused() throws {
        #expect(throws: ButlerError.self) {
            try Records(db: db).touch(house: "YS01/1-1-101", kind: .visit, by: "E1001", at: Date().addingTimeInterval(3600), note: "")
        }
        #expect(throws: ButlerError.self) {
            try Records(db: db).touch(house: "YS01/9-9-999", kind: .visit, by: "E1001", at: nil, note: "")
        }
    }

    @Test func recordOutsideOwnGrids_isFlagged() throws {
        let result = try Records(db: db).touch(house: "YS01/2-1-101", kind: .visit, by: "E1001", at: nil, note: "")
        #expect(result.outsideOwnGrids)
    }

    @Test func levelling_keepsEachDayWithinBound() throws {
        try Planner(db: db).plan(date: try #require(Day("2026-12-01")))
        let maxPerDay = try count(db, """
            SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM tasks
            WHERE standard IN ('entrusted_check', 'vacant_furnished_check', 'vacant_bare_check') GROUP BY window_start) d
            """)
        #expect(maxPerDay <= 2)
        let dues = try db.query("SELECT DISTINCT due_date::text FROM tasks WHERE period = '2026-12'").map { try $0.decode(0, as: String.self) }
        #expect(dues == ["2026-12-31"])
    }
}
