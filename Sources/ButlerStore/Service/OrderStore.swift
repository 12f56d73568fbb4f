import ButlerCore
import Foundation
import Postgres

public struct Order: Sendable, Encodable, Equatable {
    public let id: Int
    public let house: String
    public let product: String
    public let product_name: String
    public let quantity: Int
    public let amount_fen: Int
    public let recommended_by: String
    public let status: String
    @EncodedAsNull public var scheduled_for: String?
    public let created_at: String
    @EncodedAsNull public var completed_at: String?
    @EncodedAsNull public var rating: Int?
    public let note: String
}

/// Value-added orders (004): priced in fen, credited to the recommending butler, followed up
/// within 8 hours of completion (002 #26).
public struct OrderStore {
    let db: Connection
    /// The caller's clock: scheduling and cancelling happen now; no time may be in the future.
    let now: Date

    public init(db: Connection, now: Date = Date()) {
        self.db = db
        self.now = now
    }

    public func create(house: String, product: String, by employee: String, quantity: Int, scheduled: Day?, note: String) throws -> Int {
        guard quantity > 0, quantity <= 10_000 else { throw ButlerError(.invalidInput, field: "qty", "数量须在 1 到 10000 之间") }
        return try db.transaction {
            let registry = RegistryLookup(db: db)
            let target = try registry.house(house)
            let staff = try registry.staff(employee)
            try Scope(db: db, employee: employee).mayServe(projectID: target.projectID, "为 \(target.code) 创建订单", agents: true)
            guard let price = try db.query("SELECT price_fen FROM products WHERE code = $1", [product]).first else {
                let known = try db.query("SELECT code FROM products ORDER BY code").map { try $0.decode(0, as: String.self) }
                throw ButlerError(.invalidInput, field: "product", "未知的产品“\(product)”（可选：\(known.joined(separator: "、"))）")
            }
            let status: OrderStatus = scheduled == nil ? .created : .scheduled
            let id: Int = try db.query("""
                INSERT INTO orders (house_id, project_id, product, quantity, amount_fen, recommended_by, status, scheduled_for, note)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9) RETURNING id
                """, [target.id, target.projectID, product, quantity, try price.decode(0, as: Int.self) * quantity, staff.id,
                      status.rawValue, scheduled?.description, note])[0].decode(0)
            try EventLog(db: db).record("order", id, "created", by: staff.id, projectID: target.projectID,
                                        detail: ["product": product, "status": status.rawValue])
            return id
        }
    }

    public func schedule(_ id: Int, on day: Day, by employee: String?) throws {
        try transition(id, to: .scheduled, by: employee, at: now, detail: ["scheduled_for": day.description]) { _ in
            try db.execute("UPDATE orders SET status = 'scheduled', scheduled_for = $2::date WHERE id = $1", [id, day.description])
        }
    }

    /// Completing creates the `service_followup` task due 8 hours later (002 #26).
    public func complete(_ id: Int, at: Date, by employee: String?) throws {
        try transition(id, to: .completed, by: employee, at: at, detail: [:]) { order in
            try db.execute("UPDATE orders SET status = 'completed', completed_at = $2 WHERE id = $1", [id, at])
            let hours = try StandardsStore(db: db).book()[.serviceFollowup]?.deadlineHours ?? 8
            let dueAt = at.addingTimeInterval(Double(hours) * 3600)
            try TaskWriter.insert([PlannedTask(
                standard: .serviceFollowup, subject: "o\(id)", period: "order", projectID: order.projectID,
                gridID: try RegistryLookup(db: db).gridID(house: order.houseID), houseID: order.houseID,
                staffID: order.gridless ? order.staffID : nil,
                windowStart: Day.from(at), due: Day.from(dueAt), reason: "订单 \(id) \(order.productName) 完成回访",
                dueAt: dueAt)], into: db)
        }
    }

