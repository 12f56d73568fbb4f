import ButlerStore
import Foundation
import Hummingbird
import Metrics
import Postgres
import Prometheus

/// `GET /metrics` in the Prometheus text format. Requests (count and latency by route, method
/// and status) come from Hummingbird's `MetricsMiddleware` through swift-metrics; lookups are
/// counted by the lookup route; at each scrape the database's part (overdue tasks by project,
/// each job's last success and last duration: `clock_metrics()`, counts only) and the pool's
/// connections in use are read fresh.
enum ServerMetrics {
    /// One registry per process: swift-metrics can be bootstrapped only once.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static let lookups = Counter(label: "butler_lookups_total")

    static func register(on router: Router<BasicRequestContext>, routes: RouteTable, pool: DatabasePool) {
        _ = registry
        routes.get("/metrics", on: router) { _, _ -> Response in
            let rows = try await pool.withConnection { db in
                try db.query("SELECT metric, label, value FROM clock_metrics()").map {
                    (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self), try $0.decode(2, as: Double.self))
                }
            }
            for (metric, label, value) in rows {
                switch metric {
                case "overdue_tasks":
                    registry.makeGauge(name: "butler_overdue_tasks", labels: [("project", label)],
                                       help: "Open tasks past their due time, by project").set(value)
                case "job_last_success":
                    registry.makeGauge(name: "butler_job_last_success_seconds", labels: [("job", label)],
                                       help: "When each job last succeeded (Unix time)").set(value)
                default:
                    registry.makeGauge(name: "butler_job_last_duration_seconds", labels: [("job", label)],
                                       help: "How long each job's last run took").set(value)
                }
            }
            registry.makeGauge(name: "butler_db_pool_in_use", help: "Database connections in use by requests").set(Double(pool.inUse))
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
