import ButlerCore
import Foundation
import Postgres

/// Repair orders (报修工单, 000, issue 14): the call centre opens them, dispatches them to a
/// technician of the house's project (or a technician grabs one: the first wins), and the
/// technician signs, phones the owner, completes with photos; the call centre follows up and
/// may reopen. Every act goes through the scope model as the named person, is checked against
/// the order's state (an illegal move names both states), and appends an event. Deadlines are
/// set as each stage starts (``RepairDeadlines``); the deadline sweep records breaches.
public struct RepairStore {
    let db: Connection
    /// The caller's clock (the CLI's, the server's per request): acts may not be in the
    /// future, and a technician's not an hour in the past. Never read here.
    let now: Date
    /// How long before `now` a technician may say a step happened (nil: no bound, for the
    /// owner's CLI, which enters paper records; `recorded_at` shows the truth either way).
    let technicianLateness: TimeInterval?

    public init(db: Connection, now: Date, technicianLateness: TimeInterval? = RepairStore.technicianLateness) {
        self.db = db
        self.now = now
        self.technicianLateness = technicianLateness
    }

    /// Opens an order; the claim clock (dispatch or grab) and the completion deadline start now.
    public func open(_ opening: RepairOpening, by employee: String, at: Date?) throws -> RepairOrder {
        let at = try checkedTime(at)
        let description = opening.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else { throw ButlerError(.invalidInput, field: "description", "请填写报修内容") }
        try InputBounds.text(description, field: "description", multiline: true)
        let caller = try opening.caller.map { text -> String in
            guard let phone = PhoneNumber(text) else { throw ButlerError(.invalidInput, field: "caller", "“\(text)”不是电话号码") }
            return phone.digits
        }
        let id: Int = try db.transaction {
            let target = try RegistryLookup(db: db).house(opening.house)
            let scope = try Scope(db: db, employee: employee)
            try scope.mayOpenRepair(projectID: target.projectID, house: target.code)
            let deadlines = try self.deadlines()
            let id: Int = try db.query("""
                INSERT INTO repair_orders (house_id, project_id, category, description, caller_phone, source, complex,
                                           opened_at, opened_by, counted_on, claim_due, complete_due)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::date, $11, $12) RETURNING id
                """, [target.id, target.projectID, opening.category.rawValue, description, caller, opening.source.rawValue,
                      opening.complex, at, scope.actor.staffID, deadlines.countedDay(openedAt: at).description,
                      deadlines.sign(from: at), deadlines.complete(openedAt: at, complex: opening.complex)])[0].decode(0)
            try event(id, projectID: target.projectID, .opened, at: at, by: scope.actor.staffID,
                      detail: ["category": opening.category.rawValue, "complex": String(opening.complex)])
            return id
        }
        return try show(id)
    }

    /// Dispatches an open order to a technician of its project; they sign within 15 minutes.
    public func dispatch(_ id: Int, to technician: String, by employee: String, at: Date?) throws -> RepairOrder {
        try act(id, by: employee, at: at, to: .dispatched, check: { scope, order in
            try scope.mayManageRepair(id: id, projectID: order.projectID, "派工")
        }) { order, at, scope in
            let staff = try RegistryLookup(db: db).staff(technician)
            guard staff.role == .technician, staff.projectID == order.projectID else {
                throw ButlerError(.invalidInput, field: "to", "\(technician)（\(staff.name)，\(staff.role.label)）不是该报修单所在项目的维修工")
            }
            try db.execute("""
                UPDATE repair_orders SET technician_id = $2, status = 'dispatched', dispatched_at = $3, sign_due = $4 WHERE id = $1
                """, [id, staff.id, at, try deadlines().sign(from: at)])
            return (.dispatched, ["to": technician])
        }
    }

