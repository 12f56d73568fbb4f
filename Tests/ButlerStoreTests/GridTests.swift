import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

@Suite struct GridTests {
    let registry: Registry
    let grids: GridStore
    var db: Connection { registry.db }

    /// Projects, staff and houses loaded; two empty grids, no assignments.
    init() throws {
        registry = try Registry()
        try registry.loadFixtures(through: .houses)
        grids = GridStore(db: registry.db)
        _ = try grids.create(code: "YS01-G01", project: "YS01", name: "一网格", phone: "0571-88880001")
        _ = try grids.create(code: "YS01-G02", project: "YS01", name: "二网格", phone: "+86 0571 8888 0002")
    }

    func day(_ text: String) throws -> Day { try #require(Day(text)) }

    func id(_ sql: SQL) throws -> Int { try db.query(sql)[0].decode(0) }

    func gridOf(_ house: String) throws -> [String] {
        try registry.text("""
            SELECT g.code FROM grid_houses gh JOIN grids g ON g.id = gh.grid_id JOIN houses h ON h.id = gh.house_id
            WHERE h.code = $1
            """, [house])
    }

    // MARK: - Create

    @Test func create_storesPhoneDigits_andRefusesADuplicateCode() throws {
        #expect(try registry.text("SELECT phone FROM grids ORDER BY code") == ["057188880001", "057188880002"])
        let error = butlerError { try grids.create(code: "YS01-G01", project: "YS01", name: "x", phone: "13800001111") }
        #expect(error?.kind == .conflict)
        #expect(butlerError { try grids.create(code: "YS01/G3", project: "YS01", name: "x", phone: "13800001111") }?.kind == .invalidInput)
        #expect(butlerError { try grids.create(code: "YS01-G03", project: "YS01", name: "x", phone: "12345") }?.kind == .invalidInput)
        #expect(butlerError { try grids.create(code: "YS01-G03", project: "NOPE", name: "x", phone: "13800001111") }?.kind == .notFound)
    }

    // MARK: - A house is in at most one grid

    @Test func houseInTwoGrids_isRefusedByTheDatabase() throws {
        let house = try id("SELECT id FROM houses WHERE code = 'YS01/3-2-1502'")
        let project = try id("SELECT id FROM projects WHERE code = 'YS01'")
        let g1 = try id("SELECT id FROM grids WHERE code = 'YS01-G01'")
        let g2 = try id("SELECT id FROM grids WHERE code = 'YS01-G02'")
        try db.execute("INSERT INTO grid_houses (house_id, grid_id, project_id) VALUES ($1, $2, $3)", [house, g1, project])
        let error = postgresError {
            try db.execute("INSERT INTO grid_houses (house_id, grid_id, project_id) VALUES ($1, $2, $3)", [house, g2, project])
        }
        #expect(error?.sqlState == "23505")
        #expect(try gridOf("YS01/3-2-1502") == ["YS01-G01"])
    }

    @Test func houseOfAnotherProject_cannotJoinAGrid() throws {
        let house = try id("SELECT id FROM houses WHERE code = 'HB02/1-1-101'")
        let g1 = try id("SELECT id FROM grids WHERE code = 'YS01-G01'")
        let ys01 = try id("SELECT id FROM projects WHERE code = 'YS01'")
        let error = postgresError {
            try db.execute("INSERT INTO grid_houses (house_id, grid_id, project_id) VALUES ($1, $2, $3)", [house, g1, ys01])
        }
        #expect(error?.sqlState == "23503")
    }

    @Test func cover_addsTheHousesOfABuildingOrUnit() throws {
        #expect(try grids.cover(grid: "YS01-G01", building: "3", unit: "2", move: false).counts == [2, 0, 0])
        #expect(try grids.cover(grid: "YS01-G01", building: "3", unit: nil, move: false).counts == [1, 0, 2])
        #expect(try registry.count("grid_houses") == 3)
        let error = butlerError { try grids.cover(grid: "YS01-G01", building: "99", unit: nil, move: false) }
        #expect(error?.kind == .notFound)
        #expect(butlerError { try grids.cover(grid: "NOPE", building: "3", unit: nil, move: false) }?.kind == .notFound)
    }

    @Test func cover_refusesHousesOfAnotherGrid_withoutMove_andMovesThemWithMove() throws {
        _ = try grids.cover(grid: "YS01-G01", building: "3", unit: nil, move: false)
        let error = butlerError { try grids.cover(grid: "YS01-G02", building: "3", unit: "2", move: false) }
        #expect(error?.kind == .conflict)
        #expect(error?.field == "move")
        #expect(error?.messages == ["这些房屋已属于其他网格（YS01-G01 2 户）；确认要移入 YS01-G02 请加上移动选项"])
        #expect(try gridOf("YS01/3-2-1502") == ["YS01-G01"])

        let moved = try grids.cover(grid: "YS01-G02", building: "3", unit: "2", move: true)
        #expect(moved.counts == [0, 2, 0])
        #expect(try gridOf("YS01/3-2-1502") == ["YS01-G02"])
        #expect(try gridOf("YS01/3-2-1501") == ["YS01-G02"])
        #expect(try gridOf("YS01/3-1-101") == ["YS01-G01"])
        #expect(try registry.count("grid_houses") == 3)
        let counts = try grids.list(project: "YS01").map { ($0.grid, $0.houses) }
        #expect(counts.map(\.0) == ["YS01-G01", "YS01-G02"])
        #expect(counts.map(\.1) == [1, 2])
    }

    // MARK: - One butler per grid per day

    @Test func overlappingAssignments_areRefusedByTheDatabase() throws {
        let g1 = try id("SELECT id FROM grids WHERE code = 'YS01-G01'")
        let project = try id("SELECT id FROM projects WHERE code = 'YS01'")
        let e1 = try id("SELECT id FROM staff WHERE employee_no = 'E1001'")
        let e2 = try id("SELECT id FROM staff WHERE employee_no = 'E1002'")
        try db.execute("""
            INSERT INTO grid_assignments (grid_id, project_id, staff_id, from_date, to_date)
            VALUES ($1, $2, $3, '2026-01-01', '2026-06-30')
            """, [g1, project, e1])
        // Overlaps by one day (to_date is inclusive).
        let error = postgresError {
            try db.execute("""
                INSERT INTO grid_assignments (grid_id, project_id, staff_id, from_date)
                VALUES ($1, $2, $3, '2026-06-30')
                """, [g1, project, e2])
        }
        #expect(error?.sqlState == "23P01")
        #expect(error?.constraint == "one_butler_per_grid_per_day")
        // The day after is fine; another grid on the same dates is fine.
        try db.execute("INSERT INTO grid_assignments (grid_id, project_id, staff_id, from_date) VALUES ($1, $2, $3, '2026-07-01')", [g1, project, e2])
        let g2 = try id("SELECT id FROM grids WHERE code = 'YS01-G02'")
        try db.execute("INSERT INTO grid_assignments (grid_id, project_id, staff_id, from_date) VALUES ($1, $2, $3, '2026-01-01')", [g2, project, e1])
        #expect(try registry.count("grid_assignments") == 3)
    }

    @Test func reassignment_closesThePreviousAssignmentTheDayBefore() throws {
        #expect(try grids.assign(grid: "YS01-G01", butler: "E1001", from: day("2026-01-01")) == .assigned)
        #expect(try grids.assign(grid: "YS01-G01", butler: "E1002", from: day("2026-11-15")) == .assigned)
        let history = try grids.history(grid: "YS01-G01")
        #expect(history.map(\.butler) == ["E1001", "E1002"])
        #expect(history.map(\.from) == [try day("2026-01-01"), try day("2026-11-15")])
        #expect(history.map(\.to) == [try day("2026-11-14"), nil])
        #expect(history.map(\.butlerName) == ["王管家", "李管家"])

        func butlerOn(_ text: String) throws -> String? {
            try grids.list(project: "YS01", on: day(text)).first { $0.grid == "YS01-G01" }?.butler
        }
        #expect(try butlerOn("2025-12-31") == nil)
        #expect(try butlerOn("2026-01-01") == "E1001")
        #expect(try butlerOn("2026-11-14") == "E1001")
        #expect(try butlerOn("2026-11-15") == "E1002")
        #expect(try butlerOn("2030-01-01") == "E1002")
        #expect(try grids.list(project: "YS01", on: day("2026-11-15")).first { $0.grid == "YS01-G02" }?.butler == nil)
    }

    @Test func historyJSON_hasNullWhileOpen() throws {
        try grids.assign(grid: "YS01-G01", butler: "E1001", from: day("2026-01-01"))
        try grids.assign(grid: "YS01-G01", butler: "E1002", from: day("2026-11-15"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(try grids.history(grid: "YS01-G01")), as: UTF8.self)
        #expect(json == #"[{"butler":"E1001","from":"2026-01-01","to":"2026-11-14"},{"butler":"E1002","from":"2026-11-15","to":null}]"#)
    }

    @Test func assigningBeforeTheLatestStart_isRefused_andHistoryIsUnchanged() throws {
        try grids.assign(grid: "YS01-G01", butler: "E1001", from: day("2026-01-01"))
        try grids.assign(grid: "YS01-G01", butler: "E1002", from: day("2026-11-15"))
        let before = try grids.history(grid: "YS01-G01")
        let error = butlerError { try grids.assign(grid: "YS01-G01", butler: "E1003", from: day("2026-06-01")) }
        #expect(error?.kind == .conflict)
        #expect(error?.field == "from")
        #expect(error?.messages == ["网格 YS01-G01 已有自 2026-11-15 起的指派；开始日期须晚于 2026-11-15（历史不会被改写）"])
        #expect(try grids.history(grid: "YS01-G01") == before)
    }

    @Test func sameDayAssignment_correctsTheButler() throws {
        try grids.assign(grid: "YS01-G01", butler: "E1001", from: day("2026-01-01"))
        try grids.assign(grid: "YS01-G01", butler: "E1002", from: day("2026-11-15"))
        #expect(try grids.assign(grid: "YS01-G01", butler: "E1003", from: day("2026-11-15")) == .corrected)
        let history = try grids.history(grid: "YS01-G01")
        #expect(history.map(\.butler) == ["E1001", "E1003"])
        #expect(history.map(\.to) == [try day("2026-11-14"), nil])
        #expect(try registry.count("grid_assignments") == 2)
    }

    @Test func assigningTheSameButlerAgain_isUnchanged() throws {
        try grids.assign(grid: "YS01-G01", butler: "E1001", from: day("2026-01-01"))
        #expect(try grids.assign(grid: "YS01-G01", butler: "E1001", from: day("2026-01-01")) == .unchanged)
        #expect(try grids.assign(grid: "YS01-G01", butler: "E1001", from: day("2026-03-01")) == .unchanged)
        #expect(try grids.history(grid: "YS01-G01").count == 1)
    }

    @Test func onlyButlersCanBeAssigned() throws {
        let manager = butlerError { try grids.assign(grid: "YS01-G01", butler: "M2001", from: day("2026-01-01")) }
        #expect(manager?.kind == .invalidInput)
        #expect(manager?.field == "butler")
        #expect(manager?.messages == ["M2001 是项目经理，不是管家"])
        #expect(butlerError { try grids.assign(grid: "YS01-G01", butler: "E0000", from: day("2026-01-01")) }?.kind == .notFound)
        #expect(try registry.count("grid_assignments") == 0)
    }

    @Test func list_showsProjectNamePhoneButlerAndHouseCount() throws {
        _ = try grids.cover(grid: "YS01-G01", building: "3", unit: nil, move: false)
        try grids.assign(grid: "YS01-G01", butler: "E1001", from: day("2026-01-01"))
        let list = try grids.list(on: day("2026-06-01"))
        #expect(list.map(\.grid) == ["YS01-G01", "YS01-G02"])
        #expect(list.map(\.project) == ["YS01", "YS01"])
        #expect(list.map(\.name) == ["一网格", "二网格"])
        #expect(list.map(\.phone) == ["057188880001", "057188880002"])
        #expect(list.map(\.butler) == ["E1001", nil])
        #expect(list.map(\.butlerName) == ["王管家", nil])
        #expect(list.map(\.houses) == [3, 0])
        #expect(try grids.list(project: "HB02").isEmpty)
        #expect(butlerError { try grids.list(project: "NOPE") }?.kind == .notFound)
    }

    /// CONTRACT: `grid list --json` elements have `"butler" (employee_no or null)`.
    @Test func listJSON_hasButlerNullForAGridWithoutButler() throws {
        let list = try grids.list(project: "YS01", on: day("2026-06-01"))
        let data = try JSONEncoder().encode(list)
        let objects = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(objects.count == 2)
        #expect(objects.allSatisfy { Set($0.keys) == ["grid", "project", "name", "phone", "butler", "houses"] })
        #expect(objects.first?["butler"] is NSNull)
    }

    // MARK: - Grid import

    @Test func gridImport_refusesHousesAlreadyInAnotherGrid() throws {
        _ = try grids.cover(grid: "YS01-G01", building: "3", unit: nil, move: false)
        let before = try registry.counts()
        let error = butlerError {
            try registry.load(.grids, """
                grid,project,name,phone,building,unit,butler,from
                YS01-G05,YS01,五网格,0571-88880005,3,2,E1002,2026-01-01
                """)
        }
        #expect(error?.messages == ["grids.csv:2: building: 3 栋 2 单元有 2 户已在网格 YS01-G01 中（要移过来请用 butler grid cover --move）"])
        #expect(try registry.counts() == before)
    }

    /// Rows of one grid in two projects: refused before anything is written (a first load
    /// would otherwise put one house in the grid twice).
    @Test func gridImport_refusesAGridSpanningTwoProjects() throws {
        let before = try registry.counts()
        let error = butlerError {
            try registry.load(.grids, """
                grid,project,name,phone,building,unit,butler,from
                YS01-G09,YS01,九网格,0571-88880009,3,,E1002,2026-01-01
                YS01-G09,HB02,九网格,0571-88880009,1,,E1002,2026-01-01
                """)
        }
        #expect(error?.messages == [
            "grids.csv:2: grid: 网格 YS01-G09：同一网格的每一行 project、name、phone、butler、from 必须相同",
            // The HB02 row also names a butler of YS01 (a grid is served by a butler of its project).
            "grids.csv:3: butler: E1002 是 YS01 的管家，不是 HB02 的（网格只能由本项目的管家服务）",
        ])
        #expect(try registry.counts() == before)
    }

