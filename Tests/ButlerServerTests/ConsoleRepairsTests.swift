import ButlerCore
@testable import ButlerServer
import ButlerStore
import ButlerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@_spi(RawSQL) import Postgres
import Testing

/// Issue 16: the technician's page `/me/repairs`, signed in by the cookie as a browser is, on a
/// fixed server clock (Thursday 2026-11-26 09:10). The technicians are RepairAccessTests':
/// E3001 王师傅 and E3002 李师傅 of YS01. Serialized: each test runs a server with its own pool.
@Suite(.serialized) struct ConsoleRepairsTests {
    let fixture: HTTPFixture
    let clock = TestClock("2026-11-26T09:10")
    let technician: String
    let colleague: String
    let manager: String

    init() throws {
        fixture = try HTTPFixture()
        let db = try fixture.schema.connect()
        try seedManager(db)
        _ = try Importer(db: db).run(.staff, table: try CSVTable.parse("""
            employee_no,name,phone,role,project
            E3001,王师傅,13800000031,technician,YS01
            E3002,李师傅,13800000032,technician,YS01

            """, fileName: "staff.csv"))
        let tokens = TokenStore(db: db)
        technician = try tokens.create(staff: "E3001")
        colleague = try tokens.create(staff: "E3002")
        manager = try tokens.create(staff: "E8001")
    }

    func app() -> some ApplicationProtocol { clockedApp(fixture.schema, clock) }

    // MARK: Orders, as the call centre and the technicians made them (the owner's store, paper times)

    var store: RepairStore {
        get throws { RepairStore(db: try fixture.schema.connect(), now: clock.now, technicianLateness: nil) }
    }

    func time(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }

    /// An order opened by the agent at `opened`, dispatched to `technician` at `dispatched`.
    @discardableResult
    func order(_ house: String = "YS01/1-1-101", _ description: String = "厨房水管漏水", opened: String,
               dispatched: String? = nil, to technician: String = "E3001", category: RepairCategory = .water) throws -> Int {
        let store = try store
        let id = try store.open(RepairOpening(house: house, category: category, description: description), by: "E9001",
                                at: try time(opened)).id
        if let dispatched { _ = try store.dispatch(id, to: technician, by: "E9001", at: try time(dispatched)) }
        return id
    }

    func status(_ id: Int) throws -> String {
        try fixture.schema.connect().query("SELECT status FROM repair_orders WHERE id = $1", [id])[0].decode(0)
    }

    func eventCount(_ id: Int) throws -> Int {
        try fixture.schema.connect().query("SELECT count(*)::int FROM repair_events WHERE order_id = $1", [id])[0].decode(0)
    }

    // MARK: The browser



    func getPage(_ client: some TestClientProtocol, _ uri: String = "/me/repairs", cookie: String) async throws -> (status: HTTPResponse.Status, body: String) {
        let response = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
        return (response.status, String(buffer: response.body))
    }

    func post(_ client: some TestClientProtocol, _ id: Int, _ act: String, cookie: String,
              _ fields: [(String, String)]) async throws -> TestResponse {
        var headers = sameOriginForm
        headers[.cookie] = cookie
        return try await client.execute(uri: "/me/repairs/\(id)/\(act)", method: .post, headers: headers, body: formBody(fields))
    }

    /// The HTML of one order's card.
    func card(_ page: String, _ id: Int) throws -> String {
        let anchor = try #require(page.range(of: "id=\"order-\(id)\""), "no card for #\(id)")
        let open = try #require(page[..<anchor.lowerBound].range(of: "<section", options: .backwards))
        let end = try #require(page[anchor.upperBound...].range(of: "</section>"))
        return String(page[open.lowerBound..<end.upperBound])
    }

    // MARK: Tests

