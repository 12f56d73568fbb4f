import ButlerStore
import ButlerTestSupport
import Postgres
import Testing

/// The server's role may read and record, and nothing more (schema/0010). The API tests run
/// the server as this role; these check what it must not do.
@Suite struct ServerRoleTests {
    let schema: TestSchema
    let web: Connection

    init() throws {
        schema = try TestSchema()
        try seedRegistry(try schema.connect())
        web = try schema.config(role: ServerRole.defaultName).connect()
    }

    private func refused(_ sql: SQL) -> Bool {
        do {
            try web.execute(sql)
            return false
        } catch {
            return error.sqlState == "42501" // insufficient_privilege
        }
    }

    @Test func readsTheRegistry_andWritesAuditRows() throws {
        #expect(try web.query("SELECT count(*) FROM houses")[0].decode(0, as: Int.self) > 0)
        let token = try TokenStore(db: try schema.connect()).create(staff: "E9001")
        let result = try CallCentre(db: web).lookup(.house("YS01/1-1-101"), as: .token(token))
        #expect(result.houses.count == 1)
        #expect(result.query.agent == "E9001")
    }

    @Test func mayNotChangeSchema_deleteTruncate_orReadTheAuditLogs() throws {
        #expect(refused("CREATE TABLE web_was_here (id int)"))
        #expect(refused("DROP TABLE touchpoints"))
        #expect(refused("ALTER TABLE houses ADD COLUMN x int"))
        #expect(refused("DELETE FROM residents"))
        #expect(refused("TRUNCATE touchpoints"))
        #expect(refused("UPDATE residents SET phone = '13800000000'"))
        #expect(refused("SELECT * FROM lookup_audit"))
        #expect(refused("SELECT * FROM lookup_refusals"))
        #expect(refused("UPDATE api_tokens SET revoked_at = NULL"))
        #expect(refused("INSERT INTO staff (employee_no, name, phone, role) VALUES ('X1', 'x', '13800000000', 'agent')"))
    }

    @Test func ownerIsToldApart_fromTheServerRole() throws {
        #expect(try ServerRole(db: try schema.connect()).connectedAsOwner())
        #expect(try !ServerRole(db: web).connectedAsOwner())
    }

    @Test func theServerRole_cannotWriteAuditRowsOfItsOwn() throws {
        #expect(refused("INSERT INTO lookup_audit (agent_id, query_kind, query, houses) VALUES (1, 'phone', 'x', '{}')"))
        #expect(refused("INSERT INTO orders (house_id, project_id, product, quantity) VALUES (1, 1, 'water', 1)"))
    }

    /// call_centre_lookup runs as the owner: a temporary view of the caller's must not stand in
    /// for a table inside it (schema/0008 pins its search path, pg_temp last).
    @Test func temporaryObjectsCannotStandInForTablesInTheLookup() throws {
        try web.execute("CREATE TEMP VIEW staff AS SELECT 1 AS id, 'NOBODY'::text AS employee_no")
        try web.execute("CREATE TEMP TABLE lookup_audit (LIKE houses)")
        let token = try TokenStore(db: try schema.connect()).create(staff: "E9001")
        let result = try CallCentre(db: web).lookup(.house("YS01/1-1-101"), as: .token(token))
        #expect(result.houses.count == 1)
        let owner = try schema.connect()
        #expect(try owner.query("SELECT count(*) FROM lookup_audit")[0].decode(0, as: Int.self) == 1)
    }

    @Test func grantingToAMissingRole_isAClearError() throws {
        #expect(throws: ButlerError.self) { try ServerRole(db: try schema.connect()).grant(to: "no_such_role_xyz") }
    }
}
