import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

/// Small hand-written registry files shared by the import, grid and lookup tests.
enum Fixture {
    static let projects = """
        code,name
        YS01,玉山花园
        HB02,湖滨公寓

        """

    static let staff = """
        employee_no,name,phone,role,project
        E1001,王管家,13800001001,butler,YS01
        E1002,李管家,13800001002,butler,YS01
        E1003,陈管家,13800001003,butler,YS01
        M2001,赵经理,13800002001,manager,YS01
        C3001,客服小陈,,agent,

        """

    /// Building 3 has units 1 and 2; building 5 one house; HB02 one house.
    static let houses = """
        project,building,unit,room,floor,area_m2,occupancy,move_in_date,holiday_home
        YS01,3,2,1502,15,128.50,self,2020-05-01,no
        YS01,3,2,1501,15,98,rented,,yes
        YS01,3,1,101,1,88.2,vacant_furnished,,
        YS01,5,1,201,2,120,vacant_bare,,0
        HB02,1,1,101,1,60,self,2021-01-01,false

        """

    /// 张三 (138 1234 5678) owns two houses; 李四 has two phones.
    static let residents = """
        project,building,unit,room,name,phone,role,move_in_date,tags
        YS01,3,2,1502,张三,+86 138-1234-5678,owner,2020-05-01,vip
        YS01,3,2,1502,李四,13912345678;0571-88886666,family,,elderly_alone;disabled
        YS01,3,2,1501,张三丰,13700001111,tenant,2023-03-01,
        YS01,5,1,201,张三,+86 138-1234-5678,owner,,

        """

    /// G01 covers building 3 with E1001 since 2020; G02 covers building 5 unit 1, nobody assigned.
    static let grids = """
        grid,project,name,phone,building,unit,butler,from
        YS01-G01,YS01,一网格,0571-88880001,3,,E1001,2020-01-01
        YS01-G02,YS01,二网格,0571-88880002,5,1,,

        """

    static let entrustments = """
        project,building,unit,room,kind,from,to,keys
        YS01,3,1,101,unpaid,2020-01-01,,2
        YS01,5,1,201,paid,2026-02-01,2026-12-31,1

        """

    static let touchpoints = """
        project,building,unit,room,kind,by,at,note
        YS01,3,2,1502,visit,E1001,2026-11-26T09:30,"上门拜访, 业主满意"
        YS01,3,2,1501,call_in,,2026-11-27 10:00,"报修:
        厨房漏水"

        """

    static let inspections = """
        project,building,unit,room,kind,by,at,finding
        YS01,3,1,101,check,E1001,2026-11-20T10:00,门窗完好;阳台栏杆松动
        YS01,5,1,201,ventilation,E1001,2026-11-21T15:30,通风一小时

        """

    /// Issue 15: the fee system's snapshot, in yuan.
    static let arrears = """
        project,building,unit,room,period,amount_due,amount_paid
        YS01,3,2,1502,2026-09,356.40,0
        YS01,3,2,1501,2026-09,300,300
        """
    /// Two orders still waiting for a technician (the fixture registry has none).
    static let repairs = """
        number,project,building,unit,room,category,description,opened_at,opened_by
        R-1,YS01,3,2,1502,water,厨房水管漏水,2026-11-20T09:00,C3001
        R-2,YS01,3,1,101,public_area,楼道灯不亮,2026-11-21T10:00,M2001

        """

    static let housesHeader = "project,building,unit,room,floor,area_m2,occupancy,move_in_date,holiday_home"
    static let residentsHeader = "project,building,unit,room,name,phone,role,move_in_date,tags"
    static let touchpointsHeader = "project,building,unit,room,kind,by,at,note"
}

/// A migrated private schema with one connection, plus helpers to load CSV text.
struct Registry {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
    }

    /// Parses `csv` as a file called `name` and imports it as `kind`.
    @discardableResult
    func load(_ kind: ImportKind, _ csv: String, name: String? = nil) throws -> ImportReport {
        let table = try CSVTable.parse(csv, fileName: name ?? "\(kind.rawValue).csv")
        return try Importer(db: db).run(kind, table: table)
    }

    /// Loads the fixture files up to and including `last`, in the order a company loads them.
    func loadFixtures(through last: ImportKind) throws {
        let files: [(ImportKind, String)] = [
            (.projects, Fixture.projects), (.staff, Fixture.staff), (.houses, Fixture.houses),
            (.residents, Fixture.residents), (.grids, Fixture.grids), (.entrustments, Fixture.entrustments),
            (.touchpoints, Fixture.touchpoints), (.inspections, Fixture.inspections), (.arrears, Fixture.arrears),
        ]
        for (kind, csv) in files {
            try load(kind, csv)
            if kind == last { return }
        }
    }

    func count(_ table: String, where condition: String = "true") throws -> Int {
        try db.query(SQL(unsafeRaw: "SELECT count(*) FROM \(table) WHERE \(condition)"))[0].decode(0)
    }

    /// Every registry table's row count, to show an error wrote nothing.
    func counts() throws -> [String: Int] {
        var result: [String: Int] = [:]
        for table in ["projects", "staff", "houses", "residents", "resident_phones", "house_residents",
                      "grids", "grid_houses", "grid_assignments", "entrustments", "touchpoints", "inspections", "lookup_audit"] {
            result[table] = try count(table)
        }
        return result
    }

    func text(_ sql: SQL, _ parameters: [any PostgresBindable] = []) throws -> [String] {
        try db.query(sql, parameters).map { try $0.decode(0, as: String.self) }
    }
}

/// A file in a fresh temporary directory, removed by the caller with `cleanUp()`.
struct TempFile {
    let directory: URL
    let path: String

    init(name: String, bytes: Data) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("butler-tests-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent(name).path
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    init(name: String, text: String) throws {
        try self.init(name: name, bytes: Data(text.utf8))
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }
}

/// Converts UTF-8 text to GB18030 bytes with the system's `iconv`, as Excel in China would save it.
func gb18030Bytes(_ text: String) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
    process.arguments = ["-f", "UTF-8", "-t", "GB18030"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ButlerError(.invalidInput, "iconv failed with status \(process.terminationStatus)")
    }
    return data
}

/// The error a throwing call raised as `ButlerError`, or nil (recorded as a test issue) if it
/// succeeded or threw something else.
func butlerError<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> ButlerError? {
    do {
        _ = try body()
        Issue.record("expected a ButlerError, but the call succeeded", sourceLocation: sourceLocation)
    } catch let error as ButlerError {
        return error
    } catch {
        Issue.record("expected a ButlerError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Same for `PostgresError` (what the database itself refuses).
func postgresError<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> PostgresError? {
    do {
        _ = try body()
        Issue.record("expected a PostgresError, but the statement succeeded", sourceLocation: sourceLocation)
    } catch let error as PostgresError {
        return error
    } catch {
        Issue.record("expected a PostgresError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
