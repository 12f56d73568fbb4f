import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

/// Issue 11, the database's half: connected as the server's role and trying the direct SQL a
/// compromised server would try. Schema 0011 must refuse each.
@Suite struct AccessScopeDatabaseTests {
    let schema: TestSchema
    let owner: Connection
    let web: Connection
    let agentToken: String
    let butlerToken: String

    init() throws {
        schema = try TestSchema()
        owner = try schema.connect()
        try seedRegistry(owner)
        _ = try Importer(db: owner).run(.projects, table: try CSVTable.parse("code,name\nHB02,湖滨公寓\n", fileName: "projects.csv"))
        _ = try Importer(db: owner).run(.staff, table: try CSVTable.parse(
            "employee_no,name,phone,role,project\nE8001,项目经理,13800000008,manager,YS01\nE2001,湖滨管家,13800000021,butler,HB02\n",
            fileName: "staff.csv"))
        web = try schema.config(role: ServerRole.defaultName).connect()
        agentToken = try TokenStore(db: owner).create(staff: "E9001")
        butlerToken = try TokenStore(db: owner).create(staff: "E1001")
    }

    private func sqlState(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as PostgresError {
            return error.sqlState ?? "no sqlstate: \(error)"
        } catch {
            return "\(error)"
        }
    }

    /// Runs `body` in a transaction bound to `token` (as the server does per request), rolled back.
    private func asServer(token: String?, _ body: () throws -> Void) throws {
        try web.execute("BEGIN")
        defer { _ = try? web.execute("ROLLBACK") }
        if let token { _ = try TokenStore(db: web).bind(token) }
        try body()
    }

    @Test func theServerRole_cannotReadPhonesOrTokens_directly() {
        for table in ["residents", "resident_phones", "api_tokens"] {
            #expect(sqlState { try web.execute(SQL(unsafeRaw: "SELECT * FROM \(table) LIMIT 1")) } == "42501", "\(table)")
        }
    }

