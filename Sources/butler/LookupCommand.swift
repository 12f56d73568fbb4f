import ArgumentParser
import ButlerCore
import ButlerStore

struct LookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Call-centre lookup: the households for a phone number, house code or name.",
        discussion: """
            Phones may carry +86, spaces and dashes; names match exactly or by prefix. Phones are \
            masked unless --reveal. Every lookup is written to the audit log (butler audit).
            Example: butler lookup --phone "+86 138-1234-5678" --agent E9001
            """)
    @Option(help: "Caller's phone number.") var phone: String?
    @Option(help: "House code (e.g. YS01/3-2-1502).") var house: String?
    @Option(help: "Resident name or its beginning.") var name: String?
    @Option(help: "Employee number of the agent looking (recorded in the audit log).") var agent: String
    @Flag(help: "Show full phone numbers.") var reveal = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if [phone, house, name].compactMap({ $0 }).count != 1 {
            throw ValidationError("Please provide exactly one of --phone, --house or --name.")
        }
    }

    func run() throws {
        let query: LookupQuery = if let phone { .phone(phone) } else if let house { .house(house) } else { .name(name ?? "") }
        let result = try withDatabase { db in try CallCentre(db: db).lookup(query, agent: agent, reveal: reveal) }
        if output.json { return try printJSON(result) }
        if result.houses.isEmpty {
            print("no household found for \(query.description)")
            return
        }
        for card in result.houses {
            let butler = card.butler.map { "\($0.name)（\($0.employee_no)）" } ?? "未分配"
            print("\(card.house)  \(card.project)  \(Occupancy(rawValue: card.occupancy)?.label ?? card.occupancy)")
            print("  网格 \(card.grid ?? "—")  网格电话 \(card.grid_phone ?? "—")  管家 \(butler)  待办 \(card.open_tasks)")
            if let e = card.entrustment {
                print("  委托代管 \(e.kind == "paid" ? "有偿" : "无偿") \(e.from)–\(e.to ?? "") 钥匙 \(e.keys)")
            }
            var residents = TextTable(["住户", "身份", "电话", "标签"])
            for r in card.residents {
                residents.append([r.name, ResidentRole(rawValue: r.role)?.label ?? r.role, r.phone, r.tags.joined(separator: ",")])
            }
            print(residents.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            for c in card.recent.prefix(5) {
                print("  \(c.at.prefix(16).replacingOccurrences(of: "T", with: " "))  \(TouchpointKind(rawValue: c.kind)?.label ?? c.kind)  \(c.note)")
            }
            print("")
        }
    }
}

extension LookupQuery: CustomStringConvertible {
    public var description: String {
        switch self {
        case .phone(let p): "phone \(p)"
        case .house(let h): "house \(h)"
        case .name(let n): "name \(n)"
        }
    }
}
