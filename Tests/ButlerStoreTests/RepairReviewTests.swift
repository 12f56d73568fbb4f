import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

private func at(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }

/// Issue 14, the second review: what an attacker or a careless setup could do to the repair
/// loop, on fixed clocks.
@Suite struct RepairReviewTests {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRepairStaff(db)
    }

    func store(_ now: String) throws -> RepairStore { RepairStore(db: db, now: try at(now)) }

    func open(_ now: String) throws -> Int {
        try store(now).open(RepairOpening(house: "YS01/1-1-101", category: .water, description: "厨房水管漏水"), by: "E9001", at: nil).id
    }

    func refusal(_ body: () throws -> Any) -> ButlerError? {
        do {
            _ = try body()
            return nil
        } catch let error as ButlerError {
            return error
        } catch {
            return ButlerError(.invalidInput, "\(error)")
        }
    }

    /// Over the API a step told after its deadline cannot be dated before it: whoever is held
    /// to the deadline would choose their own figures (a technician's hour of lateness covers
    /// the 15-minute sign limit four times; the call centre's dispatch and follow-up had none).
    @Test func aStepToldAfterItsDeadline_cannotBeDatedOnTime() throws {
        let id = try open("2026-11-26T09:00")
        // Claim due 09:15; told at 09:30 as done at 09:10.
        let dispatch = refusal { try store("2026-11-26T09:30").dispatch(id, to: "E3001", by: "E9001", at: try at("2026-11-26T09:10")) }
        #expect(dispatch?.field == "at")
        #expect(dispatch?.description.contains("2026-11-26T09:15:00+08:00") == true)
        _ = try store("2026-11-26T09:30").dispatch(id, to: "E3001", by: "E9001", at: nil)
        // Sign due 09:45; within the hour but after the deadline: refused; before it passed: fine.
        let sign = refusal { try store("2026-11-26T10:00").sign(id, by: "E3001", at: try at("2026-11-26T09:40")) }
        #expect(sign?.field == "at")
        #expect(try store("2026-11-26T09:44").sign(id, by: "E3001", at: try at("2026-11-26T09:35")).status == "signed")
        // Contact due 09:45 as well (10 min from 09:35); told at 09:50 as 09:45: refused.
        #expect(refusal {
            try store("2026-11-26T09:50").contact(id, appointment: try at("2026-11-26T14:00"), by: "E3001", at: try at("2026-11-26T09:45"))
        }?.field == "at")
        _ = try store("2026-11-26T09:50").contact(id, appointment: try at("2026-11-26T14:00"), by: "E3001", at: nil)
        // Completion due midnight; told at 00:30 as 23:50: refused.
        #expect(refusal {
            try store("2026-11-27T00:30").complete(id, photos: ["/p/1.jpg"], note: "", by: "E3001", at: try at("2026-11-26T23:50"))
        }?.field == "at")
        _ = try store("2026-11-27T00:30").complete(id, photos: ["/p/1.jpg"], note: "", by: "E3001", at: nil)
        // Follow-up due 2026-11-29T00:30; the agent told on 11-30 that it was done on the 28th.
        #expect(refusal {
            try store("2026-11-30T10:00").followup(id, rating: 5, note: "", by: "E9001", at: try at("2026-11-28T10:00"))
        }?.field == "at")
        // The owner's CLI enters paper records (no lateness bound): it may.
        let order = try RepairStore(db: db, now: try at("2026-11-30T10:00"), technicianLateness: nil)
            .followup(id, rating: 5, note: "", by: "E9001", at: try at("2026-11-28T10:00"))
        #expect(order.status == "followed_up")
    }

    /// A round completed late and followed up late, then reopened, all before the sweep ran (a
    /// sweep outage, or paper records entered by the CLI): the reopen reset the order's columns,
    /// but the closed round's lateness (repair_rounds) is still recorded, once, and escalated.
    @Test func aRoundClosedByAReopen_beforeTheSweepSawIt_keepsItsBreaches() throws {
        let cli = RepairStore(db: db, now: try at("2026-11-29T12:00"), technicianLateness: nil)
        let id = try cli.open(RepairOpening(house: "YS01/1-1-101", category: .water, description: "漏水"), by: "E9001",
                              at: try at("2026-11-26T09:00")).id
        _ = try cli.dispatch(id, to: "E3001", by: "E9001", at: try at("2026-11-26T09:05"))
        _ = try cli.sign(id, by: "E3001", at: try at("2026-11-26T09:10"))
        _ = try cli.contact(id, appointment: try at("2026-11-26T10:00"), by: "E3001", at: try at("2026-11-26T09:15"))
        // Due 11-27 00:00, done 10:00 the next day; follow-up due 11-29 10:00, done 11:00.
        _ = try cli.complete(id, photos: ["/p/1.jpg"], note: "", by: "E3001", at: try at("2026-11-27T10:00"))
        _ = try cli.followup(id, rating: 2, note: "", by: "E9001", at: try at("2026-11-29T11:00"))
        _ = try cli.reopen(id, reason: "又漏了", by: "E9001", at: try at("2026-11-29T11:30"))
        let runner = JobRunner(db: db)
        _ = try runner.runDue(now: try at("2026-11-29T12:00"), only: ["deadline_sweep"])
        _ = try runner.runDue(now: try at("2026-11-29T12:01"), only: ["deadline_sweep"])
        let breaches = try db.query("""
            SELECT stage || '#' || round || ' ' || to_char(at, 'YYYY-MM-DD"T"HH24:MI') FROM repair_breaches WHERE order_id = $1 ORDER BY at
            """, [id]).map { try $0.decode(0, as: String.self) }
        #expect(breaches == ["complete#0 2026-11-27T00:00", "followup#0 2026-11-29T10:00"])
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'repair_escalation'") == 2)
        // Nothing left for the sweep until round 1's completion deadline (11-30 00:00).
        #expect(try db.query("SELECT to_char(sweep_at, 'YYYY-MM-DD\"T\"HH24:MI') FROM repair_orders WHERE id = $1", [id])[0]
            .decode(0, as: String.self) == "2026-11-30T00:00")
    }

    /// 000: the call centre calls back (回访坐席) and the rating assesses the project; its own
    /// manager may dispatch and reopen, but not grade their project's repairs.
    @Test func theFollowUp_isTheCallCentres_notTheProjectManagers() throws {
        let cli = RepairStore(db: db, now: try at("2026-11-26T12:00"), technicianLateness: nil)
        let id = try open("2026-11-26T09:00")
        _ = try cli.dispatch(id, to: "E3001", by: "E8001", at: try at("2026-11-26T09:05"))
        _ = try cli.sign(id, by: "E3001", at: try at("2026-11-26T09:10"))
        _ = try cli.contact(id, appointment: try at("2026-11-26T10:00"), by: "E3001", at: try at("2026-11-26T09:15"))
        _ = try cli.complete(id, photos: ["/p/1.jpg"], note: "", by: "E3001", at: try at("2026-11-26T11:00"))
        let refused = refusal { try cli.followup(id, rating: 5, note: "", by: "E8001", at: try at("2026-11-26T11:30")) }
        #expect(refused?.kind == .forbidden)
        #expect(try cli.followup(id, rating: 5, note: "", by: "E9001", at: try at("2026-11-26T11:30")).status == "followed_up")
        #expect(try cli.reopen(id, reason: "又漏了", by: "E8001", at: try at("2026-11-26T11:45")).status == "reopened")
    }

    /// On the technician's list an order due at midnight is overdue at midnight, as the sweep
    /// records its breach then (the completion deadline is exclusive).
    @Test func theTechniciansList_showsACompletionDueAtMidnight_overdueAtMidnight() throws {
        let cli = RepairStore(db: db, now: try at("2026-11-26T12:00"), technicianLateness: nil)
        let id = try open("2026-11-26T09:00")
        _ = try cli.dispatch(id, to: "E3001", by: "E9001", at: try at("2026-11-26T09:05"))
        _ = try cli.sign(id, by: "E3001", at: try at("2026-11-26T09:10"))
        _ = try cli.contact(id, appointment: try at("2026-11-26T10:00"), by: "E3001", at: try at("2026-11-26T09:15"))
        func status(_ now: String) throws -> String? {
            let now = try at(now)
            return try DailyListStore(db: db).list(butler: "E3001", on: Day.from(now), now: now).tasks.first?.status
        }
        #expect(try status("2026-11-26T23:59") == "open")
        #expect(try status("2026-11-27T00:00") == "overdue")
    }

    /// The breach log is append-only in every way the event log is: not even the owner empties it.
    @Test func breaches_cannotBeTruncated() throws {
        let id = try open("2026-11-26T09:00")
        _ = try JobRunner(db: db).runDue(now: try at("2026-11-26T09:16"), only: ["deadline_sweep"])
        #expect(try count(db, "SELECT count(*) FROM repair_breaches WHERE order_id = $1", [id]) == 1)
        #expect(throws: PostgresError.self) { try db.execute("TRUNCATE repair_breaches") }
        #expect(try count(db, "SELECT count(*) FROM repair_breaches WHERE order_id = $1", [id]) == 1)
    }
}

