import ButlerStore
import Foundation
import Testing

/// `butler calendar` as a person sees it (issue 13 #2, #3, #7). In the CLI suite: the executable
/// runs on the CLI tests' own database, one test at a time.
extension CLITests {
    static func holidayCN(_ year: Int) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/holiday-cn/\(year).json").path
    }

    @Test func calendarShow_speaksChinese_andListsEveryHolidayTouchingTheYear() throws {
        let fallback = try butler("calendar", "show", "2027")
        #expect(fallback.status == 0)
        #expect(fallback.stdout.hasSuffix("2027 年工作日：\(254) 天（未导入官方安排，按法定节假日推算）\n"), "\(fallback.stdout)")
        #expect(!fallback.stdout.contains("working days"))
        #expect(fallback.stderr.contains("2027 年没有官方安排"))
        // New Year 2024 ran 2023-12-30...2024-01-01; the table's columns line up under the Chinese header.
        let shown = try butler("calendar", "show", "2024")
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "节假日  自          至          天数")
        #expect(lines.contains("元旦    2023-12-30  2024-01-01  3"), "\(shown.stdout)")
        #expect(shown.stdout.hasSuffix("2024 年工作日：251 天\n"))
        let merged = try butler("calendar", "show", "2028")
        #expect(merged.stdout.contains("国庆节、中秋节"))
        #expect(!merged.stdout.contains("国庆节、国庆节"))
        for help in [["calendar", "--help"], ["calendar", "import", "--help"], ["calendar", "show", "--help"]] {
            let text = try butler(help).stdout
            #expect(text.range(of: #"[0-9]{3} #[0-9]"#, options: .regularExpression) == nil, "\(text)")
        }
    }

    /// Real holiday-cn files: 2023's lists 2022-12-31; importing it kept 2022 at 249 working days.
    @Test func calendarImport_keepsTheYearBeforeWhole() throws {
        for year in [2022, 2023] {
            let run = try butler("calendar", "import", Self.holidayCN(year))
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "已导入 \(year) 年官方安排\n")
        }
        let shown = try butler("calendar", "show", "2022", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(object["working_days"] as? Int == 249)
        #expect(object["official"] as? Bool == true)
    }

    /// The repo's 2024-2026 CSV imports as three years; a bad file is refused in Chinese with its
    /// file, line and date, exit 1.
    @Test func calendarImport_takesTheShippedMultiYearCSV_andSaysWhatIsWrongInChinese() throws {
        let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seed/calendar/cn_holidays_2024_2026.csv")
        let run = try butler("calendar", "import", seed.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "已导入 2024、2025、2026 年官方安排\n")
        let shown = try butler("calendar", "show", "2025")
        #expect(shown.stdout.hasSuffix("2025 年工作日：248 天\n"), "\(shown.stdout)")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("calendar-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bad = dir.appendingPathComponent("2030.csv")
        try Data("date,kind,holiday\n2030-01-01,off,元旦\n2030-05-01,holiday,劳动节\n".utf8).write(to: bad)
        let refused = try butler("calendar", "import", bad.path)
        #expect(refused.status == 1)
        #expect(refused.stderr == "butler: 2030.csv:3: kind: 'holiday' 不是 off（休息）或 work（上班）\n", "\(refused.stderr)")
        let missing = try butler("calendar", "import", dir.appendingPathComponent("none.csv").path)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("无法读取文件"))
    }
}
