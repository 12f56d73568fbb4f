import ButlerCore
@testable import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

private func at(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }
private func day(_ text: String) throws -> Day { try #require(Day(text)) }

/// The standards table drives the planner (issue 12): every standard has a row and every row a
/// code, and tuning a column changes what is planned. Each test compares the same registry
/// planned with the shipped value and with a tuned one.
@Suite struct StandardsColumnTests {
    /// A seeded schema (kept alive with its connection) with standards tuned, or not.
    struct Registry {
        let schema: TestSchema
        let db: Connection
    }

    static func registry(_ tune: ((StandardsStore) throws -> Void)? = nil) throws -> Registry {
        let schema = try TestSchema()
        let db = try schema.connect()
        try seedRegistry(db)
        try tune?(StandardsStore(db: db))
        return Registry(schema: schema, db: db)
    }

    @Test func everyStandardCodeHasARow_andEveryRowACode() throws {
        let registry = try Self.registry()
        let db = registry.db
        let rows = Set(try db.query("SELECT code FROM standards").map { try $0.decode(0, as: String.self) })
        #expect(rows == Set(StandardCode.allCases.map(\.rawValue)))
    }

    /// One task engine: every standard has exactly one rule (which plans it or says which event
    /// creates it, and says what completes it).
    @Test func everyStandardHasExactlyOneRule() {
        let covered = TaskRules.covered.map(\.rawValue)
        #expect(covered.count == Set(covered).count, "a standard with two rules")
        #expect(Set(covered) == Set(StandardCode.allCases.map(\.rawValue)))
    }

    /// 002 #13: the unpaid entrusted check's report deadline (8 h shipped).
    @Test func deadlineHours_setTheInspectionReportsDeadline() throws {
        func reportDue(_ db: Connection) throws -> String {
            _ = try Records(db: db, now: try at("2026-11-20T09:00"))
                .inspect(house: "YS01/1-1-103", kind: .check, by: "E1001", at: try at("2026-11-20T09:00"), findings: [])
            return try db.query("SELECT to_char(due_at, 'HH24:MI') FROM tasks WHERE standard = 'inspection_report'")[0].decode(0)
        }
        let shipped = try Self.registry()
        let tuned = try Self.registry { try $0.set(code: "entrusted_check", perPeriod: nil, workingDays: nil, intervalDays: nil,
                                                          deadlineHours: 6, priority: nil, enabled: nil) }
        #expect(try reportDue(shipped.db) == "17:00")
        #expect(try reportDue(tuned.db) == "15:00")
    }

    /// 002 #28: the concierge window's length in working days (5 shipped).
    @Test func workingDays_setTheConciergeWindow() throws {
        func windowStart(_ db: Connection) throws -> String? {
            // Labour Day 2026: five working days before it are 04-24, 04-27 ... 04-30.
            try Planner(db: db).plan(date: try day("2026-04-28"))
            return try db.query("""
                SELECT min(window_start)::text FROM tasks WHERE standard = 'holiday_concierge_call' AND period = '2026-05-01'
                """)[0].decode(0)
        }
        let shipped = try Self.registry()
        let tuned = try Self.registry { try $0.set(code: "holiday_concierge_call", perPeriod: nil, workingDays: 3, intervalDays: nil,
                                                          deadlineHours: nil, priority: nil, enabled: nil) }
        let before = try windowStart(shipped.db)
        let after = try windowStart(tuned.db)
        #expect(before != nil)
        #expect(before == "2026-04-24")
        #expect(after == "2026-04-28")
        #expect((before ?? "") < (after ?? ""))
    }

    @Test func priorityAndEnabled_changeThePlan() throws {
        let shipped = try Self.registry()
        let tuned = try Self.registry {
            try $0.set(code: "grid_patrol", perPeriod: nil, workingDays: nil, intervalDays: nil, deadlineHours: nil, priority: 5, enabled: nil)
            try $0.set(code: "care_visit", perPeriod: nil, workingDays: nil, intervalDays: nil, deadlineHours: nil, priority: nil, enabled: false)
        }
        for db in [shipped.db, tuned.db] { try Planner(db: db).plan(date: try day("2026-11-20")) }
        func value(_ db: Connection, _ sql: SQL) throws -> Int { try db.query(sql)[0].decode(0) }
        #expect(try value(shipped.db, "SELECT max(priority) FROM tasks WHERE standard = 'grid_patrol'") == 2)
        #expect(try value(tuned.db, "SELECT max(priority) FROM tasks WHERE standard = 'grid_patrol'") == 5)
        #expect(try value(shipped.db, "SELECT count(*) FROM tasks WHERE standard = 'care_visit'") > 0)
        #expect(try value(tuned.db, "SELECT count(*) FROM tasks WHERE standard = 'care_visit'") == 0)
    }

    @Test func perPeriodAndIntervalDays_changeThePlan() throws {
        let shipped = try Self.registry()
        let tuned = try Self.registry {
            try $0.set(code: "grid_patrol", perPeriod: 1, workingDays: nil, intervalDays: nil, deadlineHours: nil, priority: nil, enabled: nil)
            try $0.set(code: "care_visit", perPeriod: nil, workingDays: nil, intervalDays: 7, deadlineHours: nil, priority: nil, enabled: nil)
        }
        func value(_ db: Connection, _ sql: SQL) throws -> String { try db.query(sql)[0].decode(0) }
        for registry in [shipped, tuned] {
            // The elderly resident of 1-1-101 was visited on 2026-11-10; plan a day after that.
            _ = try Records(db: registry.db, now: try at("2026-11-10T10:00"))
                .touch(house: "YS01/1-1-101", kind: .visit, by: "E1001", at: try at("2026-11-10T10:00"), note: "")
            try Planner(db: registry.db).plan(date: try day("2026-11-16"))
        }
        #expect(try value(shipped.db, "SELECT count(*)::text FROM tasks WHERE standard = 'grid_patrol' AND grid_id IS NOT NULL") == "4")
        #expect(try value(tuned.db, "SELECT count(*)::text FROM tasks WHERE standard = 'grid_patrol' AND grid_id IS NOT NULL") == "2")
        #expect(try value(shipped.db, "SELECT coalesce(max(due_date)::text, '-') FROM tasks WHERE standard = 'care_visit' AND done_at IS NULL") == "-")
        #expect(try value(tuned.db, "SELECT max(due_date)::text FROM tasks WHERE standard = 'care_visit' AND done_at IS NULL") == "2026-11-17")
    }

    /// Every tunable value is read: one nothing reads is refused, naming who reads it.
    @Test func aValueNoRuleReads_isRefused() throws {
        let registry = try Self.registry()
        let store = StandardsStore(db: registry.db)
        let error = #expect(throws: ButlerError.self) {
            try store.set(code: "paid_ventilation", perPeriod: 3, workingDays: nil, intervalDays: nil, deadlineHours: nil, priority: nil, enabled: nil)
        }
        #expect(error?.field == "per_period")
        #expect(error?.description == "标准 paid_ventilation 不使用此项（使用它的标准：grid_patrol、opinion_quota、visit_quota）")
        #expect(throws: ButlerError.self) {
            try store.set(code: "grid_patrol", perPeriod: nil, workingDays: nil, intervalDays: nil, deadlineHours: 4, priority: nil, enabled: nil)
        }
        try store.set(code: "grid_patrol", perPeriod: 1, workingDays: nil, intervalDays: nil, deadlineHours: nil, priority: 3, enabled: nil)
        // Every column some rule reads has a standard that reads it.
        for column in TunableColumn.allCases { #expect(!TaskRules.readers(of: column).isEmpty, "\(column)") }
    }
}
