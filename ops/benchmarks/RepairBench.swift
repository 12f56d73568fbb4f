// butler-bench repairs: the repair loop's performance targets of issue 14, each beside bare SQL
// doing the same work in the same run (run by `ops/bench repairs` on the company with its
// imported history).
//
//   butler-bench repairs --port P --agent-token A --tech-token T --technician EMP --project CODE
//                        [--n 200] [--runs 30]
//
// 1. the deadline sweep when nothing is due: JobRunner's deadline_sweep at `runs` successive
//    minutes, beside the repair part's statement alone (rolled back);
// 2. `repair list --project P --breached`: RepairStore.list, beside its SELECT sent bare, and
//    the same SELECT with the breaches' project (EXISTS, and starting from the breaches);
// 3. open, dispatch, sign: n orders each through `butler serve` (HTTP/1.1 keep-alive, one
//    request at a time, end to end: request written → response read), beside the same INSERTs
//    and UPDATEs (order row and event, one transaction each) sent straight to PostgreSQL.
// Output: a human table, then `result<TAB>what<TAB>n<TAB>p50_ms<TAB>p90_ms<TAB>p99_ms<TAB>max_ms` lines.

import ButlerCore
import ButlerStore
import Foundation
@_spi(RawSQL) import Postgres

#if canImport(Glibc)
import Glibc
#endif

struct RepairBenchOptions {
    var port = 18089
    var agentToken = ""
    var techToken = ""
    var technician = ""
    var project = ""
    var n = 200
    var runs = 30
}

func parseRepairBench(_ args: ArraySlice<String>) -> RepairBenchOptions {
    var options = RepairBenchOptions()
    var i = args.startIndex
    func value() -> String {
        i += 1
        guard i < args.endIndex else { die("\(args[i - 1]) needs a value") }
        return args[i]
    }
    while i < args.endIndex {
        switch args[i] {
        case "--port": options.port = number(value(), "--port")
        case "--agent-token": options.agentToken = value()
        case "--tech-token": options.techToken = value()
        case "--technician": options.technician = value()
        case "--project": options.project = value()
        case "--n": options.n = number(value(), "--n")
        case "--runs": options.runs = number(value(), "--runs")
        default: die("unknown option \(args[i])")
        }
        i += 1
    }
    guard !options.agentToken.isEmpty, !options.techToken.isEmpty, !options.technician.isEmpty, !options.project.isEmpty,
          options.n > 0, options.runs > 0 else {
        die("repairs needs --agent-token, --tech-token, --technician, --project (and positive --n, --runs)")
    }
    return options
}

/// One keep-alive HTTP/1.1 connection to 127.0.0.1, one request at a time.
final class HTTPClient {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { die("cannot connect to 127.0.0.1:\(port)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Sends a POST with a JSON body; returns the status and the body.
    func post(_ path: String, token: String, json: String) -> (status: Int, body: String) {
        let body = Array(json.utf8)
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: application/json\r\nAccept: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        let request = Array(head.utf8) + body
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { die("send failed") }
            sent += n
        }
        return readResponse()
    }

    private func fill() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { die("connection closed by the server") }
        buffer += chunk[0..<n]
    }