    public func cancel(_ id: Int, reason: String, by employee: String?) throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ButlerError(.invalidInput, field: "reason", "请填写取消原因") }
        try transition(id, to: .cancelled, by: employee, at: now, detail: ["reason": reason]) { _ in
            try db.execute("UPDATE orders SET status = 'cancelled', cancel_reason = $2 WHERE id = $1", [id, reason])
        }
    }

    /// The follow-up call: records the rating and completes the follow-up task.
    public func followUp(_ id: Int, at: Date, rating: Int, note: String, by employee: String?) throws {
        guard (1...5).contains(rating) else { throw ButlerError(.invalidInput, field: "rating", "评分须在 1 到 5 之间") }
        try transition(id, to: .followedUp, by: employee, at: at, detail: ["rating": String(rating), "note": note]) { order in
            try db.execute("UPDATE orders SET status = 'followed_up', followed_up_at = $2, rating = $3 WHERE id = $1", [id, at, rating])
            try db.execute("""
                UPDATE tasks SET done_at = $2, done_by = $3, done_note = $4
                WHERE standard = 'service_followup' AND subject = $1 AND done_at IS NULL
                """, ["o\(id)", at, order.actorID, note.isEmpty ? "rating \(rating)" : note])
        }
    }

    struct OrderRow {
        let houseID: Int, projectID: Int, staffID: Int, productName: String, gridless: Bool
        var actorID: Int?
    }

    /// Checks the state machine, runs `change`, and logs the event — in one transaction.
    private func transition(_ id: Int, to target: OrderStatus, by employee: String?, at: Date, detail: [String: String],
                            change: (OrderRow) throws -> Void) throws {
        try InputBounds.recordTime(at, now: now)
        try db.transaction {
            let rows = try db.query("""
                SELECT o.status, o.house_id, o.project_id, o.recommended_by, p.name,
                       NOT EXISTS (SELECT 1 FROM grid_houses gh WHERE gh.house_id = o.house_id)
                FROM orders o JOIN products p ON p.code = o.product WHERE o.id = $1 FOR UPDATE OF o
                """, [id])
            guard let row = rows.first else { throw ButlerError(.notFound, field: "order", "订单 \(id) 不存在") }
            let current = OrderStatus(rawValue: try row.decode(0)) ?? .cancelled
            guard current.canMove(to: target) else {
                let allowed = current.next.sorted { $0.rawValue < $1.rawValue }.map(\.label).joined(separator: "、")
                throw ButlerError(.conflict, field: "order", "订单 \(id) 当前为「\(current.label)」，不能变为「\(target.label)」"
                                  + (allowed.isEmpty ? "（已不能再变更）" : "（可变为：\(allowed)）"))
            }
            let actor = try employee.map { try RegistryLookup(db: db).staff($0).id }
            try employee.map { try Scope(db: db, employee: $0).mayServe(projectID: try row.decode(2), "变更订单 \(id)", agents: true) }
            var order = OrderRow(houseID: try row.decode(1), projectID: try row.decode(2), staffID: try row.decode(3),
                                 productName: try row.decode(4), gridless: try row.decode(5))
            order.actorID = actor
            try change(order)
            var detail = detail
            detail["from"] = current.rawValue
            try EventLog(db: db).record("order", id, target.rawValue, by: actor, projectID: order.projectID, at: at, detail: detail)
        }
    }

    public func list(house: String?, butler: String?, status: OrderStatus?, limit: Int = 500) throws -> [Order] {
        try db.query("""
            SELECT o.id, h.code, o.product, p.name, o.quantity, o.amount_fen, st.employee_no, o.status,
                   o.scheduled_for::text, to_char(o.created_at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00',
                   to_char(o.completed_at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00', o.rating, o.note
            FROM orders o JOIN houses h ON h.id = o.house_id JOIN products p ON p.code = o.product
            JOIN staff st ON st.id = o.recommended_by
            WHERE ($1::text IS NULL OR h.code = $1) AND ($2::text IS NULL OR st.employee_no = $2)
              AND ($3::text IS NULL OR o.status = $3)
            ORDER BY o.created_at DESC, o.id DESC LIMIT $4
            """, [house, butler, status?.rawValue, limit]).map { r in
            Order(id: try r.decode(0), house: try r.decode(1), product: try r.decode(2), product_name: try r.decode(3),
                  quantity: try r.decode(4), amount_fen: try r.decode(5), recommended_by: try r.decode(6), status: try r.decode(7),
                  scheduled_for: try r.decode(8), created_at: try r.decode(9), completed_at: try r.decode(10),
                  rating: try r.decode(11), note: try r.decode(12))
        }
    }
}
