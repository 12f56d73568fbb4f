import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

/// `repair list` pages with a total (issue 14): `limit`/`offset` over a stable order (house
/// natural, newest first, id breaking ties) and how many match in the caller's scope.
@Suite struct RepairListPagingTests {
    let schema: TestSchema
    let db: Connection
    /// The ids in list order: HB02 first (natural order of house codes), then YS01's houses, each newest first.
    let expected: [Int]

    init() throws {
        schema = try TestSchema()
        let db = try schema.connect()
        self.db = db
        try seedRepairStaff(db)
        func open(_ house: String, _ time: String) throws -> Int {
            let now = try #require(Timestamp.parse(time))
            return try RepairStore(db: db, now: now).open(
                RepairOpening(house: house, category: .water, description: "漏水"), by: "E9001", at: nil).id
        }
        let a1 = try open("YS01/1-1-101", "2026-11-26T09:00")
        let a2 = try open("YS01/1-1-101", "2026-11-26T10:00")
        let a3 = try open("YS01/1-1-101", "2026-11-26T11:00")
        // Two at the same minute: the id decides, so no page repeats or skips one.
        let b1 = try open("YS01/1-1-102", "2026-11-26T09:30")
        let b2 = try open("YS01/1-1-102", "2026-11-26T09:30")
        let c1 = try open("YS01/2-1-101", "2026-11-26T08:00")
        let h1 = try open("HB02/1-1-101", "2026-11-26T12:00")
        expected = [h1, a3, a2, a1, b2, b1, c1]
    }

    func list(_ filter: RepairFilter = RepairFilter(), as actor: Principal? = nil, limit: Int, offset: Int = 0) throws -> RepairList {
        try RepairStore(db: db, now: try #require(Timestamp.parse("2026-11-26T13:00")))
            .list(filter, as: actor, page: try RepairPage(limit: limit, offset: offset))
    }

    @Test func pages_carryTheTotal_andFollowOneAnother() throws {
        let first = try list(limit: 3)
        #expect(first.orders.map(\.id) == Array(expected[0..<3]))
        #expect(first.page == Paging(total: 7, shown: 3, page: try RepairPage(limit: 3, offset: 0)))
        #expect(first.page.truncated && first.page.next_offset == 3)
        let second = try list(limit: 3, offset: 3)
        #expect(second.orders.map(\.id) == Array(expected[3..<6]))
        #expect(second.page.total == 7 && second.page.next_offset == 6)
        let last = try list(limit: 3, offset: 6)
        #expect(last.orders.map(\.id) == [expected[6]])
        #expect(last.page.total == 7 && last.page.truncated && last.page.next_offset == nil)
        let all = try list(limit: 1000)
        #expect(all.orders.map(\.id) == expected)
        #expect(!all.page.truncated && all.page.next_offset == nil)
    }

    /// A page past the end still says how many there are.
    @Test func aPagePastTheEnd_isEmpty_butKnowsTheTotal() throws {
        let past = try list(limit: 5, offset: 50)
        #expect(past.orders.isEmpty)
        #expect(past.page.total == 7 && past.page.truncated && past.page.next_offset == nil)
        let none = try list(RepairFilter(status: .completed), limit: 5)
        #expect(none.orders.isEmpty && none.page.total == 0 && !none.page.truncated)
    }

    /// The total counts the caller's scope and the filter, not the table.
    @Test func theTotal_isOfTheScopeAndFilter() throws {
        let managerB = try Scope(db: db, employee: "E8002").actor
        let hb = try list(as: managerB, limit: 5)
        #expect(hb.orders.map(\.id) == [expected[0]] && hb.page.total == 1 && !hb.page.truncated)
        #expect(try list(RepairFilter(project: "YS01"), limit: 2).page.total == 6)
        let house = try list(RepairFilter(house: "YS01/1-1-102"), limit: 1)
        #expect(house.orders.map(\.id) == [expected[4]] && house.page.total == 2 && house.page.next_offset == 1)
        // The sweep at 13:00 finds every order unclaimed past its 15 minutes: each is breached.
        _ = try JobRunner(db: db).runDue(now: try #require(Timestamp.parse("2026-11-26T13:00")), only: ["deadline_sweep"])
        let breached = try list(RepairFilter(project: "YS01", breached: true), limit: 4)
        #expect(breached.orders.map(\.id) == Array(expected[1..<5]))
        #expect(breached.page.total == 6 && breached.page.next_offset == 4)
        #expect(try list(RepairFilter(project: "YS01", status: .dispatched, breached: true), limit: 4).page.total == 0)
    }

    @Test func aBadPage_namesItsField() throws {
        for (limit, offset, field) in [(0, 0, "limit"), (1001, 0, "limit"), (10, -1, "offset")] {
            #expect(throws: ButlerError(.invalidInput, field: field, field == "limit"
                                        ? "每页单数须在 1 到 1000 之间，收到 \(limit)" : "起始位置不能为负数，收到 \(offset)")) {
                try RepairPage(limit: limit, offset: offset)
            }
        }
        #expect(throws: ButlerError(.invalidInput, field: "limit", "不是整数：abc")) {
            try RepairPage(limitText: "abc", offsetText: nil)
        }
    }
}
