import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

/// Issue 14, the database's half: direct SQL as the server's role, bound to a token, as a
/// compromised server would try it. Schema 0016 must refuse (or hide) each.
@Suite struct RepairAccessDatabaseTests {
    let schema: TestSchema
    let owner: Connection
    let web: Connection
    let order: Int

    init() throws {
        schema = try TestSchema()
        owner = try schema.connect()
        try seedRepairStaff(owner)
        web = try schema.config(role: ServerRole.defaultName).connect()
        let now = try #require(Timestamp.parse("2026-11-26T09:00"))
        order = try RepairStore(db: owner, now: now).open(
            RepairOpening(house: "YS01/1-1-101", category: .electric, description: "跳闸"), by: "E9001", at: nil).id
    }

    private func asServer(_ employee: String, _ body: () throws -> Void) throws {
        let token = try TokenStore(db: owner).create(staff: employee)
        try web.execute("BEGIN")
        defer { _ = try? web.execute("ROLLBACK") }
        _ = try TokenStore(db: web).bind(token)
        try body()
    }

    private func sqlState(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as PostgresError {
            return error.sqlState ?? "\(error)"
        } catch {
            return "\(error)"
        }
    }

    /// The SQLSTATE of one statement inside the open transaction (nil: it ran), which goes on.
    private func statement(_ sql: SQL, _ values: [any PostgresBindable] = []) -> String? {
        _ = try? web.execute("SAVEPOINT probe")
        let state = sqlState { try web.execute(sql, values) }
        _ = try? web.execute(state == nil ? "RELEASE SAVEPOINT probe" : "ROLLBACK TO SAVEPOINT probe")
        return state
    }

    /// How many orders `employee`'s requests can see.
    private func visible(as employee: String) throws -> Int {
        var seen = -1
        try asServer(employee) { seen = try web.query("SELECT count(*)::int FROM repair_orders")[0].decode(0) }
        return seen
    }

    @Test func whoSeesTheOrder() throws {
        #expect(try visible(as: "E9001") == 1)
        #expect(try visible(as: "E8001") == 1)
        #expect(try visible(as: "E3001") == 1, "undispatched, own project: grabbable")
        #expect(try visible(as: "E8002") == 0)
        #expect(try visible(as: "E3101") == 0)
        #expect(try visible(as: "E1001") == 0)
    }

