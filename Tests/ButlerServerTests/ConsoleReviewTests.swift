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

/// Review of the web console (issue 16) as an attacker and as a newcomer: each test is a defect
/// found in review, failing until it is fixed. Same set-up as ConsoleTests (the small registry,
/// E1001 梁涵淑 serving YS01-G01, a fixed server clock Thursday 2026-11-26 09:10), signed in by
/// the cookie as a browser is. Serialized: each test runs a server with its own pool.
@Suite(.serialized) struct ConsoleReviewTests {
    let fixture: HTTPFixture
    let clock = TestClock("2026-11-26T09:10")
    let technician: String

    init() throws {
        fixture = try HTTPFixture()
        let db = try fixture.schema.connect()
        try seedManager(db)
        _ = try Importer(db: db).run(.staff, table: try CSVTable.parse("""
            employee_no,name,phone,role,project
            E3001,王师傅,13800000031,technician,YS01

            """, fileName: "staff.csv"))
        technician = try TokenStore(db: db).create(staff: "E3001")
    }

    func app() -> some ApplicationProtocol { clockedApp(fixture.schema, clock) }




    func get(_ client: some TestClientProtocol, _ uri: String, cookie: String) async throws -> String {
        String(buffer: try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie]).body)
    }

    /// The day planned; an open task of E1001's grid (YS01-G01).
    func openTaskOfG01() throws -> Int {
        let db = try fixture.schema.connect()
        _ = try Planner(db: db).plan(date: try #require(Day("2026-11-26")))
        return try #require(try db.query("""
            SELECT t.id FROM tasks t JOIN grids g ON g.id = t.grid_id JOIN houses h ON h.id = t.house_id
            WHERE g.code = 'YS01-G01' AND t.done_at IS NULL ORDER BY t.id LIMIT 1
            """).first?.decode(0, as: Int.self))
    }

    /// The HTML of the card whose heading is `heading`, up to its `</section>`.
    func card(_ page: String, _ heading: String) throws -> String {
        let start = try #require(page.range(of: "<h2>\(heading)</h2>"), "no card \(heading)")
        let end = try #require(page[start.upperBound...].range(of: "</section>"))
        return String(page[start.lowerBound..<end.upperBound])
    }

    // MARK: /me: where a refusal is shown

    /// A refusal that belongs to no card (here: the second tap of 标记完成 on a slow phone, the
    /// task already done, 409) must be said once, on top. ConsoleView.Today.Card.error is nil
    /// on the other cards, and swift-mustache looks a nil value up the context stack: it finds
    /// the page's own `error` and prints it in every card (ConsoleGridsView names its page-level
    /// refusal `problem` for exactly this reason).
    @Test func aRefusalOfNoCard_isShownOnce_notInEveryCard() async throws {
        let id = try openTaskOfG01()
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.butler)
            let fields = [("csrf", session.csrf), ("date", "2026-11-26")]
            let first = try await post(client, "/me/tasks/\(id)/done", cookie: session.cookie, fields)
            #expect(first.status == .seeOther)
            let again = try await post(client, "/me/tasks/\(id)/done", cookie: session.cookie, fields)
            #expect(again.status == .conflict)
            let page = String(buffer: again.body)
            let cards = page.matches(of: /<section class="card/).count
            #expect(cards > 1, "the day has other cards")
            let message = "任务 \(id) 已完成"
            #expect(page.contains("<p class=error role=alert>\(message)</p>"))
            #expect(page.ranges(of: message).count == 1, "said once, not on each of the \(cards) cards")
        }
    }

    /// A house with two cards on the day (the overdue move-in visit, and a ventilation): the
    /// record form of the second card, refused, must come back on the second card with what was
    /// typed. The form names only the house, so the error and the typed note land on the first
    /// card of the house instead (ConsoleView.Today: "the first card of its house").
    @Test func aRefusedRecord_fromTheSecondCardOfAHouse_comesBackOnThatCard() async throws {
        _ = try openTaskOfG01()
        let db = try fixture.schema.connect()
        let second: Int = try db.query("""
            INSERT INTO tasks (standard, subject, period, project_id, grid_id, house_id, window_start, due_date, priority, title)
            SELECT 'paid_ventilation', 'h' || h.id, 'review#1', g.project_id, g.id, h.id, DATE '2026-11-26', DATE '2026-11-28', 3, '通风（评审）'
            FROM grids g, houses h WHERE g.code = 'YS01-G01' AND h.code = 'YS01/1-1-101' RETURNING id
            """)[0].decode(0)
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.butler)
            let before = try await get(client, "/me", cookie: session.cookie)
            let secondCard = try card(before, "YS01/1-1-101 · 通风（评审）")
            // The form has to say which card it is: its task.
            #expect(secondCard.contains("<input type=hidden name=task value=\"\(second)\">"), "\(secondCard)")
            let response = try await post(client, "/me/touchpoints", cookie: session.cookie,
                                          [("csrf", session.csrf), ("date", "2026-11-26"), ("task", "\(second)"),
                                           ("house", "YS01/1-1-101"), ("kind", "party"), ("note", "通风两小时")])
            #expect(response.status == .badRequest)
            let page = String(buffer: response.body)
            let refused = try card(page, "YS01/1-1-101 · 通风（评审）")
            #expect(refused.contains("<p class=error role=alert>"), "the error on the card it came from")
            #expect(refused.contains("value=\"通风两小时\""), "what was typed, in that card")
            let first = try card(page, "YS01/1-1-101 · 新入住走访")
            #expect(!first.contains("class=error") && !first.contains("通风两小时"), "not on the house's first card: \(first)")
        }
        #expect(try db.query("SELECT count(*) FROM touchpoints")[0].decode(0, as: Int.self) == 0)
    }

    // MARK: Notices a made-up link can forge

    /// `/me?done=N` is the redirect after 标记完成; the page believes it. A link sent to a butler
    /// says a task is done that is still open (its form beside the notice).
    @Test func aMadeUpDoneLink_doesNotSayAnOpenTaskIsDone() async throws {
        let id = try openTaskOfG01()
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.butler)
            let page = try await get(client, "/me?done=\(id)", cookie: session.cookie)
            #expect(page.contains("action=\"/me/tasks/\(id)/done\""), "the task is still open")
            #expect(!page.contains("任务 #\(id) 已完成"), "a notice the data contradicts")
        }
    }

    /// `/me/repairs?order=N&done=grab` likewise: an order nobody grabbed, still offered to grab,
    /// is announced as grabbed and the technician's.
    @Test func aMadeUpGrabLink_doesNotSayTheOrderIsYours() async throws {
        let store = RepairStore(db: try fixture.schema.connect(), now: clock.now, technicianLateness: nil)
        let id = try store.open(RepairOpening(house: "YS01/1-1-101", category: .water, description: "厨房水管漏水"), by: "E9001",
                                at: try #require(Timestamp.parse("2026-11-26T09:05:00+08:00"))).id
        try await app().test(.live) { client in
            let session = try await signIn(client, technician)
            let page = try await get(client, "/me/repairs?order=\(id)&done=grab", cookie: session.cookie)
            #expect(page.contains("action=\"/me/repairs/\(id)/grab\""), "still open, to grab")
            #expect(!page.contains("抢单成功"), "a notice the data contradicts")
        }
        #expect(try fixture.schema.connect().query("SELECT status FROM repair_orders WHERE id = $1", [id])[0].decode(0, as: String.self) == "open")
    }

    // MARK: Login CSRF through the screen-pop's sign-in

    /// The console refuses a cross-site /login (no login CSRF), but /screen-pop/login accepts a
    /// cross-site post by design (the telephony system's page) and sets the same `butler_token`
    /// cookie on Path=/: another site can sign a browser into the console as the token it posts
    /// (any role's: here a butler's), and the victim's visits and completions then go on record
    /// in that name. A cross-site sign-in must not set a cookie the console's pages receive.
    @Test func aCrossSiteScreenPopSignIn_doesNotSignTheBrowserIntoTheConsole() async throws {
        try await app().test(.live) { client in
            var crossSite = formType
            crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            let response = try await client.execute(uri: "/screen-pop/login", method: .post, headers: crossSite,
                                                    body: formBody([("token", fixture.butler), ("next", "/screen-pop")]))
            let token = setCookies(response)["butler_token"]
            #expect(token.map { !$0.contains("; Path=/;") } ?? true, "a cookie for every path, the console's too: \(token ?? "")")
        }
    }
}
