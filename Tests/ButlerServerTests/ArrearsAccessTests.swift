import ButlerCore
import ButlerServer
import ButlerStore
import ButlerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting

import Testing

/// Issue 15 over real HTTP, as the server's role: `GET /v1/arrears` shows amounts to the
/// house's butler and the project's managers only; the lookup shows the call centre a yes/no
/// flag, audited. TwoProjects: E1001 butler of YS01-G01 (building 1), E1002 of YS01-G02,
/// E8001 YS01's manager, E2001 and E8002 HB02's butler and manager, E9001 agent.
@Suite struct ArrearsAccessTests {
    let world: TwoProjects
    let butlerA2: String, technicianA: String
    let clock = TestClock("2026-10-10T10:00")

    func app() -> some ApplicationProtocol { clockedApp(world.schema, clock) }

    init() throws {
        world = try TwoProjects()
        let db = try world.schema.connect()
        _ = try Importer(db: db).run(.staff, table: try CSVTable.parse(
            "employee_no,name,phone,role,project\nE3001,王师傅,13800000031,technician,YS01\n", fileName: "staff.csv"))
        _ = try Importer(db: db, now: try #require(Timestamp.parse("2026-10-01T09:00"))).run(.arrears, table: try CSVTable.parse("""
            project,building,unit,room,period,amount_due,amount_paid
            YS01,1,1,101,2026-09,300,0
            YS01,2,1,101,2026-09,200,50
            HB02,1,1,101,2026-09,100,0

            """, fileName: "arrears.csv"))
        let tokens = TokenStore(db: db)
        butlerA2 = try tokens.create(staff: "E1002")
        technicianA = try tokens.create(staff: "E3001")
    }

    func houses(_ response: TestResponse) throws -> [String] {
        let array = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]] ?? []
        return array.compactMap { $0["house"] as? String }
    }

    @Test func eachRole_overHTTP() async throws {
        try await app().test(.live) { client in
            for (token, expected) in [(world.managerA, ["YS01/1-1-101", "YS01/2-1-101"]), (world.butlerA, ["YS01/1-1-101"]),
                                      (butlerA2, ["YS01/2-1-101"]), (world.managerB, ["HB02/1-1-101"])] {
                try await client.execute(uri: "/v1/arrears", method: .get, headers: auth(token)) { response throws in
                    #expect(response.status == .ok)
                    #expect(try houses(response) == expected)
                }
            }
            try await client.execute(uri: "/v1/arrears?project=YS01", method: .get, headers: auth(world.managerA)) { response throws in
                let first = try #require((try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])?.first)
                #expect(first["owed_fen"] as? Int == 30000)
                #expect(first["periods"] as? [String] == ["2026-09"])
                #expect(first["butler"] as? String == "E1001")
                #expect(first["escalated"] as? Bool == false)
            }
            try await client.execute(uri: "/v1/arrears?project=YS01", method: .get, headers: auth(world.managerB)) { response throws in
                #expect(response.status == .forbidden)
                #expect(try field(response) == "project")
            }
            try await client.execute(uri: "/v1/arrears?grid=YS01-G01", method: .get, headers: auth(butlerA2)) { response throws in
                #expect(response.status == .forbidden)
                #expect(try field(response) == "grid")
            }
            for token in [world.agent, technicianA] {
                try await client.execute(uri: "/v1/arrears", method: .get, headers: auth(token)) { response throws in
                    #expect(response.status == .forbidden)
                }
            }
            try await client.execute(uri: "/v1/arrears", method: .get) { response throws in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func lookup_showsTheAgentAFlag_neverTheAmount_andIsAudited() async throws {
        let before = try world.count("SELECT count(*)::int FROM lookup_audit")
        try await app().test(.live) { client in
            try await client.execute(uri: "/v1/lookup?house=YS01/1-1-101", method: .get, headers: auth(world.agent)) { response throws in
                #expect(response.status == .ok)
                let card = try #require((try object(response)["houses"] as? [[String: Any]])?.first)
                #expect(card["in_arrears"] as? Bool == true)
                let text = String(decoding: Data(response.body.readableBytesView), as: UTF8.self)
                #expect(!text.contains("owed") && !text.contains("fen") && !text.contains("30000"), "\(text)")
            }
            try await client.execute(uri: "/v1/lookup?house=YS01/1-1-103", method: .get, headers: auth(world.agent)) { response throws in
                let card = try #require((try object(response)["houses"] as? [[String: Any]])?.first)
                #expect(card["in_arrears"] as? Bool == false)
            }
        }
        #expect(try world.count("SELECT count(*)::int FROM lookup_audit") == before + 2)
    }
}
