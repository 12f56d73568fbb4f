import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

@Suite struct ImportTests {
    let registry: Registry
    var db: Connection { registry.db }

    init() throws {
        registry = try Registry()
    }

    // MARK: - Happy path, idempotence, one change

    /// Rows in each fixture file, and one edit that changes exactly one of them.
    static let cases: [(kind: ImportKind, rows: Int, find: String, replace: String)] = [
        (.projects, 2, "HB02,湖滨公寓", "HB02,湖滨公寓二期"),
        (.staff, 5, "E1003,陈管家,13800001003", "E1003,陈管家,13800001009"),
        (.houses, 5, "YS01,3,2,1501,15,98,rented", "YS01,3,2,1501,15,98,self"),
        (.residents, 4, "张三丰,13700001111,tenant,2023-03-01,", "张三丰,13700001111,tenant,2023-03-01,vip"),
        (.grids, 2, "YS01-G02,YS01,二网格", "YS01-G02,YS01,第二网格"),
        (.entrustments, 2, "unpaid,2020-01-01,,2", "unpaid,2020-01-01,,3"),
        (.touchpoints, 2, "上门拜访, 业主满意", "上门拜访, 业主不满意"),
        (.inspections, 2, "通风一小时", "通风两小时"),
        (.arrears, 2, "YS01,3,2,1502,2026-09,356.40,0", "YS01,3,2,1502,2026-09,356.40,356.40"),
        (.repairs, 2, "厨房水管漏水", "厨房水管爆裂"),
    ]

    static func fixture(_ kind: ImportKind) -> String {
        switch kind {
        case .projects: Fixture.projects
        case .staff: Fixture.staff
        case .houses: Fixture.houses
        case .residents: Fixture.residents
        case .grids: Fixture.grids
        case .entrustments: Fixture.entrustments
        case .touchpoints: Fixture.touchpoints
        case .inspections: Fixture.inspections
        case .arrears: Fixture.arrears
        case .repairs: Fixture.repairs
        }
    }

    @Test(arguments: ImportKind.allCases)
    func importingFixture_insertsEveryRow_reimportChangesNothing_oneEditUpdatesOne(kind: ImportKind) throws {
        let spec = try #require(Self.cases.first { $0.kind == kind })
        // Everything this kind depends on.
        if let previous = ImportKind.allCases.firstIndex(of: kind).flatMap({ $0 > 0 ? ImportKind.allCases[$0 - 1] : nil }) {
            try registry.loadFixtures(through: previous)
        }
        let csv = Self.fixture(kind)

        let first = try registry.load(kind, csv)
        #expect(first.summary == "\(kind.rawValue) \(kind.rawValue).csv utf8 rows=\(spec.rows) +\(spec.rows) ~0 =0")
        let before = try registry.counts()

        let again = try registry.load(kind, csv)
        #expect((again.inserted, again.updated, again.unchanged) == (0, 0, spec.rows))
        #expect(try registry.counts() == before)

        #expect(csv.contains(spec.find))
        if kind == .touchpoints || kind == .inspections || kind == .repairs {
            // Records are append-only: an edited record is refused with its line, nothing changes.
            let error = butlerError { _ = try registry.load(kind, csv.replacingOccurrences(of: spec.find, with: spec.replace)) }
            #expect(error?.kind == .invalidInput || error?.kind == .conflict)
            #expect(error?.description.contains("记录不会被覆盖") == true, "\(String(describing: error))")
            #expect(try registry.counts() == before)
            return
        }
        let edited = try registry.load(kind, csv.replacingOccurrences(of: spec.find, with: spec.replace))
        #expect((edited.inserted, edited.updated, edited.unchanged) == (0, 1, spec.rows - 1))
        var after = try registry.counts()
        if kind == .staff || kind == .residents {
            // A changed phone of a person is a new resident_phones row at most; rows of the imported table stay.
            after["resident_phones"] = before["resident_phones"]
        }
        #expect(after == before)
    }

