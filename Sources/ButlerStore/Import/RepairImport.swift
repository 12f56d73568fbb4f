import ButlerCore
import Foundation
import Postgres

/// A company's repair history (报修工单, 000, issue 14): one line per order, written in its final
/// state with its timeline (`repair_events`), its rounds and its breaches, each breach at its
/// deadline exactly as the sweep would have recorded it minute by minute, but no escalation
/// task: a history must not flood the managers' lists. What the history has not done yet is
/// left to the sweep from its next deadline on (`sweep_at`); nothing past is left to it.
///
/// Key: `number`, the order's number in the old system. A re-import inserts nothing; a line
/// whose number is on record with other values is refused (history is never rewritten).
/// `reopens` lists the rounds before the last, `;`-separated, each
/// `completed_at|followed_up_at|rating|reopened_at` (follow-up and rating may be empty). The
/// dispatch, follow-ups and reopens are recorded in the name of `followed_up_by`, else of
/// `opened_by` (the dispatch: of `opened_by`).
enum RepairImport: TableImport {
    static let targetTables = ["repair_orders", "repair_rounds", "repair_events", "repair_breaches"]
    static let required = ["number", "project", "building", "unit", "room", "category", "description", "opened_at", "opened_by"]
    static let optional = ["caller", "source", "complex", "technician", "grabbed", "dispatched_at", "signed_at", "contacted_at",
                           "appointment_at", "completed_at", "photos", "followed_up_at", "followed_up_by", "rating", "reopens"]