    @Test func page_showsMyOrdersByDeadline_withTheMinutesLeft_andTheOrdersToGrab() async throws {
        let late = try order("YS01/1-1-102", "卫生间下水堵塞", opened: "2026-11-26T08:10", dispatched: "2026-11-26T08:20", category: .drainage)
        let soon = try order(opened: "2026-11-26T09:00", dispatched: "2026-11-26T09:03")
        // Contacted: the completion is due at the day's end (shown as 24:00, 14 h 50 min away).
        let contacted = try order("YS01/1-1-103", "灯不亮", opened: "2026-11-26T08:30", dispatched: "2026-11-26T08:31", category: .electric)
        _ = try store.sign(contacted, by: "E3001", at: try time("2026-11-26T08:32"))
        _ = try store.contact(contacted, appointment: try time("2026-11-26T14:00"), by: "E3001", at: try time("2026-11-26T08:35"))
        let toGrab = try order("YS01/2-1-101", "楼道灯坏了", opened: "2026-11-26T09:05", category: .publicArea)
        let colleagues = try order(opened: "2026-11-26T09:01", dispatched: "2026-11-26T09:02", to: "E3002")
        // The sweep has recorded the late sign (08:35) by now.
        _ = try JobRunner(db: try fixture.schema.connect()).runDue(now: clock.now, only: ["deadline_sweep"])
        try await app().test(.live) { client in
            let session = try await signIn(client, technician)
            let (status, page) = try await getPage(client, cookie: session.cookie)
            #expect(status == .ok)
            #expect(page.contains("<header><b>王师傅</b> · 2026-11-26"))
            // Mine by the deadline at hand: the late sign, the sign due soon, the completion.
            let ids = page.matches(of: /id="order-(\d+)"/).map { Int($0.1) ?? 0 }
            #expect(ids == [late, soon, contacted, toGrab], "\(ids)")
            #expect(!ids.contains(colleagues), "another technician's order is not shown")
            let lateCard = try card(page, late)
            #expect(lateCard.hasPrefix("<section class=\"card late\" id=\"order-\(late)\"><h3>#\(late) YS01/1-1-102 · 排水</h3>\n<p>卫生间下水堵塞</p>"))
            #expect(lateCard.contains("<span class=st>已派工</span> · 签收时限 2026-11-26 08:35 · <span class=breached>已超时 35 分钟</span>"))
            #expect(lateCard.contains("<p class=breached>已超时的环节：签收</p>"))
            let soonCard = try card(page, soon)
            #expect(soonCard.hasPrefix("<section class=\"card\" id=\"order-\(soon)\">"))
            #expect(soonCard.contains("<span class=st>已派工</span> · 签收时限 2026-11-26 09:18 · <span>剩 8 分钟</span>"))
            #expect(!soonCard.contains("breached"))
            // Only the forms the state allows: a dispatched order is signed (or delayed).
            #expect(soonCard.contains("<form method=post action=\"/me/repairs/\(soon)/sign\"><input type=hidden name=csrf value=\"\(session.csrf)\"><button>签收</button></form>"))
            #expect(soonCard.contains("/delay\"") && !soonCard.contains("/contact\"") && !soonCard.contains("/complete\"") && !soonCard.contains("/grab\""))
            let contactedCard = try card(page, contacted)
            #expect(contactedCard.contains("<span class=st>已联系</span> · 完工时限 2026-11-26 24:00 · <span>剩 14 小时 50 分钟</span>"))
            #expect(contactedCard.contains("<p class=reason>预约上门 2026-11-26 14:00</p>"))
            #expect(contactedCard.contains("<input name=photos required") && !contactedCard.contains("/sign\""))
            // The project's undispatched order, to grab: its claim clock.
            let grabCard = try card(page, toGrab)
            #expect(page.range(of: "<h2>可抢的工单</h2>").map { $0.upperBound < page.range(of: "id=\"order-\(toGrab)\"")!.lowerBound } == true)
            #expect(grabCard.contains("#\(toGrab) YS01/2-1-101 · 公共区域</h3>"))
            #expect(grabCard.contains("<span class=st>待派工</span> · 接单时限 2026-11-26 09:20 · <span>剩 10 分钟</span>"))
            #expect(grabCard.contains("action=\"/me/repairs/\(toGrab)/grab\"") && !grabCard.contains("/sign\""))
            #expect(!page.contains("<script") && page.utf8.count < 50_000)
        }
    }

