import ButlerServer
import ButlerStore
import ButlerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Testing

/// `GET /v1/lookup?name=…&limit=&offset=` (issue 13 #9): the total, the page, and 400s that
/// name the field; the audit lists the houses of the page only.
@Suite struct LookupPagingAPITests {
    let fixture: APIFixture

    init() throws {
        fixture = try APIFixture()
        try seedManyWangs(try fixture.schema.connect(), count: 120)
    }

    func field(_ response: TestResponse) throws -> String? {
        (try object(response)["error"] as? [String: Any])?["field"] as? String
    }

    @Test func namePages_carryTotalAndNextOffset() async throws {
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/lookup?name=%E7%8E%8B", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .ok)
                let body = try object(response)
                let page = try #require(body["page"] as? [String: Any])
                #expect(page["total"] as? Int == 121)
                #expect(page["truncated"] as? Bool == true)
                #expect(page["limit"] as? Int == 50 && page["offset"] as? Int == 0 && page["next_offset"] as? Int == 50)
                #expect((body["houses"] as? [Any])?.count == 50)
                #expect((body["query"] as? [String: Any])?["kind"] as? String == "name")
            }
            try await client.execute(uri: "/v1/lookup?name=%E7%8E%8B&limit=20&offset=110", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .ok)
                let body = try object(response)
                let houses = try #require(body["houses"] as? [[String: Any]])
                #expect(houses.map { $0["house"] as? String } == (110...120).map { "YS01/10-1-\($0)" })
                let page = try #require(body["page"] as? [String: Any])
                #expect(page["total"] as? Int == 121)
                #expect(page["next_offset"] is NSNull)
            }
        }
        let db = try fixture.schema.connect()
        #expect(try CallCentre(db: db).audit().map(\.houses.count) == [11, 50], "newest first; only the houses shown")
    }

    /// The same document as the CLI's `lookup --json` (the decoded cards and the summary).
    @Test func apiBody_isTheCLIsJSON() async throws {
        let db = try fixture.schema.connect()
        let expected = try JSONEncoder().encode(try CallCentre(db: db).lookup(.name("王"), agent: "E9001", page: try LookupPage(limit: 3, offset: 3)))
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/lookup?name=%E7%8E%8B&limit=3&offset=3", method: .get, headers: auth(fixture.agent)) { response throws in
                let served = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? NSDictionary
                let cli = try JSONSerialization.jsonObject(with: expected) as? [String: Any]
                #expect(served?.isEqual(to: cli ?? [:]) == true, "\(String(buffer: response.body))")
            }
        }
    }

    @Test func badPagesAndQueries_are400sNamingTheField() async throws {
        try await fixture.app().test(.live) { client in
            for (query, name) in [("name=%E7%8E%8B&limit=0", "limit"), ("name=%E7%8E%8B&limit=101", "limit"),
                                  ("name=%E7%8E%8B&limit=ten", "limit"), ("name=%E7%8E%8B&offset=-1", "offset"),
                                  ("name=%E7%8E%8B&offset=", "offset"), ("phone=13900000001&name=%E7%8E%8B", "name"),
                                  ("phone=12345", "phone")] {
                try await client.execute(uri: "/v1/lookup?\(query)", method: .get, headers: auth(fixture.agent)) { response throws in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(try errorCode(response) == "invalid_input", "\(query)")
                    #expect(try field(response) == name, "\(query): \(String(buffer: response.body))")
                }
            }
            try await client.execute(uri: "/v1/lookup", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .badRequest)
                let message = (try object(response)["error"] as? [String: Any])?["message"] as? String
                #expect(message == "请给出电话、房号或姓名中的一项")
            }
        }
    }

    /// A malformed page from someone without the right is a 403 and a refusal on record, like
    /// a malformed value: the right is checked first, and nothing is searched or audited.
    @Test func aBadPageFromAButler_is403_andTheRefusalIsOnRecord() async throws {
        let db = try fixture.schema.connect()
        let before: Int = try db.query("SELECT count(*) FROM lookup_refusals")[0].decode(0)
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/lookup?name=%E7%8E%8B&limit=0", method: .get, headers: auth(fixture.butler)) { response throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/lookup?name=%E7%8E%8B&limit=0", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .badRequest)
            }
        }
        #expect(try db.query("SELECT count(*) FROM lookup_refusals")[0].decode(0, as: Int.self) == before + 1)
        #expect(try db.query("SELECT count(*) FROM lookup_audit")[0].decode(0, as: Int.self) == 0, "a 400 audits nothing")
    }
}
