import ButlerCore
import Foundation
import Postgres

/// What the call centre searches by.
public enum LookupQuery: Sendable, Equatable {
    case phone(String)
    case house(String)
    case name(String)

    var kind: String {
        switch self {
        case .phone: "phone"
        case .house: "house"
        case .name: "name"
        }
    }

    var text: String {
        switch self {
        case .phone(let t), .house(let t), .name(let t): t
        }
    }
}

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

}

public struct LookupResult: Sendable, Codable, Equatable {
    public struct Query: Sendable, Codable, Equatable {
        public let kind: String
        public let value: String
        public let agent: String
        public let revealed: Bool
    }

    public let query: Query
    public let houses: [HouseholdCard]
}

/// A lookup whose cards are still JSON text (the `lookup --json` card shape).
public struct LookupJSON: Sendable {
    public let query: LookupResult.Query
    public let cards: [String]
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
    public let reason: String
}

/// The call centre's "who is this household" in one step; every lookup is audited.
public struct CallCentre {
    let db: Connection
    /// Households shown at most per lookup (a name prefix can match many).
    public static let maxHouses = 50

    public init(db: Connection) { self.db = db }

    public func lookup(_ query: LookupQuery, agent: String, reveal: Bool = false) throws -> LookupResult {
        let found = try lookupJSON(query, agent: agent, reveal: reveal)
        let decoder = JSONDecoder()
        let cards = try found.cards.map { try decoder.decode(HouseholdCard.self, from: Data($0.utf8)) }
        return LookupResult(query: found.query, houses: cards)
    }

    /// The same lookup with each card as the JSON object the database built (phones masked
    /// there unless `reveal`): the HTTP API passes them through without decoding.
    public func lookupJSON(_ query: LookupQuery, agent: String, reveal: Bool = false) throws -> LookupJSON {
        try Self.validate(query)
        // One round trip: find the houses, audit, and build the cards (schema/0008).
        let rows: QueryResult
        do {
            rows = try findAndDescribe(query, agent: agent, reveal: reveal)
        } catch {
            if error.sqlState == "BU403" {
                try refuse(query, agent: agent, reason: "unknown agent")
                throw ButlerError(.forbidden, "unknown agent \(agent): lookups are only for registered staff")
            }
            throw error
        }
        return LookupJSON(
            query: .init(kind: query.kind, value: query.text, agent: agent, revealed: reveal),
            cards: try rows.map { try $0.decode(1, as: String.self) })
    }

    private func findAndDescribe(_ query: LookupQuery, agent: String, reveal: Bool) throws(PostgresError) -> QueryResult {
        let common: [any PostgresBindable] = [agent, query.text, reveal]
        switch query {
        case .phone(let text):
            guard let phone = PhoneNumber(text) else {
                throw PostgresError(kind: .usage, message: "invalid phone", sqlState: "BU400")
            }
            return try db.query("""
                SELECT * FROM call_centre_lookup($1, 'phone', $2, $3, ARRAY(
                    SELECT DISTINCT hr.house_id FROM resident_phones rp
                    JOIN house_residents hr ON hr.resident_id = rp.resident_id
                    WHERE rp.phone = $4 LIMIT 50))
                """, common + [phone.digits])
        case .house(let text):
            guard let code = HouseCode(text) else {
                throw PostgresError(kind: .usage, message: "invalid house", sqlState: "BU400")
            }
            return try db.query("""
                SELECT * FROM call_centre_lookup($1, 'house', $2, $3, ARRAY(SELECT id FROM houses WHERE code = $4))
                """, common + [code.description])
        case .name(let text):
            // Exact or prefix: a range over the C-collated index.
            return try db.query("""
                SELECT * FROM call_centre_lookup($1, 'name', $2, $3, ARRAY(
                    SELECT DISTINCT hr.house_id FROM residents r
                    JOIN house_residents hr ON hr.resident_id = r.id
                    WHERE r.name COLLATE "C" >= $4 AND r.name COLLATE "C" < $4 || U&'\\+10FFFF'
                    LIMIT 50))
                """, common + [text.trimmingCharacters(in: .whitespaces)])
        }
    }

    /// Lets `principal` look households up if their role may (agents and managers); otherwise
    /// records the refusal and throws `.forbidden`.
    public func requireLookupRight(_ principal: Principal, for query: LookupQuery?) throws {
        do {
            try AccessPolicy(db: db).requireRole(principal, [.agent, .manager], to: "look households up")
        } catch {
            try refuse(query, agent: principal.employeeNo, reason: "role \(principal.role.rawValue)")
            throw error
        }
    }

    /// Records a refused lookup (append-only, `butler audit --refused`).
    public func refuse(_ query: LookupQuery?, agent: String, reason: String) throws {
        try db.execute("""
            INSERT INTO lookup_refusals (agent, query_kind, query, reason) VALUES ($1, $2, $3, $4)
            """, [agent, query?.kind, query?.text, reason])
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

    /// Input errors are reported before anything is looked up (and audited).
    static func validate(_ query: LookupQuery) throws {
        switch query {
        case .phone(let text) where PhoneNumber(text) == nil:
            throw ButlerError(.invalidInput, "--phone: '\(text)' is not a phone number")
        case .house(let text) where HouseCode(text) == nil:
            throw ButlerError(.invalidInput, "--house: '\(text)' is not a house code (e.g. YS01/3-2-1502)")
        case .name(let text) where text.trimmingCharacters(in: .whitespaces).isEmpty:
            throw ButlerError(.invalidInput, "--name: give a name or the start of one")
        default: break
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