    @Test func theServerRole_cannotForgeTheActorOfALookup() throws {
        // The function that takes a staff id is the owner's (the CLI's) only.
        #expect(sqlState { try web.execute("SELECT * FROM household_lookup(1, 'house', 'x', 'YS01/1-1-101', true)") } == "42501")
        // The server's entry verifies the token: a made-up one returns nothing and audits nothing.
        let rows = try web.query("SELECT house, refused FROM call_centre_lookup($1, 'house', 'x', 'YS01/1-1-101', true)",
                                 [String(repeating: "0", count: 64)])
        #expect(try rows.map { try $0.decode(1, as: String?.self) } == ["unauthorized"])
        #expect(try owner.query("SELECT count(*) FROM lookup_audit")[0].decode(0, as: Int.self) == 0)
        // The refusals table is written only by the functions, in the token's name.
        #expect(sqlState { try web.execute("INSERT INTO lookup_refusals (agent, reason) VALUES ('E9001', 'forged')") } == "42501")
        // A real token: the audit row names its holder, whatever the caller claims.
        let card = try CallCentre(db: web).lookup(.house("YS01/1-1-101"), as: .token(agentToken), reveal: true)
        #expect(card.query.agent == "E9001")
        #expect(try owner.query("SELECT st.employee_no FROM lookup_audit a JOIN staff st ON st.id = a.agent_id")
            .map { try $0.decode(0, as: String.self) } == ["E9001"])
    }

    @Test func recordsWithoutAToken_orInAnotherName_orAnotherProject_areRefused() throws {
        let house = "(SELECT id FROM houses WHERE code = 'YS01/1-1-101')"
        func insert(staff: String) -> SQL {
            SQL(unsafeRaw: """
                INSERT INTO touchpoints (house_id, project_id, kind, staff_id, at, note)
                SELECT id, project_id, 'visit', (SELECT id FROM staff WHERE employee_no = '\(staff)'), now(), 'x' FROM houses WHERE id = \(house)
                """)
        }
        try asServer(token: nil) { #expect(sqlState { try web.execute(insert(staff: "E1001")) } == "42501") }
        try asServer(token: butlerToken) { #expect(sqlState { try web.execute(insert(staff: "E1002")) } == "42501") }
        // A butler of HB02 with a valid token, writing in their own name for a YS01 house.
        let other = try TokenStore(db: owner).create(staff: "E2001")
        try asServer(token: other) { #expect(sqlState { try web.execute(insert(staff: "E2001")) } == "42501") }
        try asServer(token: butlerToken) {
            let inserted = try web.execute(insert(staff: "E1001"))
            #expect(inserted == 1, "the butler's own record in their project is allowed (rolled back)")
        }
        #expect(try owner.query("SELECT count(*) FROM touchpoints")[0].decode(0, as: Int.self) == 0)
    }

    @Test func records_areAppendOnly_forTheServer_andForTheOwner() throws {
        let result = try Records(db: owner).touch(house: "YS01/1-1-101", kind: .visit, by: "E1001", at: nil, note: "original")
        try asServer(token: butlerToken) { #expect(sqlState { try web.execute("UPDATE touchpoints SET note = 'changed'") } == "42501") }
        try asServer(token: butlerToken) { #expect(sqlState { try web.execute("DELETE FROM touchpoints") } == "42501") }
        #expect(sqlState { try owner.execute("UPDATE touchpoints SET note = 'changed'") } == "BU409")
        #expect(sqlState { try owner.execute("DELETE FROM touchpoints") } == "BU409")
        #expect(try owner.query("SELECT note FROM touchpoints WHERE id = $1", [result.id])[0].decode(0, as: String.self) == "original")
        // A completed task keeps its completion.
        try Planner(db: owner).plan(date: Day.today())
        let task: Int = try owner.query("""
            SELECT t.id FROM tasks t JOIN grids g ON g.id = t.grid_id WHERE g.code = 'YS01-G01' AND t.done_at IS NULL ORDER BY t.id LIMIT 1
            """)[0].decode(0)
        try Records(db: owner).done(task: task, by: "E1001", at: nil, note: "done")
        #expect(sqlState { try owner.execute("UPDATE tasks SET done_by = NULL, done_note = 'rewritten' WHERE id = $1", [task]) } == "BU409")
    }

    @Test func assignments_areBoundToTheManagersProject_andAYearAhead() throws {
        let manager = try TokenStore(db: owner).create(staff: "E8001")
        func assign(_ butler: String, _ from: String) -> SQL {
            SQL(unsafeRaw: """
                INSERT INTO grid_assignments (grid_id, project_id, staff_id, from_date)
                SELECT g.id, g.project_id, (SELECT id FROM staff WHERE employee_no = '\(butler)'), '\(from)'
                FROM grids g WHERE g.code = 'YS01-G02'
                """)
        }
        // A butler of another project: the trigger that holds for every writer refuses first.
        try asServer(token: manager) { #expect(sqlState { try web.execute(assign("E2001", "2026-12-01")) } == "23514") }
        try asServer(token: manager) { #expect(sqlState { try web.execute(assign("E1002", "9999-12-31")) } == "42501") }
        try asServer(token: butlerToken) { #expect(sqlState { try web.execute(assign("E1002", "2026-12-01")) } == "42501") }
    }

    /// Tasks through the server: only the follow-ups and reports records open, open, in scope;
    /// completions in the actor's name; a done task never changes; only completion columns.
    @Test func tasks_cannotBeForgedOrRewritten_byTheServerRole() throws {
        try Planner(db: owner).plan(date: try #require(Day("2026-11-20")))
        let open: Int = try owner.query("SELECT id FROM tasks WHERE done_at IS NULL AND project_id = (SELECT id FROM projects WHERE code = 'YS01') ORDER BY id LIMIT 1")[0].decode(0)
        let other = try TokenStore(db: owner).create(staff: "E2001")
        let forged = SQL(unsafeRaw: """
            INSERT INTO tasks (standard, subject, period, project_id, grid_id, window_start, due_date, priority, title, done_at, done_by)
            SELECT 'grid_patrol', 'g999', 'x', g.project_id, g.id, '2026-11-20', '2026-11-20', 2, 'x', now(),
                   (SELECT id FROM staff WHERE employee_no = 'E1002') FROM grids g WHERE g.code = 'YS01-G01'
            """)
        try asServer(token: other) { #expect(sqlState { try web.execute(forged) } == "42501") }
        try asServer(token: butlerToken) { #expect(sqlState { try web.execute(forged) } == "42501") }
        try asServer(token: butlerToken) {
            #expect(sqlState { try web.execute("UPDATE tasks SET overdue_at = NULL WHERE id = $1", [open]) } == "42501")
        }
        try asServer(token: butlerToken) {
            #expect(sqlState { try web.execute("UPDATE tasks SET done_at = now(), done_by = (SELECT id FROM staff WHERE employee_no = 'E1002') WHERE id = $1", [open]) } == "42501")
        }
        // An agent updates no task at all (rows outside the policy are not even seen).
        try asServer(token: agentToken) {
            let updated = try web.execute("UPDATE tasks SET priority = 5")
            #expect(updated == 0)
        }
        try Records(db: owner).done(task: open, by: "E1001", at: nil, note: "done")
        #expect(sqlState { try owner.execute("UPDATE tasks SET priority = 5 WHERE id = $1", [open]) } == "BU409")
        #expect(sqlState { try owner.execute("DELETE FROM tasks WHERE id = $1", [open]) } == "BU409")
    }

    @Test func complaintsCorrectionsEventsAndAssignments_areBoundToo() throws {
        let complaint = try Records(db: owner).touch(house: "YS01/1-1-101", kind: .complaint, by: "E1001", at: nil, note: "噪音")
        try asServer(token: butlerToken) {
            #expect(sqlState { try web.execute("UPDATE complaints SET closed_at = now(), result = 'x'") } == "42501")
        }
        // A correction of YS01's touchpoint filed under HB02 by HB02's butler.
        let other = try TokenStore(db: owner).create(staff: "E2001")
        let correction = SQL(unsafeRaw: """
            INSERT INTO touchpoint_corrections (touchpoint_id, project_id, staff_id, note)
            VALUES (\(complaint.id), (SELECT id FROM projects WHERE code = 'HB02'), (SELECT id FROM staff WHERE employee_no = 'E2001'), 'forged')
            """)
        try asServer(token: other) { #expect(sqlState { try web.execute(correction) } == "42501") }
        // An event with nobody named, without a token.
        try asServer(token: nil) {
            #expect(sqlState { try web.execute("INSERT INTO events (entity, entity_id, action) VALUES ('complaint', 1, 'closed')") } == "42501")
        }
        // A manager may end an assignment, not move its start (the far-future block) or end it beyond a year.
        let manager = try TokenStore(db: owner).create(staff: "E8001")
        try asServer(token: manager) {
            #expect(sqlState { try web.execute("UPDATE grid_assignments SET from_date = '9999-12-31'") } == "42501")
        }
        try asServer(token: manager) {
            #expect(sqlState { try web.execute("UPDATE grid_assignments SET to_date = '9999-12-31'") } == "42501")
        }
        // Whoever writes it, a butler of another project is refused (the owner too).
        #expect(sqlState { try owner.execute("UPDATE grid_assignments SET staff_id = (SELECT id FROM staff WHERE employee_no = 'E2001')") } == "23514")
    }

    /// The admin path keeps the rule too: a grid file naming a butler of another project is refused with its line.
    @Test func gridImport_refusesAButlerOfAnotherProject() throws {
        let error = butlerError {
            try Importer(db: owner).run(.grids, table: try CSVTable.parse("""
                grid,project,name,phone,building,unit,butler,from
                YS01-G01,YS01,1号片区,057188880001,1,,E2001,2026-01-01

                """, fileName: "grids.csv"))
        }
        #expect(error?.messages.contains { $0.hasPrefix("grids.csv:2: butler: E2001 是 HB02 的管家，不是 YS01 的") } == true,
                "\(String(describing: error))")
    }

    @Test func aRevokedToken_bindsNobody_atOnce() throws {
        try web.execute("BEGIN")
        #expect(try TokenStore(db: web).bind(agentToken)?.employeeNo == "E9001")
        try web.execute("ROLLBACK")
        _ = try TokenStore(db: owner).revoke(staff: "E9001")
        try web.execute("BEGIN")
        #expect(try TokenStore(db: web).bind(agentToken) == nil)
        #expect(try web.query("SELECT acting_staff_id()")[0].decode(0, as: Int?.self) == nil)
        try web.execute("ROLLBACK")
    }

    @Test func aNULInTextIsRefused_neverCutShort() throws {
        let error = postgresError { try owner.execute("SELECT $1::text", ["before\u{0}after"]) }
        #expect(error?.sqlState == "22021")
    }
}
