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
}
