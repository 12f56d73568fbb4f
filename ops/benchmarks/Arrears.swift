// butler-bench arrears FILE --now T [--runs 20]: issue 15's three figures on a database holding
// the company registry (ops/bench import's butler_bench), each beside its baseline:
//   1. `butler import arrears FILE` (the generator's arrears.csv: twelve periods per house), first
//      load and re-import, beside a bare COPY of the same rows into an unlogged table;
//   2. the first working day's planning of the arrears tasks for the company (only the arrears
//      standards enabled for the run, then restored), beside the bare query of the houses owing;
//   3. `arrears list` for the project with the most houses owing (median of --runs), beside the
//      bare aggregate of its owed rows.
// Output: a human line per step and `result<TAB>step<TAB>seconds<TAB>baseline_seconds<TAB>rows`.

import ButlerCore
import ButlerStore
import Foundation
import Postgres

func runArrears(_ args: ArraySlice<String>) {
    guard let file = args.first else { die("arrears: FILE is required (the generator's arrears.csv)") }
    var now: Date?
    var runs = 20
    var i = args.startIndex + 1
    while i < args.endIndex {
        switch args[i] {
        case "--now":
            i += 1
            guard i < args.endIndex, let date = Timestamp.parse(args[i]) else { die("--now needs a time (2026-11-26T10:00)") }
            now = date
        case "--runs":
            i += 1
            guard i < args.endIndex else { die("--runs needs a value") }
            runs = number(args[i], "--runs")
        default: die("unknown option \(args[i])")
        }
        i += 1
    }
    guard let now else { die("--now is required (the snapshot's day, e.g. 2026-11-26T10:00)") }
    do {
        let db = try DatabaseConfig.fromEnvironment().unlimitedStatements.connect()
        func seconds(_ body: () throws -> Void) rethrows -> Double {
            let start = nowNanos()
            try body()
            return Double(nowNanos() - start) / 1e9
        }
        func report(_ step: String, _ time: Double, _ baseline: Double, _ rows: Int) {
            print(String(format: "%-28@ %9.3f s   baseline %9.3f s   %9d rows", step as NSString, time, baseline, rows))
            print(String(format: "result\t%@\t%.4f\t%.4f\t%d", step as NSString, time, baseline, rows))
        }

        // 1. Import, beside a bare COPY of the file's rows (split on commas: the generator quotes nothing).
        var bareRows = 0
        let bare = try seconds {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let rows = text.split(separator: "\n").dropFirst().lazy.map { line in line.split(separator: ",").map { String($0) as String? } }
            try db.execute("DROP TABLE IF EXISTS bench_bare_arrears")
            try db.execute("CREATE UNLOGGED TABLE bench_bare_arrears (project text, building text, unit text, room text, period text, due text, paid text)")
            bareRows = try db.copy("COPY bench_bare_arrears FROM STDIN", rows: rows)
        }
        try db.execute("DROP TABLE bench_bare_arrears")
        var first: ImportReport?
        let firstLoad = try seconds {
            first = try Importer(db: db, now: now).run(.arrears, table: try CSVTable.read(path: file))
        }
        report("import (first)", firstLoad, bare, first?.inserted ?? 0)
        var again: ImportReport?
        let reimport = try seconds {
            again = try Importer(db: db, now: now).run(.arrears, table: try CSVTable.read(path: file))
        }
        report("import (again, unchanged)", reimport, bare, again?.unchanged ?? 0)

        // 2. The month's first working day, arrears standards only.
        let calendar = try CalendarStore(db: db).load()
        let month = Day.from(now).monthOfYear
        let listing = TaskSchedule(calendar: calendar).arrearsListingDay(month)
        let standards = StandardsStore(db: db)
        let others = StandardCode.allCases.filter { $0 != .arrearsContact && $0 != .arrearsEscalation }
        for code in others { try standards.set(code: code.rawValue, perPeriod: nil, workingDays: nil, intervalDays: nil, deadlineHours: nil, priority: nil, enabled: false) }
        defer {
            for code in others { try? standards.set(code: code.rawValue, perPeriod: nil, workingDays: nil, intervalDays: nil, deadlineHours: nil, priority: nil, enabled: true) }
        }
        var owing = 0
        let bareOwing = try seconds {
            owing = try db.query("""
                SELECT count(*)::int FROM (SELECT DISTINCT house_id FROM arrears WHERE owing AND period < $1::date) o
                """, [month.first.description])[0].decode(0)
        }
        var planned: PlanReport?
        let planning = try seconds { planned = try Planner(db: db).plan(date: listing) }
        report("plan \(listing) (arrears)", planning, bareOwing, planned?.byStandard["arrears_contact"] ?? 0)
        let replanning = try seconds { planned = try Planner(db: db).plan(date: listing) }
        report("plan again (nothing new)", replanning, bareOwing, planned?.created ?? 0)
        _ = owing

        // 3. `arrears list` of the project with the most houses owing, median of `runs`.
        let project: String = try db.query("""
            SELECT p.code FROM arrears a JOIN projects p ON p.id = a.project_id
            WHERE a.owing AND a.period < $1::date
            GROUP BY p.code ORDER BY count(DISTINCT a.house_id) DESC, p.code LIMIT 1
            """, [month.first.description])[0].decode(0)
        let projectID: Int = try db.query("SELECT id FROM projects WHERE code = $1", [project])[0].decode(0)
        func median(_ body: () throws -> Int) rethrows -> (Double, Int) {
            var times: [Double] = []
            var rows = 0
            for _ in 0..<max(runs, 1) { times.append(try seconds { rows = try body() }) }
            return (times.sorted()[times.count / 2], rows)
        }
        let store = ArrearsStore(db: db, now: now)
        let (list, listed) = try median { try store.list(project: project).count }
        let (bareList, _) = try median {
            try db.query("""
                SELECT house_id, array_agg(period ORDER BY period), sum(amount_due_fen - amount_paid_fen) FROM arrears
                WHERE project_id = $1 AND owing AND period < $2::date GROUP BY house_id
                """, [projectID, month.first.description]).count
        }
        report("arrears list \(project)", list, bareList, listed)
    } catch {
        die("arrears: \(error)")
    }
}
