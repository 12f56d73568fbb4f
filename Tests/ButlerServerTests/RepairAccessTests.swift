import ButlerCore
import ButlerServer
import ButlerStore
import ButlerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
@_spi(RawSQL) import Postgres
import Synchronization
import Testing

/// Issue 14 over real HTTP, as the server's role: the repair routes act as the token's holder,
/// the scope model refuses in Swift and row-level security (schema 0016) hides what is out of
/// scope (a 404, not a 403, where only the database knows).
@Suite struct RepairAccessTests {
    let world: TwoProjects
    let technicianA: String, technicianA2: String, technicianB: String
    /// The server's clock, moved on by the test as the day goes.
    let clock = TestClock("2026-11-26T09:10")

    /// The server as it runs in production (the least-privileged role), on the test's clock.
    func app() -> some ApplicationProtocol { clockedApp(world.schema, clock) }

    init() throws {
        world = try TwoProjects()
        let db = try world.schema.connect()
        _ = try Importer(db: db).run(.staff, table: try CSVTable.parse("""
            employee_no,name,phone,role,project
            E3001,王师傅,13800000031,technician,YS01
            E3002,李师傅,13800000032,technician,YS01
            E3101,湖滨师傅,13800000033,technician,HB02

            """, fileName: "staff.csv"))
        let tokens = TokenStore(db: db)
        technicianA = try tokens.create(staff: "E3001")
        technicianA2 = try tokens.create(staff: "E3002")
        technicianB = try tokens.create(staff: "E3101")
    }

    static let opening = #"{"house":"YS01/1-1-101","category":"water","description":"厨房水管漏水","caller":"13900000001","at":"2026-11-26T09:00"}"#

    @Test func theLoopOverHTTP_inScope_andOutOfScopeRefusedOrHidden() async throws {
        try await app().test(.live) { client in
            // Butlers have no part in repairs; another project's manager cannot open here.
            try await client.execute(uri: "/v1/repairs", method: .post, headers: auth(world.butlerA), body: json(Self.opening)) { response throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/repairs", method: .post, headers: auth(world.managerB), body: json(Self.opening)) { response throws in
                #expect(response.status == .forbidden)
            }
            var id = 0
            try await client.execute(uri: "/v1/repairs", method: .post, headers: auth(world.agent), body: json(Self.opening)) { response throws in
                #expect(response.status == .created)
                let order = try object(response)
                id = order["id"] as? Int ?? 0
                #expect(order["status"] as? String == "open")
                #expect((order["deadlines"] as? [String: Any])?["complete"] as? String == "2026-11-27T00:00:00+08:00")
            }
            // Another project's technician: the database does not even show it.
            try await client.execute(uri: "/v1/repairs/\(id)", method: .get, headers: auth(technicianB)) { response throws in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/repairs/\(id)/grab", method: .post, headers: auth(technicianB), body: json(#"{"at":"2026-11-26T09:05"}"#)) { response throws in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/repairs/\(id)/grab", method: .post, headers: auth(technicianA), body: json(#"{"at":"2026-11-26T09:05"}"#)) { response throws in
                #expect(response.status == .ok)
                #expect(try object(response)["technician"] as? String == "E3001")
            }
            // The second technician no longer sees the order (RLS), but is told who took it.
            try await client.execute(uri: "/v1/repairs/\(id)/grab", method: .post, headers: auth(technicianA2), body: json(#"{"at":"2026-11-26T09:06"}"#)) { response throws in
                #expect(response.status == .conflict)
                #expect(try message(response).contains("已被 E3001（王师傅）接单"))
            }
            try await client.execute(uri: "/v1/repairs/\(id)", method: .get, headers: auth(technicianA2)) { response throws in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/repairs/\(id)/sign", method: .post, headers: auth(technicianA), body: json(#"{"at":"2026-11-26T09:07"}"#)) { response throws in
                #expect(response.status == .ok)
                #expect((try object(response)["deadlines"] as? [String: Any])?["contact"] as? String == "2026-11-26T09:17:00+08:00")
            }
            // An illegal move names both states; a completion without photos names the field.
            try await client.execute(uri: "/v1/repairs/\(id)/complete", method: .post, headers: auth(technicianA),
                                     body: json(#"{"at":"2026-11-26T09:08","photos":["p.jpg"]}"#)) { response throws in
                #expect(response.status == .conflict)
                #expect(try message(response).contains("「已签收」") && (try message(response)).contains("「已完工」"))
            }
            try await client.execute(uri: "/v1/repairs/\(id)/contact", method: .post, headers: auth(technicianA),
                                     body: json(#"{"at":"2026-11-26T09:09","appointment":"2026-11-26T14:00"}"#)) { response throws in
                #expect(response.status == .ok)
            }
            clock.set("2026-11-26T15:05")
            try await client.execute(uri: "/v1/repairs/\(id)/complete", method: .post, headers: auth(technicianA),
                                     body: json(#"{"at":"2026-11-26T15:00","photos":[]}"#)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try field(response) == "photos")
            }
            try await client.execute(uri: "/v1/repairs/\(id)/complete", method: .post, headers: auth(technicianA),
                                     body: json(#"{"at":"2026-11-26T15:00","photos":["/p/1.jpg"]}"#)) { response throws in
                #expect(response.status == .ok)
            }
            // The follow-up is the call centre's: not the technician's, not another project's manager's.
            clock.set("2026-11-27T10:05")
            try await client.execute(uri: "/v1/repairs/\(id)/followup", method: .post, headers: auth(technicianA),
                                     body: json(#"{"at":"2026-11-27T10:00","rating":5}"#)) { response throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/repairs/\(id)/followup", method: .post, headers: auth(world.managerB),
                                     body: json(#"{"at":"2026-11-27T10:00","rating":5}"#)) { response throws in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/repairs/\(id)/followup", method: .post, headers: auth(world.agent),
                                     body: json(#"{"at":"2026-11-27T10:00","rating":5,"note":"满意"}"#)) { response throws in
                #expect(response.status == .ok)
                let order = try object(response)
                #expect(order["status"] as? String == "followed_up")
                #expect((order["events"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
                        == ["opened", "grabbed", "signed", "contacted", "completed", "followed_up"])
            }
            // Lists: each sees their scope.
            try await client.execute(uri: "/v1/repairs", method: .get, headers: auth(world.managerA)) { response throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"id\":\(id)"))
            }
            try await client.execute(uri: "/v1/repairs", method: .get, headers: auth(world.managerB)) { response throws in
                #expect((try object(response)["orders"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/v1/repairs?project=YS01", method: .get, headers: auth(world.managerB)) { response throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/repairs?status=bogus", method: .get, headers: auth(world.agent)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try field(response) == "status")
            }
            try await client.execute(uri: "/v1/repairs", method: .get, headers: auth(world.butlerA)) { response throws in
                #expect(response.status == .forbidden)
            }
        }
    }
}

/// A clock the test moves (the server reads it once per request).
final class TestClock: Sendable {
    private let time: Mutex<Date>

    init(_ start: String) { time = Mutex(Timestamp.parse(start) ?? .distantPast) }

    var now: Date { time.withLock { $0 } }

    func set(_ text: String) {
        guard let date = Timestamp.parse(text) else { return }
        time.withLock { $0 = date }
    }
}