    // MARK: - Entrustments

    @Test func overlappingEntrustmentsOfOneHouse_areRefused() throws {
        let store = EntrustmentStore(db: db)
        _ = try store.entrust(house: "YS01/3-1-101", kind: .unpaid, from: day("2026-01-01"), to: day("2026-06-30"), keys: 2)
        let error = butlerError {
            try store.entrust(house: "YS01/3-1-101", kind: .paid, from: day("2026-06-30"), to: nil, keys: 1)
        }
        #expect(error?.kind == .conflict)
        #expect(error?.messages == ["房屋 YS01/3-1-101 已有委托 2026-01-01..2026-06-30；同一房屋的委托期不能重叠"])
        // The next day, and another house on the same dates, are fine.
        _ = try store.entrust(house: "YS01/3-1-101", kind: .paid, from: day("2026-07-01"), to: nil, keys: 1)
        _ = try store.entrust(house: "YS01/3-2-1502", kind: .paid, from: day("2026-01-01"), to: nil, keys: 0)
        // An open entrustment blocks everything after it.
        #expect(butlerError { try store.entrust(house: "YS01/3-1-101", kind: .unpaid, from: day("2030-01-01"), to: nil, keys: 0) }?.kind == .conflict)
        #expect(try registry.count("entrustments") == 3)
    }

    @Test func entrust_checksItsArguments() throws {
        let store = EntrustmentStore(db: db)
        #expect(butlerError { try store.entrust(house: "YS01/3-1-101", kind: .paid, from: day("2026-02-01"), to: day("2026-01-01"), keys: 0) }?.kind == .invalidInput)
        #expect(butlerError { try store.entrust(house: "YS01/3-1-101", kind: .paid, from: day("2026-02-01"), to: nil, keys: 100) }?.kind == .invalidInput)
        #expect(butlerError { try store.entrust(house: "YS01-3-1-101", kind: .paid, from: day("2026-02-01"), to: nil, keys: 0) }?.kind == .invalidInput)
        #expect(butlerError { try store.entrust(house: "YS01/9-9-999", kind: .paid, from: day("2026-02-01"), to: nil, keys: 0) }?.kind == .notFound)
        #expect(try registry.count("entrustments") == 0)
    }
}

extension CoverResult {
    var counts: [Int] { [added, moved, alreadyInGrid] }
}
