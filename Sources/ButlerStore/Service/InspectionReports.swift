import ButlerCore
import Foundation
import Postgres

public struct InspectionReport: Sendable, Encodable {
    /// How the report reached the owner, as people say it.
    public static func channelLabel(_ channel: String) -> String {
        ["phone": "电话", "wechat": "微信", "sms": "短信"][channel] ?? channel
    }

    public let id: Int
    public let house: String
    public let kind: String
    public let at: String
    public let butler: String
    public let checklist: [ChecklistEntry]
    public let findings: [String]
    public let photos: [String]
    @EncodedAsNull public var reported_at: String?
    @EncodedAsNull public var channel: String?
    public let text: String
}

/// The report to the owner after inspecting an entrusted or vacant house: due 4 h (paid),
/// 8 h (unpaid) or 24 h (vacant) after the inspection (002 #13, #14, #15, #25).
public struct InspectionReports {
    let db: Connection

    /// The caller's clock: a report may not be in the future.
    let now: Date

    public init(db: Connection, now: Date = Date()) {
        self.db = db
        self.now = now
    }

    /// Creates the `inspection_report` task when the house needs one.
    func open(inspection id: Int, house: RegistryLookup.HouseRow, at: Date, staffID: Int) throws {
        let row = try db.query("""
            SELECT (SELECT e.kind FROM entrustments e WHERE e.house_id = h.id AND e.from_date <= $2::timestamptz::date
                      AND (e.to_date IS NULL OR e.to_date >= $2::timestamptz::date) LIMIT 1),
                   h.occupancy
            FROM houses h WHERE h.id = $1
            """, [house.id, at])[0]
        let occupancy: String = try row.decode(1)
        // The standard whose report deadline applies: its deadline_hours is the company's tuning.
        let (status, standard): (InspectedHouse, StandardCode?) = switch try row.decode(0, as: String?.self) {
        case "paid": (.paidEntrustment, .paidCheck)
        case "unpaid": (.unpaidEntrustment, .entrustedCheck)
        default: switch occupancy {
            case "vacant_furnished": (.vacant, .vacantFurnishedCheck)
            case "vacant_bare": (.vacant, .vacantBareCheck)
            default: (.other, nil)
            }
        }
        guard let standard, let defaultHours = status.reportDeadlineHours else { return }
        let hours = try StandardsStore(db: db).book()[standard]?.deadlineHours ?? defaultHours
        let dueAt = at.addingTimeInterval(Double(hours) * 3600)
        let grid = try RegistryLookup(db: db).gridID(house: house.id)
        try TaskWriter.insert([PlannedTask(
            standard: .inspectionReport, subject: "i\(id)", period: "report", projectID: house.projectID, gridID: grid,
            houseID: house.id, staffID: grid == nil ? staffID : nil, windowStart: Day.from(at), due: Day.from(dueAt),
            reason: "查验 \(id) 报告业主（\(hours) 小时内）", dueAt: dueAt)], into: db)
    }

    /// Records that the report reached the owner, completing the report task.
    public func report(_ id: Int, at: Date, channel: String, by employee: String?) throws {
        guard ["phone", "wechat", "sms"].contains(channel) else {
            throw ButlerError(.invalidInput, field: "channel", "“\(channel)”不是可用的告知方式（phone 电话、wechat 微信、sms 短信）")
        }
        try InputBounds.recordTime(at, now: now)
        try db.transaction {
            let actor = try employee.map { try RegistryLookup(db: db).staff($0).id }
            guard let row = try db.query("SELECT reported_at IS NOT NULL, project_id, at FROM inspections WHERE id = $1 FOR UPDATE", [id]).first else {
                throw ButlerError(.notFound, field: "inspection", "查验 \(id) 不存在")
            }
            try employee.map { try Scope(db: db, employee: $0).mayServe(projectID: try row.decode(1), "告知查验 \(id)") }
            if try row.decode(0, as: Bool.self) { throw ButlerError(.conflict, field: "inspection", "查验 \(id) 已告知业主") }
            if at < (try row.decode(2, as: Date.self)) { throw ButlerError(.invalidInput, field: "at", "告知时间早于查验时间") }
            try db.execute("UPDATE inspections SET reported_at = $2, report_channel = $3 WHERE id = $1", [id, at, channel])
            try db.execute("""
                UPDATE tasks SET done_at = $2, done_by = $3, done_note = $4
                WHERE standard = 'inspection_report' AND subject = $1 AND done_at IS NULL
                """, ["i\(id)", at, actor, channel])
            try EventLog(db: db).record("inspection", id, "reported", by: actor, projectID: try row.decode(1), at: at, detail: ["channel": channel])
        }
    }

    public func show(_ id: Int) throws -> InspectionReport {
        guard let r = try db.query("""
            SELECT i.id, h.code, i.kind, to_char(i.at, 'YYYY-MM-DD HH24:MI'), coalesce(st.name, ''), i.checklist::text,
                   i.findings, i.photos, to_char(i.reported_at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00', i.report_channel
            FROM inspections i JOIN houses h ON h.id = i.house_id LEFT JOIN staff st ON st.id = i.staff_id
            WHERE i.id = $1
            """, [id]).first else { throw ButlerError(.notFound, field: "inspection", "查验 \(id) 不存在") }
        let checklistText: String = try r.decode(5)
        let checklist = (try? JSONDecoder().decode([ChecklistEntry].self, from: Data(checklistText.utf8))) ?? []
        let kinds = ["check": "查验", "ventilation": "通风", "cleaning": "保洁"]
        let kind: String = try r.decode(2)
        let house: String = try r.decode(1), at: String = try r.decode(3), butler: String = try r.decode(4)
        let findings: [String] = try r.decode(6), photos: [String] = try r.decode(7)
        return InspectionReport(
            id: try r.decode(0), house: house, kind: kind, at: at, butler: butler, checklist: checklist, findings: findings,
            photos: photos, reported_at: try r.decode(8), channel: try r.decode(9),
            text: InspectionReportText.render(house: house, at: at, kind: kinds[kind] ?? kind, butler: butler,
                                              checklist: checklist, findings: findings, photos: photos))
    }
}