    @Test func eachAct_byItsForm_movesTheOrder_andThePageShowsIt() async throws {
        let id = try order(opened: "2026-11-26T09:00")
        try await app().test(.live) { client in
            let session = try await signIn(client, technician)
            let csrf = ("csrf", session.csrf)
            func act(_ name: String, at: String, _ fields: [(String, String)] = []) async throws -> String {
                clock.set(at)
                let response = try await post(client, id, name, cookie: session.cookie, [csrf] + fields)
                #expect(response.status == .seeOther, "\(name): \(String(buffer: response.body))")
                let location = try #require(response.headers[.location])
                #expect(location == "/me/repairs?order=\(id)&done=\(name)")
                return try await getPage(client, location, cookie: session.cookie).body
            }
            var shown = try await act("grab", at: "2026-11-26T09:10")
            #expect(shown.contains("<p class=notice>抢单成功：报修单 #\(id) 归你，签收截止 2026-11-26 09:15</p>"))
            #expect(try card(shown, id).contains("<span class=st>已派工</span> · 签收时限 2026-11-26 09:15 · <span>剩 5 分钟</span>"))
            shown = try await act("sign", at: "2026-11-26T09:11")
            #expect(shown.contains("<p class=notice>报修单 #\(id) 已签收，联系业主截止 2026-11-26 09:21</p>"))
            #expect(try card(shown, id).contains("<span class=st>已签收</span> · 联系业主时限 2026-11-26 09:21 · <span>剩 10 分钟</span>"))
            shown = try await act("contact", at: "2026-11-26T09:12", [("appointment", "2026-11-26T14:00")])
            #expect(shown.contains("<p class=notice>报修单 #\(id) 已联系业主，约定 2026-11-26 14:00，完工截止 2026-11-26 24:00</p>"))
            #expect(try card(shown, id).contains("<p class=reason>预约上门 2026-11-26 14:00</p>"))
            shown = try await act("delay", at: "2026-11-26T09:13", [("reason", "等配件")])
            #expect(shown.contains("<p class=notice>报修单 #\(id) 已登记延期原因（完工截止仍为 2026-11-26 24:00）</p>"))
            #expect(try card(shown, id).contains("<p class=reason>延期原因：等配件</p>"))
            shown = try await act("complete", at: "2026-11-26T15:00", [("photos", "a.jpg, b.jpg"), ("note", "换了阀门")])
            #expect(shown.contains("<p class=notice>报修单 #\(id) 已完工，回访截止 2026-11-28 15:00</p>"))
            #expect(!shown.contains("id=\"order-\(id)\""), "a completed order leaves the technician's list")
            #expect(shown.contains("<h2>没有待处理的工单</h2>"))
        }
        let db = try fixture.schema.connect()
        #expect(try status(id) == "completed")
        #expect(try db.query("SELECT photos FROM repair_orders WHERE id = $1", [id])[0].decode(0, as: [String].self) == ["a.jpg", "b.jpg"])
        let events = try db.query("""
            SELECT e.kind, s.employee_no, e.at FROM repair_events e JOIN staff s ON s.id = e.staff_id WHERE e.order_id = $1 ORDER BY e.at, e.id
            """, [id]).map { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self), try $0.decode(2, as: Date.self)) }
        #expect(events.map { $0.0 } == ["opened", "grabbed", "signed", "contacted", "delayed", "completed"])
        #expect(events.dropFirst().allSatisfy { $0.1 == "E3001" })
        #expect(try events.last?.2 == time("2026-11-26T15:00"), "the server's request clock")
    }

    @Test func onlyATechnician_seesThePage() async throws {
        try await app().test(.live) { client in
            let noCookie = try await client.execute(uri: "/me/repairs", method: .get)
            #expect(noCookie.status == .seeOther && noCookie.headers[.location] == "/login")
            for token in [fixture.butler, manager] {
                let session = try await signIn(client, token)
                let (status, page) = try await getPage(client, cookie: session.cookie)
                #expect(status == .forbidden)
                #expect(page.contains("此页只属于维修工") && !page.contains("id=\"order-"))
            }
            // The empty state says what the page is for.
            let session = try await signIn(client, technician)
            let (status, page) = try await getPage(client, cookie: session.cookie)
            #expect(status == .ok)
            #expect(page.contains("<h2>没有待处理的工单</h2><p class=reason>此页列出派给你、尚未完工的报修单"))
        }
    }

    @Test func aColleaguesOrder_isRefusedInPlace_andNothingIsWritten() async throws {
        let id = try order(opened: "2026-11-26T09:00", dispatched: "2026-11-26T09:03")
        let events = try eventCount(id)
        try await app().test(.live) { client in
            let session = try await signIn(client, colleague)
            let response = try await post(client, id, "sign", cookie: session.cookie, [("csrf", session.csrf)])
            #expect(response.status == .forbidden)
            let page = String(buffer: response.body)
            #expect(page.contains("<h1>维修工单</h1>"), "the page again, not the bare error page")
            #expect(page.contains("<p class=error>报修单 #\(id) 由 E3001（王师傅）负责，E3002 不能签收</p>"), "\(page)")
            #expect(!page.contains("id=\"order-\(id)\""), "a colleague's order stays hidden")
            // A grab lost to a colleague (the page was stale): who took it, on top of the page.
            let taken = try order("YS01/2-1-101", "楼道灯坏了", opened: "2026-11-26T09:05", category: .publicArea)
            _ = try store.grab(taken, by: "E3001", at: try time("2026-11-26T09:06"))
            let lost = try await post(client, taken, "grab", cookie: session.cookie, [("csrf", session.csrf)])
            #expect(lost.status == .conflict)
            #expect(String(buffer: lost.body).contains("<p class=error>报修单 #\(taken) 已被 E3001（王师傅）接单，抢单未成功</p>"))
            // A butler posting the form: the role is refused.
            let butler = try await signIn(client, fixture.butler)
            let refused = try await post(client, id, "sign", cookie: butler.cookie, [("csrf", butler.csrf)])
            #expect(refused.status == .forbidden)
        }
        #expect(try status(id) == "dispatched" && eventCount(id) == events)
    }

    @Test func anIllegalMove_andAMissingPhoto_areShownInPlace_withWhatWasTyped() async throws {
        let dispatched = try order(opened: "2026-11-26T09:00", dispatched: "2026-11-26T09:03")
        let contacted = try order("YS01/1-1-103", "灯不亮", opened: "2026-11-26T08:30", dispatched: "2026-11-26T08:31", category: .electric)
        _ = try store.sign(contacted, by: "E3001", at: try time("2026-11-26T08:32"))
        _ = try store.contact(contacted, appointment: try time("2026-11-26T14:00"), by: "E3001", at: try time("2026-11-26T08:35"))
        let signed = try order("YS01/1-1-102", "门锁坏了", opened: "2026-11-26T09:01", dispatched: "2026-11-26T09:02", category: .doorsWindows)
        _ = try store.sign(signed, by: "E3001", at: try time("2026-11-26T09:04"))
        let events = try eventCount(contacted)
        try await app().test(.live) { client in
            let session = try await signIn(client, technician)
            let missing = try await post(client, contacted, "complete", cookie: session.cookie,
                                         [("csrf", session.csrf), ("photos", " , "), ("note", "换了灯泡")])
            #expect(missing.status == .badRequest)
            let page = String(buffer: missing.body)
            #expect(page.contains("<p class=error>完工照片：完工须至少附一张完工部位的照片</p>\n<section class=\"card\" id=\"order-\(contacted)\">"), "\(page)")
            #expect(try card(page, contacted).contains("<input name=note size=12 maxlength=500 value=\"换了灯泡\">"), "the note typed is kept")
            #expect(try !card(page, dispatched).contains("class=error"), "the error is on its own order only")
            // A move the state does not allow (posted by hand: the card shows no such form).
            let illegal = try await post(client, dispatched, "complete", cookie: session.cookie, [("csrf", session.csrf), ("photos", "p.jpg")])
            #expect(illegal.status == .conflict)
            #expect(String(buffer: illegal.body).contains("<p class=error>报修单 #\(dispatched) 当前为「已派工」，不能变为「已完工」（当前只能变为：已签收）</p>\n<section class=\"card\" id=\"order-\(dispatched)\">"))
            // A delay needs its reason; the appointment typed on the other form is kept.
            let noReason = try await post(client, dispatched, "delay", cookie: session.cookie, [("csrf", session.csrf), ("reason", "  ")])
            #expect(noReason.status == .badRequest)
            #expect(String(buffer: noReason.body).contains("<p class=error>延期原因：请填写延期原因</p>"))
            // An appointment out of range: refused with the time typed back in its field.
            let far = try await post(client, signed, "contact", cookie: session.cookie, [("csrf", session.csrf), ("appointment", "2200-01-01T10:00")])
            #expect(far.status == .badRequest)
            let farCard = try card(String(buffer: far.body), signed)
            #expect(farCard.contains("<input type=datetime-local name=appointment required value=\"2200-01-01T10:00\">"))
            #expect(String(buffer: far.body).contains("<p class=error>预约时间：2200-01-01 超出可接受的范围 2000-01-01 至 2100-12-31</p>"))
        }
        #expect(try status(signed) == "signed")
        #expect(try status(contacted) == "contacted" && eventCount(contacted) == events)
        #expect(try status(dispatched) == "dispatched" && eventCount(dispatched) == 2)
    }

    @Test func aFormWithoutTheCSRFValue_isRefused_andWritesNothing() async throws {
        let id = try order(opened: "2026-11-26T09:00", dispatched: "2026-11-26T09:03")
        try await app().test(.live) { client in
            let session = try await signIn(client, technician)
            for extra in [[], [("csrf", String(repeating: "0", count: 64))]] {
                let refused = try await post(client, id, "sign", cookie: session.cookie, extra)
                #expect(refused.status == .forbidden)
                #expect(String(buffer: refused.body).contains("表单校验码不对"))
            }
            // Another site's page cannot post it either, CSRF value or not.
            var headers = formType
            headers[.cookie] = session.cookie
            headers[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            let forged = try await client.execute(uri: "/me/repairs/\(id)/sign", method: .post, headers: headers,
                                                  body: formBody([("csrf", session.csrf)]))
            #expect(forged.status == .forbidden)
        }
        #expect(try status(id) == "dispatched" && eventCount(id) == 2)
    }

    /// A busy morning: the page shows the 20 held orders due first and the 10 claims due first,
    /// says how many there are, and stays under 50 KB for a phone on a poor connection.
    @Test func aFullPage_showsTheMostUrgent_andStaysUnder50KB() async throws {
        let description = String(repeating: "厨房水槽下水管接口处渗漏，地面有积水，", count: 3)
        let held = try (10..<35).map { minute in
            try order("YS01/1-1-101", description, opened: "2026-11-26T08:\(minute)", dispatched: "2026-11-26T08:\(minute + 1)")
        }
        let open = try (40..<52).map { minute in try order("YS01/1-1-101", description, opened: "2026-11-26T08:\(minute)") }
        try await app().test(.live) { client in
            let session = try await signIn(client, technician)
            let (status, page) = try await getPage(client, cookie: session.cookie)
            #expect(status == .ok)
            #expect(page.contains("<h2>我的工单</h2><p class=reason>共 25 单，显示时限最近的 20 单</p>"))
            #expect(page.contains("<h2>可抢的工单</h2><p class=reason>共 12 单待抢，显示接单时限最近的 10 单</p>"))
            let ids = page.matches(of: /id="order-(\d+)"/).map { Int($0.1) ?? 0 }
            #expect(ids == Array(held.prefix(20)) + Array(open.prefix(10)))
            #expect(page.utf8.count < 50_000, "\(page.utf8.count) bytes")
            print("ctech-size", page.utf8.count)
        }
    }

    @Test func theClock_completionIsLateAtItsMidnight_theOtherStagesAfterTheirMinute() throws {
        let due = try time("2026-11-27T00:00")
        #expect(ConsoleRepairView.remaining(due: due, now: due, stage: .complete) == ("已超时 0 分钟", true))
        #expect(ConsoleRepairView.remaining(due: due, now: due, stage: .sign) == ("剩 0 分钟", false))
        #expect(ConsoleRepairView.remaining(due: due, now: try time("2026-11-24T21:30"), stage: .complete) == ("剩 2 天 2 小时", false))
        #expect(ConsoleRepairView.remaining(due: due, now: try time("2026-11-27T01:05"), stage: .contact) == ("已超时 1 小时 5 分钟", true))
    }
}