    /// 抢单: a technician of the project takes an undispatched order. One statement decides, so
    /// of two technicians (two processes) exactly one wins; the other is told who took it. The
    /// sign clock keeps running from the opening.
    public func grab(_ id: Int, by employee: String, at: Date?) throws -> RepairOrder {
        let at = try checkedTime(at)
        try db.transaction {
            let scope = try Scope(db: db, employee: employee)
            let order = try visibleToGrab(id)
            try scope.mayGrabRepair(id: id, projectID: order.projectID)
            try notBefore(order, at)
            try notBackdated(at, by: scope)
            try notOnTimeAfterTheFact(order, .dispatched, at)
            let won = try db.query("""
                UPDATE repair_orders SET technician_id = $2, status = 'dispatched', grabbed = true, dispatched_at = $3,
                       sign_due = $4
                WHERE id = $1 AND status = 'open' AND technician_id IS NULL RETURNING id
                """, [id, scope.actor.staffID, at, try deadlines().sign(from: order.openedAt)])
            guard !won.isEmpty else {
                let taken = try visibleToGrab(id)
                if let holder = taken.technician {
                    throw ButlerError(.conflict, field: "id", "报修单 #\(id) 已被 \(holder.employeeNo)（\(holder.name)）接单，抢单未成功")
                }
                throw ButlerError(.conflict, field: "id", "报修单 #\(id) 当前为「\(taken.status.label)」，不能抢单")
            }
            try event(id, projectID: order.projectID, .grabbed, at: at, by: scope.actor.staffID, detail: [:])
        }
        return try show(id)
    }

    /// The technician signs the order; they phone the owner within 10 minutes.
    public func sign(_ id: Int, by employee: String, at: Date?) throws -> RepairOrder {
        try act(id, by: employee, at: at, to: .signed, check: { scope, order in
            try scope.mayWorkRepair(id: id, technician: order.technicianRef, "签收")
        }) { _, at, _ in
            try db.execute("UPDATE repair_orders SET status = 'signed', signed_at = $2, contact_due = $3 WHERE id = $1",
                           [id, at, try deadlines().contact(signedAt: at)])
            return (.signed, [:])
        }
    }

    /// The technician has phoned the owner and agreed a time.
    public func contact(_ id: Int, appointment: Date, by employee: String, at: Date?) throws -> RepairOrder {
        try InputBounds.day(Day.from(appointment), field: "appointment")
        return try act(id, by: employee, at: at, to: .contacted, check: { scope, order in
            try scope.mayWorkRepair(id: id, technician: order.technicianRef, "联系业主")
        }) { _, at, _ in
            try db.execute("UPDATE repair_orders SET status = 'contacted', contacted_at = $2, appointment_at = $3 WHERE id = $1",
                           [id, at, appointment])
            return (.contacted, ["appointment": Timestamp.rfc3339(appointment)])
        }
    }

    /// 000: an order that cannot be finished in time has its reason on record. The deadline stays.
    public func delay(_ id: Int, reason: String, by employee: String, at: Date?) throws -> RepairOrder {
        let reason = try required(reason, field: "reason", "请填写延期原因")
        return try act(id, by: employee, at: at, to: nil, check: { scope, order in
            try scope.mayWorkRepair(id: id, technician: order.technicianRef, "登记延期原因")
            guard order.status.isWithTechnician else {
                throw ButlerError(.conflict, field: "id", "报修单 #\(id) 当前为「\(order.status.label)」，不在维修中，不能登记延期原因")
            }
        }) { _, _, _ in
            try db.execute("UPDATE repair_orders SET delay_reason = $2 WHERE id = $1", [id, reason])
            return (.delayed, ["reason": reason])
        }
    }

    /// Completion needs at least one photo of the finished work; the follow-up is due 48 h later.
    public func complete(_ id: Int, photos: [String], note: String, by employee: String, at: Date?) throws -> RepairOrder {
        let photos = photos.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !photos.isEmpty else { throw ButlerError(.invalidInput, field: "photos", "完工须至少附一张完工部位的照片") }
        try InputBounds.texts(photos, field: "photos")
        try InputBounds.text(note, field: "note", multiline: true)
        return try act(id, by: employee, at: at, to: .completed, check: { scope, order in
            try scope.mayWorkRepair(id: id, technician: order.technicianRef, "完工")
        }) { _, at, _ in
            try db.execute("""
                UPDATE repair_orders SET status = 'completed', completed_at = $2, followup_due = $3, photos = photos || $4::text[]
                WHERE id = $1
                """, [id, at, try deadlines().followup(completedAt: at), photos])
            return (.completed, ["photos": photos.joined(separator: " "), "note": note])
        }
    }