    static let staging: SQL = """
        CREATE TEMP TABLE import_staging (line integer, number text, house text, category text, description text,
            caller text, source text, complex boolean, opened_at timestamptz, opened_by text, technician text,
            grabbed boolean, dispatched_at timestamptz, signed_at timestamptz, contacted_at timestamptz,
            appointment_at timestamptz, completed_at timestamptz, photos text[], followed_up_at timestamptz,
            followed_up_by text, rating smallint, status text, round smallint, earlier_completed timestamptz[],
            earlier_followed timestamptz[], earlier_rating smallint[], earlier_reopened timestamptz[],
            last_at timestamptz, last_column text) ON COMMIT DROP
        """
    static let copy: SQL = """
        COPY import_staging (line, number, house, category, description, caller, source, complex, opened_at, opened_by,
            technician, grabbed, dispatched_at, signed_at, contacted_at, appointment_at, completed_at, photos,
            followed_up_at, followed_up_by, rating, status, round, earlier_completed, earlier_followed, earlier_rating,
            earlier_reopened, last_at, last_column) FROM STDIN
        """

    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String) {
        let number = row.text("number")
        if number.count > 64 { row.fail("number", "'\(number)' 超过 64 个字符") }
        let house = HouseReference(&row)
        let category = row.choice("category", RepairCategory.allCases.map(\.rawValue))
        let description = row.text("description")
        var caller: String?
        if !row.record["caller"].isEmpty {
            caller = row.phones("caller", required: false).first
        }
        let source = row.choice("source", RepairSource.allCases.map(\.rawValue), default: RepairSource.phone.rawValue)
        let complex = row.flag("complex")
        let grabbed = row.flag("grabbed")
        var times = HistoryTimes()
        let openedAt = times.required("opened_at", &row)
        let openedBy = row.text("opened_by")
        let technician = row.record["technician"]
        let dispatchedAt = times.optional("dispatched_at", &row)
        let signedAt = times.optional("signed_at", &row)
        let contactedAt = times.optional("contacted_at", &row)
        let appointmentAt = times.optional("appointment_at", &row, inOrder: false)
        let earlier = reopens(&row, &times)
        let completedAt = times.optional("completed_at", &row)
        let photos = row.list("photos")
        let followedUpAt = times.optional("followed_up_at", &row)
        let followedUpBy = row.record["followed_up_by"]
        let rating = row.integer("rating", range: 1...5)

        // Each step needs the one before it (the CHECKs of schema 0016 say the same per status);
        // a field counts as given when it is filled, so a misspelt one is reported once.
        let given = Set(Self.optional.filter { !row.record[$0].isEmpty })
        for (column, other) in Self.needs where given.contains(column) && !given.contains(other) {
            row.fail(column, "有 \(column) 时必须有 \(other)")
        }
        if grabbed && technician.isEmpty { row.fail("grabbed", "抢单须有 technician") }
        let status: RepairStatus = followedUpAt != nil ? .followedUp : completedAt != nil ? .completed
            : !earlier.isEmpty ? .reopened : contactedAt != nil ? .contacted : signedAt != nil ? .signed
            : dispatchedAt != nil ? .dispatched : .open
        func array(_ values: [String?]) -> String {
            "{" + values.map { $0.map { "\"\($0)\"" } ?? "NULL" }.joined(separator: ",") + "}"
        }
        let values: [String?] = [
            number, house.code, category, description, caller, source, complex.postgresText, openedAt?.postgresText,
            openedBy, technician.isEmpty ? nil : technician, grabbed.postgresText, dispatchedAt?.postgresText,
            signedAt?.postgresText, contactedAt?.postgresText, appointmentAt?.postgresText, completedAt?.postgresText,
            photos.postgresText, followedUpAt?.postgresText, followedUpBy.isEmpty ? nil : followedUpBy,
            rating.map(String.init), status.rawValue, String(earlier.count),
            array(earlier.map { $0.completedAt.postgresText }), array(earlier.map { $0.followedUpAt?.postgresText }),
            array(earlier.map { $0.rating.map(String.init) }), array(earlier.map { $0.reopenedAt.postgresText }),
            times.last?.at.postgresText, times.last?.column,
        ]
        return (values, number)
    }

    /// Which filled field needs which other.
    static let needs: [(String, String)] = [
        ("technician", "dispatched_at"), ("dispatched_at", "technician"),
        ("signed_at", "dispatched_at"), ("contacted_at", "signed_at"), ("contacted_at", "appointment_at"),
        ("appointment_at", "contacted_at"), ("completed_at", "contacted_at"), ("reopens", "contacted_at"),
        ("completed_at", "photos"), ("photos", "completed_at"), ("followed_up_at", "completed_at"),
        ("followed_up_at", "rating"), ("rating", "followed_up_at")
    ]

    /// A round before the last: completed, perhaps followed up, then reopened.
    struct EarlierRound {
        let completedAt: Date
        let followedUpAt: Date?
        let rating: Int?
        let reopenedAt: Date
    }

    static func reopens(_ row: inout RowValidator, _ times: inout HistoryTimes) -> [EarlierRound] {
        var rounds: [EarlierRound] = []
        for entry in row.list("reopens") {
            let parts = entry.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmedSpaces }
            guard parts.count == 4 else {
                row.fail("reopens", "'\(entry)' 应为 completed_at|followed_up_at|rating|reopened_at")
                continue
            }
            let completed = times.check("reopens", parts[0], &row, required: true)
            let followed = times.check("reopens", parts[1], &row, required: false)
            var rating: Int?
            if !parts[2].isEmpty {
                rating = Int(parts[2]).flatMap { (1...5).contains($0) ? $0 : nil }
                if rating == nil { row.fail("reopens", "'\(parts[2])' 不是 1...5 之间的整数") }
            }
            if (followed == nil) != (rating == nil), !parts[1].isEmpty || !parts[2].isEmpty {
                row.fail("reopens", "'\(entry)' 回访时间与评分须同时填写")
            }
            let reopened = times.check("reopens", parts[3], &row, required: true)
            if let completed, let reopened {
                rounds.append(EarlierRound(completedAt: completed, followedUpAt: followed, rating: rating, reopenedAt: reopened))
            }
        }
        return rounds
    }

    static let checks: [SQL] = [
        unknownHouseCheck,
        agentCheck,
        """
        SELECT s.line, 'technician', CASE WHEN t.id IS NULL THEN '未知员工 ' || quote_literal(s.technician)
            ELSE s.technician || '（' || t.name || '）不是 ' || s.house || ' 所在项目的维修工' END
        FROM import_staging s JOIN houses h ON h.code = s.house LEFT JOIN staff t ON t.employee_no = s.technician
        WHERE s.technician IS NOT NULL
          AND (t.id IS NULL OR t.role <> 'technician' OR t.project_id IS DISTINCT FROM h.project_id)
        """,
        """
        SELECT s.line, s.last_column, to_char(s.last_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI')
            || ' 晚于导入时刻 ' || to_char(current_setting('butler.import_now')::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI')
        FROM import_staging s WHERE s.last_at > current_setting('butler.import_now')::timestamptz
        """,
        // History is never rewritten: a number on record with other values is refused.
        """
        SELECT s.line, 'number', '报修单 ' || s.number || ' 已导入（#' || o.id || '），但这一行的 ' || d.field
            || ' 与已导入的不同；历史记录不会被覆盖'
        FROM import_staging s JOIN repair_orders o ON o.external_no = s.number
        LEFT JOIN houses h ON h.code = s.house LEFT JOIN staff ob ON ob.employee_no = s.opened_by
        LEFT JOIN staff t ON t.employee_no = s.technician
        CROSS JOIN LATERAL (SELECT min(f.field) FILTER (WHERE f.differs) AS field FROM (VALUES
            (1, 'room', o.house_id IS DISTINCT FROM h.id), (2, 'category', o.category IS DISTINCT FROM s.category),
            (3, 'description', o.description IS DISTINCT FROM s.description),
            (4, 'opened_at', o.opened_at IS DISTINCT FROM s.opened_at), (5, 'opened_by', o.opened_by IS DISTINCT FROM ob.id),
            (6, 'technician', o.technician_id IS DISTINCT FROM t.id),
            (7, 'dispatched_at', o.dispatched_at IS DISTINCT FROM s.dispatched_at),
            (8, 'signed_at', o.signed_at IS DISTINCT FROM s.signed_at),
            (9, 'contacted_at', o.contacted_at IS DISTINCT FROM s.contacted_at),
            (10, 'completed_at', o.completed_at IS DISTINCT FROM s.completed_at),
            (11, 'followed_up_at', o.followed_up_at IS DISTINCT FROM s.followed_up_at),
            (12, 'rating', o.rating IS DISTINCT FROM s.rating), (13, 'reopens', o.round IS DISTINCT FROM s.round))
            f (n, field, differs)) d
        WHERE d.field IS NOT NULL
        """,
    ]

    /// The one who opens an order, follows it up or reopens it: an agent, or the project's manager.
    static let agentCheck: SQL = """
        SELECT s.line, s.field, CASE WHEN st.id IS NULL THEN '未知员工 ' || quote_literal(s.who)
            ELSE s.who || '（' || st.name || '）不是客服坐席或该项目的经理，不能' || s.act END
        FROM (SELECT line, house, opened_by AS who, 'opened_by' AS field, '开报修单' AS act FROM import_staging
              UNION ALL
              SELECT line, house, followed_up_by, 'followed_up_by', '回访' FROM import_staging) s
        JOIN houses h ON h.code = s.house LEFT JOIN staff st ON st.employee_no = s.who
        WHERE s.who IS NOT NULL
          AND (st.id IS NULL OR NOT (st.role = 'agent' OR (st.role = 'manager' AND st.project_id = h.project_id)))
        """

    static func upsert(_ db: Connection) throws -> UpsertCounts {
        try stageDeadlines(db)
        for statement in writes { try db.execute(statement) }
        let inserted: Int = try db.query("SELECT count(*)::int FROM import_repair_new")[0].decode(0)
        return UpsertCounts(inserted: inserted, updated: 0)
    }

    /// Each round's completion deadline from the company's limits and the official calendar, as
    /// `RepairStore` sets it at the opening and at each reopen (``RepairDeadlines``).
    static func stageDeadlines(_ db: Connection) throws {
        // `now` is not read: only the deadlines are.
        let deadlines = try RepairStore(db: db, now: .distantPast).deadlines()
        var rows: [[String?]] = []
        for row in try db.query("""
            SELECT s.line, s.opened_at, s.complex, s.earlier_reopened FROM import_staging s
            WHERE NOT EXISTS (SELECT 1 FROM repair_orders o WHERE o.external_no = s.number)
            """) {
            let line: Int = try row.decode(0), openedAt: Date = try row.decode(1), complex: Bool = try row.decode(2)
            let reopens: [Date] = try row.decode(3)
            rows.append([String(line), "0", deadlines.countedDay(openedAt: openedAt).description,
                         deadlines.complete(openedAt: openedAt, complex: complex).postgresText])
            for (i, at) in reopens.enumerated() {
                rows.append([String(line), String(i + 1), nil, deadlines.complete(openedAt: at, complex: complex).postgresText])
            }
        }
        try db.execute("""
            CREATE TEMP TABLE import_repair_due (line integer, round smallint, counted_on date, complete_due timestamptz,
                PRIMARY KEY (line, round)) ON COMMIT DROP
            """)
        _ = try db.copy("COPY import_repair_due (line, round, counted_on, complete_due) FROM STDIN", rows: rows)
        try db.execute("ANALYZE import_repair_due")
    }

    /// The set-based writes, in order. The triggers of schema 0016 check one live move at a time
    /// (an insert must be a new, open order) and keep rounds and `sweep_at`: for a history in its
    /// final state they are off while it is written (the owner's transaction: a failure turns
    /// them back on), and these statements do their work, checked by the table's CHECKs.
    static let writes: [SQL] = [
        """
        -- In file order (the subquery), so the ids follow the history.
        CREATE TEMP TABLE import_repair_new ON COMMIT DROP AS
        SELECT nextval(pg_get_serial_sequence('repair_orders', 'id')) AS id, x.* FROM (
        SELECT s.line, s.number, h.id AS house_id, h.project_id,
               s.category, s.description, s.caller, s.source, s.complex, s.opened_at, ob.id AS opened_by_id, d0.counted_on,
               t.id AS technician_id, s.grabbed, s.status, s.dispatched_at, s.signed_at, s.contacted_at, s.appointment_at,
               s.completed_at, s.photos, s.followed_up_at, coalesce(fb.id, ob.id) AS agent_id, s.rating, s.round,
               s.opened_at + make_interval(mins => l.sign_minutes) AS claim_due,
               CASE WHEN s.grabbed THEN s.opened_at ELSE s.dispatched_at END + make_interval(mins => l.sign_minutes) AS sign_due,
               s.signed_at + make_interval(mins => l.contact_minutes) AS contact_due, d.complete_due,
               s.completed_at + make_interval(hours => l.followup_hours) AS followup_due
        FROM import_staging s CROSS JOIN repair_settings l
        JOIN houses h ON h.code = s.house JOIN staff ob ON ob.employee_no = s.opened_by
        LEFT JOIN staff t ON t.employee_no = s.technician LEFT JOIN staff fb ON fb.employee_no = s.followed_up_by
        JOIN import_repair_due d0 ON d0.line = s.line AND d0.round = 0
        JOIN import_repair_due d ON d.line = s.line AND d.round = s.round
        WHERE NOT EXISTS (SELECT 1 FROM repair_orders o WHERE o.external_no = s.number)
        ORDER BY s.line) x
        """,
        """
        CREATE TEMP TABLE import_repair_earlier ON COMMIT DROP AS
        SELECT n.id, n.project_id, n.technician_id, n.agent_id, (r.ord - 1)::smallint AS round, d.complete_due, r.completed_at,
               r.completed_at + make_interval(hours => l.followup_hours) AS followup_due, r.followed_up_at, r.rating, r.reopened_at
        FROM import_repair_new n JOIN import_staging s ON s.line = n.line CROSS JOIN repair_settings l
        CROSS JOIN LATERAL unnest(s.earlier_completed, s.earlier_followed, s.earlier_rating, s.earlier_reopened)
            WITH ORDINALITY r (completed_at, followed_up_at, rating, reopened_at, ord)
        JOIN import_repair_due d ON d.line = n.line AND d.round = r.ord - 1
        """,
        // Every stage with its deadline, and whether the sweep would have found it late by now: done
        // after its deadline (completion: at or after), or not done when the deadline passed (a
        // follow-up cut short by a reopen only when the reopen came after its deadline).
        """
        CREATE TEMP TABLE import_repair_stages ON COMMIT DROP AS
        SELECT st.*, st.due IS NOT NULL
                     AND (st.due < current_setting('butler.import_now')::timestamptz
                          OR (st.exclusive AND st.due = current_setting('butler.import_now')::timestamptz))
                     AND (st.done > st.due OR (st.exclusive AND st.done = st.due)
                          OR (st.done IS NULL AND (st.cut IS NULL OR st.cut > st.due))) AS breached
        FROM (SELECT n.id, n.project_id, v.stage, v.round, v.due, v.done, v.exclusive, NULL::timestamptz AS cut, true AS current
              FROM import_repair_new n
              CROSS JOIN LATERAL (VALUES ('claim', 0::smallint, n.claim_due, n.dispatched_at, false),
                                         ('sign', 0::smallint, n.sign_due, n.signed_at, false),
                                         ('contact', 0::smallint, n.contact_due, n.contacted_at, false),
                                         ('complete', n.round, n.complete_due, n.completed_at, true),
                                         ('followup', n.round, n.followup_due, n.followed_up_at, false)) v (stage, round, due, done, exclusive)
              UNION ALL
              SELECT e.id, e.project_id, v.stage, e.round, v.due, v.done, v.exclusive, e.reopened_at, false
              FROM import_repair_earlier e
              CROSS JOIN LATERAL (VALUES ('complete', e.complete_due, e.completed_at, true),
                                         ('followup', e.followup_due, e.followed_up_at, false)) v (stage, due, done, exclusive)) st
        """,
        """
        ALTER TABLE repair_orders DISABLE TRIGGER repair_orders_move
        """,
        "ALTER TABLE repair_orders DISABLE TRIGGER repair_orders_sweep_at",
        "ALTER TABLE repair_orders DISABLE TRIGGER repair_orders_round_kept",
        "ALTER TABLE repair_orders DISABLE TRIGGER repair_orders_technician_of_project",
        // sweep_at: the earliest deadline still to come of a stage not yet done (what the trigger keeps).
        """
        INSERT INTO repair_orders (id, external_no, house_id, project_id, category, description, caller_phone, source, complex,
                                   opened_at, opened_by, counted_on, technician_id, grabbed, status, dispatched_at, signed_at,
                                   contacted_at, appointment_at, completed_at, followed_up_at, claim_due, sign_due, contact_due,
                                   complete_due, followup_due, photos, rating, round, sweep_at)
        OVERRIDING SYSTEM VALUE
        SELECT n.id, n.number, n.house_id, n.project_id, n.category, n.description, n.caller, n.source, n.complex, n.opened_at,
               n.opened_by_id, n.counted_on, n.technician_id, n.grabbed, n.status, n.dispatched_at, n.signed_at, n.contacted_at,
               n.appointment_at, n.completed_at, n.followed_up_at, n.claim_due, n.sign_due, n.contact_due, n.complete_due,
               n.followup_due, n.photos, n.rating, n.round, w.sweep_at
        FROM import_repair_new n
        LEFT JOIN (SELECT id, min(due) AS sweep_at FROM import_repair_stages
                   WHERE current AND due IS NOT NULL AND done IS NULL AND NOT breached GROUP BY id) w ON w.id = n.id
        ORDER BY n.id
        """,
        "ALTER TABLE repair_orders ENABLE TRIGGER repair_orders_move",
        "ALTER TABLE repair_orders ENABLE TRIGGER repair_orders_sweep_at",
        "ALTER TABLE repair_orders ENABLE TRIGGER repair_orders_round_kept",
        "ALTER TABLE repair_orders ENABLE TRIGGER repair_orders_technician_of_project",
        // The rounds as the trigger keeps them (earlier rounds' photos are not in the file).
        """
        INSERT INTO repair_rounds (order_id, project_id, round, complete_due, completed_at, photos, followup_due, followed_up_at, rating)
        SELECT id, project_id, round, complete_due, completed_at, '{}', followup_due, followed_up_at, rating FROM import_repair_earlier
        UNION ALL
        SELECT id, project_id, round, complete_due, completed_at, photos, followup_due, followed_up_at, rating FROM import_repair_new
        ORDER BY 1, 3
        """,
        """
        INSERT INTO repair_breaches (order_id, project_id, stage, round, at)
        SELECT id, project_id, stage, round, due FROM import_repair_stages WHERE breached ORDER BY id, due, stage
        """,
        // The timeline, in the order it happened; `recorded_at` says when it was imported.
        """
        INSERT INTO repair_events (order_id, project_id, at, kind, staff_id, detail)
        SELECT ev.id, ev.project_id, ev.at, ev.kind, ev.staff_id, ev.detail || jsonb_build_object('imported', n.number)
        FROM (SELECT id, project_id, opened_at AS at, 'opened' AS kind, opened_by_id AS staff_id,
                     jsonb_build_object('category', category, 'complex', complex::text) AS detail, 0 AS seq
              FROM import_repair_new
              UNION ALL
              SELECT id, project_id, dispatched_at, CASE WHEN grabbed THEN 'grabbed' ELSE 'dispatched' END,
                     CASE WHEN grabbed THEN technician_id ELSE opened_by_id END,
                     CASE WHEN grabbed THEN '{}'::jsonb ELSE jsonb_build_object('to', (SELECT employee_no FROM staff WHERE id = technician_id)) END, 1
              FROM import_repair_new WHERE dispatched_at IS NOT NULL
              UNION ALL
              SELECT id, project_id, signed_at, 'signed', technician_id, '{}', 2 FROM import_repair_new WHERE signed_at IS NOT NULL
              UNION ALL
              SELECT id, project_id, contacted_at, 'contacted', technician_id,
                     jsonb_build_object('appointment', to_char(appointment_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')), 3
              FROM import_repair_new WHERE contacted_at IS NOT NULL
              UNION ALL
              SELECT id, project_id, completed_at, 'completed', technician_id, '{}', 10 + 3 * round FROM import_repair_earlier
              UNION ALL
              SELECT id, project_id, followed_up_at, 'followed_up', agent_id, jsonb_build_object('rating', rating::text), 11 + 3 * round
              FROM import_repair_earlier WHERE followed_up_at IS NOT NULL
              UNION ALL
              SELECT id, project_id, reopened_at, 'reopened', agent_id, '{}', 12 + 3 * round FROM import_repair_earlier
              UNION ALL
              SELECT id, project_id, completed_at, 'completed', technician_id, jsonb_build_object('photos', array_to_string(photos, ' ')),
                     10 + 3 * round
              FROM import_repair_new WHERE completed_at IS NOT NULL
              UNION ALL
              SELECT id, project_id, followed_up_at, 'followed_up', agent_id, jsonb_build_object('rating', rating::text), 11 + 3 * round
              FROM import_repair_new WHERE followed_up_at IS NOT NULL) ev
        JOIN import_repair_new n ON n.id = ev.id
        ORDER BY ev.id, ev.seq
        """,
    ]
}

/// The times of one history line, each checked to come no earlier than the step before it, and
/// the latest of them (none may be after the import).
struct HistoryTimes {
    private var previous: (column: String, at: Date)?
    private(set) var last: (column: String, at: Date)?

    mutating func required(_ column: String, _ row: inout RowValidator) -> Date? {
        check(column, row.record[column], &row, required: true)
    }

    mutating func optional(_ column: String, _ row: inout RowValidator, inOrder: Bool = true) -> Date? {
        check(column, row.record[column], &row, required: false, inOrder: inOrder)
    }

    mutating func check(_ column: String, _ text: String, _ row: inout RowValidator, required: Bool, inOrder: Bool = true) -> Date? {
        guard !text.isEmpty else {
            if required { row.fail(column, "必填") }
            return nil
        }
        guard let at = Timestamp.parse(text) else {
            row.fail(column, "'\(text)' 不是时间（例如 2026-11-26T09:30）")
            return nil
        }
        guard inOrder else { return at }
        if let previous, at < previous.at {
            row.fail(column, "'\(text)' 早于 \(previous.column)（\(Timestamp.rfc3339(previous.at))）")
        }
        previous = (column, at)
        if last.map({ at > $0.at }) ?? true { last = (column, at) }
        return at
    }
}
