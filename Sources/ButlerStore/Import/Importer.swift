import ButlerCore
import Foundation
import Postgres
import Synchronization

/// What `butler import` can load, in the order a new company loads them.
public enum ImportKind: String, CaseIterable, Sendable {
    case projects, staff, houses, residents, grids, entrustments, touchpoints, inspections, arrears, repairs

    var table: any TableImport.Type {
        switch self {
        case .projects: ProjectImport.self
        case .staff: StaffImport.self
        case .houses: HouseImport.self
        case .residents: ResidentImport.self
        case .grids: GridImport.self
        case .entrustments: EntrustmentImport.self
        case .touchpoints: TouchpointImport.self
        case .inspections: InspectionImport.self
        case .arrears: ArrearsImport.self
        case .repairs: RepairImport.self
        }
    }

    /// The header a file of this kind must have.
    public var columns: [String] { table.required + table.optional }

    /// The columns of `columns` a file may leave out.
    public var optionalColumns: [String] { table.optional }
}

public struct ImportReport: Sendable, Encodable, Equatable {
    public let kind: String
    public let file: String
    public let encoding: String
    public let rows: Int
    public let inserted: Int
    public let updated: Int
    public let unchanged: Int
}

/// One kind of import: how a CSV row is checked and staged, which checks need the
/// database, and the set-based upsert that makes re-importing the same file a no-op.
protocol TableImport: Sendable {
    static var required: [String] { get }
    static var optional: [String] { get }
    /// `CREATE TEMP TABLE import_staging (line integer, …) ON COMMIT DROP`
    static var staging: SQL { get }
    /// `COPY import_staging (line, …) FROM STDIN`
    static var copy: SQL { get }
    /// Validates one record; returns the staged values after `line`, and its natural key.
    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String)
    /// Queries over `import_staging` returning `(line, column, message)` for rows the database refuses.
    static var checks: [SQL] { get }
    /// Writes the staged rows and counts what changed.
    static func upsert(_ db: Connection) throws -> UpsertCounts
    /// Runs after the upsert, in the same transaction (records complete tasks).
    static func afterUpsert(_ db: Connection) throws
    /// The upsert and what follows it, for imports that need the caller's clock (arrears
    /// snapshots: when a payment was seen); the others ignore it.
    static func upsert(_ db: Connection, now: Date) throws -> UpsertCounts
    static func firstLoad(_ db: Connection, now: Date) throws -> UpsertCounts
    static func afterUpsert(_ db: Connection, now: Date) throws
    /// The tables the upsert fills (bulk-loaded when empty).
    static var targetTables: [String] { get }
    /// Whether `firstLoad` exists: plain INSERTs for when every target table is empty and has
    /// had its keys dropped (ON CONFLICT needs the unique index it arbitrates on).
    static var hasFirstLoad: Bool { get }
    /// Writes the staged rows into the empty, keyless target tables.
    static func firstLoad(_ db: Connection) throws -> UpsertCounts
}

extension TableImport {
    static func afterUpsert(_ db: Connection) throws {}
    static func upsert(_ db: Connection, now: Date) throws -> UpsertCounts { try upsert(db) }
    static func firstLoad(_ db: Connection, now: Date) throws -> UpsertCounts { try firstLoad(db) }
    static func afterUpsert(_ db: Connection, now: Date) throws { try afterUpsert(db) }
    static var hasFirstLoad: Bool { false }
    static func firstLoad(_ db: Connection) throws -> UpsertCounts { try upsert(db) }
}

/// Imported records (touchpoints, inspections) complete the open tasks of their houses,
/// exactly as records made one at a time do: on the day of the record (the file's newest, as
/// a live record completes on its own day), never the wall clock's, so an import means the
/// same whenever it runs.
func completeTasksOfStagedHouses(_ db: Connection) throws {
    let staged = try db.query("""
        SELECT array_agg(DISTINCT h.id), (max(s.at) AT TIME ZONE 'Asia/Shanghai')::date::text
        FROM import_staging s JOIN houses h ON h.code = s.house
        """)
    guard let houses = try staged.first?.decode(0, as: [Int]?.self), let newest = try staged.first?.decode(1, as: String?.self),
          let day = Day(newest) else { return }
    _ = try TaskCompletion(db: db).apply(.houses(houses), on: day, standards: try StandardsStore(db: db).book())
}