    /// The call centre's call-back with the owner's rating (4-5: satisfied).
    public func followup(_ id: Int, rating: Int, note: String, by employee: String, at: Date?) throws -> RepairOrder {
        guard (1...5).contains(rating) else { throw ButlerError(.invalidInput, field: "rating", "评分须在 1 到 5 之间") }
        try InputBounds.text(note, field: "note", multiline: true)
        return try act(id, by: employee, at: at, to: .followedUp, check: { scope, order in
            try scope.mayFollowUpRepair(id: id)
        }) { _, at, _ in
            try db.execute("UPDATE repair_orders SET status = 'followed_up', followed_up_at = $2, rating = $3 WHERE id = $1",
                           [id, at, rating])
            return (.followedUp, ["rating": String(rating), "note": note])
        }
    }

    /// Back to the technician with a new completion deadline (as if opened now); the order no
    /// longer passes (`round` > 0). Completion and follow-up start again.
    public func reopen(_ id: Int, reason: String, by employee: String, at: Date?) throws -> RepairOrder {
        let reason = try required(reason, field: "reason", "请填写返修原因")
        return try act(id, by: employee, at: at, to: .reopened, check: { scope, order in
            try scope.mayManageRepair(id: id, projectID: order.projectID, "返修")
        }) { order, at, _ in
            try db.execute("""
                UPDATE repair_orders SET status = 'reopened', round = round + 1, complete_due = $2, completed_at = NULL,
                       followup_due = NULL, followed_up_at = NULL, rating = NULL
                WHERE id = $1
                """, [id, try deadlines().complete(openedAt: at, complex: order.complex)])
            return (.reopened, ["reason": reason, "rating": order.rating.map(String.init) ?? ""])
        }
    }

    // MARK: Reading

    /// One order with its timeline; `actor` nil: the owner's view (the CLI names nobody).
    public func show(_ id: Int, as actor: Principal? = nil) throws -> RepairOrder {
        let rows = try db.query(Self.select + " WHERE o.id = $1", [id])
        guard let row = rows.first else { throw ButlerError(.notFound, field: "id", "报修单 #\(id) 不存在") }
        if let actor {
            try Scope(db: db, actor: actor).mayReadRepair(
                id: id, projectID: try row.decode(22), technicianID: try row.decode(23),
                status: RepairStatus(rawValue: try row.decode(7)) ?? .open)
        }
        var order = try Self.order(row)
        order.events = try db.query("""
            SELECT e.at, e.kind, s.employee_no, e.detail::text FROM repair_events e JOIN staff s ON s.id = e.staff_id
            WHERE e.order_id = $1 ORDER BY e.at, e.id
            """, [id]).map { r in
            let detail = (try? JSONSerialization.jsonObject(with: Data(try r.decode(3, as: String.self).utf8))) as? [String: String]
            return RepairEvent(at: Timestamp.rfc3339(try r.decode(0)), kind: try r.decode(1), by: try r.decode(2), detail: detail ?? [:])
        }
        return order
    }

    /// Several orders by id in one statement, in the order asked, without their timelines (a
    /// technician's page shows up to 20: one query, not one ``show(_:as:)`` each). Each is held
    /// to `actor`'s scope as ``show(_:as:)`` holds one; an id not found is left out.
    public func orders(_ ids: [Int], as actor: Principal) throws -> [RepairOrder] {
        guard !ids.isEmpty else { return [] }
        let scope = Scope(db: db, actor: actor)
        var byID: [Int: RepairOrder] = [:]
        for row in try db.query(Self.select + " WHERE o.id = ANY($1::bigint[])", [ids]) {
            let id: Int = try row.decode(0)
            try scope.mayReadRepair(id: id, projectID: try row.decode(22), technicianID: try row.decode(23),
                                    status: RepairStatus(rawValue: try row.decode(7)) ?? .open)
            byID[id] = try Self.order(row)
        }
        return ids.compactMap { byID[$0] }
    }

    /// The first `limit` orders of ``list(_:as:page:)`` without the page (for callers that want
    /// orders only and know their filter is small, e.g. one house).
    public func list(_ filter: RepairFilter, as actor: Principal? = nil, limit: Int = RepairPage.maxLimit) throws -> [RepairOrder] {
        try list(filter, as: actor, page: RepairPage(limit: limit)).orders
    }

