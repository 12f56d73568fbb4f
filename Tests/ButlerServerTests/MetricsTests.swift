import ButlerCore
import ButlerServer
import ButlerStore
import ButlerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Postgres
import Testing

/// GET /metrics (issue 12): Prometheus text with requests by route, lookups, overdue tasks by
/// project, the jobs' last success and duration, and the pool in use.
@Suite struct MetricsTests {
    let fixture: APIFixture

    init() throws { fixture = try APIFixture() }

    @Test func metrics_showRequestsLookupsOverdueTasksAndJobs() async throws {
        let db = try fixture.schema.connect()
        // A day planned and swept a week later: its tasks are overdue.
        _ = try JobRunner(db: db).runDue(now: try #require(Timestamp.parse("2026-11-02T00:06")), only: ["daily_planning"])
        _ = try JobRunner(db: db).runDue(now: try #require(Timestamp.parse("2026-11-09T00:00")), only: ["deadline_sweep"])
        let overdue: Int = try db.query("SELECT count(*) FROM tasks WHERE overdue_at IS NOT NULL AND done_at IS NULL")[0].decode(0)
        #expect(overdue > 0)
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/v1/lookup?phone=13900000001", method: .get, headers: auth(fixture.agent)) { response throws in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/metrics", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("butler_overdue_tasks{project=\"YS01\"} \(overdue)"), "\(text.prefix(2000))")
                #expect(text.contains("butler_job_last_success_seconds{job=\"daily_planning\"}"))
                #expect(text.contains("butler_job_last_duration_seconds{job=\"deadline_sweep\"}"))
                #expect(text.contains("butler_lookups_total"))
                #expect(text.contains("butler_db_pool_in_use"))
                #expect(text.contains("/v1/lookup"), "requests by route")
            }
        }
    }
}