    private func readResponse() -> (status: Int, body: String) {
        let separator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while end == nil {
            if buffer.count >= 4 {
                for i in 0...(buffer.count - 4) where buffer[i..<(i + 4)].elementsEqual(separator) { end = i; break }
            }
            if end == nil { fill() }
        }
        let headerEnd = end ?? 0
        let head = String(decoding: buffer[0..<headerEnd], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var length = 0
        for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        while buffer.count < headerEnd + 4 + length { fill() }
        let body = String(decoding: buffer[(headerEnd + 4)..<(headerEnd + 4 + length)], as: UTF8.self)
        buffer.removeFirst(headerEnd + 4 + length)
        return (status, body)
    }
}

/// Latencies in ns → a table row and a machine line.
func reportLatencies(_ what: String, _ values: [UInt64]) {
    let sorted = values.sorted()
    let p50 = percentile(sorted, 50), p90 = percentile(sorted, 90), p99 = percentile(sorted, 99), max = percentile(sorted, 100)
    print(String(format: "%-58@ %6d %9.2f %9.2f %9.2f %9.2f", what as NSString, values.count, p50, p90, p99, max))
    print("result\t\(what)\t\(values.count)\t\(String(format: "%.2f\t%.2f\t%.2f\t%.2f", p50, p90, p99, max))")
}

func timed(_ body: () throws -> Void) rethrows -> UInt64 {
    let start = nowNanos()
    try body()
    return nowNanos() - start
}

func runRepairs(_ options: RepairBenchOptions) {
    do {
        try runRepairsOrDie(options)
    } catch {
        die("\(error)")
    }
}

private func runRepairsOrDie(_ options: RepairBenchOptions) throws {
    let db = try DatabaseConfig.fromEnvironment().connect()
    let n = options.n
    // Houses of the project, deterministic: the HTTP orders on the first n, the bare SQL on the next n.
    let houses: [(id: Int, code: String)] = try db.query("""
        SELECT h.id, h.code FROM houses h JOIN projects p ON p.id = h.project_id WHERE p.code = $1
        ORDER BY md5(h.code) LIMIT $2
        """, [options.project, 2 * n]).map { (try $0.decode(0), try $0.decode(1)) }
    guard houses.count == 2 * n else { die("project \(options.project) has fewer than \(2 * n) houses") }
    let ids = try db.query("""
        SELECT p.id, (SELECT id FROM staff WHERE employee_no = $2), (SELECT id FROM staff WHERE role = 'agent' ORDER BY employee_no LIMIT 1)
        FROM projects p WHERE p.code = $1
        """, [options.project, options.technician])[0]
    let projectID: Int = try ids.decode(0), technicianID: Int = try ids.decode(1), agentID: Int = try ids.decode(2)
    print("repairs: project \(options.project), technician \(options.technician), \(n) orders per act, \(options.runs) runs per query")
    print(String(format: "%-58@ %6@ %9@ %9@ %9@ %9@", "what" as NSString, "n" as NSString, "p50 ms" as NSString,
                 "p90 ms" as NSString, "p99 ms" as NSString, "max ms" as NSString))

    var latencies: [UInt64] = []
    // 1. The sweep with nothing due (the history is all on record), before the acts below start
    // clocks of their own: each run a minute of the last half hour never run (one run per slot;
    // the runner refuses a future instant).
    let start = Date()
    let runner = JobRunner(db: db)
    latencies = try (0..<options.runs).map { i in
        try timed { _ = try runner.runDue(now: start.addingTimeInterval(Double(i - options.runs) * 60), only: ["deadline_sweep"]) }
    }
    reportLatencies("JobRunner deadline_sweep, nothing due (whole sweep)", latencies)
    latencies = try (0..<options.runs).map { i in
        try timed {
            do {
                try db.transaction {
                    _ = try db.query(RepairBenchSQL.repairSweepSQL, [start.addingTimeInterval(Double(i - options.runs) * 60)])
                    throw RolledBack()
                }
            } catch is RolledBack {}
        }
    }
    reportLatencies("bare SQL: the sweep's repair statement (rolled back)", latencies)

    // 2. The breached list of the project.
    let store = RepairStore(db: db, now: Date())
    var count = 0
    latencies = try (0..<options.runs).map { _ in
        try timed { count = try store.list(RepairFilter(project: options.project, breached: true)).count }
    }
    reportLatencies("RepairStore.list --project \(options.project) --breached (\(count) orders)", latencies)
    // What `repair list` runs: one page (the CLI's default 50, and the largest, 1,000) with the
    // total of the matches, in one statement.
    for limit in [RepairPage.defaultLimit, RepairPage.maxLimit] {
        let page = try RepairPage(limit: limit)
        var total = 0
        latencies = try (0..<options.runs).map { _ in
            try timed { total = try store.list(RepairFilter(project: options.project, breached: true), page: page).page.total }
        }
        reportLatencies("RepairStore.list page of \(limit) with its total (\(total) breached)", latencies)
    }
    for (label, condition) in [("bare SQL: its SELECT", RepairBenchSQL.fromOrders),
                               ("bare SQL: its SELECT, EXISTS with the project", RepairBenchSQL.existsInProject),
                               ("bare SQL: its SELECT from the breaches", RepairBenchSQL.fromBreaches)] {
        latencies = try (0..<options.runs).map { _ in try timed { count = try db.query(RepairBenchSQL.listSQL(condition), [projectID]).count } }
        reportLatencies("\(label) (\(count) rows)", latencies)
    }

    // 3. The acts over HTTP.
    let http = HTTPClient(port: options.port)
    var opened: [Int] = []
    latencies = []
    for house in houses.prefix(n) {
        var response: (status: Int, body: String) = (0, "")
        latencies.append(timed {
            response = http.post("/v1/repairs", token: options.agentToken,
                                 json: "{\"house\":\"\(house.code)\",\"category\":\"water\",\"description\":\"基准测试：厨房水管漏水\"}")
        })
        guard response.status == 201,
              let object = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
              let id = object["id"] as? Int else { die("POST /v1/repairs: \(response.status) \(response.body)") }
        opened.append(id)
    }
    reportLatencies("HTTP POST /v1/repairs (open)", latencies)
    for (act, token, body) in [("dispatch", options.agentToken, "{\"to\":\"\(options.technician)\"}"), ("sign", options.techToken, "{}")] {
        latencies = []
        for id in opened {
            var response: (status: Int, body: String) = (0, "")
            latencies.append(timed { response = http.post("/v1/repairs/\(id)/\(act)", token: token, json: body) })
            guard response.status == 200 else { die("POST /v1/repairs/\(id)/\(act): \(response.status) \(response.body)") }
        }
        reportLatencies("HTTP POST /v1/repairs/{id}/\(act)", latencies)
    }

    // The same writes as bare SQL (owner connection, so the table's triggers still run).
    var bare: [Int] = []
    latencies = []
    for house in houses.suffix(n) {
        latencies.append(try timed {
            try db.transaction {
                // The counted day and deadlines the move trigger holds an opening to (0016): the
                // cutoff's day in Asia/Shanghai, claim 15 minutes, completion at that day's end.
                let id: Int = try db.query("""
                    WITH t AS (
                        SELECT now() AS at, (now() AT TIME ZONE 'Asia/Shanghai')::date
                               + CASE WHEN (now() AT TIME ZONE 'Asia/Shanghai')::time >= s.cutoff THEN 1 ELSE 0 END AS day,
                               make_interval(mins => s.sign_minutes) AS claim
                        FROM repair_settings s
                    )
                    INSERT INTO repair_orders (house_id, project_id, category, description, source, complex, opened_at, opened_by,
                                               counted_on, claim_due, complete_due)
                    SELECT $1, $2, 'water', '基准测试：厨房水管漏水', 'phone', false, t.at, $3, t.day,
                           t.at + t.claim, (t.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' FROM t RETURNING id
                    """, [house.id, projectID, agentID])[0].decode(0)
                try db.execute("INSERT INTO repair_events (order_id, project_id, at, kind, staff_id) VALUES ($1, $2, now(), 'opened', $3)",
                               [id, projectID, agentID])
                bare.append(id)
            }
        })
    }
    reportLatencies("bare SQL: INSERT order + event", latencies)
    let moves: [(String, SQL)] = [
        ("dispatch", "UPDATE repair_orders SET technician_id = $2, status = 'dispatched', dispatched_at = now(), sign_due = now() + interval '15 minutes' WHERE id = $1"),
        ("sign", "UPDATE repair_orders SET status = 'signed', signed_at = now(), contact_due = now() + interval '10 minutes' WHERE id = $1 AND $2::int IS NOT NULL"),
    ]
    for (act, update) in moves {
        latencies = []
        for id in bare {
            latencies.append(try timed {
                try db.transaction {
                    try db.execute(update, [id, technicianID])
                    try db.execute("INSERT INTO repair_events (order_id, project_id, at, kind, staff_id) VALUES ($1, $2, now(), $3, $4)",
                                   [id, projectID, act == "dispatch" ? "dispatched" : "signed", act == "dispatch" ? agentID : technicianID])
                }
            })
        }
        reportLatencies("bare SQL: UPDATE \(act) + event", latencies)
    }

}

struct RolledBack: Error {}

/// The list's SELECT (RepairStore.list with a project and breached, as the owner) and the sweep's statement.
enum RepairBenchSQL {
    static let fromOrders = "o.project_id = $1 AND EXISTS (SELECT 1 FROM repair_breaches b WHERE b.order_id = o.id)"
    static let existsInProject =
        "o.project_id = $1 AND EXISTS (SELECT 1 FROM repair_breaches b WHERE b.order_id = o.id AND b.project_id = o.project_id)"
    static let fromBreaches = "o.id IN (SELECT b.order_id FROM repair_breaches b WHERE b.project_id = $1) AND o.project_id = $1"

