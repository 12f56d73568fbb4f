import ButlerCore
@testable import ButlerStore
import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

private func at(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }

/// Issue 15, privacy: amounts are the house's butler's and the project's managers' only, in the
/// store (scope model) and in the database for the server's role (schema 0019); the call centre
/// sees a yes/no flag, audited like the rest of the card. Roles (seedRepairStaff): E1001 butler
/// of YS01-G01 (1-1-101), E1002 butler of YS01-G02 (2-1-101), E8001 YS01's manager, E8002
/// HB02's manager, E9001 agent, E3001 YS01's technician.
@Suite struct ArrearsPrivacyTests {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRepairStaff(db)
        _ = try Importer(db: db, now: try at("2026-10-01T09:00")).run(.arrears, table: try CSVTable.parse("""
            project,building,unit,room,period,amount_due,amount_paid
            YS01,1,1,101,2026-09,300,0
            YS01,2,1,101,2026-09,200,0
            HB02,1,1,101,2026-09,100,0

            """, fileName: "arrears.csv"))
    }

    func houses(as employee: String, project: String? = nil, grid: String? = nil) throws -> [String] {
        let actor = try Scope(db: db, employee: employee).actor
        return try ArrearsStore(db: db, now: try at("2026-10-10T10:00")).list(project: project, grid: grid, as: actor).map(\.house)
    }

    func refusal(as employee: String, project: String? = nil, grid: String? = nil) -> ButlerError? {
        do {
            _ = try houses(as: employee, project: project, grid: grid)
            return nil
        } catch {
            return error as? ButlerError
        }
    }

    @Test func inTheStore_eachRoleSeesWhatItMay() throws {
        #expect(try houses(as: "E8001") == ["YS01/1-1-101", "YS01/2-1-101"])
        #expect(try houses(as: "E1001") == ["YS01/1-1-101"])
        #expect(try houses(as: "E1002") == ["YS01/2-1-101"], "another butler's house is not theirs")
        #expect(try houses(as: "E8002") == ["HB02/1-1-101"])
        #expect(refusal(as: "E8002", project: "YS01")?.kind == .forbidden)
        #expect(refusal(as: "E8002", project: "YS01")?.field == "project")
        #expect(refusal(as: "E1002", grid: "YS01-G01")?.field == "grid")
        #expect(refusal(as: "E9001")?.kind == .forbidden)
        #expect(refusal(as: "E3001")?.kind == .forbidden)
        // The owner (the CLI without a viewer) sees the company.
        #expect(try ArrearsStore(db: db, now: try at("2026-10-10T10:00")).list().count == 3)
    }

    /// Direct SQL as the server's role, bound to each token: row-level security alone.
    @Test func inTheDatabase_theServersRoleSeesOnlyInScope() throws {
        let web = try schema.config(role: ServerRole.defaultName).connect()
        func visible(_ employee: String, _ table: String) throws -> Int {
            let token = try TokenStore(db: db).create(staff: employee)
            try web.execute("BEGIN")
            defer { _ = try? web.execute("ROLLBACK") }
            _ = try TokenStore(db: web).bind(token)
            return try web.query(SQL(unsafeRaw: "SELECT count(*)::int FROM \(table)"))[0].decode(0)
        }
        for table in ["arrears", "arrears_history"] {
            #expect(try visible("E8001", table) == 2, "\(table)")
            #expect(try visible("E1001", table) == 1, "\(table)")
            #expect(try visible("E1002", table) == 1, "\(table)")
            #expect(try visible("E8002", table) == 1, "\(table)")
            #expect(try visible("E9001", table) == 0, "\(table)")
            #expect(try visible("E3001", table) == 0, "\(table)")
        }
        // Snapshots are the owner's (imports): the server cannot write one.
        let token = try TokenStore(db: db).create(staff: "E8001")
        try web.execute("BEGIN")
        defer { _ = try? web.execute("ROLLBACK") }
        _ = try TokenStore(db: web).bind(token)
        #expect(throws: (any Error).self) { try web.execute("UPDATE arrears SET amount_paid_fen = amount_due_fen") }
    }

    /// The call centre's card says 欠费 yes or no, never how much; the read is audited.
    @Test func lookup_showsAFlagOnly_andIsAudited() throws {
        let audited = try db.query("SELECT count(*)::int FROM lookup_audit")[0].decode(0, as: Int.self)
        let centre = CallCentre(db: db)
        let owing = try #require(try centre.lookup(.house("YS01/1-1-101"), agent: "E9001").houses.first)
        let clear = try #require(try centre.lookup(.house("YS01/1-1-103"), agent: "E9001").houses.first)
        #expect(owing.in_arrears && !clear.in_arrears)
        #expect(HouseholdCardView(owing).inArrears == "是")
        let json = String(decoding: try JSONEncoder().encode(owing), as: UTF8.self)
        #expect(!json.contains("300") && !json.contains("30000") && !json.contains("fen"), "\(json)")
        #expect(try db.query("SELECT count(*)::int FROM lookup_audit")[0].decode(0, as: Int.self) == audited + 2)
    }
}
