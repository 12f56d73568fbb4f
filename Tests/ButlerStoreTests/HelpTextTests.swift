import Foundation
import Testing

/// `butler … --help` reads in Chinese for every command, and carries no internal seed
/// references (`(002 #28)`, `000`): those belong in code comments. The executable module
/// cannot be imported, so the command tree is listed here and checked against what each
/// group's help lists under SUBCOMMANDS (a command added later must be added here too).
/// Needs no database: it runs the built executable with `--help` only.
@Suite struct HelpTextTests {
    /// Every command path reachable from the root (the root itself is `[]`).
    static let commands: [[String]] = [
        [],
        ["db"], ["db", "migrate"], ["db", "status"], ["db", "grant"],
        ["import"],
        ["grid"], ["grid", "create"], ["grid", "cover"], ["grid", "assign"], ["grid", "list"], ["grid", "history"],
        ["entrust"],
        ["lookup"],
        ["audit"],
        ["calendar"], ["calendar", "import"], ["calendar", "show"],
        ["standards"], ["standards", "list"], ["standards", "set"],
        ["plan"],
        ["jobs"], ["jobs", "run"], ["jobs", "status"],
        ["tasks"],
        ["touch"],
        ["correct"],
        ["inspect"], ["inspect", "record"], ["inspect", "report"], ["inspect", "show"],
        ["patrol"],
        ["task"], ["task", "done"],
        ["order"], ["order", "create"], ["order", "schedule"], ["order", "complete"], ["order", "cancel"],
        ["order", "followup"], ["order", "list"],
        ["repair"], ["repair", "open"], ["repair", "dispatch"], ["repair", "grab"], ["repair", "sign"], ["repair", "contact"],
        ["repair", "delay"], ["repair", "complete"], ["repair", "followup"], ["repair", "reopen"], ["repair", "show"],
        ["repair", "list"],
        ["arrears"], ["arrears", "list"],
        ["complaint"], ["complaint", "close"],
        ["alert"], ["alert", "weather"], ["alert", "close"],
        ["holiday"], ["holiday", "arrival"],
        ["report"],
        ["token"], ["token", "create"], ["token", "revoke"],
        ["serve"],
    ]

    static var seedReference: Regex<AnyRegexOutput> { try! Regex(#"\b00[0-4]\b|#\d+\)"#) }

    @Test(arguments: commands)
    func help_isChinese_withoutSeedReferences(_ path: [String]) throws {
        let help = try Self.help(path)
        let name = (["butler"] + path).joined(separator: " ")
        #expect(help.contains(Self.seedReference) == false, "\(name) --help cites the seeds:\n\(help)")
        let overview = help.split(separator: "\n").first { $0.hasPrefix("OVERVIEW:") }.map(String.init) ?? ""
        #expect(Self.hasChinese(overview), "\(name) --help: the abstract is not Chinese: \(overview)")
        #expect(!help.contains("Example:"), "\(name) --help: examples read 示例：butler …")
    }

    /// The list above is the whole tree: each group lists exactly the children listed here.
    @Test(arguments: commands)
    func commandList_isComplete(_ path: [String]) throws {
        let listed = Self.subcommands(in: try Self.help(path))
        let expected = Self.commands.filter { $0.count == path.count + 1 && Array($0.prefix(path.count)) == path }.compactMap(\.last)
        #expect(Set(listed) == Set(expected), "butler \(path.joined(separator: " ")) --help lists \(listed.sorted()), the test \(expected.sorted())")
    }

    @Test func seedReferencePattern_matchesTheSeedsOnly() throws {
        #expect("月度走访 (002 #28)".contains(Self.seedReference))
        #expect("来源 000".contains(Self.seedReference))
        #expect(!"schema/0010 与 YS01-G03".contains(Self.seedReference))
    }

    /// The names under SUBCOMMANDS: lines indented by exactly two spaces (wrapped abstracts
    /// are indented further), up to the "See 'butler help …'" line.
    static func subcommands(in help: String) -> [String] {
        guard let section = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        var names: [String] = []
        for line in help[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  See ") { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first else { continue }
            names.append(String(name))
        }
        return names
    }

    static func hasChinese(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
    }

    static func help(_ path: [String]) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let binary = root.appendingPathComponent(".build/debug/butler")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("no butler executable at \(binary.path): run the tests with ops/test (swift test builds it)")
            return ""
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = path + ["--help"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "butler \(path.joined(separator: " ")) --help exited \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }
}