    static func listSQL(_ condition: String) -> SQL {
        SQL(unsafeRaw: """
            SELECT o.id, h.code, p.code, o.category, o.description, o.source, o.complex, o.status, t.employee_no,
                   o.opened_at, ob.employee_no, o.counted_on::text, o.sign_due, o.contact_due, o.complete_due, o.followup_due,
                   o.appointment_at, ARRAY(SELECT b.stage FROM repair_breaches b WHERE b.order_id = o.id ORDER BY b.at, b.round, b.stage),
                   o.rating::int, o.round::int, o.delay_reason, o.photos, o.project_id, o.technician_id, o.claim_due
            FROM repair_orders o JOIN houses h ON h.id = o.house_id JOIN projects p ON p.id = o.project_id
            JOIN staff ob ON ob.id = o.opened_by LEFT JOIN staff t ON t.id = o.technician_id
            WHERE \(condition)
            ORDER BY h.code COLLATE house_natural, o.opened_at DESC, o.id DESC LIMIT 1000
            """)
    }

    /// RepairBreachSweep's probe and inserts (schema 0016's sweep), without the escalations' text.
    static let repairSweepSQL: SQL = """
        WITH due AS (
            SELECT o.id, o.project_id, s.stage, s.round, s.due
            FROM repair_orders o
            CROSS JOIN LATERAL (VALUES ('claim', o.claim_due, o.dispatched_at, 0::smallint, false),
                                       ('sign', o.sign_due, o.signed_at, 0::smallint, false),
                                       ('contact', o.contact_due, o.contacted_at, 0::smallint, false),
                                       ('complete', o.complete_due, o.completed_at, o.round, true),
                                       ('followup', o.followup_due, o.followed_up_at, o.round, false)) s (stage, due, done, round, exclusive)
            WHERE o.sweep_at IS NOT NULL AND o.sweep_at <= $1
              AND (s.due < $1 OR (s.exclusive AND s.due = $1))
              AND (s.done IS NULL OR s.done > s.due OR (s.exclusive AND s.done = s.due))
        ), breached AS (
            INSERT INTO repair_breaches (order_id, project_id, stage, round, at)
            SELECT id, project_id, stage, round, due FROM due ON CONFLICT DO NOTHING RETURNING order_id
        )
        SELECT count(*) FROM breached
        """
}
