// butler-bench: in-process benchmarks run by ops/bench (not part of the test suite).
//
//   butler-bench lookup [--n 2000] [--clients 1,4] [--seed bench] [--warmup 50] [--agent EMPLOYEE_NO]
//
// Connects with BUTLER_DATABASE_URL (see DatabaseConfig), picks N distinct resident phones
// deterministically (ORDER BY md5(seed || phone), the same selection ops/bench gives pgbench),
// and runs CallCentre.lookup(.phone(p), agent:) in-process with each client count: one
// thread and one Connection per client, all clients released together after a warm-up.
// Every lookup writes its audit row, as in production.
//
// Output: a human table, then one machine-readable line per client count:
//   result<TAB>clients<TAB>lookups<TAB>seconds<TAB>rate_per_s<TAB>p50_ms<TAB>p90_ms<TAB>p99_ms<TAB>max_ms<TAB>empty

import ButlerCore
import ButlerStore
import Foundation
import Postgres

#if canImport(Glibc)
import Glibc
#endif

func die(_ message: String) -> Never {
    FileHandle.standardError.write(Data("butler-bench: \(message)\n".utf8))
    exit(1)
}

func nowNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

struct LookupOptions {
    var n = 2000
    var clients = [1, 4]
    var seed = "bench"
    var warmup = 50
    var agent: String?
}

func number(_ text: String, _ flag: String) -> Int {
    guard let value = Int(text) else { die("\(flag): '\(text)' is not a number") }
    return value
}

func parseLookup(_ args: ArraySlice<String>) -> LookupOptions {
    var options = LookupOptions()
    var i = args.startIndex
    func value() -> String {
        i += 1
        guard i < args.endIndex else { die("\(args[i - 1]) needs a value") }
        return args[i]
    }
    while i < args.endIndex {
        switch args[i] {
        case "--n": options.n = number(value(), "--n")
        case "--clients":
            options.clients = value().split(separator: ",").map { number(String($0), "--clients") }
        case "--seed": options.seed = value()
        case "--warmup": options.warmup = number(value(), "--warmup")
        case "--agent": options.agent = value()
        default: die("unknown option \(args[i])")
        }
        i += 1
    }
    guard options.n > 0, !options.clients.isEmpty, options.clients.allSatisfy({ $0 > 0 }) else {
        die("--n and --clients must be positive")
    }
    return options
}

/// Results gathered from the client threads.
final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var latencies: [UInt64] = []
    private(set) var empty = 0
    private(set) var failures: [String] = []

    func add(_ values: [UInt64], empty: Int) {
        lock.lock(); defer { lock.unlock() }
        latencies += values
        self.empty += empty
    }

    func fail(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        failures.append(message)
    }
}

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1e6
}

