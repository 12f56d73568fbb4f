import ButlerStore
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// `butler serve`'s own clock: at the start of every minute it runs the jobs that are due
/// (`JobRunner`, the same as `butler jobs run`), on a connection of its own with the role that
/// may plan (the owner's, `BUTLER_JOBS_DATABASE_URL`): the request role may not. Several
/// servers may run it; each job's slot is done by one of them (advisory locks).
struct JobClock: Service {
    let database: DatabaseConfig
    let logger: Logger

    func run() async throws {
        let pool = DatabasePool(config: database, size: 1)
        defer { Task { try? await pool.shutdown() } }
        // On graceful shutdown (SIGTERM) the wait is cancelled and the clock stops; a tick that is
        // running finishes its transaction first (the jobs run on a pool thread, not cancelled).
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let now = Date()
                let next = (now.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
                try await Task.sleep(for: .seconds(next - now.timeIntervalSince1970))
                await tick(pool)
            }
        }
    }

    private func tick(_ pool: DatabasePool) async {
        do {
            let reports = try await pool.withConnection { db in try JobRunner(db: db).runDue(now: Date()) }
            for report in reports where report.outcome == "ok" || report.outcome == "failed" {
                var metadata: Logger.Metadata = ["job": "\(report.job)", "slot": "\(report.slot)", "rows": "\(report.rows)"]
                for (key, value) in report.detail { metadata[key] = "\(value)" }
                if let error = report.error {
                    metadata["error"] = "\(error)"
                    logger.error("job failed", metadata: metadata)
                } else if report.rows > 0 || report.job != "deadline_sweep" {
                    logger.info("job ran", metadata: metadata)
                }
            }
        } catch {
            logger.error("jobs could not run", metadata: ["error": "\(error)"])
        }
    }
}
