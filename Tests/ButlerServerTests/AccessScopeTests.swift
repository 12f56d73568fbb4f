import ButlerCore
import ButlerServer
import ButlerStore
import ButlerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
@_spi(RawSQL) import Postgres
import Testing

/// Two projects and staff of each: YS01 (the small registry: butlers E1001, E1002, manager
/// E8001) and HB02 (butler E2001, manager E8002, one house in grid HB02-G01).
struct TwoProjects {
    let schema: TestSchema
    let agent: String, butlerA: String, managerA: String, butlerB: String, managerB: String

    init() throws {
        schema = try TestSchema()
        let db = try schema.connect()
        try seedRegistry(db)
        let importer = Importer(db: db)
        func load(_ kind: ImportKind, _ text: String) throws {
            _ = try importer.run(kind, table: try CSVTable.parse(text, fileName: "\(kind).csv"))
        }
        try load(.projects, "code,name\nYS01,玉山花园\nHB02,湖滨公寓\n")
        try load(.staff, """
            employee_no,name,phone,role,project
            E1001,梁涵淑,13800000001,butler,YS01
            E1002,张月,13800000002,butler,YS01
            E9001,坐席,13800000009,agent,
            E8001,项目经理,13800000008,manager,YS01
            E2001,湖滨管家,13800000021,butler,HB02
            E8002,湖滨经理,13800000028,manager,HB02

            """)
        try load(.houses, """
            project,building,unit,room,floor,area_m2,occupancy,move_in_date,holiday_home
            HB02,1,1,101,1,60,self,2021-01-01,no

            """)
        try load(.residents, "project,building,unit,room,name,phone,role,move_in_date,tags\nHB02,1,1,101,湖滨业主,13700000002,owner,,\n")
        try load(.grids, """
            grid,project,name,phone,building,unit,butler,from
            HB02-G01,HB02,湖滨一区,057188889001,1,,E2001,2026-01-01

            """)
        let tokens = TokenStore(db: db)
        agent = try tokens.create(staff: "E9001")
        butlerA = try tokens.create(staff: "E1001")
        managerA = try tokens.create(staff: "E8001")
        butlerB = try tokens.create(staff: "E2001")
        managerB = try tokens.create(staff: "E8002")
    }

    /// The server as it runs in production: the least-privileged role.
    func app() -> some ApplicationProtocol {
        buildApplication(ServerConfiguration(host: "127.0.0.1", port: 0, database: schema.config(role: ServerRole.defaultName), poolSize: 2))
    }

    func count(_ sql: String) throws -> Int {
        try schema.connect().query(SQL(unsafeRaw: sql))[0].decode(0)
    }
}

func message(_ response: TestResponse) throws -> String {
    ((try object(response)["error"] as? [String: Any])?["message"] as? String) ?? ""
}

/// The request field an error names (`{"error": {"field": …}}`).
func field(_ response: TestResponse) throws -> String? {
    (try object(response)["error"] as? [String: Any])?["field"] as? String
}

/// Issue 11: every reproduction, over real HTTP, as the server's role. Each test failed on the
/// code before the scope model and schema 0011.
@Suite struct AccessScopeTests {
    let world: TwoProjects

    init() throws { world = try TwoProjects() }

