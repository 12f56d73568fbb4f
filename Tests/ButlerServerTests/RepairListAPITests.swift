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

/// `GET /v1/repairs?limit=&offset=` (issue 14): one page and how many match in the caller's
/// scope, the `page` of the lookup; a bad page is a 400 naming its field, after the right is checked.
/// Serialized, like ScreenPopRepairTests: one server (and its pool) at a time.
@Suite(.serialized) struct RepairListAPITests {
    let world: TwoProjects
    /// Five YS01 orders, newest first (the list's order for one house), and one of HB02.
    let ys: [Int]

    init() throws {
        world = try TwoProjects()
        let db = try world.schema.connect()
        var ids: [Int] = []
        for minute in 0..<5 {
            let now = try #require(Timestamp.parse("2026-11-26T09:0\(minute)"))
            ids.append(try RepairStore(db: db, now: now).open(
                RepairOpening(house: "YS01/1-1-101", category: .water, description: "漏水"), by: "E9001", at: nil).id)
        }
        _ = try RepairStore(db: db, now: try #require(Timestamp.parse("2026-11-26T09:10"))).open(
            RepairOpening(house: "HB02/1-1-101", category: .gas, description: "燃气味"), by: "E9001", at: nil)
        ys = ids.reversed()
    }

    func ids(_ body: [String: Any]) -> [Int] { (body["orders"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } ?? [] }

    @Test func pages_carryTheTotalAndTheNextOffset_inScope() async throws {
        try await world.app().test(.live) { client in
            var seen: [Int] = []
            var offset: Int? = 0
            while let from = offset {
                try await client.execute(uri: "/v1/repairs?project=YS01&limit=2&offset=\(from)", method: .get, headers: auth(world.agent)) { response throws in
                    #expect(response.status == .ok)
                    let body = try object(response)
                    let page = try #require(body["page"] as? [String: Any])
                    #expect(page["total"] as? Int == 5 && page["truncated"] as? Bool == true)
                    #expect(page["limit"] as? Int == 2 && page["offset"] as? Int == from)
                    seen += ids(body)
                    offset = page["next_offset"] as? Int
                }
            }
            #expect(seen == ys, "three pages, in order, none repeated or skipped")
            // Defaults: 50 from the first; everything fits.
            try await client.execute(uri: "/v1/repairs", method: .get, headers: auth(world.agent)) { response throws in
                let body = try object(response)
                let page = try #require(body["page"] as? [String: Any])
                #expect(page["total"] as? Int == 6 && page["truncated"] as? Bool == false && page["limit"] as? Int == 50)
                #expect(page["next_offset"] is NSNull)
            }
            // A manager's total is their project's.
            try await client.execute(uri: "/v1/repairs?limit=1", method: .get, headers: auth(world.managerB)) { response throws in
                let page = try #require(try object(response)["page"] as? [String: Any])
                #expect(page["total"] as? Int == 1 && page["truncated"] as? Bool == false)
            }
        }
    }

    @Test func aBadPage_is400_namingTheField_butAButlerIsRefusedFirst() async throws {
        try await world.app().test(.live) { client in
            for (query, name) in [("limit=0", "limit"), ("limit=1001", "limit"), ("limit=x", "limit"), ("offset=-1", "offset"), ("offset=1.5", "offset")] {
                try await client.execute(uri: "/v1/repairs?\(query)", method: .get, headers: auth(world.agent)) { response throws in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(try field(response) == name, "\(query)")
                }
            }
            try await client.execute(uri: "/v1/repairs?limit=0", method: .get, headers: auth(world.butlerA)) { response throws in
                #expect(response.status == .forbidden)
            }
        }
    }
}
