import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

/// Issue 13 #23 and #7 (lookup): one query check and one card view model for the CLI and the
/// screen-pop page, in Chinese; errors name the field and never a CLI flag.
@Suite struct LookupViewTests {
    let schema: TestSchema
    let db: Connection
    let centre: CallCentre

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRegistry(db)
        centre = CallCentre(db: db)
    }

    @Test func exactlyOneOfPhoneHouseName_isCheckedInOnePlace() throws {
        #expect(try LookupQuery(phone: "13900000001", house: nil, name: nil) == .phone("13900000001"))
        #expect(try LookupQuery(phone: nil, house: "YS01/1-1-101", name: nil) == .house("YS01/1-1-101"))
        #expect(try LookupQuery(phone: nil, house: nil, name: "王") == .name("王"))
        #expect(try LookupQuery.parse(phone: nil, house: nil, name: nil) == nil)

        let none = butlerError { try LookupQuery(phone: nil, house: nil, name: nil) }
        #expect(none?.kind == .invalidInput)
        #expect(none?.messages == ["请给出电话、房号或姓名中的一项"])
        let two = butlerError { try LookupQuery(phone: "13900000001", house: nil, name: "王") }
        #expect(two?.kind == .invalidInput)
        #expect(two?.field == "name")
        #expect(two?.messages == ["只能按一项查询：已给出电话，不能再给姓名"])
    }

    @Test func malformedQueries_areChineseErrorsNamingTheField() throws {
        let phone = butlerError { try centre.lookup(.phone("12345"), agent: "E9001") }
        #expect(phone?.field == "phone")
        #expect(phone?.messages == ["不是有效的电话号码：12345（例如 13812345678、0571-88886666）"])
        let house = butlerError { try centre.lookup(.house("YS01-1-1-101"), agent: "E9001") }
        #expect(house?.field == "house")
        #expect(house?.messages == ["不是有效的房号：YS01-1-1-101（格式：项目/楼栋-单元-房间，例如 YS01/3-2-1502）"])
        let name = butlerError { try centre.lookup(.name(" "), agent: "E9001") }
        #expect(name?.field == "name")
        #expect(name?.messages == ["请输入姓名或姓名的开头"])
        let control = butlerError { try centre.lookup(.name("王\u{1B}"), agent: "E9001") }
        #expect(control?.field == "name")
        #expect(control?.messages == ["姓名中不能有控制字符"])
        // No message names a CLI flag.
        for error in [phone, house, name, control] {
            #expect(error?.messages.allSatisfy { !$0.contains("--") } == true)
        }
    }

    @Test func refusals_areChineseForPeople_withTheCodeKept() throws {
        let unknown = butlerError { try centre.lookup(.phone("13900000001"), agent: "X9999") }
        #expect(unknown?.kind == .forbidden)
        #expect(unknown?.field == "agent")
        #expect(unknown?.messages == ["工号 X9999 未登记：只有登记在册的员工可以查询住户（此次拒绝已记录）"])
        let butler = butlerError { try centre.lookup(.phone("13900000001"), agent: "E1001") }
        #expect(butler?.messages == ["E1001 不能查询（管家无权查询住户），此次拒绝已记录"])
        let refusals = try centre.refusals()
        #expect(refusals.map(\.reason) == ["role butler", "unknown agent"], "the codes stay in --json")
        #expect(refusals.map(\.reasonLabel) == ["管家无权查询住户", "工号未登记"])
        #expect(RefusalEntry.label(reason: "house outside E1001's scope") == "房屋不在 E1001 的服务范围内")
        #expect(RefusalEntry.label(reason: "role manager") == "项目经理无权查询住户")
        #expect(RefusalEntry.label(reason: "something new") == "something new")
    }

    @Test func cardView_isChinese_withMaskedPhonesAndShortTimes() throws {
        _ = try Records(db: db).touch(house: "YS01/1-1-101", kind: .callIn, by: "E9001",
                                      at: Timestamp.parse("2026-11-26T09:30"), note: "报修")
        try db.execute("UPDATE house_residents SET tags = '{elderly_alone,disabled,vip,unheard_of}'")
        let card = HouseholdCardView(try #require(try centre.lookup(.house("YS01/1-1-101"), agent: "E9001").houses.first))
        #expect([card.house, card.project, card.occupancy, card.grid, card.gridPhone, card.butler]
                == ["YS01/1-1-101", "玉山花园", "自住", "YS01-G01", "057188880001", "梁涵淑（E1001）"])
        #expect(card.residents.map { [$0.name, $0.role, $0.phone, $0.tags] } == [["王伟", "业主", "139****0001", "独居老人、残障、VIP、unheard_of"]])
        #expect(card.recent.map { [$0.at, $0.kind, $0.note] } == [["2026-11-26 09:30", "来电", "报修"]])
        #expect(card.entrustment == nil)

        let entrusted = HouseholdCardView(try #require(try centre.lookup(.house("YS01/1-1-103"), agent: "E9001").houses.first))
        let entrustment = try #require(entrusted.entrustment)
        #expect([entrustment.kind, entrustment.period, "\(entrustment.keys)"] == ["无偿", "2026-01-01 起", "1"])
        let bare = HouseholdCardView(try #require(try centre.lookup(.house("YS01/2-1-101"), agent: "E9001").houses.first))
        #expect(bare.occupancy == "空置毛坯")
        #expect(bare.butler == "张月（E1002）")
    }
}