    @Test func importedRows_haveTheValuesOfTheFile() throws {
        try registry.loadFixtures(through: .touchpoints)
        let house = try db.query("""
            SELECT code, floor, area_m2::text, occupancy, move_in_date::text, holiday_home
            FROM houses WHERE code = 'YS01/3-2-1502'
            """)[0]
        #expect(try house.decode(1, as: Int.self) == 15)
        #expect(try house.decode(2, as: String.self) == "128.50")
        #expect(try house.decode(3, as: String.self) == "self")
        #expect(try house.decode(4, as: String.self) == "2020-05-01")
        #expect(try house.decode(5, as: Bool.self) == false)
        #expect(try registry.text("SELECT code FROM houses WHERE holiday_home ORDER BY code") == ["YS01/3-2-1501"])
        // Phones normalised to digits; every phone of a person is searchable.
        #expect(try registry.text("SELECT phone FROM residents WHERE name = '张三'") == ["13812345678"])
        #expect(try registry.text("""
            SELECT rp.phone FROM resident_phones rp JOIN residents r ON r.id = rp.resident_id
            WHERE r.name = '李四' ORDER BY rp.phone
            """) == ["057188886666", "13912345678"])
        #expect(try registry.text("SELECT array_to_string(tags, ';') FROM house_residents hr JOIN residents r ON r.id = hr.resident_id WHERE r.name = '李四'")
                == ["elderly_alone;disabled"])
        // A quoted note with a comma, and one with a newline, are stored as written.
        #expect(try registry.text("SELECT note FROM touchpoints ORDER BY at") == ["上门拜访, 业主满意", "报修:\n厨房漏水"])
        #expect(try registry.text("SELECT to_char(at, 'YYYY-MM-DD HH24:MI') FROM touchpoints ORDER BY at")
                == ["2026-11-26 09:30", "2026-11-27 10:00"])
        #expect(try registry.text("SELECT g.code || ':' || h.code FROM grid_houses gh JOIN grids g ON g.id = gh.grid_id JOIN houses h ON h.id = gh.house_id ORDER BY h.code")
                == ["YS01-G01:YS01/3-1-101", "YS01-G01:YS01/3-2-1501", "YS01-G01:YS01/3-2-1502", "YS01-G02:YS01/5-1-201"])
        #expect(try registry.text("SELECT phone FROM grids ORDER BY code") == ["057188880001", "057188880002"])
    }

    // MARK: - Every error class: exact message, nothing written

    /// Imports `csv` expecting it refused with exactly `messages`, and checks no table changed.
    func expectRefused(_ kind: ImportKind, _ csv: String, _ messages: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try registry.counts()
        let error = butlerError({ try registry.load(kind, csv) }, sourceLocation: sourceLocation)
        #expect(error?.kind == .invalidInput, sourceLocation: sourceLocation)
        #expect(error?.messages == messages, sourceLocation: sourceLocation)
        #expect(try registry.counts() == before, "an import that fails must write nothing", sourceLocation: sourceLocation)
    }

    @Test func unknownOccupancy_isRefusedWithFileLineAndColumn() throws {
        try registry.loadFixtures(through: .staff)
        try expectRefused(.houses, """
            \(Fixture.housesHeader)
            YS01,3,2,1502,15,128.50,self,2020-05-01,no
            YS01,3,2,1501,15,98,empty,,yes
            """, ["houses.csv:3: occupancy: 'empty' 不是以下之一：self, rented, vacant_furnished, vacant_bare"])
        #expect(try registry.count("houses") == 0)
    }

    @Test func badDate_isRefused() throws {
        try registry.loadFixtures(through: .staff)
        try expectRefused(.houses, """
            \(Fixture.housesHeader)
            YS01,3,2,1502,15,128.50,self,2026-02-30,no
            YS01,3,2,1501,15,98,self,2026/05/01,no
            """, [
                "houses.csv:2: move_in_date: '2026-02-30' 不是日期（YYYY-MM-DD）",
                "houses.csv:3: move_in_date: '2026/05/01' 不是日期（YYYY-MM-DD）",
            ])
        #expect(try registry.count("houses") == 0)
    }

    @Test func badPhone_isRefused_andNoResidentIsWritten() throws {
        try registry.loadFixtures(through: .houses)
        try expectRefused(.residents, """
            \(Fixture.residentsHeader)
            YS01,3,2,1502,张三,13812345678,owner,,
            YS01,3,2,1501,李四,138123,owner,,
            """, ["residents.csv:3: phone: '138123' 不是电话号码（手机 1xxxxxxxxxx，或带区号的固话）"])
        #expect(try registry.count("residents") == 0)
        #expect(try registry.count("resident_phones") == 0)
        #expect(try registry.count("house_residents") == 0)
    }

    @Test func residentsOfAMissingHouse_areRefused_andNothingIsWritten() throws {
        try registry.loadFixtures(through: .houses)
        try expectRefused(.residents, """
            \(Fixture.residentsHeader)
            YS01,3,2,1502,张三,13812345678,owner,,
            YS01,9,9,999,李四,13912345678,owner,,
            """, ["residents.csv:3: room: 找不到房屋 YS01/9-9-999（请先导入 houses）"])
        #expect(try registry.count("residents") == 0)
        #expect(try registry.count("house_residents") == 0)
    }

    @Test func unknownProject_isRefused_andTheValidRowsAreNotWrittenEither() throws {
        try registry.loadFixtures(through: .staff)
        try expectRefused(.houses, """
            \(Fixture.housesHeader)
            YS01,3,2,1502,15,128.50,self,2020-05-01,no
            XX99,1,1,101,1,60,self,,no
            """, ["houses.csv:3: project: 未知项目 'XX99'（请先导入 projects）"])
        #expect(try registry.count("houses") == 0)
    }

    @Test func duplicateRowInFile_namesTheFirstLine() throws {
        try registry.loadFixtures(through: .staff)
        try expectRefused(.houses, """
            \(Fixture.housesHeader)
            YS01,3,2,1502,15,128.50,self,2020-05-01,no
            YS01,3,2,1501,15,98,rented,,yes
            YS01,3,2,1502,15,128.50,rented,2020-05-01,no
            """, ["houses.csv:4: project: 与第 2 行重复（YS01/3-2-1502）"])
        #expect(try registry.count("houses") == 0)
    }

    @Test func wrongFieldCount_isRefused() throws {
        try registry.loadFixtures(through: .staff)
        try expectRefused(.houses, """
            \(Fixture.housesHeader)
            YS01,3,2,1502,15,128.50,self,2020-05-01,no
            YS01,3,2,1501,15,98,rented,yes
            """, ["houses.csv:3: 应有 9 个字段（\(Fixture.housesHeader)），实有 8 个"])
        #expect(try registry.count("houses") == 0)
    }

    @Test func missingHeaderColumn_isRefusedOnLine1() throws {
        try registry.loadFixtures(through: .staff)
        try expectRefused(.houses, """
            project,building,unit,room,floor,area_m2,move_in_date,holiday_home
            YS01,3,2,1502,15,128.50,2020-05-01,no
            """, ["houses.csv:1: 表头: 缺少列 occupancy；应为 \(Fixture.housesHeader)"])
        #expect(try registry.count("houses") == 0)
    }

    @Test func severalErrors_areAllReportedInLineOrder() throws {
        try registry.loadFixtures(through: .staff)
        try expectRefused(.houses, """
            \(Fixture.housesHeader)
            YS01,3,2,1502,15,128.50,empty,2020-05-01,no
            YS01,3,2,1501,15,98,rented,tomorrow,maybe
            """, [
                "houses.csv:2: occupancy: 'empty' 不是以下之一：self, rented, vacant_furnished, vacant_bare",
                "houses.csv:3: move_in_date: 'tomorrow' 不是日期（YYYY-MM-DD）",
                "houses.csv:3: holiday_home: 'maybe' 不是 是/否（也可写 yes/no、true/false、1/0）",
            ])
    }

    @Test func lineNumbers_countTheLinesOfAQuotedMultilineFieldOnAnEarlierRow() throws {
        try registry.loadFixtures(through: .houses)
        // Row 1 spans lines 2-4; the bad row is on line 5 (what an editor shows).
        try expectRefused(.touchpoints, """
            \(Fixture.touchpointsHeader)
            YS01,3,2,1502,visit,E1001,2026-11-26T09:30,"第一行
            第二行, 有逗号
            第三行"
            YS01,3,2,1501,visitt,,2026-11-27 10:00,ok
            """, ["touchpoints.csv:5: kind: 'visitt' 不是以下之一：call_in, call_out, visit, meeting, message, complaint, compliment, opinion, collection_call, collection_message, collection_letter"])
        #expect(try registry.count("touchpoints") == 0)
    }

    @Test func wrongFieldCount_afterAMultilineField_isReportedOnItsPhysicalLine() throws {
        try registry.loadFixtures(through: .houses)
        try expectRefused(.touchpoints, """
            \(Fixture.touchpointsHeader)
            YS01,3,2,1502,visit,E1001,2026-11-26T09:30,"a
            b"
            YS01,3,2,1501,call_in,,2026-11-27 10:00
            """, ["touchpoints.csv:4: 应有 8 个字段（\(Fixture.touchpointsHeader)），实有 7 个"])
    }

    @Test func databaseCheckAfterAMultilineField_reportsThePhysicalLine() throws {
        try registry.loadFixtures(through: .houses)
        try expectRefused(.touchpoints, """
            \(Fixture.touchpointsHeader)
            YS01,3,2,1502,visit,E1001,2026-11-26T09:30,"a
            b"
            YS01,9,9,999,call_in,,2026-11-27 10:00,"x, y"
            YS01,3,2,1501,call_in,E9999,2026-11-27 10:00,z
            """, [
                "touchpoints.csv:4: room: 找不到房屋 YS01/9-9-999（请先导入 houses）",
                "touchpoints.csv:5: by: 未知员工 'E9999'",
            ])
    }

    @Test func blankLinesAndCRLF_stillCountAsLines() throws {
        try registry.loadFixtures(through: .houses)
        let csv = Fixture.touchpointsHeader + "\r\n"
            + "YS01,3,2,1502,visit,E1001,2026-11-26T09:30,\"a\r\nb\"\r\n"   // lines 2-3
            + "\r\n"                                                          // line 4, blank
            + "YS01,3,2,1501,visitt,,2026-11-27 10:00,ok\r\n"                 // line 5
        try expectRefused(.touchpoints, csv, [
            "touchpoints.csv:5: kind: 'visitt' 不是以下之一：call_in, call_out, visit, meeting, message, complaint, compliment, opinion, collection_call, collection_message, collection_letter",
        ])
    }

    @Test func headerOnlyFile_importsNothing() throws {
        let report = try registry.load(.projects, "code,name\n")
        #expect(report.summary == "projects projects.csv utf8 rows=0 +0 ~0 =0")
        let empty = butlerError { try registry.load(.projects, "") }
        #expect(empty?.kind == .invalidInput)
        #expect(empty?.messages.first?.hasPrefix("projects.csv:1: ") == true)
    }

    @Test func quotedFieldsWithCommas_areOneField() throws {
        try registry.load(.projects, """
            code,name
            YS01,"玉山花园, 一期"
            HB02,"湖滨 ""公寓"", 二期"
            """)
        #expect(try registry.text("SELECT name FROM projects ORDER BY code") == ["湖滨 \"公寓\", 二期", "玉山花园, 一期"])
    }

    @Test func overlappingEntrustmentsInAFile_areRefused() throws {
        try registry.loadFixtures(through: .grids)
        try expectRefused(.entrustments, """
            project,building,unit,room,kind,from,to,keys
            YS01,3,1,101,unpaid,2026-01-01,2026-06-30,2
            YS01,3,1,101,paid,2026-06-30,,1
            """, ["entrustments.csv:3: from: 与第 2 行同一房屋的委托重叠"])
    }

    // MARK: - Encodings

    @Test func gb18030File_isDetectedAndImportedWithCorrectChinese() throws {
        // "玉山花园" in GB18030, written by hand so the test does not depend on iconv.
        var bytes = Data("code,name\nYS01,".utf8)
        bytes.append(contentsOf: [0xD3, 0xF1, 0xC9, 0xBD, 0xBB, 0xA8, 0xD4, 0xB0])
        bytes.append(contentsOf: Array("\n".utf8))
        let file = try TempFile(name: "项目.csv", bytes: bytes)
        defer { file.cleanUp() }

        let table = try CSVTable.read(path: file.path)
        #expect(table.encoding == .gb18030)
        let report = try Importer(db: db).run(.projects, table: table)
        #expect(report.summary == "projects 项目.csv gb18030 rows=1 +1 ~0 =0")
        #expect(try registry.text("SELECT name FROM projects") == ["玉山花园"])
    }

    @Test func gb18030ResidentsFile_fromIconv_keepsNamesAndLineNumbers() throws {
        try registry.loadFixtures(through: .houses)
        let file = try TempFile(name: "residents.csv", bytes: try gb18030Bytes(Fixture.residents))
        defer { file.cleanUp() }
        let table = try CSVTable.read(path: file.path)
        #expect(table.encoding == .gb18030)
        let report = try Importer(db: db).run(.residents, table: table)
        #expect((report.encoding, report.inserted) == ("gb18030", 4))
        #expect(try registry.text("SELECT name FROM residents ORDER BY name COLLATE \"C\"") == ["张三", "张三丰", "李四"])

        // An error in a GB18030 file still names the file, line and column.
        let bad = try TempFile(name: "bad.csv", bytes: try gb18030Bytes("\(Fixture.residentsHeader)\nYS01,3,2,1502,王五,13812345678,业主,,\n"))
        defer { bad.cleanUp() }
        let error = butlerError { try Importer(db: db).run(.residents, table: try CSVTable.read(path: bad.path)) }
        #expect(error?.messages == ["bad.csv:2: role: '业主' 不是以下之一：owner, family, tenant"])
    }

    @Test func utf8FileWithBOM_isReadAsUTF8WithACleanHeader() throws {
        let file = try TempFile(name: "projects.csv", text: "\u{FEFF}code,name\r\nYS01,玉山花园\r\n")
        defer { file.cleanUp() }
        let table = try CSVTable.read(path: file.path)
        #expect(table.encoding == .utf8)
        #expect(table.header == ["code", "name"])
        let report = try Importer(db: db).run(.projects, table: table)
        #expect((report.encoding, report.inserted) == ("utf8", 1))
        #expect(try registry.text("SELECT code || ' ' || name FROM projects") == ["YS01 玉山花园"])
    }

    @Test func utf8FileWithoutBOM_isReadAsUTF8() throws {
        let file = try TempFile(name: "projects.csv", text: Fixture.projects)
        defer { file.cleanUp() }
        let table = try CSVTable.read(path: file.path)
        #expect(table.encoding == .utf8)
        #expect(table.records.map { $0["name"] } == ["玉山花园", "湖滨公寓"])
        #expect(table.records.map(\.line) == [2, 3])
    }

    @Test func missingFile_isAnInputError() throws {
        let error = butlerError { try CSVTable.read(path: "/nonexistent/houses.csv") }
        #expect(error?.kind == .invalidInput)
        #expect(error?.messages == ["/nonexistent/houses.csv: 无法读取文件（文件是否存在？）"])
    }
}

/// SQL injection attempts in every free-text field are stored verbatim, and the tables survive.
@Suite struct InjectionTests {
    static let attempts = ["'; DROP TABLE houses; --", "Robert'); --", "Robert'); DROP TABLE residents; --"]
    let registry: Registry
    var db: Connection { registry.db }

    init() throws {
        registry = try Registry()
        try registry.loadFixtures(through: .grids)
    }

    func csvQuoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    func tablesSurvive(sourceLocation: SourceLocation = #_sourceLocation) throws {
        for table in ["projects", "staff", "houses", "residents", "grids", "grid_houses", "touchpoints"] {
            #expect(try db.query(SQL(unsafeRaw: "SELECT to_regclass('\(table)') IS NOT NULL"))[0].decode(0, as: Bool.self),
                    "table \(table) is gone", sourceLocation: sourceLocation)
        }
        #expect(try registry.count("houses") >= 5, sourceLocation: sourceLocation)
    }

    @Test func residentNames_areStoredVerbatim_andFoundByLookup() throws {
        var csv = Fixture.residentsHeader + "\n"
        for (i, evil) in Self.attempts.enumerated() {
            csv += "YS01,3,1,101,\(csvQuoted(evil)),1390000000\(i),tenant,,\n"
        }
        let report = try registry.load(.residents, csv)
        #expect(report.inserted == Self.attempts.count)
        for evil in Self.attempts {
            #expect(try registry.text("SELECT name FROM residents WHERE name = $1", [evil]) == [evil])
            let found = try CallCentre(db: db).lookup(.name(evil), agent: "C3001")
            #expect(found.houses.map(\.house) == ["YS01/3-1-101"])
            #expect(found.houses.first?.residents.contains { $0.name == evil } == true)
        }
        try tablesSurvive()
    }

    @Test func houseFields_withDashesAreRefusedByValidation_otherwiseStoredVerbatim() throws {
        // '-' and '/' are not allowed in building, unit and room (they separate the house code),
        // so the classic attempts are refused as input errors, not executed.
        let before = try registry.counts()
        let refused = butlerError {
            try registry.load(.houses, Fixture.housesHeader + "\n"
                + "YS01,\(csvQuoted(Self.attempts[0])),\(csvQuoted(Self.attempts[1])),1,1,50,self,,no\n")
        }
        #expect(refused?.messages.count == 2)
        #expect(refused?.messages.first?.hasPrefix("houses.csv:2: building: ''; DROP TABLE houses; --' 不能含有") == true)
        #expect(try registry.counts() == before)

        // Without dashes the same kind of text is a legal (if odd) building, unit and room.
        let building = "'; DROP TABLE houses;", unit = "Robert'); DROP TABLE residents;", room = "x\" OR 1=1; \\N"
        try registry.load(.houses, Fixture.housesHeader + "\n"
            + "YS01,\(csvQuoted(building)),\(csvQuoted(unit)),\(csvQuoted(room)),1,50,self,,no\n")
        let row = try db.query("SELECT building, unit, room, code FROM houses WHERE building = $1", [building])
        #expect(row.count == 1)
        #expect(try row.first?.decode(1, as: String.self) == unit)
        #expect(try row.first?.decode(2, as: String.self) == room)
        #expect(try row.first?.decode(3, as: String.self) == "YS01/\(building)-\(unit)-\(room)")
        try tablesSurvive()
        #expect(try registry.count("residents") == 3)
    }

    @Test func gridNames_fromImportAndCreate_areStoredVerbatim() throws {
        // Building 3 unit 1 is already in YS01-G01; use the other project's house.
        try registry.load(.grids, """
            grid,project,name,phone,building,unit,butler,from
            HB02-G09,HB02,\(csvQuoted(Self.attempts[0])),0571-88880009,1,1,,
            """)
        #expect(try registry.text("SELECT name FROM grids WHERE code = 'HB02-G09'") == [Self.attempts[0]])
        _ = try GridStore(db: db).create(code: "YS01-G10", project: "YS01", name: Self.attempts[1], phone: "0571-88880010")
        _ = try GridStore(db: db).create(code: "YS01-G11", project: "YS01", name: Self.attempts[2], phone: "0571-88880011")
        #expect(try registry.text("SELECT name FROM grids WHERE code IN ('YS01-G10', 'YS01-G11') ORDER BY code")
                == [Self.attempts[1], Self.attempts[2]])
        #expect(try GridStore(db: db).list(project: "YS01").map(\.name).contains(Self.attempts[2]))
        try tablesSurvive()
    }

    @Test func touchpointNotes_areStoredVerbatim_includingCopyEscapes() throws {
        let notes = Self.attempts + ["tab\there, backslash \\ and \\N", "多行\n'; DELETE FROM touchpoints; --"]
        var csv = Fixture.touchpointsHeader + "\n"
        for (i, note) in notes.enumerated() {
            csv += "YS01,3,2,1502,visit,E1001,2026-11-2\(i + 1)T09:30,\(csvQuoted(note))\n"
        }
        let report = try registry.load(.touchpoints, csv)
        #expect(report.inserted == notes.count)
        #expect(try registry.text("SELECT note FROM touchpoints ORDER BY at") == notes)
        let card = try CallCentre(db: db).lookup(.house("YS01/3-2-1502"), agent: "C3001").houses.first
        #expect(Set(card?.recent.map(\.note) ?? []) == Set(notes))
        try tablesSurvive()
    }

    @Test func staffAndProjectNames_areStoredVerbatim() throws {
        try registry.load(.projects, "code,name\nZZ01,\(csvQuoted(Self.attempts[0]))\n")
        try registry.load(.staff, "employee_no,name,phone,role\nE9001,\(csvQuoted(Self.attempts[1])),,agent\n")
        #expect(try registry.text("SELECT name FROM projects WHERE code = 'ZZ01'") == [Self.attempts[0]])
        #expect(try registry.text("SELECT name FROM staff WHERE employee_no = 'E9001'") == [Self.attempts[1]])
        // Codes are letters and digits only: an attempt there is an input error.
        let error = butlerError { try registry.load(.projects, "code,name\n\(csvQuoted(Self.attempts[0])),x\n") }
        #expect(error?.messages == ["projects.csv:2: code: ''; DROP TABLE houses; --' 只能含字母和数字（例如 YS01）"])
        try tablesSurvive()
    }
}

extension ImportReport {
    /// `kind file encoding rows=N +inserted ~updated =unchanged`, to compare a whole report at once.
    var summary: String { "\(kind) \(file) \(encoding) rows=\(rows) +\(inserted) ~\(updated) =\(unchanged)" }
}
