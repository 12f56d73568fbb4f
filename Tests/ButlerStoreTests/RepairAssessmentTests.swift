import ButlerCore
@testable import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

private func at(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }

/// Issue 14, the assessment (000: 考核): the repair section of `butler report --project` and the
/// company ranking of `butler report --company`, on a month built by hand through RepairStore
/// with fixed clocks; every figure is worked out in the comments. November 2026 has no holiday.
@Suite struct RepairAssessmentTests {
    let schema: TestSchema
    let db: Connection
    /// The reports are read on Thursday 26 November 2026 at 20:00; every act is before then.
    static let now = "2026-11-26T20:00"

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        // YS01: 4 houses, technician E3001; HB02: 1 house, technician E3101; agent E9001.
        try seedRepairStaff(db)
    }

    var store: RepairStore {
        get throws { RepairStore(db: db, now: try at(Self.now), technicianLateness: nil) }
    }

    /// Opens an order (by the agent) and takes it as far as the steps given, each at its time.
    @discardableResult
    func order(_ house: String = "YS01/1-1-101", technician: String = "E3001", opened: String, dispatched: String? = nil,
               signed: String? = nil, contacted: String? = nil, completed: String? = nil,
               followedUp: (String, Int)? = nil) throws -> Int {
        let store = try store
        let id = try store.open(RepairOpening(house: house, category: .water, description: "水管漏水"), by: "E9001",
                                at: try at(opened)).id
        if let dispatched { _ = try store.dispatch(id, to: technician, by: "E9001", at: try at(dispatched)) }
        if let signed { _ = try store.sign(id, by: technician, at: try at(signed)) }
        if let contacted {
            _ = try store.contact(id, appointment: try at(contacted).addingTimeInterval(3600), by: technician, at: try at(contacted))
        }
        if let completed { _ = try store.complete(id, photos: ["p.jpg"], note: "", by: technician, at: try at(completed)) }
        if let (time, rating) = followedUp { _ = try store.followup(id, rating: rating, note: "", by: "E9001", at: try at(time)) }
        return id
    }

    /// YS01's November: seven orders counted on its days, one October order, one HB02 order, a complaint.
    func buildNovember() throws {
        // A, Mon 2 Nov: every stage on time, rated 5. Sign due 09:20, contact due 09:20, completion
        // before Tue 3 00:00, follow-up due Wed 4 15:00.
        try order(opened: "2026-11-02T09:00", dispatched: "2026-11-02T09:05", signed: "2026-11-02T09:10",
                  contacted: "2026-11-02T09:15", completed: "2026-11-02T15:00", followedUp: ("2026-11-03T10:00", 5))
        // B, Tue 3 Nov: signed late (09:30, due 09:20), the rest on time (contact due 09:40), rated 3.
        try order(opened: "2026-11-03T09:00", dispatched: "2026-11-03T09:05", signed: "2026-11-03T09:30",
                  contacted: "2026-11-03T09:35", completed: "2026-11-03T16:00", followedUp: ("2026-11-04T10:00", 3))
        // C, Wed 4 Nov: contact late (10:30, due 10:20), completed late (Thu 5 09:00, due Thu 5
        // 00:00), never followed up (due Sat 7 09:00, passed).
        try order(opened: "2026-11-04T10:00", dispatched: "2026-11-04T10:05", signed: "2026-11-04T10:10",
                  contacted: "2026-11-04T10:30", completed: "2026-11-05T09:00")
        // D, Thu 5 Nov: on time, rated 2, reopened Fri 6 10:30 (new deadline: before Sat 7 00:00),
        // completed again Fri 6 16:00 (on time), followed up Sat 7 10:00 (due Sun 8 16:00), rated 5.
        let d = try order(opened: "2026-11-05T10:00", dispatched: "2026-11-05T10:05", signed: "2026-11-05T10:10",
                          contacted: "2026-11-05T10:15", completed: "2026-11-05T14:00", followedUp: ("2026-11-06T10:00", 2))
        _ = try store.reopen(d, reason: "仍然漏水", by: "E9001", at: try at("2026-11-06T10:30"))
        _ = try store.complete(d, photos: ["q.jpg"], note: "", by: "E3001", at: try at("2026-11-06T16:00"))
        _ = try store.followup(d, rating: 5, note: "", by: "E9001", at: try at("2026-11-07T10:00"))
        // H, Mon 9 Nov: on time, reopened at 14:00 before any call-back (that round needs none),
        // completed again at 16:00, followed up Tue 10 10:00, rated 5.
        let h = try order(opened: "2026-11-09T10:00", dispatched: "2026-11-09T10:05", signed: "2026-11-09T10:10",
                          contacted: "2026-11-09T10:15", completed: "2026-11-09T12:00")
        _ = try store.reopen(h, reason: "接口渗水", by: "E9001", at: try at("2026-11-09T14:00"))
        _ = try store.complete(h, photos: ["r.jpg"], note: "", by: "E3001", at: try at("2026-11-09T16:00"))
        _ = try store.followup(h, rating: 5, note: "", by: "E9001", at: try at("2026-11-10T10:00"))
        // E, Sat 31 Oct 18:30, after the cutoff: counts on Sun 1 Nov, November's. Never dispatched:
        // no sign or contact yet; its completion (before Mon 2 00:00) is late.
        try order(opened: "2026-10-31T18:30")
        // F, Thu 26 Nov 19:50 (counts on Fri 27): dispatched 19:55, sign due 20:10, completion before
        // Sat 28 00:00: nothing of it is decided at 20:00.
        try order(opened: "2026-11-26T19:50", dispatched: "2026-11-26T19:55")
        // October's: Sat 31 Oct 17:00, before the cutoff.
        try order(opened: "2026-10-31T17:00")
        // HB02's, every stage on time, rated 4.
        try order("HB02/1-1-101", technician: "E3101", opened: "2026-11-10T09:00", dispatched: "2026-11-10T09:01",
                  signed: "2026-11-10T09:02", contacted: "2026-11-10T09:03", completed: "2026-11-10T11:00",
                  followedUp: ("2026-11-10T15:00", 4))
        // A level 3 complaint at YS01 in November (and one in October, not November's).
        let records = Records(db: db, now: try at(Self.now))
        _ = try records.touch(house: "YS01/1-1-102", kind: .complaint, by: "E1001", at: try at("2026-11-12T10:00"),
                              note: "维修不及时", level: .three)
        _ = try records.touch(house: "YS01/1-1-103", kind: .complaint, by: "E1001", at: try at("2026-10-12T10:00"),
                              note: "噪音", level: .one)
    }

    func monthly(_ month: String) throws -> MonthlyReport {
        try MonthlyReportStore(db: db).report(project: "YS01", month: try #require(YearMonth(month)), now: try at(Self.now))
    }

    func company(_ month: String) throws -> CompanyReport {
        try CompanyReportStore(db: db).report(month: try #require(YearMonth(month)), now: try at(Self.now))
    }

    @Test func handBuiltMonth_everyFigure() throws {
        try buildNovember()
        let f = try #require(try monthly("2026-11").repairs)
        #expect([f.project, f.name] == ["YS01", "玉山花园"])
        // A, B, C, D, H, E, F.
        #expect([f.households, f.orders] as [Int] == [4, 7])
        // Sign decided for A, B, C, D, H (E never dispatched, F not yet due): on time all but B.
        #expect([f.sign_due, f.sign_on_time] as [Int] == [5, 4])
        #expect(f.sign_rate == 0.8)
        // Contact: A, B, C, D, H; C late.
        #expect([f.contact_due, f.contact_on_time] as [Int] == [5, 4])
        #expect(f.contact_rate == 0.8)
        // Rounds decided: A, B, C, D#0, D#1, H#0, H#1, E (late, never done); late C and E.
        #expect([f.complete_due, f.complete_on_time] as [Int] == [8, 6])
        #expect(f.complete_rate == 0.75)
        // Follow-ups of A, B, C (never: late), D#0, D#1, H#1 (H#0 was reopened before its call-back).
        #expect([f.followup_due, f.followup_on_time] as [Int] == [6, 5])
        #expect(f.followup_rate == 5.0 / 6.0)
        // Ratings 5 (A), 3 (B), 2 (D#0), 5 (D#1), 5 (H#1): 3 of 5 satisfied, under the 96 % target.
        #expect([f.rated, f.satisfied] as [Int] == [5, 3])
        #expect(f.satisfaction_rate == 0.6)
        #expect(f.satisfaction_target == 0.96)
        #expect(f.satisfaction_met == false)
        // Completed at least once: A, B, C, D, H; never reopened: A, B, C.
        #expect([f.pass_due, f.passed] as [Int] == [5, 3])
        #expect(f.pass_rate == 0.6)
        // 7 orders ÷ 4 houses; one level 3 complaint per 4 houses = 250 per 1,000.
        #expect(f.repairs_per_household == 1.75)
        #expect([f.complaints_level1, f.complaints_level2, f.complaints_level3] as [Int] == [0, 0, 1])
        #expect([f.complaints_per_1000_level1, f.complaints_per_1000_level2, f.complaints_per_1000_level3, f.complaints_per_1000] as [Double?]
                == [0, 0, 250, 250])

        // As a manager reads it (the table and the CSV).
        #expect(RepairFiguresCSV.cells(f) == ["7", "80.0%", "80.0%", "75.0%", "83.3%", "60.0% 未达标", "60.0%", "1.750",
                                              "0.00", "0.00", "250.00"])
    }

    /// A round whose call-back the sweep had already found late stays late when the order is
    /// reopened afterwards (one reopened before its deadline needs none: H above).
    @Test func followUpFoundLate_beforeAReopen_staysLate() throws {
        let id = try order("HB02/1-1-101", technician: "E3101", opened: "2026-11-02T09:00", dispatched: "2026-11-02T09:01",
                           signed: "2026-11-02T09:02", contacted: "2026-11-02T09:03", completed: "2026-11-02T12:00")
        // The follow-up was due Wed 4 Nov 12:00; the sweep records the breach a minute later.
        _ = try JobRunner(db: db).runDue(now: try at("2026-11-04T12:01"), only: ["deadline_sweep"])
        _ = try store.reopen(id, reason: "仍然漏水", by: "E9001", at: try at("2026-11-05T10:00"))
        _ = try store.complete(id, photos: ["s.jpg"], note: "", by: "E3101", at: try at("2026-11-05T15:00"))
        _ = try store.followup(id, rating: 5, note: "", by: "E9001", at: try at("2026-11-06T10:00"))
        let f = try #require(try company("2026-11").rows.first { $0.project == "HB02" }).repairs
        #expect([f.followup_due, f.followup_on_time] as [Int] == [2, 1])
    }

    /// Satisfaction meets the target at exactly 96 % (24 of 25), not at 23 of 25.
    @Test func satisfactionTarget_isMetAtItsOwnRate() {
        var f = RepairFigures(project: "YS01", name: "")
        f.rated = 25
        f.satisfied = 24
        f.computeRates(satisfactionTarget: 0.96)
        #expect(f.satisfaction_met == true)
        f.satisfied = 23
        f.computeRates(satisfactionTarget: 0.96)
        #expect(f.satisfaction_met == false)
        f.rated = 0
        f.satisfied = 0
        f.computeRates(satisfactionTarget: 0.96)
        #expect(f.satisfaction_met == nil)
    }

    @Test func companyRanking_ordersProjectsByScore_andListsAProjectWithoutOrdersLast() throws {
        try buildNovember()
        _ = try Importer(db: db).run(.projects, table: try CSVTable.parse("code,name\nQS03,青山小区\n", fileName: "projects.csv"))
        _ = try Importer(db: db).run(.houses, table: try CSVTable.parse("""
            project,building,unit,room,floor,area_m2,occupancy,move_in_date,holiday_home
            QS03,1,1,101,1,80,self,2020-01-01,no

            """, fileName: "houses.csv"))
        let report = try company("2026-11")
        #expect(report.rows.map(\.project) == ["HB02", "YS01", "QS03"])
        #expect(report.rows.map(\.rank) == [1, 2, nil])
        // HB02: every rate 100 %, no complaint: 100.
        // YS01 (weights 15, 10, 30, 5, 20, 10, 10): sign 80 × 15 + contact 80 × 10 + completion
        // 75 × 30 + follow-up 83.33 × 5 + satisfaction 60 × 20 + pass 60 × 10 + complaints
        // (0.25 ÷ 250 × 100 = 0.1) × 10 = 1200 + 800 + 2250 + 416.67 + 1200 + 600 + 1 = 6467.67, ÷ 100.
        #expect(report.rows.map(\.score) == [100, 64.68, nil])
        // Fewer than eight ranked: both are among the first five; QS03 is not ranked.
        #expect(report.rows.map(\.mark) == [.top, .top, nil])
        #expect(report.weights == ["sign": 15, "contact": 10, "complete": 30, "followup": 5, "satisfaction": 20, "pass": 10,
                                   "complaints": 10])
        #expect(report.rows[1].repairs == (try monthly("2026-11").repairs), "the ranking shows the project report's figures")

        // The weights are the table's: pass rate alone ranks YS01 at 60.
        try db.execute("UPDATE assessment_weights SET weight = 0 WHERE component <> 'pass'")
        #expect(try company("2026-11").rows.map(\.score) == [100, 60, nil])

        let json = String(decoding: try JSONEncoder().encode(report.rows[2]), as: UTF8.self)
        #expect(json.contains(#""rank":null"#) && json.contains(#""score":null"#) && json.contains(#""mark":null"#))
        let top = String(decoding: try JSONEncoder().encode(report.rows[0]), as: UTF8.self)
        #expect(top.contains(#""rank":1"#) && top.contains(#""score":100"#) && top.contains(#""mark":"top""#))
    }

    /// 000: the first five are rewarded, the last three penalised; equal scores go by project code.
    @Test func marks_topFiveAndBottomThree() {
        #expect((1...10).map { RankMark.of(rank: $0, among: 10) }
                == [.top, .top, .top, .top, .top, nil, nil, .bottom, .bottom, .bottom])
        // Six ranked: the five first stay top, only the sixth is among the last three and not top.
        #expect((1...6).map { RankMark.of(rank: $0, among: 6) } == [.top, .top, .top, .top, .top, .bottom])
        func passedOnce(_ project: String) -> RepairFigures {
            var f = RepairFigures(project: project, name: "")
            f.orders = 1
            f.pass_due = 1
            f.passed = 1
            f.computeRates(satisfactionTarget: 0.96)
            return f
        }
        let ranked = CompanyReportStore.ranked([passedOnce("B1"), passedOnce("A1")], weights: .standard, month: "2026-11")
        #expect(ranked.rows.map(\.project) == ["A1", "B1"])
        #expect(ranked.rows.map(\.score) == [100, 100])
    }

    @Test func emptyMonth_hasNoRatesAndNothingRanked() throws {
        try buildNovember()
        let september = try monthly("2026-09")
        let f = try #require(september.repairs)
        #expect([f.orders, f.sign_due, f.complete_due, f.followup_due, f.rated, f.pass_due] as [Int] == [0, 0, 0, 0, 0, 0])
        #expect([f.sign_rate, f.contact_rate, f.complete_rate, f.followup_rate, f.satisfaction_rate, f.pass_rate] as [Double?] == [nil, nil, nil, nil, nil, nil])
        #expect(f.satisfaction_met == nil)
        #expect(f.repairs_per_household == 0)
        #expect(september.isEmpty)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(f), as: UTF8.self)
        #expect(json.contains(#""sign_rate":null"#) && json.contains(#""satisfaction_rate":null"#) && json.contains(#""satisfaction_met":null"#))
        #expect(RepairFiguresCSV.cells(f) == ["0", "—", "—", "—", "—", "—", "—", "0.000", "0.00", "0.00", "0.00"])

        let ranking = try company("2026-09")
        #expect(ranking.isEmpty)
        #expect(ranking.rows.map(\.project) == ["HB02", "YS01"])
        #expect(ranking.rows.allSatisfy { $0.rank == nil && $0.score == nil && $0.mark == nil })
        // A month not yet begun is refused, as the project report refuses it.
        let error = butlerError { try company("2026-12") }
        #expect(error?.field == "month")
    }

    @Test func csv_headerAndRows() throws {
        try buildNovember()
        let text = CompanyReportCSV.text(try company("2026-11"))
        let lines = text.dropFirst().components(separatedBy: "\r\n")
        #expect(text.hasPrefix("\u{FEFF}"))
        #expect(lines[0] == "排名,项目,名称,得分,标记,报修单,签收及时率,联系及时率,办结及时率,两日内回访率,满意率,一次合格率,户均报修,"
                + "一级投诉/千户,二级投诉/千户,三级投诉/千户,应收(元),实收(元),收缴率,欠费户,催缴次数,上报户")
        #expect(lines[1] == "1,HB02,湖滨公寓,100.00,前五,1,100.0%,100.0%,100.0%,100.0%,100.0%,100.0%,1.000,0.00,0.00,0.00,0.00,0.00,—,0,0,0")
        #expect(lines[2] == "2,YS01,玉山花园,64.68,前五,7,80.0%,80.0%,75.0%,83.3%,60.0% 未达标,60.0%,1.750,0.00,0.00,250.00,0.00,0.00,—,0,0,0")
        #expect(lines.count == 4 && lines[3].isEmpty)

        // The monthly report's CSV ends with the repair section: a blank line, its header, the project's row.
        let monthly = MonthlyReportCSV.text(try monthly("2026-11")).components(separatedBy: "\r\n")
        #expect(Array(monthly.suffix(4)) == [
            "", "报修,报修单,签收及时率,联系及时率,办结及时率,两日内回访率,满意率,一次合格率,户均报修,一级投诉/千户,二级投诉/千户,三级投诉/千户",
            "YS01,7,80.0%,80.0%,75.0%,83.3%,60.0% 未达标,60.0%,1.750,0.00,0.00,250.00", ""])
    }
}