/// Loads a CSV file: validate every row, stage through COPY, check against the database,
/// upsert by natural key. Any error → nothing is written and every problem is reported.
public struct Importer {
    let db: Connection
    /// The caller's clock: an arrears period may not be in the future and a payment is seen now;
    /// what a repair history has not done by now is late or still to come (the statements read it
    /// as `current_setting('butler.import_now')`).
    let now: Date
    /// Progress lines for big files (the CLI prints them on stderr).
    var progress: (String) -> Void

    public init(db: Connection, now: Date = Date(), progress: @escaping (String) -> Void = { _ in }) {
        self.db = db
        self.now = now
        self.progress = progress
    }

    public static let progressThreshold = 10_000

    /// At most this many problems are listed; the rest are counted.
    public static let errorLimit = 1_000

    public func run(_ kind: ImportKind, table: CSVTable) throws -> ImportReport {
        let spec = kind.table
        try table.require(columns: spec.required, optional: spec.optional)
        let verbose = table.records.count > Self.progressThreshold
        var problems = table.problems
        var staged: [[String?]] = []
        staged.reserveCapacity(table.records.count)
        var firstLineOfKey: [String: Int] = [:]
        firstLineOfKey.reserveCapacity(table.records.count)
        for (record, row) in zip(table.records, Self.stage(table, as: spec, today: Day.from(now))) {
            var errorsOfRow = row.errors
            if let first = firstLineOfKey[row.key] {
                errorsOfRow.append("\(table.fileName):\(record.line): \(spec.required[0]): 与第 \(first) 行重复（\(row.key)）")
            } else {
                firstLineOfKey[row.key] = record.line
            }
            if errorsOfRow.isEmpty {
                staged.append([String(record.line)] + row.values)
            } else {
                problems += errorsOfRow.map { CSVTable.Problem(line: record.line, message: $0) }
            }
        }
        if verbose { progress("\(table.fileName): 已读 \(table.records.count) 行") }
        if !problems.isEmpty {
            // Only now, never on a clean file: the rows that read well are checked against the
            // database too, in a transaction rolled back, so one run names every problem. A row
            // with a format error is left out (its references may be what is misspelt).
            var refused: [CSVTable.Problem] = []
            do {
                try db.transaction {
                    refused = try stageAndCheck(spec, staged, fileName: table.fileName, verbose: false)
                    throw RollBack()
                }
            } catch is RollBack {}
            problems += refused
        }
        guard problems.isEmpty else { throw Self.error(problems) }

        let counts = try db.transaction {
            let refused = try stageAndCheck(spec, staged, fileName: table.fileName, verbose: verbose)
            if !refused.isEmpty { throw Self.error(refused) }
            var bulk = BulkLoad(db: db)
            // A first load (empty tables), whatever the file's size: a small grids file fills grid_houses with every house.
            let keyless = try bulk.prepare(spec.targetTables, keys: spec.hasFirstLoad)
            let counts = keyless ? try spec.firstLoad(db, now: now) : try spec.upsert(db, now: now)
            try bulk.finish()
            try spec.afterUpsert(db, now: now)
            if verbose { progress("\(table.fileName): 已写入") }
            return counts
        }
        return ImportReport(
            kind: kind.rawValue, file: table.fileName, encoding: table.encoding.rawValue, rows: counts.total ?? staged.count,
            inserted: counts.inserted, updated: counts.updated,
            unchanged: (counts.total ?? staged.count) - counts.inserted - counts.updated)
    }
}

extension Importer {
    /// Ends the transaction of a check-only pass without writing.
    private struct RollBack: Error {}

    /// Stages `rows` through COPY into `import_staging` and returns the rows the database refuses.
    private func stageAndCheck(_ spec: any TableImport.Type, _ rows: [[String?]], fileName: String, verbose: Bool) throws -> [CSVTable.Problem] {
        // Room to sort and hash a whole file in memory; JIT compiling costs more than it saves here.
        try db.execute("SET LOCAL work_mem = '128MB'")
        try db.execute("SET LOCAL maintenance_work_mem = '256MB'")
        try db.execute("SET LOCAL jit = off")
        _ = try db.query("SELECT set_config('butler.import_now', $1, true)", [Timestamp.rfc3339(now)])
        try db.execute(spec.staging)
        try db.copy(spec.copy, rows: rows)
        // Without statistics the planner assumes a tiny staging table and picks nested loops.
        try db.execute("ANALYZE import_staging")
        if verbose { progress("\(fileName): 已暂存 \(rows.count) 行") }
        var refused: [CSVTable.Problem] = []
        for check in spec.checks {
            for row in try db.query(check) {
                let line: Int = try row.decode(0)
                refused.append(CSVTable.Problem(line: line, message: "\(fileName):\(line): \(try row.decode(1, as: String.self)): \(try row.decode(2, as: String.self))"))
            }
        }
        return refused
    }

