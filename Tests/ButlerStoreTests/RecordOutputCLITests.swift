import Foundation
import Testing

/// 13 #6: a record says what it did in Chinese, and `--json` carries every id (the record,
/// the tasks it completed, the complaint it opened), so `complaint close` gets the right one.
extension CLITests {
    @Test func aRecordSaysWhatItDid_andJSONCarriesEveryId() throws {
        // YS01/1-1-101 moved in on 2026-11-20: planning the 23rd gives it a move-in visit task.
        #expect(try butler("plan", "--date", "2026-11-23").status == 0)
        let visit = try butler("touch", "YS01/1-1-101", "--kind", "visit", "--by", "E1001", "--at", "2026-11-23T10:00")
        #expect(visit.status == 0, "\(visit.stderr)")
        let line = visit.stdout.trimmingCharacters(in: .newlines)
        #expect(line.hasPrefix("已记录走访 #1，完成任务 #"), "\(line)")
        #expect(line.hasSuffix(" 新入住走访"), "\(line)")

        // The complaint gets an id of its own (touchpoint 2, complaint 1) and --json says both.
        let complaint = try butler("touch", "YS01/1-1-101", "--kind", "complaint", "--by", "E1001", "--at", "2026-11-23T11:00",
                                   "--note", "楼道灯不亮", "--json")
        #expect(complaint.status == 0, "\(complaint.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(complaint.stdout.utf8)) as? [String: Any])
        #expect(json["record"] as? String == "touchpoint")
        #expect(json["id"] as? Int == 2)
        #expect(json["complaint"] as? Int == 1)
        #expect(json["completed"] is [Any])
        let human = try butler("touch", "YS01/1-1-102", "--kind", "complaint", "--by", "E1001", "--at", "2026-11-23T11:05")
        #expect(human.stdout.contains("已记录投诉 #3；投诉单 #2 待回访"), "\(human.stdout)")
        // The id printed is the one `complaint close` takes.
        let close = try butler("complaint", "close", "1", "--result", "已修复")
        #expect(close.status == 0, "\(close.stderr)")
        #expect(close.stdout.contains("已关闭投诉 #1"))
    }

    @Test func tasksOfSomeoneWithoutAList_isAnError_notAnEmptyTable() throws {
        let agent = try butler("tasks", "--butler", "E9001", "--date", "2026-11-23")
        #expect(agent.status == 1)
        #expect(agent.stdout.isEmpty, "no table with a dangling header")
        #expect(agent.stderr.contains("--butler：E9001（坐席）是客服坐席，没有任务清单"), "\(agent.stderr)")
        let date = try butler("tasks", "--butler", "E1001", "--date", "2026/11/23")
        #expect(date.status == 1)
        #expect(date.stderr.contains("<YYYY-MM-DD>"), "the expected format is named: \(date.stderr)")
    }
}
