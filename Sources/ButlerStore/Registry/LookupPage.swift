/// Which houses of a lookup's matches are shown: `limit` from the `offset`-th, in natural
/// order (project, building, unit, room). A name prefix can match hundreds of houses; the
/// lookup says how many (`total`) and audits only the houses shown.
public struct LookupPage: PageWindow, Sendable, Equatable {
    /// Houses per page unless asked otherwise.
    public static let defaultLimit = 50
    /// The most a page may hold (the lookup function refuses more as well).
    public static let maxLimit = 100

    public let limit: Int
    public let offset: Int

    public static let first = LookupPage(uncheckedLimit: defaultLimit, offset: 0)

    private init(uncheckedLimit limit: Int, offset: Int) {
        self.limit = limit
        self.offset = offset
    }

    public init(limit: Int = LookupPage.defaultLimit, offset: Int = 0) throws {
        guard (1...Self.maxLimit).contains(limit) else {
            throw ButlerError(.invalidInput, field: "limit", "每页户数须在 1 到 \(Self.maxLimit) 之间，收到 \(limit)")
        }
        guard offset >= 0 else { throw ButlerError(.invalidInput, field: "offset", "起始位置不能为负数，收到 \(offset)") }
        self.init(uncheckedLimit: limit, offset: offset)
    }

    /// From request text (`?limit=&offset=`); absent means the default.
    public init(limitText: String?, offsetText: String?) throws {
        func number(_ text: String?, field: String, default value: Int) throws -> Int {
            guard let text else { return value }
            guard let number = Int(text) else {
                throw ButlerError(.invalidInput, field: field, "不是整数：\(text.prefix(40))")
            }
            return number
        }
        try self.init(limit: number(limitText, field: "limit", default: Self.defaultLimit),
                      offset: number(offsetText, field: "offset", default: 0))
    }
}
