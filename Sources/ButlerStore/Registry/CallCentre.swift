import ButlerCore
import Foundation
import Postgres

/// One household as the call centre sees it (the `lookup --json` shape of the contract).
public struct HouseholdCard: Sendable, Codable, Equatable {
    public struct Butler: Sendable, Codable, Equatable {
        public let employee_no: String
        public let name: String
    }

    public struct Resident: Sendable, Codable, Equatable {
        public let name: String
        public let role: String
        public var phone: String
        public let tags: [String]
    }

    public struct Entrustment: Sendable, Codable, Equatable {
        public let kind: String
        public let from: String
        @EncodedAsNull public var to: String?
        public let keys: Int
    }

    public struct Contact: Sendable, Codable, Equatable {
        public let at: String
        public let kind: String
        public let note: String
    }

    public let house: String
    public let project: String
    public let occupancy: String
    @EncodedAsNull public var grid: String?
    @EncodedAsNull public var grid_phone: String?
    @EncodedAsNull public var butler: Butler?
    public var residents: [Resident]
    @EncodedAsNull public var entrustment: Entrustment?
    public let open_tasks: Int
    public let recent: [Contact]
    /// 002 #21: whether the house owes for a month before this one; the amount is never on the card.
    public let in_arrears: Bool

}

public struct LookupResult: Sendable, Codable, Equatable {
    public struct Query: Sendable, Codable, Equatable {
        public let kind: String
        public let value: String
        public let agent: String
        public let revealed: Bool
    }

    public let query: Query
    public let page: Paging
    public let houses: [HouseholdCard]

    public var total: Int { page.total }
    public var truncated: Bool { page.truncated }

    public init(_ summary: LookupSummary, houses: [HouseholdCard]) {
        query = summary.query
        page = summary.page
        self.houses = houses
    }
}

/// A lookup's result without its houses: the same keys as ``LookupResult`` but `houses`.
public struct LookupSummary: Sendable, Codable, Equatable {
    public let query: LookupResult.Query
    public let page: Paging
}

/// A lookup whose cards are still JSON text (the `lookup --json` card shape).
public struct LookupJSON: Sendable {
    public let query: LookupResult.Query
    public let cards: [String]
    public let total: Int
    public let page: LookupPage

    /// Everything but the cards (`query`, `total`, `truncated`, the page), to wrap them.
    public var summary: LookupSummary {
        LookupSummary(query: query, page: .init(total: total, shown: cards.count, page: page))
    }
}

public struct AuditEntry: Sendable, Codable, Equatable {
    public let at: String
    public let agent: String
    public let query: String
    public let houses: [String]
}

public struct RefusalEntry: Sendable, Codable, Equatable {
    public let at: String
    public let agent: String
    public let query: String
    /// The reason's code (`unknown agent`, `role butler`, `house outside E1001's scope`).
    public let reason: String

    /// The reason in Chinese, for people (the code stays in `--json`).
    public var reasonLabel: String { Self.label(reason: reason) }

    /// A refusal code of the lookup function (schema/0011) in Chinese; an unknown code as it is.
    public static func label(reason: String) -> String {
        if reason == "unknown agent" { return "工号未登记" }
        if reason.hasPrefix("role ") {
            let role = String(reason.dropFirst(5))
            return "\(StaffRole(rawValue: role)?.label ?? role)无权查询住户"
        }
        let outside = "house outside ", scope = "'s scope"
        if reason.hasPrefix(outside) && reason.hasSuffix(scope) {
            return "房屋不在 \(reason.dropFirst(outside.count).dropLast(scope.count)) 的服务范围内"
        }
        return reason
    }
}

/// Who asks for a lookup: the API passes the request's token (the database verifies it in the
/// same round trip); the CLI, run as the owner, names the staff member (`--agent`).
public enum LookupActor: Sendable {
    case token(String)
    case employee(String)

    var employeeNo: String {
        switch self {
        case .employee(let employee): employee
        case .token: ""
        }
    }
}

/// The token is missing, unknown or revoked (HTTP 401).
public struct Unauthenticated: Error {}

/// The call centre's "who is this household" in one step; every lookup is audited.
public struct CallCentre {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func lookup(_ query: LookupQuery, agent: String, reveal: Bool = false, page: LookupPage = .first) throws -> LookupResult {
        try lookup(query, as: .employee(agent), reveal: reveal, page: page)
    }

    public func lookup(_ query: LookupQuery, as actor: LookupActor, reveal: Bool = false,
                       page: LookupPage = .first) throws -> LookupResult {
        let found = try lookupJSON(query, as: actor, reveal: reveal, page: page)
        let decoder = JSONDecoder()
        let cards = try found.cards.map { try decoder.decode(HouseholdCard.self, from: Data($0.utf8)) }
        return LookupResult(found.summary, houses: cards)
    }

    /// The same lookup with each card as the JSON object the database built (phones masked
    /// there unless `reveal`): the HTTP API passes them through without decoding.
    ///
    /// One round trip (schema/0011): the database checks the actor's right and scope, finds
    /// the houses, counts them, audits the page it shows, and builds the cards. A malformed
    /// query is still checked for the right first (403 before 400), so probing without the
    /// right is on record too.
    public func lookupJSON(_ query: LookupQuery, as actor: LookupActor, reveal: Bool = false,
                           page: LookupPage = .first) throws -> LookupJSON {
        try lookupJSON(query, as: actor, reveal: reveal, page: .success(page))
    }

