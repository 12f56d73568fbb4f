import ButlerCore
import Foundation
import Postgres

/// A task the planner wants to exist; (standard, subject, period) is its natural key.
struct PlannedTask {
    var standard: StandardCode
    /// `h<house id>`, `g<grid id>` or `s<staff id>`.
    var subject: String
    var period: String
    var projectID: Int
    var gridID: Int?
    var houseID: Int?
    var staffID: Int?
    var windowStart: Day
    var due: Day
    var reason: String = ""
    /// A deadline with a time (reports within 4/8/24 h, follow-ups within 8 h).
    var dueAt: Date? = nil
    /// Overrides the standard's priority (weather checks: 1/2/3 by house type).
    var priority: Int? = nil

    var row: [String?] {
        [standard.rawValue, subject, period, String(projectID), gridID.map(String.init), houseID.map(String.init),
         staffID.map(String.init), windowStart.description, due.description, reason,
         dueAt.flatMap(\.postgresText), priority.map(String.init)]
    }
}

/// Writes planned tasks: one COPY and one insert that ignores tasks already there (natural key).
/// The planner and every event that creates work (orders, complaints, alerts...) go through it.
enum TaskWriter {
    /// Returns the ids of the tasks created, by standard.
    @discardableResult
    static func insert(_ tasks: [PlannedTask], into db: Connection) throws -> [String: [Int]] {
        guard !tasks.isEmpty else { return [:] }
        // The staging table empties itself at commit: outside a transaction every statement
        // commits at once and the insert would find it empty, writing nothing, silently.
        guard db.inTransaction else {
            throw PostgresError(kind: .usage, message: "TaskWriter.insert needs a transaction (its staging table empties at commit)")
        }
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS planned (
                standard text, subject text, period text, project_id integer, grid_id integer, house_id bigint,
                staff_id integer, window_start date, due_date date, reason text, due_at timestamptz, priority integer
            ) ON COMMIT DELETE ROWS
            """)
        try db.copy("COPY planned FROM STDIN", rows: tasks.lazy.map(\.row))
        var created: [String: [Int]] = [:]
        for row in try db.query("""
            INSERT INTO tasks (standard, subject, period, project_id, grid_id, house_id, staff_id,
                               window_start, due_date, due_at, priority, title, reason)
            SELECT p.standard, p.subject, p.period, p.project_id, p.grid_id, p.house_id, p.staff_id,
                   p.window_start, p.due_date, p.due_at, coalesce(p.priority, s.priority), s.name, p.reason
            FROM planned p JOIN standards s ON s.code = p.standard
            ORDER BY p.standard, p.subject, p.period
            ON CONFLICT ON CONSTRAINT tasks_natural_key DO NOTHING
            RETURNING standard, id
            """) {
            created[try row.decode(0), default: []].append(try row.decode(1))
        }
        try db.execute("TRUNCATE planned")
        return created
    }
}

/// What a rule needs to know: the day planned, the calendar and the tuned standards.
struct PlanContext {
    let db: Connection
    let date: Day
    let calendar: WorkCalendar
    let schedule: TaskSchedule
    let standards: StandardBook

    var month: YearMonth { date.monthOfYear }
}

public struct PlanReport: Sendable, Encodable, Equatable {
    public let date: Day
    public let created: Int
    public let completed: Int
    /// Standard code → tasks created this run.
    public let byStandard: [String: Int]

    enum CodingKeys: String, CodingKey { case date, created, completed, byStandard = "by_standard" }
}

/// Materializes every grid's tasks for a day. Idempotent and safe to run concurrently:
/// runs are serialized by an advisory lock and every insert is `ON CONFLICT DO NOTHING`
/// on the natural key.
public struct Planner {
    let db: Connection

    public init(db: Connection) { self.db = db }

    @discardableResult
    public func plan(date: Day) throws -> PlanReport {
        let context = try self.context(date)
        let standards = context.standards
        return try db.transaction {
            try db.execute("SELECT pg_advisory_xact_lock(20261127)")
            let planned = try candidates(context)
            let created = try TaskWriter.insert(planned, into: db)
            for rule in TaskRules.all { try rule.created(db, created) }
            let byStandard = created.mapValues(\.count)
            // Records made since are applied as they are made (CLI records, history imports); only
            // the new tasks need checking against records that came before them.
            let completed = try TaskCompletion(db: db).apply(.tasks(created.values.flatMap { $0 }), on: date, standards: standards)
            let createdCount = byStandard.values.reduce(0, +)
            try db.execute("""
                INSERT INTO plan_runs (day, created) VALUES ($1::date, $2)
                ON CONFLICT (day) DO UPDATE SET planned_at = now(), created = plan_runs.created + EXCLUDED.created
                """, [date.description, createdCount])
            return PlanReport(date: date, created: createdCount, completed: completed, byStandard: byStandard)
        }
    }

    /// The tasks planning `date` would create now, computed without writing anything (the
    /// preview of a future day's list).
    func preview(date: Day) throws -> (tasks: [PlannedTask], standards: StandardBook) {
        let context = try self.context(date)
        return (try candidates(context), context.standards)
    }

    /// Whether `date` was planned (by the daily job or `butler plan`).
    public func isPlanned(_ date: Day) throws -> Bool {
        try !db.query("SELECT 1 FROM plan_runs WHERE day = $1::date", [date.description]).isEmpty
    }

    /// The last day planned up to `through`, if any (a day planned ahead by hand does not
    /// stand for the days before it).
    public func lastPlannedDay(through: Day) throws -> Day? {
        try db.query("SELECT max(day)::text FROM plan_runs WHERE day <= $1::date", [through.description])[0]
            .decode(0, as: String?.self).flatMap(Day.init)
    }

    private func context(_ date: Day) throws -> PlanContext {
        try InputBounds.day(date, field: "date")
        let calendar = try CalendarStore(db: db).load()
        return PlanContext(db: db, date: date, calendar: calendar, schedule: TaskSchedule(calendar: calendar),
                           standards: try StandardsStore(db: db).book())
    }

    /// What every enabled rule wants to exist on the context's day and does not yet (reads only).
    private func candidates(_ context: PlanContext) throws -> [PlannedTask] {
        var planned: [PlannedTask] = []
        for rule in TaskRules.all where rule.standards.contains(where: context.standards.isEnabled) {
            planned += try rule.plan(context).filter { context.standards.isEnabled($0.standard) }
        }
        return planned
    }
}

extension Connection {
    /// Decodes a `date` column sent as text.
    func day(_ row: Row, _ column: Int) throws -> Day {
        try Day.decodeText(try row.decode(column, as: String.self))
    }
}
