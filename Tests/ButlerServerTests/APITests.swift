import ButlerCore
import ButlerServer
import ButlerStore
import ButlerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Testing

/// A test schema with the small registry, a manager, and a token per role.
struct APIFixture {
    let schema: TestSchema
    let agent: String, butler: String, otherButler: String, manager: String

    init() throws {
        schema = try TestSchema()
        let db = try schema.connect()
        try seedRegistry(db)
        try seedManager(db)
        let tokens = TokenStore(db: db)
        agent = try tokens.create(staff: "E9001")
        butler = try tokens.create(staff: "E1001")
        otherButler = try tokens.create(staff: "E1002")
        manager = try tokens.create(staff: "E8001")
    }

    /// The server runs as the least-privileged role, as in production (schema/0010): every API
    /// test is also a test that the role has what the server needs.
    func app() -> some ApplicationProtocol {
        buildApplication(ServerConfiguration(host: "127.0.0.1", port: 0, database: schema.config(role: ServerRole.defaultName), poolSize: 2))
    }
}

/// The bearer token, and JSON as the type of any body (`/v1` writes take JSON only).
func auth(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

func object(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
}

func errorCode(_ response: TestResponse) throws -> String? {
    (try object(response)["error"] as? [String: Any])?["code"] as? String
}

@Suite struct APITests {
    let fixture: APIFixture

    init() throws { fixture = try APIFixture() }

    /// A documented path asked with a method it does not have: 405 with the methods it has (as
    /// documented in /openapi.json); an unknown path stays 404.
    @Test func otherMethodsOnDocumentedPaths_are405WithAllow() async throws {
        try await fixture.app().test(.live) { client in
            var documented: [String: [String]] = [:]
            try await client.execute(uri: "/openapi.json", method: .get) { response throws in
                let paths = try #require(try object(response)["paths"] as? [String: [String: Any]])
                // GET routes answer HEAD too.
                documented = paths.mapValues { operations in
                    operations.keys.map { $0.uppercased() }.sorted().flatMap { $0 == "GET" ? ["GET", "HEAD"] : [$0] }
                }
            }
            #expect(documented.count == 22)
            for (path, methods) in documented {
                let uri = path.replacingOccurrences(of: #"\{[a-z]+\}"#, with: "x", options: .regularExpression)
                let other: HTTPRequest.Method = methods.contains("DELETE") ? .put : .delete
                try await client.execute(uri: uri, method: other, headers: auth(fixture.agent)) { response throws in
                    #expect(response.status == .methodNotAllowed, "\(other) \(uri)")
                    #expect(response.headers[.allow] == methods.joined(separator: ", "), "\(uri)")
                    #expect(try errorCode(response) == "method_not_allowed")
                }
            }
            try await client.execute(uri: "/v1/nothing-here", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/lookup/", method: .delete, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .methodNotAllowed)
            }
            try await client.execute(uri: "/healthz", method: .head) { response throws in
                #expect(response.status == .ok)
            }
        }
    }

    /// The API passes the database's card JSON through; the CLI decodes the same cards into
    /// HouseholdCard. Both must say the same thing, field for field.
    @Test func lookupJSON_isTheSameAsTheDecodedCards() async throws {
        let db = try fixture.schema.connect()
        _ = try Records(db: db).touch(house: "YS01/1-1-101", kind: .callIn, by: "E9001", at: nil, note: "报修:\n\"厨房\"漏水")
        let centre = CallCentre(db: db)
        let byPhone = try JSONEncoder().encode(try centre.lookup(.phone("13900000001"), agent: "E9001"))
        let house = try JSONEncoder().encode(try centre.lookup(.house("YS01/1-1-103"), agent: "E9001").houses[0])
        // Compared as canonical JSON (sorted keys): NSDictionary.isEqual(to:) tells a parsed
        // `false` from its bridged twin on Linux, and the card has a boolean (in_arrears).
        @Sendable func same(_ served: TestResponse, _ expected: Data) throws -> Bool {
            func canonical(_ data: Data) throws -> Data {
                try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: data), options: [.sortedKeys])
            }
            return try canonical(Data(served.body.readableBytesView)) == canonical(expected)
        }
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/lookup?phone=13900000001", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(try same(response, byPhone))
                #expect(String(buffer: response.body).contains("139****0001"))
                #expect(String(buffer: response.body).contains("厨房"))
            }
            try await client.execute(uri: "/v1/houses/YS01/1-1-103", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(try same(response, house))
                #expect(String(buffer: response.body).contains("unpaid"))
            }
        }
    }

    /// `reveal` is a boolean: true/false (or 1/0); anything else is refused, not read as false.
    @Test func reveal_isABoolean() async throws {
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/lookup?phone=13900000001&reveal=true", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("13900000001"))
            }
            try await client.execute(uri: "/v1/lookup?phone=13900000001&reveal=maybe", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try errorCode(response) == "invalid_input")
            }
        }
    }

    @Test func healthAndOpenAPI_needNoToken() async throws {
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(try object(response)["status"] as? String == "ok")
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response throws in
                #expect(response.status == .ok)
                let doc = try object(response)
                #expect(doc["openapi"] as? String == "3.1.0")
                let paths = try #require(doc["paths"] as? [String: Any])
                #expect(Set(paths.keys).isSuperset(of: ["/v1/lookup", "/v1/butlers/{emp}/tasks", "/v1/touchpoints", "/v1/inspections",
                                                       "/v1/tasks/{id}/done", "/v1/grids", "/v1/grids/{code}/assignments", "/healthz"]))
            }
        }
    }

    @Test func noToken_is401_badToken_is401() async throws {
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/lookup?phone=13900000001", method: .get) { response throws in
                #expect(response.status == .unauthorized)
                #expect(try errorCode(response) == "unauthorized")
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
            try await client.execute(uri: "/v1/grids", method: .get, headers: auth("bt_" + String(repeating: "0", count: 64))) { response throws in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func agentLookup_isMaskedAndAudited_butlerLookup_is403() async throws {
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/lookup?phone=%2B86%20139-0000-0001", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .ok)
                let houses = try #require(try object(response)["houses"] as? [[String: Any]])
                #expect(houses.map { $0["house"] as? String } == ["YS01/1-1-101"])
                #expect(houses.first?["grid_phone"] as? String == "057188880001")
                let residents = try #require(houses.first?["residents"] as? [[String: Any]])
                #expect(residents.first?["phone"] as? String == "139****0001")
                #expect(houses.first?["entrustment"] is NSNull)
            }
            try await client.execute(uri: "/v1/lookup?phone=13900000001", method: .get, headers: auth(fixture.butler)) { response throws in
                #expect(response.status == .forbidden)
                #expect(try errorCode(response) == "forbidden")
            }
            try await client.execute(uri: "/v1/lookup?phone=13900000001&name=%E7%8E%8B", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .badRequest)
            }
        }
        let db = try fixture.schema.connect()
        let audit = try CallCentre(db: db).audit()
        #expect(audit.count == 1)
        #expect(audit.first?.agent == "E9001")
        #expect(audit.first?.houses == ["YS01/1-1-101"])
        #expect(try CallCentre(db: db).refusals().map { [$0.agent, $0.query, $0.reason] } == [["E1001", "phone:13900000001", "role butler"]])
    }

    @Test func butlerSeesOwnTasksOnly_managerSeesProjectButlers() async throws {
        // Reads never plan: the day is planned first, as the daily job does.
        try Planner(db: try fixture.schema.connect()).plan(date: try #require(Day("2026-11-23")))
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/butlers/E1001/tasks?date=2026-11-23", method: .get, headers: auth(fixture.butler)) { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("X-Butler-Day-Planned")!] == "true")
                let tasks = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
                #expect(tasks.contains { $0["standard"] as? String == "move_in_visit" && $0["due"] as? String == "2026-11-25" })
            }
            try await client.execute(uri: "/v1/butlers/E1001/tasks", method: .get, headers: auth(fixture.otherButler)) { response throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/butlers/E1002/tasks?date=2026-11-23", method: .get, headers: auth(fixture.manager)) { response throws in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/butlers/E1001/tasks?date=11/23", method: .get, headers: auth(fixture.butler)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try field(response) == "date")
            }
        }
    }

    @Test func taskDone_byItsButler_notByAnother() async throws {
        let db = try fixture.schema.connect()
        try Planner(db: db).plan(date: Day.today())
        let id = try #require(try db.query("""
            SELECT t.id FROM tasks t JOIN grids g ON g.id = t.grid_id WHERE g.code = 'YS01-G01' AND t.done_at IS NULL LIMIT 1
            """).first?.decode(0, as: Int.self))
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/tasks/\(id)/done", method: .post, headers: auth(fixture.otherButler)) { response throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/tasks/\(id)/done", method: .post, headers: auth(fixture.butler), body: json(#"{"note":"完成"}"#)) { response throws in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/tasks/\(id)/done", method: .post, headers: auth(fixture.butler)) { response throws in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/v1/tasks/999999/done", method: .post, headers: auth(fixture.butler)) { response throws in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func touchpoints_validateTheBody_andRecord() async throws {
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(fixture.agent),
                                     body: json(#"{"house":"YS01/1-1-101","kind":"call_in","note":"报修"}"#)) { response throws in
                #expect(response.status == .created)
                #expect(try object(response)["id"] is Int)
            }
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(fixture.agent),
                                     body: json(#"{"house":"YS01/1-1-101"}"#)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try field(response) == "kind")
            }
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(fixture.agent), body: json("{not json")) { response throws in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: auth(fixture.agent),
                                     body: json(#"{"house":"YS01/9-9-999","kind":"call_in"}"#)) { response throws in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/inspections", method: .post, headers: auth(fixture.agent),
                                     body: json(#"{"house":"YS01/1-1-103"}"#)) { response throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/inspections", method: .post, headers: auth(fixture.butler), body: json(
                #"{"house":"YS01/1-1-103","checklist":[{"item":"gas","ok":true,"note":""}],"photos":["/p/1.jpg"]}"#)) { response throws in
                #expect(response.status == .created)
            }
        }
    }

    @Test func gridAssignment_managerOfProjectOnly_conflictsAre409() async throws {
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/grids/YS01-G01/assignments", method: .post, headers: auth(fixture.butler),
                                     body: json(#"{"butler":"E1002","from":"2027-01-01"}"#)) { response throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/grids/YS01-G01/assignments", method: .post, headers: auth(fixture.manager),
                                     body: json(#"{"butler":"E1002","from":"2027-01-01"}"#)) { response throws in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/grids/YS01-G01/assignments", method: .post, headers: auth(fixture.manager),
                                     body: json(#"{"butler":"E1001","from":"2026-06-01"}"#)) { response throws in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/v1/grids/NOPE/assignments", method: .post, headers: auth(fixture.manager),
                                     body: json(#"{"butler":"E1001","from":"2027-02-01"}"#)) { response throws in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/grids", method: .get, headers: auth(fixture.manager)) { response throws in
                #expect(response.status == .ok)
                let grids = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
                #expect(grids.map { $0["grid"] as? String } == ["YS01-G01", "YS01-G02"])
            }
        }
    }

    @Test func houseCard_byPathWithSlash_andPermissions() async throws {
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/houses/YS01/1-1-101", method: .get, headers: auth(fixture.butler)) { response throws in
                #expect(response.status == .ok)
                #expect(try object(response)["house"] as? String == "YS01/1-1-101")
            }
            try await client.execute(uri: "/v1/houses/YS01%2F1-1-101", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/houses/YS01/2-1-101", method: .get, headers: auth(fixture.butler)) { response throws in
                #expect(response.status == .forbidden) // another butler's grid
            }
            try await client.execute(uri: "/v1/houses/YS01/9-9-9", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func screenPop_showsTheHousehold_inChinese() async throws {
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/screen-pop?phone=13900000001", method: .get,
                                     headers: [.cookie: "butler_token=\(fixture.agent)"]) { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let page = String(buffer: response.body)
                #expect(page.contains("YS01/1-1-101"))
                #expect(page.contains("玉山花园"))
                #expect(page.contains("139****0001"))
                #expect(!page.contains("13900000001"))
                #expect(page.contains("057188880001"))
                #expect(page.contains("梁涵淑"))
            }
            try await client.execute(uri: "/screen-pop?phone=13700000000", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(String(buffer: response.body).contains("未找到"))
            }
            // Not signed in, or a butler: an HTML page that says so, with the right status.
            try await client.execute(uri: "/screen-pop?phone=13900000001", method: .get) { response throws in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: response.body).contains("登录"))
            }
            try await client.execute(uri: "/screen-pop?phone=13900000001", method: .get, headers: auth(fixture.butler)) { response throws in
                #expect(response.status == .forbidden)
                #expect(!String(buffer: response.body).contains("139****0001"))
            }
            try await client.execute(uri: "/screen-pop/calls", method: .post,
                                     headers: [.authorization: "Bearer \(fixture.agent)", .contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "house=YS01%2F1-1-101&phone=13900000001&note=%E6%8A%A5%E4%BF%AE")) { response throws in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix("/screen-pop?house=YS01%2F1-1-101&recorded=") == true)
            }
        }
        let db = try fixture.schema.connect()
        #expect(try db.query("SELECT note FROM touchpoints WHERE kind = 'call_in'")[0].decode(0, as: String.self) == "报修")
    }
}

@Suite struct DatabaseDownTests {
    @Test func databaseDown_is503() async throws {
        let app = buildApplication(ServerConfiguration(
            host: "127.0.0.1", port: 0, database: DatabaseConfig(url: "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"), poolSize: 1))
        try await app.test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { response throws in
                #expect(response.status == .serviceUnavailable)
                #expect(try errorCode(response) == "unavailable")
            }
        }
    }
}
