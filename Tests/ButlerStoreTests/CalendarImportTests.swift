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
        for year in order { #expect(try store.importFile(path: Self.fixture(year), now: Self.now) == [year]) }
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
        #expect(error.description == "2030.csv:4: 2031-01-04：2030 年的安排记为上班（元旦），而 2031 年的官方安排记为休息（元旦）；未导入任何内容")
        #expect(try rows(db) == before)
        let events: Int = try db.query("SELECT count(*)::int FROM events WHERE entity = 'calendar_year'")[0].decode(0)
        #expect(events == 1)
    }

    /// The other order: 2031's own file wins over the day 2030's lent it (it was refused for
    /// good: the lent day is on the append-only event log). Later imports read the log: 2030's
    /// file is refused, and 2031's next file that leaves the day out leaves it to the weekday rule.
    @Test func aYearsOwnFile_correctsADayItsNeighbourLent() throws {
        let schema = try TestSchema()
        let db = try schema.connect()
        let store = CalendarStore(db: db)
        let y2030 = try Self.file("2030.csv", "date,kind,holiday\n2030-01-01,off,元旦\n2030-10-01,off,国庆节\n2031-01-04,work,元旦\n")
        _ = try store.importFile(path: y2030, now: Self.now)
        #expect(try store.load().isWorkingDay(try #require(Day("2031-01-04"))))
        let own2031 = try Self.file("2031.csv", "date,kind,holiday\n2031-01-01,off,元旦\n2031-01-04,off,元旦\n")
        #expect(try store.importFile(path: own2031, now: Self.now) == [2031])
        #expect(try rows(db).contains("2031-01-04 off 元旦"))
        #expect(!(try store.load().isWorkingDay(try #require(Day("2031-01-04")))))
        let refused = try #require(throws: ButlerError.self) { try store.importFile(path: y2030, now: Self.now) }
        #expect(refused.description.hasPrefix("2030.csv:4: 2031-01-04："))
        _ = try store.importFile(path: try Self.file("2031.csv", "date,kind,holiday\n2031-01-01,off,元旦\n"), now: Self.now)
        #expect(try rows(db) == ["2030-01-01 off 元旦", "2030-10-01 off 国庆节", "2031-01-01 off 元旦"])
    }

    /// The lender's corrected file corrects the day it lent (it was refused).
    @Test func aLendersCorrectedFile_correctsItsLentDay() throws {
        let schema = try TestSchema()
        let db = try schema.connect()
        let store = CalendarStore(db: db)
        _ = try store.importFile(path: try Self.file("2030.csv", "date,kind,holiday\n2030-01-01,off,元旦\n2031-01-04,work,元旦\n"), now: Self.now)
        _ = try store.importFile(path: try Self.file("2030.csv", "date,kind,holiday\n2030-01-01,off,元旦\n2031-01-04,off,元旦\n"), now: Self.now)
        #expect(try rows(db) == ["2030-01-01 off 元旦", "2031-01-04 off 元旦"])
        #expect(!(try store.load().hasOfficialSchedule(year: 2031)))
    }

    static let seedCSV = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seed/calendar/cn_holidays_2024_2026.csv").path

    /// The repo's own 2024-2026 file imports again (it was refused: "2024-01-01 is not in 2026 or
    /// a neighbouring year") and gives each year its official working days.
    @Test func theShippedMultiYearCSV_importsWithTheOfficialWorkingDays() throws {
        let schema = try TestSchema()
        let db = try schema.connect()
        let store = CalendarStore(db: db)
        #expect(try store.importFile(path: Self.seedCSV, now: Self.now) == [2024, 2025, 2026])
        let calendar = try store.load()
        for (year, official) in [(2024, 251), (2025, 248), (2026, 248)] {
            #expect(Self.workingDays(calendar, year) == official)
            #expect(Self.workingDays(WorkCalendar.shipped, year) == official)
            #expect(calendar.hasOfficialSchedule(year: year))
            #expect(calendar.adjustedWorkingDays(in: year) == WorkCalendar.shipped.adjustedWorkingDays(in: year))
        }
        #expect(try rows(db).count == 108)
        let years: [Int] = try db.query("SELECT entity_id::int FROM events WHERE entity = 'calendar_year' ORDER BY entity_id").map { try $0.decode(0) }
        #expect(years == [2024, 2025, 2026])
    }

    /// The multi-year CSV and a one-year holiday-cn file that lends it New Year's Eve, in both orders.
    @Test func aMultiYearCSV_andAOneYearJSON_inBothOrders_giveTheSameCalendar() throws {
        let y2027 = try Self.file("2027.json", """
            {"year":2027,"days":[{"name":"元旦","date":"2026-12-31","isOffDay":true},{"name":"元旦","date":"2027-01-01","isOffDay":true},
            {"name":"春节","date":"2027-02-06","isOffDay":true}]}
            """)
        var results: [[String]] = []
        for order in [[Self.seedCSV, y2027], [y2027, Self.seedCSV]] {
            let schema = try TestSchema()
            let db = try schema.connect()
            for path in order { _ = try CalendarStore(db: db).importFile(path: path, now: Self.now) }
            results.append(try rows(db))
            let calendar = try CalendarStore(db: db).load()
            #expect(!calendar.isWorkingDay(try #require(Day("2026-12-31"))))
            #expect(Self.workingDays(calendar, 2026) == 247)
            #expect(Self.workingDays(calendar, 2025) == 248)
            #expect(calendar.hasOfficialSchedule(year: 2027))
        }
        #expect(results[0] == results[1])
        #expect(results[0].count == 108 + 3)
    }

    /// A year of the CSV without its January 1 is refused naming the file, line and date; nothing is written.
    @Test func aMultiYearCSV_withAYearMissingItsNewYear_isRefused() throws {
        let schema = try TestSchema()
        let db = try schema.connect()
        let seed = try String(contentsOfFile: Self.seedCSV, encoding: .utf8)
        let path = try Self.file("2024_2026.csv", seed.replacingOccurrences(of: "2025-01-01,off,元旦\n", with: ""))
        let error = try #require(throws: ButlerError.self) { try CalendarStore(db: db).importFile(path: path, now: Self.now) }
        #expect(error.kind == .invalidInput)
        #expect(error.description.hasPrefix("2024_2026.csv:38: date: 2025-01-26 属于 2025 年，但文件没有列出 2025-01-01（元旦）"))
        #expect(try rows(db).isEmpty)
    }

    @Test func aMissingFile_isSaidInChinese() throws {
        let schema = try TestSchema()
        let db = try schema.connect()
        let error = try #require(throws: ButlerError.self) { try CalendarStore(db: db).importFile(path: "/nonexistent/2027.csv", now: Self.now) }
        #expect(error.description == "/nonexistent/2027.csv: 无法读取文件（文件是否存在？）")
        #expect(error.field == nil)
    }
}
