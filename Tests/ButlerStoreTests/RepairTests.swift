import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

private func at(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }

/// Two projects with technicians: YS01 (the small registry; technicians E3001, E3002, manager
/// E8001) and HB02 (technician E3101, manager E8002, house HB02/1-1-101).
func seedRepairStaff(_ db: Connection) throws {
    try seedRegistry(db)
    try seedManager(db)
    let importer = Importer(db: db)
    func load(_ kind: ImportKind, _ text: String) throws {
        _ = try importer.run(kind, table: try CSVTable.parse(text, fileName: "\(kind).csv"))
    }
    try load(.projects, "code,name\nYS01,玉山花园\nHB02,湖滨公寓\n")
    try load(.staff, """
        employee_no,name,phone,role,project
        E3001,王师傅,13800000031,technician,YS01
        E3002,李师傅,13800000032,technician,YS01
        E3101,湖滨师傅,13800000033,technician,HB02
        E8002,湖滨经理,13800000028,manager,HB02

        """)
    try load(.houses, """
        project,building,unit,room,floor,area_m2,occupancy,move_in_date,holiday_home
        HB02,1,1,101,1,60,self,2021-01-01,no

        """)
}

/// Issue 14, the repair loop on fixed clocks: every `now` and `at` is given.
@Suite struct RepairTests {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRepairStaff(db)
    }

    /// The store as of `now` (acts default to that instant).
    func store(_ now: String) throws -> RepairStore { RepairStore(db: db, now: try at(now)) }

    func open(_ now: String, house: String = "YS01/1-1-101", complex: Bool = false, by: String = "E9001") throws -> Int {
        try store(now).open(RepairOpening(house: house, category: .water, description: "厨房水管漏水", caller: "13900000001",
                                          complex: complex), by: by, at: nil).id
    }

    func sweep(_ now: String) throws -> [JobRunReport] {
        try JobRunner(db: db).runDue(now: try at(now), only: ["deadline_sweep"])
    }

    func breaches(_ id: Int) throws -> [String] {
        try db.query("""
            SELECT stage || '#' || round || ' ' || to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS') FROM repair_breaches WHERE order_id = $1 ORDER BY at, stage
            """, [id]).map { try $0.decode(0) }
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

    @Test func theWholeLoop_setsEachDeadlineAsItsStageStarts_andShowsTheTimeline() throws {
        // Friday 17:00: due that Friday.
        let id = try open("2026-11-27T17:00")
        var order = try store("2026-11-27T17:00").show(id)
        #expect(order.status == "open")
        #expect(order.technician == nil)
        #expect(order.counted_on == "2026-11-27")
        #expect(order.deadlines.claim == "2026-11-27T17:15:00+08:00")
        #expect(order.deadlines.sign == nil, "the sign clock starts with the dispatch")
        #expect(order.deadlines.complete == "2026-11-28T00:00:00+08:00")
        #expect(order.deadlines.contact == nil && order.deadlines.followup == nil)
        order = try store("2026-11-27T17:05").dispatch(id, to: "E3001", by: "E9001", at: nil)
        #expect(order.deadlines.sign == "2026-11-27T17:20:00+08:00")
        order = try store("2026-11-27T17:10").sign(id, by: "E3001", at: nil)
        #expect(order.deadlines.contact == "2026-11-27T17:20:00+08:00")
        order = try store("2026-11-27T17:15").contact(id, appointment: try at("2026-11-27T18:00"), by: "E3001", at: nil)
        #expect(order.appointment_at == "2026-11-27T18:00:00+08:00")
        order = try store("2026-11-27T19:00").complete(id, photos: ["/photos/1.jpg"], note: "换了阀门", by: "E3001", at: nil)
        #expect(order.deadlines.followup == "2026-11-29T19:00:00+08:00")
        order = try store("2026-11-28T10:00").followup(id, rating: 5, note: "满意", by: "E9001", at: nil)
        #expect(order.status == "followed_up")
        #expect(order.rating == 5)
        #expect(order.technician == "E3001")
        #expect(order.photos == ["/photos/1.jpg"])
        #expect(order.events?.map(\.kind) == ["opened", "dispatched", "signed", "contacted", "completed", "followed_up"])
        #expect(order.events?.map(\.by) == ["E9001", "E9001", "E3001", "E3001", "E3001", "E9001"])
        #expect(order.events?.first?.at == "2026-11-27T17:00:00+08:00")
        // All in time: the sweep finds nothing, now or later.
        _ = try sweep("2026-12-01T00:00")
        #expect(try breaches(id).isEmpty)
        let json = String(decoding: try JSONEncoder().encode(try store("2026-12-01T00:00").show(id)), as: UTF8.self)
        for key in ["\"id\"", "\"house\"", "\"category\"", "\"status\"", "\"technician\"", "\"opened_at\"", "\"deadlines\"",
                    "\"breaches\"", "\"rating\"", "\"events\""] {
            #expect(json.contains(key), "\(key) in \(json)")
        }
    }

    @Test func openedFriday1830_countsAsSaturday_andAComplexOneBeforeNationalDay_isDueOnTheAdjustedSaturday() throws {
        let late = try store("2026-11-27T18:30").show(try open("2026-11-27T18:30"))
        #expect(late.counted_on == "2026-11-28")
        #expect(late.deadlines.complete == "2026-11-29T00:00:00+08:00")
        let complex = try store("2026-09-30T10:00").show(try open("2026-09-30T10:00", complex: true))
        #expect(complex.deadlines.complete == "2026-10-11T00:00:00+08:00")
    }

    /// Each stage's breach is recorded at its deadline, by the first sweep after it, once.
    @Test func everyBreach_isRecordedAtItsDeadlineMinute_once_withOneEscalationEach() throws {
        let id = try open("2026-11-26T09:00")
        _ = try sweep("2026-11-26T09:15")
        #expect(try breaches(id).isEmpty, "due at 09:15:00: not late at 09:15")
        _ = try sweep("2026-11-26T09:16")
        #expect(try breaches(id) == ["claim#0 2026-11-26T09:15:00"])
        _ = try store("2026-11-26T09:20").dispatch(id, to: "E3001", by: "E8001", at: nil)
        _ = try store("2026-11-26T09:40").sign(id, by: "E3001", at: nil)  // due 09:35: late
        _ = try store("2026-11-26T09:55").contact(id, appointment: try at("2026-11-26T15:00"), by: "E3001", at: nil)  // due 09:50
        _ = try sweep("2026-11-26T09:56")
        #expect(try breaches(id) == ["claim#0 2026-11-26T09:15:00", "sign#0 2026-11-26T09:35:00", "contact#0 2026-11-26T09:50:00"])
        _ = try sweep("2026-11-26T23:59")
        #expect(try breaches(id).count == 3, "the day ends at midnight")
        _ = try sweep("2026-11-27T00:00")
        #expect(try breaches(id).last == "complete#0 2026-11-27T00:00:00")
        _ = try store("2026-11-27T08:00").complete(id, photos: ["p.jpg"], note: "", by: "E3001", at: nil)
        _ = try sweep("2026-11-29T08:00")
        #expect(try breaches(id).count == 4)
        _ = try sweep("2026-11-29T08:01")
        #expect(try breaches(id).last == "followup#0 2026-11-29T08:00:00")
        // Idempotent: later sweeps, and the same minute again, add nothing.
        _ = try sweep("2026-11-29T08:02")
        #expect(try sweep("2026-11-29T08:02").map(\.outcome) == ["done"])
        #expect(try breaches(id).count == 5)
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'repair_escalation'") == 5)
        #expect(try count(db, "SELECT count(*) FROM repair_orders WHERE sweep_at IS NOT NULL") == 0, "nothing left to probe")
        #expect(try store("2026-11-29T08:02").show(id).breaches == ["claim", "sign", "contact", "complete", "followup"])
        // The manager's list carries them.
        let list = try DailyListStore(db: db).list(butler: "E8001", on: try #require(Day("2026-11-29")), now: try at("2026-11-29T09:00"))
        let escalations = list.tasks.filter { $0.standard == "repair_escalation" }
        #expect(escalations.count == 5, "open until the manager marks them done")
        #expect(escalations.contains { $0.reason.contains("报修单 #\(id) 回访超时（截止 2026-11-29 08:00）") })
        #expect(escalations.allSatisfy { $0.house == "YS01/1-1-101" })
        let breached = try store("2026-11-29T09:00").list(RepairFilter(project: "YS01", breached: true))
        #expect(breached.map(\.id) == [id])
    }

    /// Review of issue 14 (2): the wait for a technician is its own stage; signing counts from the dispatch.
    @Test func aLateDispatch_isAClaimBreach_andSigningCountsFromTheDispatch() throws {
        let id = try open("2026-11-26T09:00")
        _ = try sweep("2026-11-26T09:16")
        _ = try store("2026-11-26T09:20").dispatch(id, to: "E3001", by: "E9001", at: nil)
        _ = try store("2026-11-26T09:25").sign(id, by: "E3001", at: nil)
        _ = try sweep("2026-11-26T09:35")
        #expect(try breaches(id) == ["claim#0 2026-11-26T09:15:00"], "dispatched 09:20, signed 09:25: in time (contact due 09:35)")
        let late = try open("2026-11-26T10:00")
        _ = try sweep("2026-11-26T10:30")
        _ = try store("2026-11-26T10:40").dispatch(late, to: "E3001", by: "E9001", at: nil)
        _ = try sweep("2026-11-26T10:55")
        #expect(try breaches(late) == ["claim#0 2026-11-26T10:15:00"], "sign due 10:55:00, not yet late")
        _ = try sweep("2026-11-26T10:56")
        #expect(try breaches(late) == ["claim#0 2026-11-26T10:15:00", "sign#0 2026-11-26T10:55:00"])
    }

    /// Review of issue 14 (5): a technician cannot backdate a step past an hour; the database
    /// keeps when each event was recorded.
    @Test func aTechnician_tellsOfAStepAtMostAnHourLate_andEveryEventKeepsWhenItWasRecorded() throws {
        let id = try open("2026-11-26T09:00")
        // The dispatch entered from paper by the owner's CLI (over the API, told after its
        // deadline, it could not be dated on time: RepairReviewTests).
        _ = try RepairStore(db: db, now: try at("2026-11-26T12:00"), technicianLateness: nil)
            .dispatch(id, to: "E3001", by: "E9001", at: try at("2026-11-26T09:05"))
        let late = refusal { try store("2026-11-26T12:00").sign(id, by: "E3001", at: try at("2026-11-26T10:59")) }
        #expect(late?.field == "at")
        #expect(late?.description.contains("一小时") == true)
        #expect(try store("2026-11-26T12:00").sign(id, by: "E3001", at: try at("2026-11-26T11:00")).status == "signed")
        #expect(try count(db, "SELECT count(*) FROM repair_events WHERE recorded_at IS NOT NULL") == 3)
    }

    /// Review of issue 14 (7): a technician asking for another project's orders is refused.
    @Test func aTechnicianListingAnotherProject_isRefused() throws {
        _ = try open("2026-11-26T09:00")
        let technician = try Scope(db: db, employee: "E3001").actor
        let refused = refusal { try store("2026-11-26T09:05").list(RepairFilter(project: "HB02"), as: technician) }
        #expect(refused?.kind == .forbidden)
        #expect(refused?.field == "project")
        #expect(try store("2026-11-26T09:05").list(RepairFilter(project: "YS01"), as: technician).count == 1)
    }

    /// Review of issue 14 (7): the completion deadline is the midnight that ends the day,
    /// exclusive: 23:59:59.5 is on time, midnight is late.
    @Test func completionAt235959_5_isOnTime_andAtMidnightIsLate() throws {
        var late: [String] = []
        for (house, done, minute) in [("YS01/1-1-101", try at("2026-11-26T23:59:59").addingTimeInterval(0.5), "00:01"),
                                      ("YS01/1-1-102", try at("2026-11-27T00:00"), "00:02")] {
            let id = try open("2026-11-26T09:00", house: house)
            _ = try store("2026-11-26T09:01").dispatch(id, to: "E3001", by: "E9001", at: nil)
            _ = try store("2026-11-26T09:02").sign(id, by: "E3001", at: nil)
            _ = try store("2026-11-26T09:03").contact(id, appointment: try at("2026-11-26T10:00"), by: "E3001", at: nil)
            _ = try RepairStore(db: db, now: try at("2026-11-27T00:00")).complete(id, photos: ["p.jpg"], note: "", by: "E3001", at: done)
            _ = try sweep("2026-11-27T" + minute)  // one sweep per minute
            late.append(contentsOf: try breaches(id).filter { $0.hasPrefix("complete") })
        }
        #expect(late == ["complete#0 2026-11-27T00:00:00"], "only the order completed at midnight")
    }

    @Test func illegalMoves_areRefusedNamingBothStates_andWriteNothing() throws {
        let id = try open("2026-11-26T09:00")
        let events = try count(db, "SELECT count(*) FROM repair_events")
        let early = refusal { try store("2026-11-26T09:01").sign(id, by: "E3001", at: nil) }
        #expect(early?.kind == .conflict)
        #expect(early?.description.contains("「待派工」") == true && early?.description.contains("「已签收」") == true, "\(String(describing: early))")
        _ = try store("2026-11-26T09:02").dispatch(id, to: "E3001", by: "E9001", at: nil)
        let complete = refusal { try store("2026-11-26T09:03").complete(id, photos: ["p.jpg"], note: "", by: "E3001", at: nil) }
        #expect(complete?.description.contains("「已派工」") == true && complete?.description.contains("「已完工」") == true)
        let followup = refusal { try store("2026-11-26T09:03").followup(id, rating: 5, note: "", by: "E9001", at: nil) }
        #expect(followup?.description.contains("「已派工」") == true && followup?.description.contains("「已回访」") == true)
        let other = refusal { try store("2026-11-26T09:03").sign(id, by: "E3002", at: nil) }
        #expect(other?.kind == .forbidden)
        #expect(other?.description.contains("E3001") == true)
        let backdated = refusal { try store("2026-11-26T09:05").sign(id, by: "E3001", at: try at("2026-11-26T09:01")) }
        #expect(backdated?.field == "at")
        #expect(try count(db, "SELECT count(*) FROM repair_events") == events + 1)
        #expect(try store("2026-11-26T09:05").show(id).status == "dispatched")
    }

    @Test func completion_needsAPhoto() throws {
        let id = try open("2026-11-26T09:00")
        _ = try store("2026-11-26T09:01").dispatch(id, to: "E3001", by: "E9001", at: nil)
        _ = try store("2026-11-26T09:02").sign(id, by: "E3001", at: nil)
        _ = try store("2026-11-26T09:03").contact(id, appointment: try at("2026-11-26T10:00"), by: "E3001", at: nil)
        for photos in [[], ["  "]] {
            let refused = refusal { try store("2026-11-26T11:00").complete(id, photos: photos, note: "", by: "E3001", at: nil) }
            #expect(refused?.kind == .invalidInput)
            #expect(refused?.field == "photos")
        }
        #expect(try store("2026-11-26T11:00").show(id).status == "contacted")
        #expect(try store("2026-11-26T11:00").complete(id, photos: ["a.jpg", "b.jpg"], note: "", by: "E3001", at: nil).status == "completed")
    }

    @Test func reopen_sendsItBackWithANewDeadline_andTheOrderNoLongerPasses() throws {
        let id = try open("2026-11-26T09:00")
        _ = try store("2026-11-26T09:01").dispatch(id, to: "E3001", by: "E9001", at: nil)
        _ = try store("2026-11-26T09:02").sign(id, by: "E3001", at: nil)
        _ = try store("2026-11-26T09:03").contact(id, appointment: try at("2026-11-26T10:00"), by: "E3001", at: nil)
        _ = try store("2026-11-26T11:00").complete(id, photos: ["a.jpg"], note: "", by: "E3001", at: nil)
        _ = try store("2026-11-27T10:00").followup(id, rating: 2, note: "还在漏", by: "E9001", at: nil)
        let reopened = try store("2026-11-27T10:05").reopen(id, reason: "仍然漏水", by: "E9001", at: nil)
        #expect(reopened.status == "reopened")
        #expect(reopened.round == 1)
        #expect(reopened.rating == nil)
        #expect(reopened.technician == "E3001")
        #expect(reopened.deadlines.complete == "2026-11-28T00:00:00+08:00")
        #expect(reopened.deadlines.followup == nil)
        let done = try store("2026-11-27T15:00").complete(id, photos: ["c.jpg"], note: "", by: "E3001", at: nil)
        #expect(done.photos == ["a.jpg", "c.jpg"])
        #expect(done.events?.map(\.kind).suffix(3) == ["followed_up", "reopened", "completed"])
        // Review of issue 14 (6): round 0's completion and rating are kept beside round 1's.
        let rounds = try db.query("""
            SELECT round::int, coalesce(rating::int, 0), array_to_string(photos, ' '), to_char(completed_at, 'MM-DD HH24:MI'),
                   to_char(complete_due, 'MM-DD HH24:MI:SS'), followed_up_at IS NOT NULL
            FROM repair_rounds WHERE order_id = $1 ORDER BY round
            """, [id]).map { r in
            "\(try r.decode(0, as: Int.self)) \(try r.decode(1, as: Int.self)) \(try r.decode(2, as: String.self)) "
                + "\(try r.decode(3, as: String.self)) \(try r.decode(4, as: String.self)) \(try r.decode(5, as: Bool.self))"
        }
        #expect(rounds == ["0 2 a.jpg 11-26 11:00 11-27 00:00:00 true", "1 0 c.jpg 11-27 15:00 11-28 00:00:00 false"])
    }

    @Test func events_areAppendOnly() throws {
        let id = try open("2026-11-26T09:00")
        #expect(throws: PostgresError.self) { try db.execute("UPDATE repair_events SET kind = 'signed' WHERE order_id = $1", [id]) }
        #expect(throws: PostgresError.self) { try db.execute("DELETE FROM repair_events WHERE order_id = $1", [id]) }
    }

    /// 抢单: two technicians at once, on two connections, both blocked on the same row until it is
    /// released: exactly one wins, the other is told who.
    @Test func grabRace_oneWinner_theOtherToldWhoTookIt() throws {
        let id = try open("2026-11-26T09:00")
        let blocker = try schema.connect()
        try blocker.execute("BEGIN")
        _ = try blocker.query("SELECT id FROM repair_orders WHERE id = $1 FOR UPDATE", [id])
        let config = schema.config
        let now = try at("2026-11-26T09:05")
        // Threads, not tasks: each blocks in libpq, and the cooperative pool may have only two threads.
        let outcomes = GrabOutcomes()
        let done = DispatchGroup()
        for technician in ["E3001", "E3002"] {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                do {
                    let connection = try config.connect()
                    outcomes.add(try RepairStore(db: connection, now: now).grab(id, by: technician, at: nil).technician ?? "?")
                } catch {
                    outcomes.add("refused: \(error)")
                }
            }
        }
        // Both wait on the row lock before it is released (a bounded poll of the server, no sleep).
        var waiting = 0
        for _ in 0..<100_000 where waiting < 2 {
            // Not on the blocker: inside a transaction pg_stat_activity is a snapshot.
            waiting = try db.query("""
                SELECT count(*)::int FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE repair_orders SET technician_id%'
                """)[0].decode(0)
        }
        #expect(waiting == 2)
        try blocker.execute("ROLLBACK")
        done.wait()
        let results = outcomes.all
        let winners = results.filter { !$0.hasPrefix("refused") }
        #expect(winners.count == 1, "\(results)")
        let winner = try #require(winners.first)
        let loser = try #require(results.first { $0.hasPrefix("refused") })
        #expect(loser.contains("已被 \(winner)"), "\(loser)")
        #expect(try count(db, "SELECT count(*) FROM repair_events WHERE kind = 'grabbed'") == 1)
        let order = try store("2026-11-26T09:06").show(id)
        #expect(order.status == "dispatched")
        #expect(order.deadlines.sign == "2026-11-26T09:15:00+08:00", "a grabbed order's sign clock runs from the opening")
    }

    @Test func scope_agentTechnicianManagerButler() throws {
        let s = try store("2026-11-26T10:00")
        // Butlers have no part in repairs; agents open anywhere; managers in their project only.
        #expect(refusal { try open("2026-11-26T09:00", by: "E1001") }?.kind == .forbidden)
        #expect(refusal { try open("2026-11-26T09:00", house: "YS01/1-1-101", by: "E8002") }?.kind == .forbidden)
        let hb = try open("2026-11-26T09:00", house: "HB02/1-1-101", by: "E9001")
        let ys = try open("2026-11-26T09:01", by: "E8001")
        // Dispatch: not by another project's manager, and only to a technician of the order's project.
        #expect(refusal { try s.dispatch(ys, to: "E3001", by: "E8002", at: nil) }?.kind == .forbidden)
        #expect(refusal { try s.dispatch(ys, to: "E3101", by: "E8001", at: nil) }?.field == "to")
        #expect(refusal { try s.dispatch(ys, to: "E1001", by: "E8001", at: nil) }?.field == "to")
        // Grab: a technician of the project only.
        #expect(refusal { try s.grab(ys, by: "E3101", at: nil) }?.kind == .forbidden)
        #expect(refusal { try s.grab(ys, by: "E8001", at: nil) }?.kind == .forbidden)
        _ = try s.grab(ys, by: "E3001", at: nil)
        #expect(refusal { try s.grab(ys, by: "E3002", at: nil) }?.description.contains("已被 E3001") == true)
        // Follow-ups and reopening are the call centre's and the manager's, not a technician's.
        #expect(refusal { try s.followup(ys, rating: 5, note: "", by: "E3001", at: nil) }?.kind == .conflict)
        func principal(_ employee: String) throws -> Principal { try Scope(db: db, employee: employee).actor }
        // Reading: the technician their own and the grabbable; not another's, not another project's.
        #expect(try s.show(ys, as: principal("E3001")).id == ys)
        #expect(refusal { try s.show(ys, as: principal("E3002")) }?.kind == .forbidden)
        #expect(refusal { try s.show(hb, as: principal("E3001")) }?.kind == .forbidden)
        #expect(try s.show(hb, as: principal("E3101")).id == hb, "undispatched in their project: grabbable")
        #expect(refusal { try s.show(ys, as: principal("E1001")) }?.kind == .forbidden)
        #expect(try s.list(RepairFilter(), as: principal("E9001")).map(\.id).sorted() == [hb, ys].sorted())
        #expect(try s.list(RepairFilter(), as: principal("E8002")).map(\.id) == [hb])
        #expect(refusal { try s.list(RepairFilter(project: "YS01"), as: principal("E8002")) }?.kind == .forbidden)
        #expect(try s.list(RepairFilter(), as: principal("E3002")).isEmpty)
        #expect(try s.list(RepairFilter(), as: principal("E3001")).map(\.id) == [ys])
        #expect(refusal { try s.list(RepairFilter(), as: principal("E1001")) }?.kind == .forbidden)
        // Several at once (the technician's page) hold the same scope as one by one, in the order asked.
        #expect(try s.orders([ys], as: principal("E3001")).map(\.id) == [ys])
        #expect(refusal { try s.orders([ys, hb], as: principal("E3001")) }?.kind == .forbidden, "another project's")
        #expect(refusal { try s.orders([ys], as: principal("E3002")) }?.kind == .forbidden, "another technician's")
        #expect(try s.orders([ys, hb], as: principal("E9001")).map(\.id) == [ys, hb])
    }

    @Test func aTechniciansDailyList_holdsTheirOpenOrders_byDeadline() throws {
        let first = try open("2026-11-26T09:00")
        let second = try open("2026-11-26T09:10", house: "YS01/1-1-102")
        let other = try open("2026-11-26T09:20", house: "YS01/1-1-103")
        _ = try store("2026-11-26T09:30").dispatch(second, to: "E3001", by: "E9001", at: nil)  // sign by 09:45
        _ = try store("2026-11-26T09:31").dispatch(first, to: "E3001", by: "E9001", at: nil)  // sign by 09:46
        _ = try store("2026-11-26T09:32").sign(first, by: "E3001", at: nil)  // contact by 09:42
        _ = try store("2026-11-26T09:33").dispatch(other, to: "E3002", by: "E9001", at: nil)
        let list = try DailyListStore(db: db).list(butler: "E3001", on: try #require(Day("2026-11-26")), now: try at("2026-11-26T09:44"))
        #expect(list.tasks.map(\.id) == ["repair:\(first)", "repair:\(second)"])
        #expect(list.tasks.map(\.due) == ["2026-11-26T09:42:00+08:00", "2026-11-26T09:45:00+08:00"])
        #expect(list.tasks.map(\.status) == ["overdue", "open"])
        #expect(list.tasks.allSatisfy { $0.standard == "repair_order" && $0.butler == "E3001" })
        #expect(try Scope(db: db, employee: "E3001").mayReadTasks(of: "E3001", on: try #require(Day("2026-11-26"))) == ())
    }
}

/// What each racing thread got.
private final class GrabOutcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [String] = []

    func add(_ outcome: String) { lock.withLock { outcomes.append(outcome) } }
    var all: [String] { lock.withLock { outcomes } }
}