func runLookup(_ options: LookupOptions) {
    let config = DatabaseConfig.fromEnvironment()
    let phones: [String]
    let agent: String
    do {
        let db = try config.connect()
        phones = try db.query("""
            SELECT phone FROM (SELECT DISTINCT phone FROM resident_phones) d
            ORDER BY md5($1 || phone) LIMIT $2
            """, [options.seed, options.n]).map { try $0.decode(0) }
        if let given = options.agent {
            agent = given
        } else {
            guard let row = try db.query("SELECT employee_no FROM staff WHERE role = 'agent' ORDER BY employee_no LIMIT 1").first else {
                die("no staff with role agent: import staff first")
            }
            agent = try row.decode(0)
        }
    } catch {
        die("\(error)")
    }
    guard !phones.isEmpty else { die("no resident phones in the database: import residents first") }
    print("lookup: \(phones.count) phones (seed '\(options.seed)'), agent \(agent), warm-up \(options.warmup) per client")
    print("clients  lookups  seconds   lookups/s   p50 ms   p90 ms   p99 ms   max ms  empty")

    for clients in options.clients {
        let collector = Collector()
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let url = config.url
        for c in 0..<clients {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                var released = false
                do {
                    // A Connection is not Sendable: each client opens its own, on its own thread.
                    let db = try DatabaseConfig(url: url).connect()
                    let centre = CallCentre(db: db)
                    for w in 0..<options.warmup {
                        _ = try centre.lookup(.phone(phones[(w * 7 + c) % phones.count]), agent: agent)
                    }
                    ready.signal()
                    go.wait()
                    released = true
                    var latencies: [UInt64] = []
                    latencies.reserveCapacity(phones.count)
                    var empty = 0
                    // Each client walks all N phones, starting at a different offset.
                    let offset = c * phones.count / clients
                    for k in 0..<phones.count {
                        let phone = phones[(offset + k) % phones.count]
                        let start = nowNanos()
                        let result = try centre.lookup(.phone(phone), agent: agent)
                        latencies.append(nowNanos() - start)
                        if result.houses.isEmpty { empty += 1 }
                    }
                    collector.add(latencies, empty: empty)
                } catch {
                    collector.fail("client \(c): \(error)")
                    if !released { ready.signal(); go.wait() }
                }
            }
            thread.stackSize = 1 << 22
            thread.start()
        }
        for _ in 0..<clients { ready.wait() }
        let start = nowNanos()
        for _ in 0..<clients { go.signal() }
        done.wait()
        let seconds = Double(nowNanos() - start) / 1e9
        if !collector.failures.isEmpty { die(collector.failures.joined(separator: "\n")) }
        let sorted = collector.latencies.sorted()
        let rate = Double(sorted.count) / seconds
        let p50 = percentile(sorted, 50), p90 = percentile(sorted, 90), p99 = percentile(sorted, 99)
        let max = Double(sorted.last ?? 0) / 1e6
        print(String(format: "%7d %8d %8.2f %11.0f %8.3f %8.3f %8.3f %8.3f %6d",
                     clients, sorted.count, seconds, rate, p50, p90, p99, max, collector.empty))
        print(String(format: "result\t%d\t%d\t%.3f\t%.1f\t%.3f\t%.3f\t%.3f\t%.3f\t%d",
                     clients, sorted.count, seconds, rate, p50, p90, p99, max, collector.empty))
    }
}

/// `butler-bench timestamps [--n 1000000]`: Timestamp.parse (what imports and --at call per
/// value) beside the floor under it, Foundation's ISO 8601 style parsing the full form.
func runTimestamps(n: Int) {
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
    let typed: [String] = (0..<n).map { (i: Int) -> String in
        "2026-" + two(i % 12 + 1) + "-" + two(i % 28 + 1) + "T" + two(i % 24) + ":" + two(i % 60)
    }
    let full = typed.map { $0 + ":00+08:00" }
    let style = Date.ISO8601FormatStyle(timeZoneSeparator: .colon)
    func time(_ name: String, _ body: () -> Int) {
        let start = nowNanos()
        let parsed = body()
        let seconds = Double(nowNanos() - start) / 1e9
        print(String(format: "%-40@ %9d values %8.3f s %10.0f /s", name as NSString, parsed, seconds, Double(n) / seconds))
    }
    time("baseline: ISO8601FormatStyle.parse") { full.reduce(0) { $0 + ((try? style.parse($1)) == nil ? 0 : 1) } }
    time("Timestamp.parse (typed form)") { typed.reduce(0) { $0 + (Timestamp.parse($1) == nil ? 0 : 1) } }
    time("Timestamp.parse (full form)") { full.reduce(0) { $0 + (Timestamp.parse($1) == nil ? 0 : 1) } }
    let dates = full.compactMap { try? style.parse($0) }
    time("Timestamp.rfc3339") { dates.reduce(0) { $0 + Timestamp.rfc3339($1).utf8.count / 25 } }
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "lookup":
    runLookup(parseLookup(arguments.dropFirst()))
case "arrears":
    runArrears(arguments.dropFirst())
case "repairs":
    runRepairs(parseRepairBench(arguments.dropFirst()))
case "timestamps":
    runTimestamps(n: arguments.dropFirst(2).first.flatMap { Int($0) } ?? 1_000_000)
case "-h", "--help", nil:
    print("""
        Usage: butler-bench lookup [--n 2000] [--clients 1,4] [--seed bench] [--warmup 50] [--agent EMPLOYEE_NO]
               butler-bench arrears FILE --now T [--runs 20]   (ops/benchmarks/Arrears.swift)
        Database: BUTLER_DATABASE_URL. Normally run through ops/bench lookup.
        """)
default:
    die("unknown command \(arguments.first ?? ""); try --help")
}