    @Test func aSecondTouchpointWithTheSameKey_is409NamingTheFirst_andTheNoteStays() async throws {
        let body = #"{"house":"YS01/1-1-101","kind":"visit","at":"2026-11-20T10:00","note":"first"}"#
        try await world.app().test(.live) { client in
            var first = 0
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(world.butlerA), body: json(body)) { response throws in
                #expect(response.status == .created)
                first = try object(response)["id"] as? Int ?? 0
            }
            let again = body.replacingOccurrences(of: "first", with: "overwritten")
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(world.managerA), body: json(again)) { response throws in
                #expect(response.status == .conflict)
                #expect(try message(response).contains("接触记录 \(first)"))
            }
        }
        #expect(try world.count("SELECT count(*) FROM touchpoints WHERE note = 'first'") == 1)
        #expect(try world.count("SELECT count(*) FROM touchpoints") == 1)
    }

    @Test func correction_isANewRecord_theOriginalStays_andTheCardShowsTheCorrection() async throws {
        try await world.app().test(.live) { client in
            var id = 0
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(world.butlerA),
                                     body: json(#"{"house":"YS01/1-1-101","kind":"visit","at":"2026-11-20T10:00","note":"typo"}"#)) { response throws in
                id = try object(response)["id"] as? Int ?? 0
            }
            try await client.execute(uri: "/v1/touchpoints/\(id)/corrections", method: .post, headers: auth(world.butlerB),
                                     body: json(#"{"note":"other project"}"#)) { response throws in
                // Another project's records are invisible to the server's role (row-level security).
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/touchpoints/\(id)/corrections", method: .post, headers: auth(world.butlerA),
                                     body: json(#"{"note":"业主满意","reason":"笔误"}"#)) { response throws in
                #expect(response.status == .created)
                #expect(try object(response)["corrects"] as? Int == id)
            }
            try await client.execute(uri: "/v1/houses/YS01/1-1-101", method: .get, headers: auth(world.agent)) { response throws in
                #expect(String(buffer: response.body).contains("业主满意"))
            }
        }
        #expect(try world.count("SELECT count(*) FROM touchpoints WHERE note = 'typo'") == 1)
        #expect(try world.count("SELECT count(*) FROM touchpoint_corrections") == 1)
    }

    @Test func crossProjectReads_areRefused_evenRevealed_andOnRecord() async throws {
        try await world.app().test(.live) { client in
            try await client.execute(uri: "/v1/lookup?house=HB02/1-1-101&reveal=true", method: .get, headers: auth(world.managerA)) { response throws in
                #expect(response.status == .forbidden)
                #expect(!String(buffer: response.body).contains("13700000002"))
            }
            // A search by phone or name narrows to the manager's project.
            try await client.execute(uri: "/v1/lookup?phone=13700000002&reveal=true", method: .get, headers: auth(world.managerA)) { response throws in
                #expect(response.status == .ok)
                #expect(try (object(response)["houses"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/v1/lookup?name=%E6%B9%96", method: .get, headers: auth(world.managerA)) { response throws in
                #expect(try (object(response)["houses"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/v1/houses/HB02/1-1-101", method: .get, headers: auth(world.managerA)) { response throws in
                #expect(response.status == .forbidden)
            }
            // Their own project's house: allowed.
            try await client.execute(uri: "/v1/lookup?house=HB02/1-1-101", method: .get, headers: auth(world.managerB)) { response throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("137****0002"))
            }
        }
        let refusals = try CallCentre(db: try world.schema.connect()).refusals()
        #expect(refusals.map(\.agent) == ["E8001", "E8001"])
    }

    @Test func crossProjectWrites_areRefused_andNothingIsWritten() async throws {
        let db = try world.schema.connect()
        try Planner(db: db).plan(date: Day.today())
        let openBefore = try world.count("SELECT count(*) FROM tasks WHERE done_at IS NULL")
        let task = try #require(try db.query("""
            SELECT t.id FROM tasks t JOIN grids g ON g.id = t.grid_id WHERE g.code = 'YS01-G01' AND t.done_at IS NULL LIMIT 1
            """).first?.decode(0, as: Int.self))
        try await world.app().test(.live) { client in
            for token in [world.managerB, world.butlerB] {
                try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(token),
                                         body: json(#"{"house":"YS01/1-1-101","kind":"visit"}"#)) { response throws in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(uri: "/v1/inspections", method: .post, headers: auth(token),
                                         body: json(#"{"house":"YS01/1-1-102"}"#)) { response throws in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(uri: "/v1/tasks/\(task)/done", method: .post, headers: auth(token)) { response throws in
                    #expect(response.status == .forbidden)
                }
            }
            // An agent records the call centre's contacts, not a butler's visit.
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(world.agent),
                                     body: json(#"{"house":"YS01/1-1-101","kind":"visit"}"#)) { response throws in
                #expect(response.status == .forbidden)
            }
        }
        #expect(try world.count("SELECT count(*) FROM touchpoints") == 0)
        #expect(try world.count("SELECT count(*) FROM inspections") == 0)
        #expect(try world.count("SELECT count(*) FROM tasks WHERE done_at IS NULL") == openBefore)
    }

    @Test func assignments_ofAnotherProjectsButler_orFarAhead_areRefused() async throws {
        try await world.app().test(.live) { client in
            try await client.execute(uri: "/v1/grids/YS01-G01/assignments", method: .post, headers: auth(world.managerA),
                                     body: json(#"{"butler":"E2001","from":"2026-12-01"}"#)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try field(response) == "butler")
                #expect(try message(response).contains("项目"))
            }
            try await client.execute(uri: "/v1/grids/YS01-G01/assignments", method: .post, headers: auth(world.managerA),
                                     body: json(#"{"butler":"E1002","from":"9999-12-31"}"#)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try field(response) == "from")
            }
            try await client.execute(uri: "/v1/grids/HB02-G01/assignments", method: .post, headers: auth(world.managerA),
                                     body: json(#"{"butler":"E1002","from":"2026-12-01"}"#)) { response throws in
                #expect(response.status == .forbidden)
            }
            // The grid still takes a real assignment; the refused butler's list stays out of reach.
            try await client.execute(uri: "/v1/grids/YS01-G01/assignments", method: .post, headers: auth(world.managerA),
                                     body: json(#"{"butler":"E1002","from":"2026-12-01"}"#)) { response throws in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/butlers/E2001/tasks", method: .get, headers: auth(world.managerA)) { response throws in
                #expect(response.status == .forbidden)
            }
        }
        #expect(try world.count("SELECT count(*) FROM grid_assignments WHERE from_date > '2100-01-01'") == 0)
    }

    @Test func aRevokedToken_stopsAtTheNextRequest_writesIncluded() async throws {
        try await world.app().test(.live) { client in
            try await client.execute(uri: "/v1/grids", method: .get, headers: auth(world.agent)) { response throws in
                #expect(response.status == .ok)
            }
            _ = try TokenStore(db: try world.schema.connect()).revoke(staff: "E9001")
            try await client.execute(uri: "/v1/grids", method: .get, headers: auth(world.agent)) { response throws in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/lookup?phone=13900000001", method: .get, headers: auth(world.agent)) { response throws in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(world.agent),
                                     body: json(#"{"house":"YS01/1-1-101","kind":"call_in"}"#)) { response throws in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(try world.count("SELECT count(*) FROM touchpoints") == 0)
    }

    @Test func controlCharactersAndNUL_are400_andNothingIsStored() async throws {
        try await world.app().test(.live) { client in
            for note in [#"before\u0000after"#, #"x\u001b[1A\u001b[2K"#] {
                try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(world.agent),
                                         body: json(#"{"house":"YS01/1-1-101","kind":"call_in","note":"\#(note)"}"#)) { response throws in
                    #expect(response.status == .badRequest)
                    #expect(try field(response) == "note")
                }
            }
            for query in ["name=%00", "name=x%1B%5B1A%1B%5B2K", "phone=%00"] {
                try await client.execute(uri: "/v1/lookup?\(query)", method: .get, headers: auth(world.agent)) { response throws in
                    #expect(response.status == .badRequest, "\(query)")
                }
            }
            // A multi-line note is fine.
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(world.agent),
                                     body: json(#"{"house":"YS01/1-1-101","kind":"call_in","note":"第一行\n第二行"}"#)) { response throws in
                #expect(response.status == .created)
            }
        }
        #expect(try world.count("SELECT count(*) FROM touchpoints") == 1)
        #expect(try world.count("SELECT count(*) FROM lookup_audit") == 0)
    }

    @Test func datesOutside2000To2100_are400NamingTheField() async throws {
        try await world.app().test(.live) { client in
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(world.agent),
                                     body: json(#"{"house":"YS01/1-1-101","kind":"call_in","at":"0001-01-01T00:00+14:00"}"#)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try field(response) == "at")
            }
            try await client.execute(uri: "/v1/butlers/E1001/tasks?date=0001-01-01", method: .get, headers: auth(world.butlerA)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try field(response) == "date")
            }
            try await client.execute(uri: "/v1/grids/YS01-G01/assignments", method: .post, headers: auth(world.managerA),
                                     body: json(#"{"butler":"E1002","from":"1999-12-31"}"#)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try field(response) == "from")
            }
        }
        #expect(try world.count("SELECT count(*) FROM touchpoints") == 0)
        #expect(try world.count("SELECT count(*) FROM tasks") == 0)
    }

    @Test func theScreenPop_refusesAnotherProjectsHouse_andTheRefusalIsKept() async throws {
        try await world.app().test(.live) { client in
            try await client.execute(uri: "/screen-pop?house=HB02%2F1-1-101", method: .get, headers: auth(world.managerA)) { response throws in
                #expect(response.status == .forbidden)
                #expect(!String(buffer: response.body).contains("湖滨业主"))
            }
            // A manager reads their own list (escalations land there).
            try await client.execute(uri: "/v1/butlers/E8001/tasks", method: .get, headers: auth(world.managerA)) { response throws in
                #expect(response.status == .ok)
            }
        }
        #expect(try CallCentre(db: try world.schema.connect()).refusals().map(\.agent) == ["E8001"])
    }

    @Test func aButlerReadsTheHouseCardsOfTheirGridsOnly() async throws {
        try await world.app().test(.live) { client in
            try await client.execute(uri: "/v1/houses/YS01/1-1-101", method: .get, headers: auth(world.butlerA)) { response throws in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/houses/YS01/2-1-101", method: .get, headers: auth(world.butlerA)) { response throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/lookup?house=YS01/1-1-101", method: .get, headers: auth(world.butlerA)) { response throws in
                #expect(response.status == .forbidden)
            }
        }
        let refusals = try CallCentre(db: try world.schema.connect()).refusals()
        #expect(refusals.map(\.agent) == ["E1001", "E1001"])
    }
}