    /// One page of the orders in scope, by house (natural order), then newest first (id breaks
    /// ties, so pages never overlap), and how many match in all; `actor` narrows to their scope.
    /// One statement: the matches (id, house code, opened) are collected once, counted, and only
    /// the page's orders are joined and decoded.
    public func list(_ filter: RepairFilter, as actor: Principal? = nil, page: RepairPage) throws -> RepairList {
        var projectID: Int? = try filter.project.map { try RegistryLookup(db: db).projectID($0) }
        var technicianID: Int?
        if let actor {
            let scope = try Scope(db: db, actor: actor).repairListScope()
            // A manager or a technician asks for their own project only (a technician's list is
            // narrowed to their orders below; another project's is refused, not silently empty).
            if let own = scope.projectID, let asked = projectID, own != asked {
                throw ButlerError(.forbidden, field: "project", "\(actor.employeeNo) 只能查看本项目的报修单")
            }
            projectID = projectID ?? scope.projectID
            technicianID = scope.technicianID
        }
        let houseID: Int? = try filter.house.map { try RegistryLookup(db: db).house($0).id }
        // The clauses that decide where the plan starts (a house, a project, its breaches) are
        // chosen here, not by `$n IS NULL OR …`: each shape is its own prepared statement, so a
        // connection's cached generic plan never scans every order for one house. Breached is a
        // plain IN, so one project's breaches (their index) lead: ~5-10 ms at 500k orders, against
        // 40-90 ms starting from the project's orders. Every `$n` is referenced in each shape.
        let start: SQL = houseID != nil ? " AND o.house_id = $5 AND ($1::int IS NULL OR o.project_id = $1)"
            : projectID != nil ? " AND o.project_id = $1 AND $5::bigint IS NULL"
            : " AND $1::int IS NULL AND $5::bigint IS NULL"
        let breached: SQL = !filter.breached ? " AND NOT $3"
            : projectID != nil ? " AND o.id IN (SELECT b.order_id FROM repair_breaches b WHERE $3 AND b.project_id = $1)"
            : " AND o.id IN (SELECT b.order_id FROM repair_breaches b WHERE $3)"
        // `page` is left-joined to one row, so a page past the end still says the total.
        let rows = try db.query("""
            WITH matches AS MATERIALIZED (
                SELECT o.id, h.code, o.opened_at FROM repair_orders o JOIN houses h ON h.id = o.house_id
                WHERE ($2::text IS NULL OR o.status = $2)
                  AND ($4::int IS NULL OR o.technician_id = $4 OR (o.technician_id IS NULL AND o.status = 'open'))
            """ + start + breached + """
            ), shown AS (
                SELECT id FROM matches ORDER BY code COLLATE house_natural, opened_at DESC, id DESC LIMIT $6 OFFSET $7
            )
            SELECT page.*, (SELECT count(*) FROM matches)::int FROM (SELECT 1) AS one LEFT JOIN (
            """ + Self.select + """
             JOIN shown s ON s.id = o.id
            ) AS page (id, house, c2, c3, c4, c5, c6, c7, c8, opened_at, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20,
                       c21, c22, c23, c24) ON true
            ORDER BY page.house COLLATE house_natural, page.opened_at DESC, page.id DESC
            """, [projectID, filter.status?.rawValue, filter.breached, technicianID, houseID, page.limit, page.offset])
        let total: Int = try rows.first?.decode(25) ?? 0
        let orders = try rows.filter { try $0.decode(0, as: Int?.self) != nil }.map(Self.order)
        return RepairList(orders: orders, page: Paging(total: total, shown: orders.count, page: page))
    }

    static let select: SQL = """
        SELECT o.id, h.code, p.code, o.category, o.description, o.source, o.complex, o.status, t.employee_no,
               o.opened_at, ob.employee_no, o.counted_on::text, o.sign_due, o.contact_due, o.complete_due, o.followup_due,
               o.appointment_at, ARRAY(SELECT b.stage FROM repair_breaches b WHERE b.order_id = o.id ORDER BY b.at, b.round, b.stage),
               o.rating::int, o.round::int, o.delay_reason, o.photos, o.project_id, o.technician_id, o.claim_due
        FROM repair_orders o JOIN houses h ON h.id = o.house_id JOIN projects p ON p.id = o.project_id
        JOIN staff ob ON ob.id = o.opened_by LEFT JOIN staff t ON t.id = o.technician_id
        """

