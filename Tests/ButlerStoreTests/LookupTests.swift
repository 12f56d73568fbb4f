import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

@Suite struct LookupTests {
    let registry: Registry
    let centre: CallCentre
    var db: Connection { registry.db }

    /// The whole fixture registry: YS01-G01 (building 3) served by E1001 since 2020.
    init() throws {
        registry = try Registry()
        try registry.loadFixtures(through: .touchpoints)
        centre = CallCentre(db: registry.db)
    }

    struct AuditRow: Equatable {
        let agent: String, kind: String, query: String, revealed: Bool, houses: [String]
    }

    func auditRows() throws -> [AuditRow] {
        try db.query("""
            SELECT st.employee_no, a.query_kind, a.query, a.revealed, a.houses
            FROM lookup_audit a JOIN staff st ON st.id = a.agent_id ORDER BY a.id
            """).map {
            AuditRow(agent: try $0.decode(0), kind: try $0.decode(1), query: try $0.decode(2),
                     revealed: try $0.decode(3), houses: try $0.decode(4))
        }
    }

    func residents(_ card: HouseholdCard?) -> [String] {
        (card?.residents ?? []).map { "\($0.name) \($0.role) \($0.phone)" }
    }

    @Test func byFormattedPhone_findsEveryHouseOfThePerson_withMaskedPhones() throws {
        let result = try centre.lookup(.phone("+86 138-1234-5678"), agent: "C3001")
        #expect([result.query.kind, result.query.value, result.query.agent] == ["phone", "+86 138-1234-5678", "C3001"])
        #expect(result.query.revealed == false)
        #expect(result.houses.map(\.house) == ["YS01/3-2-1502", "YS01/5-1-201"])

        let home = try #require(result.houses.first)
        #expect(home.project == "玉山花园")
        #expect(home.occupancy == "self")
        #expect(home.grid == "YS01-G01")
        #expect(home.grid_phone == "057188880001")
        #expect(home.butler?.employee_no == "E1001")
        #expect(home.butler?.name == "王管家")
        #expect(residents(home) == ["张三 owner 138****5678", "李四 family 139****5678"])
        #expect(home.residents.map(\.tags) == [["vip"], ["elderly_alone", "disabled"]])
        #expect(home.entrustment == nil)
        #expect(home.open_tasks == 0)
        #expect(home.recent.map { "\($0.at) \($0.kind) \($0.note)" } == ["2026-11-26T09:30:00+08:00 visit 上门拜访, 业主满意"])

        let other = try #require(result.houses.last)
        #expect(other.grid == "YS01-G02")
        #expect(other.grid_phone == "057188880002")
        #expect(other.butler == nil, "nobody is assigned to YS01-G02")
        #expect(residents(other) == ["张三 owner 138****5678"])

        #expect(try auditRows() == [AuditRow(agent: "C3001", kind: "phone", query: "+86 138-1234-5678", revealed: false,
                                             houses: ["YS01/3-2-1502", "YS01/5-1-201"])])
    }

    @Test func reveal_showsFullPhones_andIsAudited() throws {
        let result = try centre.lookup(.phone("13812345678"), agent: "C3001", reveal: true)
        #expect(result.query.revealed)
        #expect(residents(result.houses.first) == ["张三 owner 13812345678", "李四 family 13912345678"])
        #expect(try auditRows().map(\.revealed) == [true])
    }

    @Test func bySecondPhoneOfAPerson_findsTheirHouse() throws {
        let result = try centre.lookup(.phone("(0571) 8888-6666"), agent: "C3001")
        #expect(result.houses.map(\.house) == ["YS01/3-2-1502"])
        // The card shows the person's first phone, masked.
        #expect(residents(result.houses.first).contains("李四 family 139****5678"))
    }

    @Test func byHouse_showsResidentsGridButlerAndEntrustment() throws {
        let tenant = try centre.lookup(.house("YS01/3-2-1501"), agent: "C3001")
        #expect(tenant.houses.map(\.house) == ["YS01/3-2-1501"])
        #expect(residents(tenant.houses.first) == ["张三丰 tenant 137****1111"])
        #expect(tenant.houses.first?.occupancy == "rented")
        #expect(tenant.houses.first?.recent.map(\.note) == ["报修:\n厨房漏水"])
        #expect(tenant.houses.first?.butler?.employee_no == "E1001")

        let entrusted = try centre.lookup(.house(" YS01/3-1-101 "), agent: "M2001")
        let card = try #require(entrusted.houses.first)
        #expect(card.residents.isEmpty)
        let entrustment = try #require(card.entrustment)
        #expect([entrustment.kind, entrustment.from] == ["unpaid", "2020-01-01"])
        #expect(entrustment.to == nil)
        #expect(entrustment.keys == 2)
        #expect(card.grid == "YS01-G01")

        #expect(try auditRows() == [
            AuditRow(agent: "C3001", kind: "house", query: "YS01/3-2-1501", revealed: false, houses: ["YS01/3-2-1501"]),
            AuditRow(agent: "M2001", kind: "house", query: " YS01/3-1-101 ", revealed: false, houses: ["YS01/3-1-101"]),
        ])
    }

    /// The card shows the butler and the entrustment in force today: not one that ended
    /// yesterday, not one that starts tomorrow (schema/0008 reads them by latest start).
    @Test func butlerAndEntrustment_areThoseInForceToday() throws {
        func card() throws -> HouseholdCard { try #require(try centre.lookup(.house("YS01/3-1-101"), agent: "C3001").houses.first) }
        try db.execute("""
            UPDATE grid_assignments SET to_date = current_date - 1
            WHERE grid_id = (SELECT id FROM grids WHERE code = 'YS01-G01') AND to_date IS NULL
            """)
        try db.execute("UPDATE entrustments SET to_date = current_date - 1 WHERE house_id = (SELECT id FROM houses WHERE code = 'YS01/3-1-101')")
        #expect(try card().butler == nil)
        #expect(try card().entrustment == nil)

        try db.execute("""
            INSERT INTO grid_assignments (grid_id, project_id, staff_id, from_date)
            SELECT g.id, g.project_id, st.id, current_date + 1 FROM grids g, staff st WHERE g.code = 'YS01-G01' AND st.employee_no = 'E1002'
            """)
        try db.execute("""
            INSERT INTO entrustments (house_id, project_id, kind, from_date, keys)
            SELECT id, project_id, 'paid', current_date + 1, 1 FROM houses WHERE code = 'YS01/3-1-101'
            """)
        #expect(try card().butler == nil, "the next butler starts tomorrow")
        #expect(try card().entrustment == nil, "the next entrustment starts tomorrow")

        try db.execute("UPDATE grid_assignments SET from_date = current_date WHERE from_date = current_date + 1")
        try db.execute("UPDATE entrustments SET from_date = current_date WHERE from_date = current_date + 1")
        #expect(try card().butler?.employee_no == "E1002")
        #expect(try card().entrustment?.kind == "paid")
    }

    /// The database masks phones by PhoneNumber.mask's rule, short service numbers included.
    @Test func maskedPhones_followPhoneNumberMask_forEveryLength() throws {
        _ = try registry.load(.residents, """
            project,building,unit,room,name,phone,role,move_in_date,tags
            YS01,5,1,201,客服,95588,tenant,,
            YS01,5,1,201,座机,057188886666,owner,,
            """)
        func phones(reveal: Bool) throws -> [String: String] {
            let card = try #require(try centre.lookup(.house("YS01/5-1-201"), agent: "C3001", reveal: reveal).houses.first)
            return Dictionary(uniqueKeysWithValues: card.residents.map { ($0.name, $0.phone) })
        }
        let full = try phones(reveal: true)
        #expect(full["客服"] == "95588" && full["座机"] == "057188886666")
        #expect(try phones(reveal: false) == full.mapValues(PhoneNumber.mask))
        #expect(try phones(reveal: false)["客服"] == "*****")
        #expect(try phones(reveal: false)["座机"] == "057****6666")
    }

    @Test func byName_matchesPrefixAndExact() throws {
        #expect(try centre.lookup(.name("张三"), agent: "C3001").houses.map(\.house)
                == ["YS01/3-2-1501", "YS01/3-2-1502", "YS01/5-1-201"])
        #expect(try centre.lookup(.name("张三丰"), agent: "C3001").houses.map(\.house) == ["YS01/3-2-1501"])
        #expect(try centre.lookup(.name("李"), agent: "C3001").houses.map(\.house) == ["YS01/3-2-1502"])
        #expect(try centre.lookup(.name("三"), agent: "C3001").houses.isEmpty, "only prefixes match, not substrings")
        #expect(try auditRows().map { "\($0.kind):\($0.query) \($0.houses)" } == [
            "name:张三 [\"YS01/3-2-1501\", \"YS01/3-2-1502\", \"YS01/5-1-201\"]",
            "name:张三丰 [\"YS01/3-2-1501\"]",
            "name:李 [\"YS01/3-2-1502\"]",
            "name:三 []",
        ])
    }

    @Test func lookupThatFindsNothing_isStillAudited() throws {
        let result = try centre.lookup(.phone("13300000000"), agent: "C3001")
        #expect(result.houses.isEmpty)
        #expect(try auditRows() == [AuditRow(agent: "C3001", kind: "phone", query: "13300000000", revealed: false, houses: [])])
    }

    @Test func auditLog_listsLookupsNewestFirst_filteredByAgent() throws {
        _ = try centre.lookup(.house("YS01/3-2-1502"), agent: "C3001")
        _ = try centre.lookup(.name("李四"), agent: "M2001", reveal: true)
        let all = try centre.audit()
        #expect(all.map(\.agent) == ["M2001", "C3001"])
        #expect(all.map(\.query) == ["name:李四", "house:YS01/3-2-1502"])
        #expect(all.map(\.houses) == [["YS01/3-2-1502"], ["YS01/3-2-1502"]])
        #expect(all.allSatisfy { $0.at.hasSuffix("+08:00") && $0.at.count == 25 })
        #expect(try centre.audit(agent: "C3001").map(\.query) == ["house:YS01/3-2-1502"])
    }

    /// Documented behaviour: a refused lookup (unknown agent) writes NO audit row. The audit
    /// table's agent_id is NOT NULL REFERENCES staff, so an unknown person cannot be recorded there.
    @Test func unknownAgent_isForbidden_andNoAuditRowIsWritten() throws {
        let error = butlerError { try centre.lookup(.phone("13812345678"), agent: "X9999") }
        #expect(error?.kind == .forbidden)
        #expect(error?.messages == ["工号 X9999 未登记：只有登记在册的员工可以查询住户（此次拒绝已记录）"])
        #expect(try registry.count("lookup_audit") == 0)
        // The refusal itself is on record, append-only.
        let refusals = try centre.refusals()
        #expect(refusals.map { [$0.agent, $0.query, $0.reason] } == [["X9999", "phone:13812345678", "unknown agent"]])
        #expect(try centre.refusals(agent: "E9001").isEmpty)
        #expect(throws: PostgresError.self) { try db.execute("DELETE FROM lookup_refusals") }
        #expect(throws: PostgresError.self) { try db.execute("TRUNCATE lookup_refusals") }
    }

    /// The CLI names the person (`--agent`); a butler is refused there too (issue 11), on record.
    @Test func butlerMayNotLookUp_andTheRefusalIsRecorded() throws {
        let error = butlerError { try centre.lookup(.house("YS01/3-2-1501"), agent: "E1001") }
        #expect(error?.kind == .forbidden)
        #expect(try centre.refusals().map { [$0.agent, $0.query, $0.reason] } == [["E1001", "house:YS01/3-2-1501", "role butler"]])
        #expect(try registry.count("lookup_audit") == 0)
        // A malformed query without the right is refused (403 before 400) and on record too.
        #expect(butlerError { try centre.lookup(.phone("12"), agent: "E1001") }?.kind == .forbidden)
        _ = try centre.lookup(.house("YS01/3-2-1501"), agent: "C3001")
        #expect(try centre.refusals().count == 2)
    }

    /// Documented behaviour: a malformed query is an input error, also without an audit row.
    @Test func malformedQueries_areInputErrors_withoutAuditRow() throws {
        #expect(butlerError { try centre.lookup(.phone("12345"), agent: "C3001") }?.kind == .invalidInput)
        #expect(butlerError { try centre.lookup(.house("YS01-3-2-1502"), agent: "C3001") }?.kind == .invalidInput)
        #expect(butlerError { try centre.lookup(.name("  "), agent: "C3001") }?.kind == .invalidInput)
        #expect(try registry.count("lookup_audit") == 0)
    }

    @Test func auditLog_refusesUpdateDeleteAndTruncate() throws {
        _ = try centre.lookup(.phone("13812345678"), agent: "C3001")
        let update = postgresError { try db.execute("UPDATE lookup_audit SET query = 'nothing to see'") }
        #expect(update?.sqlState == "42501")
        let delete = postgresError { try db.execute("DELETE FROM lookup_audit") }
        #expect(delete?.sqlState == "42501")
        let truncate = postgresError { try db.execute("TRUNCATE lookup_audit") }
        #expect(truncate?.sqlState == "42501")
        #expect(try auditRows().map(\.query) == ["13812345678"])
    }

    @Test func lookupJSON_usesTheContractKeys() throws {
        let result = try centre.lookup(.house("YS01/3-2-1502"), agent: "C3001")
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any])
        #expect(object["query"] is [String: Any])
        let house = try #require((object["houses"] as? [[String: Any]])?.first)
        #expect(house["house"] as? String == "YS01/3-2-1502")
        #expect(house["grid_phone"] as? String == "057188880001")
        #expect((house["butler"] as? [String: Any])?["employee_no"] as? String == "E1001")
        #expect((house["residents"] as? [[String: Any]])?.first?["phone"] as? String == "138****5678")
    }

    /// CONTRACT: `"entrustment": null | {...}`; a house without grid, butler or entrustment
    /// should still carry those keys, as null. The synthesized Codable of HouseholdCard omits them.
    @Test func lookupJSON_hasNullForMissingGridButlerAndEntrustment() throws {
        let result = try centre.lookup(.house("HB02/1-1-101"), agent: "C3001")
        let card = try #require(result.houses.first)
        #expect(card.grid == nil && card.butler == nil && card.entrustment == nil)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(card)) as? [String: Any])
        #expect(Set(object.keys) == ["house", "project", "occupancy", "grid", "grid_phone", "butler", "residents",
                                     "entrustment", "open_tasks", "recent", "in_arrears"])
        #expect(object["entrustment"] is NSNull)
    }
}