/// `butler report --company` as the CLI runs it (the CLI reads at `Date()`: January 2026 is past).
extension CLITests {
    @Test func reportCompany_emptyMonthIsASentence_andProjectOrCompanyIsRequired() throws {
        let empty = try butler("report", "--company", "--month", "2026-01")
        #expect(empty.status == 0)
        #expect(empty.stdout == "全公司 2026-01 项目考核排名\n本月没有报修单，没有可排名的项目。\n")
        let json = try butler("report", "--company", "--month", "2026-01", "--json")
        #expect(json.status == 0)
        #expect(json.stdout.contains(#""rank" : null"#))
        let csv = try butler("report", "--company", "--month", "2026-01", "--csv")
        #expect(csv.stdout.hasPrefix("\u{FEFF}排名,项目,名称,得分,标记,报修单,"))

        let both = try butler("report", "--company", "--project", "YS01", "--month", "2026-01")
        #expect(both.status != 0)
        #expect(both.stderr.contains("全公司排名包括所有项目，不能再指定项目"))
        let neither = try butler("report", "--month", "2026-01")
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("请指定项目代码"))
    }

    /// The project report's repair section: an order opened in January and never dispatched has
    /// no sign, contact or follow-up rate yet, and its completion (due before 16 Jan 00:00) is late.
    @Test func reportProject_endsWithTheRepairSection() throws {
        let opened = try butler("repair", "open", "YS01/1-1-101", "--by", "E9001", "--category", "water",
                                "--description", "水管漏水", "--at", "2026-01-15T10:00")
        #expect(opened.status == 0, "\(opened.stderr)")
        let report = try butler("report", "--project", "YS01", "--month", "2026-01")
        #expect(report.status == 0)
        let lines = report.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[1] == "本月网格没有到期的任务，也没有走访、意见征询、订单或投诉记录。")
        let section = try #require(lines.firstIndex(of: "本月报修"))
        #expect(lines[section + 1].hasPrefix("报修单  签收及时率  联系及时率  办结及时率"))
        #expect(lines[section + 3].split(separator: " ") == ["1", "—", "—", "0.0%", "—", "—", "—", "0.250", "0.00", "0.00", "0.00"])
        #expect(lines[section + 4].hasPrefix("说明：及时率按已到期或已完成的环节计"))

        let json = try butler("report", "--project", "YS01", "--month", "2026-01", "--json")
        #expect(json.stdout.contains(#""complete_rate" : 0"#))
        #expect(json.stdout.contains(#""sign_rate" : null"#))
        let company = try butler("report", "--company", "--month", "2026-01")
        let row = try #require(company.stdout.split(separator: "\n").first { $0.hasPrefix("1 ") })
        // Completion 0 × 30 and complaints (none) 100 × 10, over the weights measured (40): 25.
        #expect(row.split(separator: " ").prefix(5) == ["1", "YS01", "玉山花园", "25.00", "前五"])
    }

    @Test func reportHelp_mentionsTheCompanyRankingWithAnExample() throws {
        let help = try HelpTextTests.help(["report"])
        #expect(help.contains("示例：butler report --company --month 2026-11"))
        #expect(help.contains("--company"))
    }
}
