import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

/// Issue 13 #9: a lookup says how many houses matched, shows one page of them in natural order,
/// and audits exactly the houses it shows (schema/0013).
@Suite struct LookupPagingTests {
    let schema: TestSchema
    let db: Connection
    let centre: CallCentre

    /// The small registry plus 120 houses YS01/10-1-1…120 with a 王: `王` matches 121 houses.
    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRegistry(db)
        try seedManyWangs(db, count: 120)
        centre = CallCentre(db: db)
    }

    func auditedHouses() throws -> [[String]] {
        try db.query("SELECT houses FROM lookup_audit ORDER BY id").map { try $0.decode(0) }
    }

    @Test func manyMatches_sayHowMany_andShowTheFirstPageInNaturalOrder() throws {
        let result = try centre.lookup(.name("王"), agent: "E9001")
        #expect(result.total == 121)
        #expect(result.truncated)
        #expect(result.page.limit == 50 && result.page.offset == 0)
        #expect(result.page.next_offset == 50)
        // Building 1 before building 10, room 2 before room 10 (as numbers, not as text).
        #expect(result.houses.map(\.house) == ["YS01/1-1-101"] + (1...49).map { "YS01/10-1-\($0)" })
        #expect(result.truncationNote == "共 121 户匹配，显示前 50 户；请输入更完整的姓名或按电话、房号查询")
        // The audit names exactly the houses shown, not all that matched.
        #expect(try auditedHouses().map { Set($0) } == [Set(result.houses.map(\.house))])
    }

    @Test func laterPages_continueWhereTheLastEnded_untilNoneIsLeft() throws {
        let second = try centre.lookup(.name("王"), agent: "E9001", page: try LookupPage(limit: 50, offset: 50))
        #expect(second.houses.map(\.house) == (50...99).map { "YS01/10-1-\($0)" })
        #expect(second.page.next_offset == 100)
        #expect(second.truncationNote == "共 121 户匹配，显示第 51–100 户；请输入更完整的姓名或按电话、房号查询")
        let last = try centre.lookup(.name("王"), agent: "E9001", page: try LookupPage(limit: 50, offset: 100))
        #expect(last.houses.map(\.house) == (100...120).map { "YS01/10-1-\($0)" })
        #expect(last.total == 121)
        #expect(last.page.next_offset == nil)
        let past = try centre.lookup(.name("王"), agent: "E9001", page: try LookupPage(limit: 10, offset: 500))
        #expect(past.houses.isEmpty)
        #expect(past.total == 121 && past.page.next_offset == nil)
        #expect(try auditedHouses().map(\.count) == [50, 21, 0])
    }

    @Test func everyMatchShown_isNotTruncated() throws {
        let result = try centre.lookup(.name("王伟"), agent: "E9001")
        #expect(result.houses.map(\.house) == ["YS01/1-1-101"])
        #expect(result.total == 1 && !result.truncated && result.page.next_offset == nil)
        #expect(result.truncationNote == nil)
        let none = try centre.lookup(.phone("13300000000"), agent: "E9001")
        #expect(none.total == 0 && !none.truncated && none.houses.isEmpty)
    }

    /// The JSON carries the count and the page (`"page": {total, truncated, limit, offset, next_offset}`) (the contract's `lookup --json`, and /v1/lookup).
    @Test func json_carriesTotalTruncatedAndThePage() throws {
        let result = try centre.lookup(.name("王"), agent: "E9001", page: try LookupPage(limit: 5, offset: 0))
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any])
        #expect(Set(object.keys) == ["query", "page", "houses"])
        let page = try #require(object["page"] as? [String: Any])
        #expect(page["total"] as? Int == 121)
        #expect(page["truncated"] as? Bool == true)
        #expect(page["limit"] as? Int == 5 && page["offset"] as? Int == 0 && page["next_offset"] as? Int == 5)
        let last = try centre.lookup(.name("王伟"), agent: "E9001")
        let lastObject = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(last)) as? [String: Any])
        #expect((lastObject["page"] as? [String: Any])?["next_offset"] is NSNull)
    }

    @Test func pageBounds_areInputErrorsNamingTheField() throws {
        #expect(try LookupPage(limitText: nil, offsetText: nil) == .first)
        #expect(LookupPage.first.limit == 50)
        for (limit, offset, field) in [(0, 0, "limit"), (101, 0, "limit"), (-3, 0, "limit"), (50, -1, "offset")] {
            let error = butlerError { try LookupPage(limit: limit, offset: offset) }
            #expect(error?.kind == .invalidInput)
            #expect(error?.field == field, "\(limit), \(offset)")
        }
        #expect(butlerError { try LookupPage(limitText: "ten", offsetText: nil) }?.field == "limit")
        #expect(butlerError { try LookupPage(limitText: "5", offsetText: "1e3") }?.field == "offset")
        #expect(butlerError { try LookupPage(limit: 101) }?.messages == ["每页户数须在 1 到 100 之间，收到 101"])
        // The function refuses an oversized page even when called directly.
        #expect(postgresError { try db.query("SELECT * FROM household_lookup(1, 'name', '王', '王', false, 1000, 0)") }?.sqlState == "22023")
    }

    /// A manager's count is of their project only (the scope narrows before counting).
    @Test func managerTotal_countsOnlyTheirProject() throws {
        try seedManager(db)
        _ = try Importer(db: db).run(.projects, table: try CSVTable.parse("code,name\nHB02,湖滨\n", fileName: "projects.csv"))
        _ = try Importer(db: db).run(.houses, table: try CSVTable.parse(
            "project,building,unit,room,floor,area_m2,occupancy,move_in_date,holiday_home\nHB02,1,1,101,1,90,self,,no\n", fileName: "houses.csv"))
        _ = try Importer(db: db).run(.residents, table: try CSVTable.parse(
            "project,building,unit,room,name,phone,role,move_in_date,tags\nHB02,1,1,101,王湖,13700000009,owner,,\n", fileName: "residents.csv"))
        #expect(try centre.lookup(.name("王"), agent: "E9001").total == 122)
        #expect(try centre.lookup(.name("王"), agent: "E8001").total == 121)
    }
}