    static func order(_ r: Row) throws -> RepairOrder {
        func time(_ i: Int) throws -> String? { try r.decode(i, as: Date?.self).map(Timestamp.rfc3339) }
        return RepairOrder(
            id: try r.decode(0), house: try r.decode(1), project: try r.decode(2), category: try r.decode(3),
            description: try r.decode(4), source: try r.decode(5), complex: try r.decode(6), status: try r.decode(7),
            technician: try r.decode(8), opened_at: Timestamp.rfc3339(try r.decode(9)), opened_by: try r.decode(10),
            counted_on: try r.decode(11),
            deadlines: RepairOrderDeadlines(claim: Timestamp.rfc3339(try r.decode(24)), sign: try time(12), contact: try time(13),
                                            complete: try time(14), followup: try time(15)),
            appointment_at: try time(16), breaches: try r.decode(17), rating: try r.decode(18), round: try r.decode(19),
            delay_reason: try r.decode(20), photos: try r.decode(21), events: nil)
    }

    // MARK: The state machine

    typealias EventKind = RepairEventKind

    struct OrderRow {
        let status: RepairStatus
        let projectID: Int
        let technician: (id: Int, employeeNo: String, name: String)?
        let complex: Bool
        let rating: Int?
        let lastEventAt: Date?
        let openedAt: Date
        /// The deadline of the stage each move ends (nil: not started).
        let due: [RepairStatus: Date]
        var technicianRef: (id: Int, employeeNo: String)? { technician.map { ($0.id, $0.employeeNo) } }
    }

    /// Checks who acts and the state, runs `change`, and appends its event — in one transaction.
    /// `target` nil: an act that keeps the state (a delay reason).
    private func act(_ id: Int, by employee: String, at: Date?, to target: RepairStatus?,
                     check: (Scope, OrderRow) throws -> Void,
                     change: (OrderRow, Date, Scope) throws -> (EventKind, [String: String])) throws -> RepairOrder {
        let at = try checkedTime(at)
        try db.transaction {
            let scope = try Scope(db: db, employee: employee)
            let order = try row(id, lock: true)
            if let target, !order.status.next.contains(target) {
                let allowed = order.status.next.map(\.label).sorted().joined(separator: "、")
                throw ButlerError(.conflict, field: "id", "报修单 #\(id) 当前为「\(order.status.label)」，不能变为「\(target.label)」"
                                  + (allowed.isEmpty ? "" : "（当前只能变为：\(allowed)）"))
            }
            try check(scope, order)
            try notBefore(order, at)
            try notBackdated(at, by: scope)
            if let target { try notOnTimeAfterTheFact(order, target, at) }
            let (kind, detail) = try change(order, at, scope)
            var full = detail
            if target != nil { full["from"] = order.status.rawValue }
            try event(id, projectID: order.projectID, kind, at: at, by: scope.actor.staffID, detail: full)
        }
        return try show(id)
    }

    private func row(_ id: Int, lock: Bool) throws -> OrderRow {
        let rows = try db.query("""
            SELECT o.status, o.project_id, o.technician_id, t.employee_no, t.name, o.complex, o.rating::int,
                   (SELECT max(e.at) FROM repair_events e WHERE e.order_id = o.id), o.opened_at,
                   o.claim_due, o.sign_due, o.contact_due, o.complete_due, o.followup_due
            FROM repair_orders o LEFT JOIN staff t ON t.id = o.technician_id WHERE o.id = $1
            """ + (lock ? " FOR UPDATE OF o" : ""), [id])
        guard let r = rows.first else { throw ButlerError(.notFound, field: "id", "报修单 #\(id) 不存在") }
        let technician: (Int, String, String)? = try r.decode(2, as: Int?.self).map { ($0, try r.decode(3), try r.decode(4)) }
        let due: [RepairStatus: Date?] = [.dispatched: try r.decode(9), .signed: try r.decode(10), .contacted: try r.decode(11),
                                          .completed: try r.decode(12), .followedUp: try r.decode(13)]
        return OrderRow(status: RepairStatus(rawValue: try r.decode(0)) ?? .open, projectID: try r.decode(1), technician: technician,
                        complex: try r.decode(5), rating: try r.decode(6), lastEventAt: try r.decode(7),
                        openedAt: try r.decode(8), due: due.compactMapValues { $0 })
    }