    /// Every problem in line order (stable: a row's own problems before the database's), at
    /// most `errorLimit` of them and a count of the rest.
    static func error(_ problems: [CSVTable.Problem]) -> ButlerError {
        var messages = problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .prefix(errorLimit).map(\.element.message)
        if problems.count > errorLimit { messages.append("……另有 \(problems.count - errorLimit) 个问题未列出") }
        return ButlerError(.invalidInput, messages)
    }
}

/// One validated record: its staged values, natural key and the problems found.
struct StagedRow: Sendable {
    let values: [String?]
    let key: String
    let errors: [String]
}

extension Importer {
    /// Validates every record, in chunks on all cores: a row's checks depend on that row only
    /// (duplicates across rows are found afterwards, in file order). Halves the client's share
    /// of a big import on two cores.
    static func stage(_ table: CSVTable, as spec: any TableImport.Type, today: Day) -> [StagedRow] {
        let records = table.records
        let chunkCount = max(1, min(ProcessInfo.processInfo.activeProcessorCount, records.count / 5_000))
        let chunkSize = (records.count + chunkCount - 1) / max(chunkCount, 1)
        let chunks = Mutex([[StagedRow]](repeating: [], count: chunkCount))
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = (chunk * chunkSize)..<min(records.count, (chunk + 1) * chunkSize)
            var rows: [StagedRow] = []
            rows.reserveCapacity(range.count)
            for record in records[range] {
                var validator = RowValidator(file: table.fileName, record: record, today: today)
                let (values, key) = spec.stage(&validator)
                rows.append(StagedRow(values: values, key: key, errors: validator.errors))
            }
            chunks.withLock { $0[chunk] = rows }
        }
        return chunks.withLock { $0.flatMap { $0 } }
    }
}

/// What an upsert did. `total` is the number of things imported when that is not the
/// number of rows (a grid spans several rows).
struct UpsertCounts {
    var inserted: Int
    var updated: Int
    var total: Int? = nil
}

extension Connection {
    /// Runs an `INSERT … RETURNING (xmax = 0)` wrapped as `SELECT count(*) FILTER …` and reads (inserted, updated).
    func upsertCounts(_ sql: SQL) throws -> UpsertCounts {
        let row = try query(sql)[0]
        return UpsertCounts(inserted: try row.decode(0), updated: try row.decode(1))
    }
}

/// Natural key and the staged text of a house reference.
struct HouseReference {
    let project: String, building: String, unit: String, room: String

    init(_ row: inout RowValidator) {
        project = row.text("project")
        building = row.text("building", pattern: "/-")
        unit = row.text("unit", pattern: "/-")
        room = row.text("room", pattern: "/-")
    }

    var code: String { "\(project)/\(building)-\(unit)-\(room)" }
}

/// The check every file that names houses shares: the house must exist.
let unknownHouseCheck: SQL = """
    SELECT s.line, 'room', '找不到房屋 ' || s.house || '（请先导入 houses）'
    FROM import_staging s LEFT JOIN houses h ON h.code = s.house
    WHERE h.id IS NULL
    """

let unknownProjectCheck: SQL = """
    SELECT s.line, 'project', '未知项目 ''' || s.project || '''（请先导入 projects）'
    FROM import_staging s LEFT JOIN projects p ON p.code = s.project
    WHERE p.id IS NULL
    """

/// Records name who made them by employee number.
let unknownStaffCheck: SQL = """
    SELECT s.line, 'by', '未知员工 ' || quote_literal(s.by_staff)
    FROM import_staging s LEFT JOIN staff st ON st.employee_no = s.by_staff
    WHERE s.by_staff IS NOT NULL AND st.id IS NULL
    """