    /// `page` as the request gave it: a malformed page, like a malformed value, is refused only
    /// after the database has checked the actor's right (a probe without it is a refusal on
    /// record, 403 before 400), and nothing is searched or audited.
    public func lookupJSON(_ query: LookupQuery, as actor: LookupActor, reveal: Bool = false,
                           page requested: Result<LookupPage, any Error>) throws -> LookupJSON {
        let value = Result { try query.validated() }
        let page = try? requested.get()
        let rows = try run(kind: query.kind, query: query.text, value: page == nil ? nil : try? value.get(), reveal: reveal,
                           actor: actor, page: page ?? .first)
        let shown = try requested.get()
        _ = try value.get()
        return LookupJSON(query: .init(kind: query.kind, value: query.text, agent: rows.agent, revealed: reveal), cards: rows.cards,
                          total: rows.total, page: shown)
    }

    /// One house's card for `GET /v1/houses/…`: butlers may read the houses of the grids they
    /// serve today; nil when the house does not exist.
    public func houseCard(_ code: String, as actor: LookupActor) throws -> String? {
        let value = Result { try LookupQuery.house(code).validated() }
        let rows = try run(kind: "card", query: code, value: try? value.get(), reveal: false, actor: actor, page: .first)
        _ = try value.get()
        return rows.cards.first
    }

    private func run(kind: String, query: String, value: String?, reveal: Bool,
                     actor: LookupActor, page: LookupPage) throws -> (agent: String, cards: [String], total: Int) {
        // What is stored in the audit is printable (a query can carry terminal escapes).
        let shown = InputText.escapingControls(query)
        let rows: QueryResult
        switch actor {
        case .token(let token):
            // The function verifies the token itself and names its holder on every row.
            rows = try db.query("SELECT agent, card::text, refused, total FROM call_centre_lookup($1, $2, $3, $4, $5, $6, $7)",
                                [TokenStore.sha256(token), kind, shown, value, reveal, page.limit, page.offset])
            if try rows.first?.decode(2, as: String?.self) == "unauthorized" { throw Unauthenticated() }
        case .employee(let employee):
            let staffID: Int
            do {
                staffID = try RegistryLookup(db: db).staff(employee, field: "agent").id
            } catch let error as ButlerError where error.kind == .notFound {
                try refuse(kind == "card" ? "house" : kind, shown, agent: employee, reason: "unknown agent")
                throw ButlerError(.forbidden, field: "agent", "工号 \(employee) 未登记：只有登记在册的员工可以查询住户（此次拒绝已记录）")
            }
            rows = try db.query("SELECT agent, card::text, refused, total FROM household_lookup($1, $2, $3, $4, $5, $6, $7)",
                                [staffID, kind, shown, value, reveal, page.limit, page.offset])
        }
        let agent: String = try rows.first?.decode(0) ?? actor.employeeNo
        if let refusal = try rows.first?.decode(2, as: String?.self) {
            throw ButlerError(.forbidden, "\(agent) 不能查询（\(RefusalEntry.label(reason: refusal))），此次拒绝已记录")
        }
        let total = try rows.first?.decode(3, as: Int?.self) ?? 0
        return (agent, try rows.compactMap { try $0.decode(1, as: String?.self) }, total)
    }

    /// Records a refused lookup (append-only, `butler audit --refused`). The owner's path (the
    /// CLI); the server records refusals through the lookup function, in the token's name.
    func refuse(_ kind: String?, _ query: String?, agent: String, reason: String) throws {
        try db.execute("""
            INSERT INTO lookup_refusals (agent, query_kind, query, reason) VALUES ($1, $2, $3, $4)
            """, [agent, kind, query, reason])
    }

    /// Refused lookups, newest first.
    public func refusals(since: Day? = nil, agent: String? = nil, limit: Int = 1000) throws -> [RefusalEntry] {
        try db.query("""
            SELECT to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00', agent, coalesce(query_kind || ':' || query, ''), reason
            FROM lookup_refusals WHERE ($1::date IS NULL OR at >= $1::date) AND ($2::text IS NULL OR agent = $2)
            ORDER BY at DESC, id DESC LIMIT $3
            """, [since?.description, agent, limit]).map { row in
            RefusalEntry(at: try row.decode(0), agent: try row.decode(1), query: try row.decode(2), reason: try row.decode(3))
        }
    }

    /// The audit log, newest first.
    public func audit(since: Day? = nil, agent: String? = nil, limit: Int = 1000) throws -> [AuditEntry] {
        try db.query("""
            SELECT to_char(a.at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00', st.employee_no,
                   a.query_kind || ':' || a.query, a.houses
            FROM lookup_audit a JOIN staff st ON st.id = a.agent_id
            WHERE ($1::date IS NULL OR a.at >= $1::date) AND ($2::text IS NULL OR st.employee_no = $2)
            ORDER BY a.at DESC, a.id DESC LIMIT $3
            """, [since?.description, agent, limit]).map { row in
            AuditEntry(at: try row.decode(0), agent: try row.decode(1), query: try row.decode(2), houses: try row.decode(3))
        }
    }
}