/// Issue 14 review, known defect (a): a project without a manager. Its escalations (a repair
/// stage late, a complaint not followed up) used to land on the house's grid, i.e. a butler's
/// list; they stay on the project with nobody named, `jobs status` counts them, and the
/// manager appointed later finds them on their list.
@Suite struct EscalationWithoutManagerTests {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRegistry(db)
        _ = try Importer(db: db).run(.staff, table: try CSVTable.parse(
            "employee_no,name,phone,role,project\nE3001,王师傅,13800000031,technician,YS01\n", fileName: "staff.csv"))
    }

    @Test func escalationsOfAProjectWithoutManager_stayOnTheProject_notOnAButlersList() throws {
        let runner = JobRunner(db: db)
        // A complaint on Friday 11-20, not followed up by Monday's end; a repair order not claimed.
        _ = try Records(db: db, now: try at("2026-11-20T10:00"))
            .touch(house: "YS01/1-1-101", kind: .complaint, by: "E1001", at: try at("2026-11-20T10:00"), note: "噪音")
        _ = try runner.runDue(now: try at("2026-11-24T00:00"), only: ["deadline_sweep"])
        _ = try RepairStore(db: db, now: try at("2026-11-26T09:00"))
            .open(RepairOpening(house: "YS01/1-1-101", category: .water, description: "漏水"), by: "E9001", at: nil)
        _ = try runner.runDue(now: try at("2026-11-26T09:16"), only: ["deadline_sweep"])

        let escalations = try db.query("""
            SELECT standard, coalesce(grid_id::text, '-'), coalesce(staff_id::text, '-') FROM tasks
            WHERE standard IN ('complaint_escalation', 'repair_escalation') ORDER BY standard
            """).map { "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: String.self)) \(try $0.decode(2, as: String.self))" }
        #expect(escalations == ["complaint_escalation - -", "repair_escalation - -"])
        let butlersList = try DailyListStore(db: db).list(butler: "E1001", on: try #require(Day("2026-11-26")), now: try at("2026-11-26T09:20"))
        #expect(!butlersList.tasks.contains { $0.standard.hasSuffix("_escalation") })
        let sweep = try #require(try runner.status(now: try at("2026-11-26T09:20")).first { $0.job == "deadline_sweep" })
        #expect(sweep.unassigned_escalations.map { "\($0.project) \($0.open)" } == ["YS01 2"])

        // A manager is appointed: the escalations are theirs, and no longer reported.
        try seedManager(db)
        let managersList = try DailyListStore(db: db).list(butler: "E8001", on: try #require(Day("2026-11-26")), now: try at("2026-11-26T09:20"))
        #expect(Set(managersList.tasks.map(\.standard)).isSuperset(of: ["complaint_escalation", "repair_escalation"]))
        #expect(try runner.status(now: try at("2026-11-26T09:20")).allSatisfy { $0.unassigned_escalations.isEmpty })
    }
}

/// Issue 14 review, the database's half: the timeline cannot be told twice. A compromised
/// server (direct SQL as its role, bound to a token) could add a second `completed` at another
/// time, or re-tell an order's opening: schema 0016 ties each event to the move on the order.
@Suite struct RepairEventForgeryTests {
    let schema: TestSchema
    let owner: Connection
    let web: Connection
    let order: Int

    init() throws {
        schema = try TestSchema()
        owner = try schema.connect()
        try seedRepairStaff(owner)
        web = try schema.config(role: ServerRole.defaultName).connect()
        // The whole loop up to completion, by the owner's CLI on a fixed clock.
        let store = RepairStore(db: owner, now: try at("2026-11-26T12:00"), technicianLateness: nil)
        order = try store.open(RepairOpening(house: "YS01/1-1-101", category: .electric, description: "跳闸"), by: "E9001",
                               at: try at("2026-11-26T09:00")).id
        _ = try store.dispatch(order, to: "E3001", by: "E9001", at: try at("2026-11-26T09:05"))
        _ = try store.sign(order, by: "E3001", at: try at("2026-11-26T09:10"))
        _ = try store.contact(order, appointment: try at("2026-11-26T10:00"), by: "E3001", at: try at("2026-11-26T09:15"))
        _ = try store.complete(order, photos: ["/p/1.jpg"], note: "", by: "E3001", at: try at("2026-11-26T11:00"))
    }

    /// The SQLSTATE of one INSERT of an event as `employee`'s request (nil: it went in).
    private func insertEvent(as employee: String, kind: String, at text: String) throws -> String? {
        let token = try TokenStore(db: owner).create(staff: employee)
        try web.execute("BEGIN")
        defer { _ = try? web.execute("ROLLBACK") }
        _ = try TokenStore(db: web).bind(token)
        do {
            try web.execute("""
                INSERT INTO repair_events (order_id, project_id, at, kind, staff_id)
                SELECT o.id, o.project_id, $2, $3, acting_staff_id() FROM repair_orders o WHERE o.id = $1
                """, [order, try at(text), kind])
            return nil
        } catch let error as PostgresError {
            return error.sqlState ?? "\(error)"
        }
    }

    /// The SQLSTATE of opening an order as the agent's request with these deadlines (nil: it went in).
    private func openDirectly(countedOn: String, completeDue: String, complex: Bool = false) throws -> String? {
        let token = try TokenStore(db: owner).create(staff: "E9001")
        try web.execute("BEGIN")
        defer { _ = try? web.execute("ROLLBACK") }
        _ = try TokenStore(db: web).bind(token)
        do {
            try web.execute("""
                INSERT INTO repair_orders (house_id, project_id, category, description, complex, opened_at, opened_by, counted_on,
                                           claim_due, complete_due)
                SELECT h.id, h.project_id, 'water', '漏水', $4, '2026-11-27T17:00+08', acting_staff_id(), $1::date,
                       '2026-11-27T17:15+08', $2
                FROM houses h WHERE h.code = $3
                """, [countedOn, try at(completeDue), "YS01/1-1-101", complex])
            return nil
        } catch let error as PostgresError {
            return error.sqlState ?? "\(error)"
        }
    }

    /// Friday 17:00 is due at Friday's end, and the database holds the server to it: an order
    /// cannot be opened with a week to complete, nor counted as Saturday's.
    @Test func anOrdersCountedDayAndCompletionDeadline_areTheCutoffsAndTheDays() throws {
        #expect(try openDirectly(countedOn: "2026-11-27", completeDue: "2026-11-28T00:00") == nil)
        #expect(try openDirectly(countedOn: "2026-11-27", completeDue: "2026-12-04T00:00") == "23514")
        #expect(try openDirectly(countedOn: "2026-11-28", completeDue: "2026-11-29T00:00") == "23514")
        #expect(try openDirectly(countedOn: "2026-11-27", completeDue: "2026-12-03T00:00", complex: true) == nil)
        #expect(try openDirectly(countedOn: "2026-11-27", completeDue: "2026-11-28T00:00", complex: true) == "23514")
    }

    /// The database refuses the project manager's follow-up as well (the order is completed).
    @Test func theManagersFollowUp_isRefusedByTheDatabase() throws {
        let token = try TokenStore(db: owner).create(staff: "E8001")
        try web.execute("BEGIN")
        defer { _ = try? web.execute("ROLLBACK") }
        _ = try TokenStore(db: web).bind(token)
        var state: String?
        do {
            try web.execute("UPDATE repair_orders SET status = 'followed_up', followed_up_at = completed_at + interval '1 hour', rating = 5 WHERE id = $1", [order])
        } catch let error as PostgresError {
            state = error.sqlState
        }
        #expect(state == "42501")
    }

    @Test func aStepsEvent_cannotBeToldAgainWithAnotherTime() throws {
        // The technician re-tells the completion as on time the day before; the agent re-tells the opening.
        #expect(try insertEvent(as: "E3001", kind: "completed", at: "2026-11-25T11:00") == "42501")
        #expect(try insertEvent(as: "E3001", kind: "completed", at: "2026-11-26T11:00") == "23505", "once")
        #expect(try insertEvent(as: "E9001", kind: "opened", at: "2026-11-26T08:00") == "42501")
        // A delay reason may be told again (the order must be with the technician, which it is not).
        #expect(try insertEvent(as: "E3001", kind: "delayed", at: "2026-11-26T11:30") == "42501")
        #expect(try count(owner, "SELECT count(*) FROM repair_events WHERE order_id = $1", [order]) == 5)
    }
}
