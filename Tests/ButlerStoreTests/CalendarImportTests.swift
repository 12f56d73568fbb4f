import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

/// `butler calendar import` through `CalendarStore` on a real database (issue 13 #2): a file
/// replaces its own year and leaves the neighbouring years whole, in any order.
@Suite struct CalendarImportTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func fixture(_ year: Int) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/holiday-cn/\(year).json").path
    }

    /// A scratch file with `text`, named `name`.
    static func file(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("calendar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func workingDays(_ calendar: WorkCalendar, _ year: Int) -> Int {
        (1...12).compactMap { YearMonth(year: year, month: $0) }.reduce(0) { $0 + calendar.workingDays(in: $1).count }
    }

    func rows(_ db: Connection) throws -> [String] {
        try db.query("SELECT day::text || ' ' || kind || ' ' || holiday FROM calendar_days ORDER BY day").map { try $0.decode(0) }
    }

    @Test(arguments: [[2022, 2023], [2023, 2022]])
    func importing2023_keeps2022Whole(order: [Int]) throws {
        let schema = try TestSchema()
        let db = try schema.connect()
        let store = CalendarStore(db: db)
        for year in order { #expect(try store.importFile(path: Self.fixture(year), now: Self.now) == year) }
        let calendar = try store.load()
        // Before: importing 2023 after 2022 replaced 2022 with 2022-12-31 alone (260 working days).
        #expect(Self.workingDays(calendar, 2022) == 249)
        #expect(Self.workingDays(calendar, 2023) == 249)
        #expect(calendar.hasOfficialSchedule(year: 2022))
        #expect(!calendar.isWorkingDay(try #require(Day("2022-10-07"))))
        #expect(try rows(db).contains("2022-12-31 off 元旦"))
    }

    /// Y-1, Y, Y+1 forwards and backwards give the same rows; each import is on the event log.
    @Test func threeYears_inBothOrders_giveTheSameCalendar() throws {
        let y2030 = try Self.file("2030.csv", "date,kind,holiday\n2030-01-01,off,元旦\n2030-10-01,off,国庆节\n2031-01-04,work,元旦\n")
        let y2031 = try Self.file("2031.json", """
            {"year":2031,"days":[{"name":"元旦","date":"2030-12-31","isOffDay":true},{"name":"元旦","date":"2031-01-01","isOffDay":true},
            {"name":"春节","date":"2031-01-22","isOffDay":true}]}
            """)
        let y2032 = try Self.file("2032.csv", "date,kind,holiday\n2031-12-31,off,元旦\n2032-01-01,off,元旦\n2032-01-02,off,元旦\n")
        var results: [[String]] = []
        for order in [[y2030, y2031, y2032], [y2032, y2031, y2030]] {
            let schema = try TestSchema()
            let db = try schema.connect()
            for path in order { _ = try CalendarStore(db: db).importFile(path: path, now: Self.now) }
            results.append(try rows(db))
            let calendar = try CalendarStore(db: db).load()
            #expect(!calendar.isWorkingDay(try #require(Day("2030-10-01"))))
            #expect(!calendar.isWorkingDay(try #require(Day("2030-12-31"))))
            #expect(calendar.isWorkingDay(try #require(Day("2031-01-04"))))
            #expect(!calendar.isWorkingDay(try #require(Day("2031-12-31"))))
            let events: Int = try db.query("SELECT count(*)::int FROM events WHERE entity = 'calendar_year' AND action = 'import'")[0].decode(0)
            #expect(events == 3)
        }
        #expect(results[0] == results[1])
        #expect(results[0].count == 9)
    }

    /// A disagreement with a neighbouring year names the date; nothing is written.
    @Test func aConflict_isRefusedNamingTheDate_andWritesNothing() throws {
        let schema = try TestSchema()
        let db = try schema.connect()
        let store = CalendarStore(db: db)
        _ = try store.importFile(path: try Self.file("2031.csv", "date,kind,holiday\n2031-01-01,off,元旦\n2031-01-04,off,元旦\n"), now: Self.now)
        let before = try rows(db)
        let path = try Self.file("2030.csv", "date,kind,holiday\n2030-01-01,off,元旦\n2030-10-01,off,国庆节\n2031-01-04,work,元旦\n")
        let error = try #require(throws: ButlerError.self) { try store.importFile(path: path, now: Self.now) }
        #expect(error.kind == .invalidInput)
        #expect(error.description.hasPrefix("2030.csv: 2031-01-04: the 2030 file says work (元旦), the calendar says off (元旦)"))
        #expect(try rows(db) == before)
        let events: Int = try db.query("SELECT count(*)::int FROM events WHERE entity = 'calendar_year'")[0].decode(0)
        #expect(events == 1)
    }
}