    @Test func anotherProjectsTechnician_cannotTakeOrChangeIt_andButlersCannotOpen() throws {
        var changed = -1
        try asServer("E3101") {
            changed = try web.execute("UPDATE repair_orders SET status = 'dispatched', technician_id = (SELECT id FROM staff WHERE employee_no = 'E3101')")
        }
        #expect(changed == 0)
        // A technician of the project may not hand it to someone else.
        try asServer("E3001") {
            #expect(sqlState {
                try web.execute("UPDATE repair_orders SET status = 'dispatched', technician_id = (SELECT id FROM staff WHERE employee_no = 'E3002')")
            } == "42501")
        }
        try asServer("E1001") {
            #expect(sqlState {
                try web.execute("""
                    INSERT INTO repair_orders (house_id, project_id, category, description, opened_at, opened_by, counted_on)
                    SELECT id, project_id, 'water', 'x', now(), (SELECT id FROM staff WHERE employee_no = 'E1001'), current_date
                    FROM houses WHERE code = 'YS01/1-1-101'
                    """)
            } == "42501")
        }
        // Events in someone else's name, and breaches at all, are refused.
        try asServer("E3001") {
            #expect(sqlState {
                try web.execute("INSERT INTO repair_events (order_id, project_id, at, kind, staff_id) SELECT id, project_id, now(), 'signed', opened_by FROM repair_orders")
            } == "42501")
        }
        try asServer("E3001") {
            #expect(sqlState { try web.execute("INSERT INTO repair_breaches (order_id, project_id, stage, at) SELECT id, project_id, 'sign', now() FROM repair_orders") } == "42501")
        }
        try asServer("E3001") {
            #expect(sqlState { try web.execute("UPDATE repair_orders SET house_id = house_id") } == "42501")
        }
        #expect(try owner.query("SELECT status FROM repair_orders")[0].decode(0, as: String.self) == "open")
    }

    /// Review of issue 14 (1): the loop's states and who makes each move are the database's too.
    @Test func theServerRole_cannotSkipTheLoop_rewriteDeadlines_orRecordAnotherRolesMove() throws {
        let now = try #require(Timestamp.parse("2026-11-26T09:05"))
        _ = try RepairStore(db: owner, now: now).dispatch(order, to: "E3001", by: "E9001", at: nil)
        try asServer("E3001") {
            #expect(statement("UPDATE repair_orders SET complete_due = '2099-01-01', rating = 5, status = 'followed_up', photos = '{}'") != nil)
            #expect(statement("UPDATE repair_orders SET complete_due = '2099-01-01'") == "23514")
            #expect(statement("UPDATE repair_orders SET sign_due = sign_due + interval '1 day'") == "23514")
            #expect(statement("UPDATE repair_orders SET round = 3") == "23514")
            // Signing sets the contact deadline the settings define, no other.
            #expect(statement("UPDATE repair_orders SET status = 'signed', signed_at = dispatched_at, contact_due = '2099-01-01'") == "23514")
            #expect(statement("INSERT INTO repair_events (order_id, project_id, at, kind, staff_id) SELECT id, project_id, now(), 'followed_up', technician_id FROM repair_orders") == "42501")
        }
        // The call centre may not sign for the technician, nor follow up an order not completed.
        try asServer("E9001") {
            #expect(statement("UPDATE repair_orders SET status = 'signed', signed_at = dispatched_at, contact_due = dispatched_at + interval '10 minutes'") == "42501")
            #expect(statement("UPDATE repair_orders SET status = 'followed_up', followed_up_at = now(), rating = 5") == "23514")
        }
        // A legal move of one's own still works, as the settings define it.
        try asServer("E3001") {
            let signed = try web.execute("UPDATE repair_orders SET status = 'signed', signed_at = dispatched_at, contact_due = dispatched_at + interval '10 minutes'")
            #expect(signed == 1)
        }
        // Whoever writes, a state needs its steps: no completion without a photo.
        #expect(sqlState { try owner.execute("UPDATE repair_orders SET status = 'completed', completed_at = now(), followup_due = now()") } == "23514")
        #expect(try owner.query("SELECT status, round::int FROM repair_orders")[0].decode(0, as: String.self) == "dispatched")
    }

    /// Review of issue 14 (3): a temporary table named staff stands in for nobody's: the
    /// functions of 0016 see only their schema (a fresh session, so no plan is cached from before).
    @Test func aTemporaryStaffTable_cannotMakeAButlerATechnician() throws {
        try asServer("E9001") {
            try web.execute("""
                CREATE TEMP TABLE staff AS SELECT s.id, s.employee_no, 'technician'::text AS role, p.id AS project_id
                FROM staff s, projects p WHERE s.employee_no IN ('E1001', 'E3001') AND p.code = 'YS01'
                """)
            #expect(statement("""
                UPDATE repair_orders SET status = 'dispatched', dispatched_at = opened_at + interval '5 minutes',
                       sign_due = opened_at + interval '20 minutes', technician_id = (SELECT id FROM staff WHERE employee_no = 'E1001')
                """) == "23514", "a butler, whatever pg_temp.staff says")
            #expect(statement("""
                UPDATE repair_orders SET status = 'dispatched', dispatched_at = opened_at + interval '5 minutes',
                       sign_due = opened_at + interval '20 minutes', technician_id = (SELECT id FROM staff WHERE employee_no = 'E3001')
                """) == nil, "a real technician")
        }
    }

    /// Review of issue 14 (4): 0011's "agent, or anyone of the project" no longer lets a
    /// technician into the butlers' records.
    @Test func aTechnician_readsNoTouchpointsOrInspections_andOpensNoComplaint() throws {
        try owner.execute("""
            INSERT INTO touchpoints (house_id, project_id, kind, staff_id, at)
            SELECT h.id, h.project_id, 'complaint', s.id, '2026-11-26T08:00+08' FROM houses h, staff s
            WHERE h.code = 'YS01/1-1-101' AND s.employee_no = 'E1001'
            """)
        func rows(_ employee: String, _ sql: SQL) throws -> Int {
            var n = -1
            try asServer(employee) { n = try web.query(sql)[0].decode(0) }
            return n
        }
        #expect(try rows("E1001", "SELECT count(*)::int FROM touchpoints") == 1, "the butler of the project does")
        #expect(try rows("E3001", "SELECT count(*)::int FROM touchpoints") == 0)
        for table: SQL in ["SELECT count(*)::int FROM touchpoint_corrections", "SELECT count(*)::int FROM inspections",
                           "SELECT count(*)::int FROM patrols", "SELECT count(*)::int FROM complaints"] {
            #expect(try rows("E3001", table) == 0)
        }
        let touchpoint = try owner.query("SELECT id::int, house_id::int, project_id FROM touchpoints")[0]
        let values: [any PostgresBindable] = [try touchpoint.decode(0, as: Int.self), try touchpoint.decode(1, as: Int.self),
                                           try touchpoint.decode(2, as: Int.self)]
        try asServer("E3001") {
            #expect(statement("""
                INSERT INTO complaints (touchpoint_id, house_id, project_id, level, opened_at) VALUES ($1, $2, $3, 3, now())
                """, values) == "42501")
        }
    }
}
