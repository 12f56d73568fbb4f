import ButlerCore
import Foundation
import Postgres

/// What one job did in one `runDue`.
public struct JobRunReport: Sendable, Encodable, Equatable {
    public let job: String
    public let slot: String
    /// `ok`, `failed`, `done` (the slot already had a successful run) or `busy` (another process
    /// holds the job's lock and is running it).
    public let outcome: String
    public let rows: Int
    public let detail: [String: Int]
    @EncodedAsNull public var error: String?
}

/// A job as `jobs status` shows it.
public struct JobStatus: Sendable, Encodable, Equatable {
    public let job: String
    @EncodedAsNull public var last_run: String?
    @EncodedAsNull public var last_outcome: String?
    @EncodedAsNull public var last_success: String?
    public let rows: Int
    public let next_due: String
    @EncodedAsNull public var last_error: String?
    /// The deadline sweep's escalations that nobody takes: raised on a project without a
    /// manager (open, per project). Empty for the other jobs.
    public var unassigned_escalations: [UnassignedEscalations] = []
}

/// Open escalations of a project that has no manager to name on them (DeadlineSweepJob).
public struct UnassignedEscalations: Sendable, Encodable, Equatable {
    public let project: String
    public let open: Int
}

/// Runs the jobs that are due, each in its own transaction under its own advisory lock: when
/// several processes run (servers, a timer), exactly one does a slot's work; a job that fails
/// is recorded and the others still run. `now` is the caller's clock (tests step through days).
public struct JobRunner {
    let db: Connection
    /// Measures how long a run took (wall time), never what day it is.
    let wallClock: @Sendable () -> Date

    static let jobs: [any Job] = [DailyPlanningJob(), DeadlineSweepJob()]

    public static var names: [String] { jobs.map(\.name) }

    public init(db: Connection, wallClock: @escaping @Sendable () -> Date = Date.init) {
        self.db = db
        self.wallClock = wallClock
    }

    @discardableResult
    /// `allowFuture`: a simulation on a copy (benchmarks) may step past the wall clock.
    public func runDue(now: Date, only: Set<String>? = nil, allowFuture: Bool = false) throws -> [JobRunReport] {
        // A run for a future instant would mark tasks overdue and escalate before their time.
        try InputBounds.recordTime(now, field: "now", now: allowFuture ? now : wallClock())
        return try Self.jobs.filter { only?.contains($0.name) ?? true }.map { try run($0, now: now) }
    }

    private func run(_ job: any Job, now: Date) throws -> JobRunReport {
        let slot = job.slot(at: now)
        let started = wallClock()
        func report(_ outcome: String, _ result: JobOutcome = JobOutcome(rows: 0), error: String? = nil) -> JobRunReport {
            JobRunReport(job: job.name, slot: Timestamp.rfc3339(slot), outcome: outcome, rows: result.rows, detail: result.detail, error: error)
        }
        do {
            return try db.transaction {
                // Held to the end of this transaction; a second process skips instead of waiting. The
                // key names the schema too: two butler schemas in one database never block each other.
                guard try db.query("SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || ':butler.job.' || $1))",
                                   [job.name])[0].decode(0, as: Bool.self) else {
                    return report("busy")
                }
                if try !db.query("SELECT 1 FROM job_runs WHERE job = $1 AND slot = $2 AND outcome = 'ok'", [job.name, slot]).isEmpty {
                    return report("done")
                }
                let outcome = try job.run(db, now: now)
                try record(job, slot: slot, started: started, outcome: "ok", result: outcome, error: nil)
                return report("ok", outcome)
            }
        } catch let error as PostgresError where error.kind == .connection {
            throw error
        } catch {
            // The work is rolled back; the failure is on record and the next job runs.
            let message = "\(error)"
            try record(job, slot: slot, started: started, outcome: "failed", result: JobOutcome(rows: 0), error: message)
            return report("failed", error: message)
        }
    }

    private func record(_ job: any Job, slot: Date, started: Date, outcome: String, result: JobOutcome, error: String?) throws {
        let detail = String(decoding: try JSONEncoder().encode(result.detail), as: UTF8.self)
        try db.execute("""
            INSERT INTO job_runs (job, slot, started_at, finished_at, outcome, rows, detail, error)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
            """, [job.name, slot, started, wallClock(), outcome, result.rows, detail, error])
    }

    /// Each job: its last run and outcome, last success, rows of the last run, next due slot, last error.
    public func status(now: Date) throws -> [JobStatus] {
        try Self.jobs.map { job in
            let last = try db.query("""
                SELECT to_char(started_at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00', outcome, rows FROM job_runs
                WHERE job = $1 ORDER BY started_at DESC, id DESC LIMIT 1
                """, [job.name]).first
            let success = try db.query("""
                SELECT to_char(finished_at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00', slot FROM job_runs
                WHERE job = $1 AND outcome = 'ok' ORDER BY slot DESC LIMIT 1
                """, [job.name]).first
            let error = try db.query("""
                SELECT error FROM job_runs WHERE job = $1 AND outcome = 'failed' ORDER BY started_at DESC, id DESC LIMIT 1
                """, [job.name]).first
            let current = job.slot(at: now)
            let lastSlot = try success?.decode(1, as: Date.self)
            let next = lastSlot.map { $0 >= current } == true ? job.slot(after: current) : current
            var status = JobStatus(job: job.name, last_run: try last?.decode(0), last_outcome: try last?.decode(1),
                                   last_success: try success?.decode(0), rows: try last?.decode(2) ?? 0,
                                   next_due: Timestamp.rfc3339(next), last_error: try error?.decode(0))
            if job is DeadlineSweepJob { status.unassigned_escalations = try unassignedEscalations() }
            return status
        }
    }

    /// Escalations kept on a project with nobody named, while it still has no manager (once it
    /// has one they are on their list).
    func unassignedEscalations() throws -> [UnassignedEscalations] {
        try db.query("""
            SELECT p.code, count(*)::int FROM tasks t JOIN projects p ON p.id = t.project_id
            WHERE t.done_at IS NULL AND t.grid_id IS NULL AND t.staff_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM staff m WHERE m.role = 'manager' AND m.project_id = t.project_id)
            GROUP BY p.code ORDER BY p.code
            """).map { UnassignedEscalations(project: try $0.decode(0), open: try $0.decode(1)) }
    }
}
