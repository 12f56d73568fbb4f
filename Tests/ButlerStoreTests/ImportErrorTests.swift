import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

/// 13 #1, #4, #10: every problem of a file in one run, in line order, with a message a person
/// can act on (file, line, field), and nothing written.
@Suite struct ImportErrorTests {
    let registry: Registry

    init() throws {
        registry = try Registry()
    }

    func refused(_ kind: ImportKind, _ csv: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let before = try registry.counts()
        let error = butlerError({ try registry.load(kind, csv) }, sourceLocation: sourceLocation)
        #expect(error?.kind == .invalidInput, sourceLocation: sourceLocation)
        #expect(try registry.counts() == before, "an import that fails must write nothing", sourceLocation: sourceLocation)
        return error?.messages ?? []
    }

    /// Before: lines 2, 3 and 5 only; the unknown project on line 4 came after fixing them.
    @Test func formatAndReferenceErrors_comeOutInOneRun_inLineOrder() throws {
        try registry.loadFixtures(through: .staff)
        #expect(try refused(.houses, """
            \(Fixture.housesHeader)
            YS01,3,2,1502,15,128.50,self,2020-02-30,no
            YS01,3,2,1501,15,98,empty,,yes
            XX99,1,1,101,1,60,self,,no
            YS01,3,1,101,1,88.2,vacant_furnished,,maybe
            YS01,5,1,201,2,120,vacant_bare,,0
            """) == [
                "houses.csv:2: move_in_date: '2020-02-30' 不是日期（YYYY-MM-DD）",
                "houses.csv:3: occupancy: 'empty' 不是以下之一：self, rented, vacant_furnished, vacant_bare",
                "houses.csv:4: project: 未知项目 'XX99'（请先导入 projects）",
                "houses.csv:5: holiday_home: 'maybe' 不是 是/否（也可写 yes/no、true/false、1/0）",
            ])
    }

    /// Every kind: a format error on line 2, a reference error (the database's, or a duplicate
    /// in the file) on line 3, both in one run.
    static let formatThenReference: [(kind: ImportKind, csv: String, messages: [String])] = [
        (.projects, "code,name\nY-1,坏代码\nYS01,玉山花园\nYS01,重复\n", [
            "projects.csv:2: code: 'Y-1' 只能含字母和数字（例如 YS01）",
            "projects.csv:4: code: 与第 3 行重复（YS01）",
        ]),
        (.staff, "employee_no,name,phone,role,project\nE9001,甲,,cook,YS01\nE9002,乙,,butler,ZZ99\n", [
            "staff.csv:2: role: 'cook' 不是以下之一：butler, manager, agent, technician",
            "staff.csv:3: project: 未知项目 'ZZ99'（请先导入 projects）",
        ]),
        (.houses, "\(Fixture.housesHeader)\nYS01,7,1,101,x,60,self,,no\nZZ99,7,1,102,1,60,self,,no\n", [
            "houses.csv:2: floor: 'x' 不是 -5...200 之间的整数",
            "houses.csv:3: project: 未知项目 'ZZ99'（请先导入 projects）",
        ]),
        (.residents, "\(Fixture.residentsHeader)\nYS01,3,2,1502,王五,12,owner,,\nYS01,9,9,999,赵六,13912340000,owner,,\n", [
            "residents.csv:2: phone: '12' 不是电话号码（手机 1xxxxxxxxxx，或带区号的固话）",
            "residents.csv:3: room: 找不到房屋 YS01/9-9-999（请先导入 houses）",
        ]),
        (.grids, "grid,project,name,phone,building,unit,butler,from\nHB02-G1,HB02,甲,123,1,1,,\nHB02-G2,HB02,乙,0571-88880009,1,2,,\n", [
            "grids.csv:2: phone: '123' 不是电话号码（手机 1xxxxxxxxxx，或带区号的固话）",
            "grids.csv:3: building: HB02 的 1 栋 2 单元没有房屋",
        ]),
        (.entrustments, "project,building,unit,room,kind,from,to,keys\nYS01,3,2,1502,free,2026-01-01,,1\nYS01,9,9,999,paid,2026-01-01,,1\n", [
            "entrustments.csv:2: kind: 'free' 不是以下之一：unpaid, paid",
            "entrustments.csv:3: room: 找不到房屋 YS01/9-9-999（请先导入 houses）",
        ]),
        (.touchpoints, "\(Fixture.touchpointsHeader)\nYS01,3,2,1502,visit,E1001,yesterday,x\nYS01,3,2,1501,visit,E9999,2026-11-27T10:00,y\n", [
            "touchpoints.csv:2: at: 'yesterday' 不是时间（例如 2026-11-26T09:30）",
            "touchpoints.csv:3: by: 未知员工 'E9999'",
        ]),
        (.inspections, "project,building,unit,room,kind,by,at,finding\nYS01,3,1,101,sweep,E1001,2026-11-20T10:00,a\nYS01,9,9,999,check,E1001,2026-11-20T10:00,b\n", [
            "inspections.csv:2: kind: 'sweep' 不是以下之一：check, ventilation, cleaning",
            "inspections.csv:3: room: 找不到房屋 YS01/9-9-999（请先导入 houses）",
        ]),
        (.arrears, "project,building,unit,room,period,amount_due,amount_paid\nYS01,3,2,1502,2026-09,1.001,0\nYS01,9,9,999,2026-09,1,0\n", [
            "arrears.csv:2: amount_due: '1.001' 超过两位小数：金额以元为单位，最多到分",
            "arrears.csv:3: room: 找不到房屋 YS01/9-9-999（请先导入 houses）",
        ]),
        (.repairs, "number,project,building,unit,room,category,description,opened_at,opened_by\nR-1,YS01,3,2,1502,roof,漏水,2026-11-20T09:00,C3001\nR-2,YS01,9,9,999,water,漏水,2026-11-20T09:00,C3001\n", [
            "repairs.csv:2: category: 'roof' 不是以下之一：water, drainage, electric, gas, doors_windows, walls_floors, appliance, public_area, other",
            "repairs.csv:3: room: 找不到房屋 YS01/9-9-999（请先导入 houses）",
        ]),
    ]

    @Test(arguments: ImportKind.allCases)
    func everyKind_formatAndReferenceErrorsTogether(kind: ImportKind) throws {
        let example = try #require(Self.formatThenReference.first { $0.kind == kind })
        try registry.loadFixtures(through: .grids)
        #expect(try refused(kind, example.csv) == example.messages)
    }

    /// A wrong field count is a format error like the others: reported with the database's.
    @Test func wrongFieldCount_andUnknownProject_inOneRun() throws {
        try registry.loadFixtures(through: .staff)
        #expect(try refused(.houses, """
            \(Fixture.housesHeader)
            XX99,1,1,101,1,60,self,,no
            YS01,3,2,1501,15,98,rented,yes
            """) == [
                "houses.csv:2: project: 未知项目 'XX99'（请先导入 projects）",
                "houses.csv:3: 应有 9 个字段（\(Fixture.housesHeader)），实有 8 个",
            ])
    }

    /// Before: `projects.csv:1: cannot read the CSV header: cannotReadHeaderRow`.
    @Test func emptyFile_saysItIsEmpty() throws {
        let file = try TempFile(name: "projects.csv", bytes: Data())
        defer { file.cleanUp() }
        let error = butlerError { try CSVTable.read(path: file.path) }
        #expect(error?.messages == ["projects.csv:1: 文件是空的（第 1 行应是表头）"])
    }

    /// Before: the bytes were decoded as GB18030 (every name garbled) or refused with no line.
    @Test func invalidUTF8_namesFileAndLine() throws {
        var bytes = Data("code,name\nYS01,玉山花园\n".utf8)
        bytes.append(contentsOf: Array("HB02,湖滨".utf8) + [0xFF, 0xFE] + Array("\n".utf8))
        let file = try TempFile(name: "projects.csv", bytes: bytes)
        defer { file.cleanUp() }
        let detected = butlerError { try CSVTable.read(path: file.path) }
        #expect(detected?.messages == ["projects.csv:3: 不是有效的 UTF-8（前面的内容是 UTF-8，这一行有损坏的字节；请另存为 CSV UTF-8）"])
        let forced = butlerError { try CSVTable.read(path: file.path, encoding: .utf8) }
        #expect(forced?.messages == ["projects.csv:3: 不是有效的 UTF-8（若是 GB18030 文件，请指定编码 gb18030）"])
    }

    /// Before: PostgreSQL refused the COPY ("invalid byte sequence … 0x00") with no file or line.
    @Test func nulBytes_nameFileAndLine() throws {
        let file = try TempFile(name: "projects.csv", bytes: Data("code,name\nYS01,玉山\u{0}花园\nHB02,湖滨\n".utf8))
        defer { file.cleanUp() }
        let error = butlerError { try CSVTable.read(path: file.path) }
        #expect(error?.messages == ["projects.csv:2: 含有 NUL 字符（0x00）：文件可能是 UTF-16 或已损坏，请另存为 CSV UTF-8"])
    }

    /// Before: imported, HB02 named "湖滨公寓\nHB03,第三\n…" (the quote swallowed the rest).
    @Test func unclosedQuote_namesTheLineItOpenedOn() throws {
        let messages = try refused(.projects, """
            code,name
            YS01,玉山花园
            HB02,"湖滨公寓
            HB03,第三
            HB04,第四
            HB05,第五
            """)
        #expect(messages == ["projects.csv:3: 引号未闭合：这一行开始的带引号字段直到文件末尾都没有结束的引号（\"）"])
    }

    /// Before: `projects.csv:3: expected 2 fields (code,name), found 1`, naming no quote.
    @Test func unclosedQuote_reportsItsLine_notAFieldCount() throws {
        let messages = try refused(.projects, "code,name\nYS01,a\n\"HB02,b\nHB03,c\n")
        #expect(messages == ["projects.csv:3: 引号未闭合：这一行开始的带引号字段直到文件末尾都没有结束的引号（\"）"])
    }

    /// A file of nothing but errors lists the first `errorLimit` and counts the rest.
    @Test func manyErrors_areCapped_andTheRestCounted() throws {
        let rows = (0..<(Importer.errorLimit + 5)).map { "Y-\($0),x" }
        let messages = try refused(.projects, "code,name\n" + rows.joined(separator: "\n"))
        #expect(messages.count == Importer.errorLimit + 1)
        #expect(messages.first == "projects.csv:2: code: 'Y-0' 只能含字母和数字（例如 YS01）")
        #expect(messages.last == "……另有 5 个问题未列出")
    }
}