    /// The order as a technician sees it; one a colleague has taken is hidden from them by the
    /// database (schema 0016), which still says who has it.
    private func visibleToGrab(_ id: Int) throws -> OrderRow {
        do {
            return try row(id, lock: false)
        } catch let error as ButlerError where error.kind == .notFound {
            if let holder = try holder(of: id) {
                throw ButlerError(.conflict, field: "id", "报修单 #\(id) 已被 \(holder)接单，抢单未成功")
            }
            throw error
        }
    }

    /// Who holds an order the actor may not see (`E3001（王师傅）`): the one thing of it a
    /// technician of the same project is told (schema 0016's `repair_holder`); nil otherwise.
    public func holder(of id: Int) throws -> String? {
        try db.query("SELECT repair_holder($1)", [id]).first?.decode(0, as: String?.self)
    }

    /// A step is never recorded before the one it follows (the timeline stays in order).
    private func notBefore(_ order: OrderRow, _ at: Date) throws {
        if let last = order.lastEventAt, at < last {
            throw ButlerError(.invalidInput, field: "at", "\(Timestamp.rfc3339(at)) 早于该报修单上一步的时间 \(Timestamp.rfc3339(last))")
        }
    }

    /// How late a technician may tell of a step: their `at` makes the deadlines they are held
    /// to, so it is no more than an hour before now (the call centre and managers enter what
    /// they are told, and `recorded_at` keeps the truth for everyone).
    public static let technicianLateness: TimeInterval = 3600

    private func notBackdated(_ at: Date, by scope: Scope) throws {
        guard let lateness = technicianLateness, scope.actor.role == .technician,
              at < now.addingTimeInterval(-lateness) else { return }
        throw ButlerError(.invalidInput, field: "at",
                          "\(Timestamp.rfc3339(at)) 早于现在一小时以上；维修工只能补记一小时内的操作")
    }

    /// A step told once its deadline has passed cannot be dated on time: whoever is held to the
    /// deadline (the technician: sign, contact, completion; the call centre and the manager:
    /// claim, follow-up) would otherwise turn a breach into none by choosing `at`. The owner's
    /// CLI (no lateness bound: paper records) may; `recorded_at` shows it there.
    private func notOnTimeAfterTheFact(_ order: OrderRow, _ target: RepairStatus, _ at: Date) throws {
        guard technicianLateness != nil, let due = order.due[target], due < now else { return }
        // Completion is on time strictly before its midnight; the other stages at their minute.
        let onTime = target == .completed ? at < due : at <= due
        guard onTime else { return }
        let stage: RepairStage = switch target {
        case .dispatched: .claim
        case .signed: .sign
        case .contacted: .contact
        case .followedUp: .followup
        default: .complete
        }
        throw ButlerError(.invalidInput, field: "at",
                          "\(stage.label)时限 \(Timestamp.rfc3339(due)) 已过，补记的时间 \(Timestamp.rfc3339(at)) 不能算作按时")
    }

    private func event(_ id: Int, projectID: Int, _ kind: EventKind, at: Date, by staffID: Int, detail: [String: String]) throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]), as: UTF8.self)
        try db.execute("""
            INSERT INTO repair_events (order_id, project_id, at, kind, staff_id, detail) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
            """, [id, projectID, at, kind.rawValue, staffID, json])
    }

    /// The company's limits and the official calendar.
    func deadlines() throws -> RepairDeadlines {
        let r = try db.query("""
            SELECT sign_minutes, contact_minutes, complex_working_days, followup_hours,
                   (extract(hour FROM cutoff) * 60 + extract(minute FROM cutoff))::int
            FROM repair_settings
            """)
        let limits = try r.first.map {
            RepairLimits(signMinutes: try $0.decode(0), contactMinutes: try $0.decode(1), complexWorkingDays: try $0.decode(2),
                         followupHours: try $0.decode(3), cutoffMinute: try $0.decode(4))
        } ?? RepairLimits()
        return RepairDeadlines(limits: limits, calendar: try CalendarStore(db: db).load())
    }

    private func checkedTime(_ at: Date?) throws -> Date {
        let at = at ?? now
        try InputBounds.recordTime(at, now: now)
        return at
    }

    private func required(_ text: String, field: String, _ message: String) throws -> String {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ButlerError(.invalidInput, field: field, message) }
        try InputBounds.text(text, field: field, multiline: true)
        return text
    }
}
