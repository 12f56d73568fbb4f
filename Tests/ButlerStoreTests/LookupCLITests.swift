import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

/// `butler lookup` and `butler audit` as a person reads them (issue 13 #9, #7, #23). An
/// extension of CLITests: the executable takes only a URL, so these run in that suite's
/// database and schema, serialized with it.
extension CLITests {
    /// The registry CLITests loads plus 120 houses with a 王 (`王` matches 121).
    func seedWangs() throws {
        try seedManyWangs(try DatabaseConfig(url: url).connect(), count: 120)
    }

    @Test func truncatedLookup_saysHowManyMatched_andHowToNarrow() throws {
        try seedWangs()
        let run = try butler("lookup", "--name", "王", "--agent", "E9001")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("共 121 户匹配，显示前 50 户；请输入更完整的姓名或按电话、房号查询"))
        #expect(run.stdout.components(separatedBy: "网格电话").count - 1 == 50)
        let json = try butler("lookup", "--name", "王", "--agent", "E9001", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let page = try #require(object["page"] as? [String: Any])
        #expect(page["total"] as? Int == 121)
        #expect(page["truncated"] as? Bool == true)
        #expect((object["houses"] as? [Any])?.count == 50)
    }

    @Test func lookupText_isChinese_tagsAndNotFound() throws {
        let run = try butler("lookup", "--house", "YS01/1-1-101", "--agent", "E9001")
        #expect(run.status == 0)
        #expect(run.stdout.contains("独居老人"))
        #expect(!run.stdout.contains("elderly_alone"))
        #expect(!run.stdout.contains("户匹配"), "nothing left out, nothing to say")
        let json = try butler("lookup", "--house", "YS01/1-1-101", "--agent", "E9001", "--json")
        #expect(json.stdout.contains("\"elderly_alone\""), "codes stay in --json")
        let none = try butler("lookup", "--phone", "13300000000", "--agent", "E9001")
        #expect(none.status == 0)
        #expect(none.stdout == "未找到电话 13300000000 对应的住户\n")
    }

    @Test func badQueries_exit1_withChineseMessagesNamingTheOption() throws {
        let two = try butler("lookup", "--phone", "13900000001", "--name", "王", "--agent", "E9001")
        #expect(two.status == 1)
        #expect(two.stderr.contains("--name：只能按一项查询：已给出电话，不能再给姓名"), "\(two.stderr)")
        let phone = try butler("lookup", "--phone", "12345", "--agent", "E9001")
        #expect(phone.status == 1)
        #expect(phone.stderr.contains("--phone：不是有效的电话号码：12345"), "\(phone.stderr)")
        let unknown = try butler("lookup", "--phone", "13900000001", "--agent", "X9999")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("--agent：工号 X9999 未登记"), "\(unknown.stderr)")
    }

    @Test func refusedAudit_showsChineseReasons_jsonKeepsTheCodes() throws {
        _ = try butler("lookup", "--phone", "13900000001", "--agent", "X9999")
        _ = try butler("lookup", "--phone", "13900000001", "--agent", "E1001")
        let text = try butler("audit", "--refused")
        #expect(text.status == 0)
        #expect(text.stdout.contains("工号未登记") && text.stdout.contains("管家无权查询住户"), "\(text.stdout)")
        #expect(text.stdout.contains("电话 13900000001"))
        #expect(!text.stdout.contains("unknown agent") && !text.stdout.contains("role butler"))
        let json = try butler("audit", "--refused", "--json")
        #expect(json.stdout.contains("\"unknown agent\"") && json.stdout.contains("\"role butler\""))
    }
}
