import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

/// Issue 14, the database's half: direct SQL as the server's role, bound to a token, as a
/// compromised server would try it. Schema 0015 must refuse (or hide) each.
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
}
