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

public struct AuditEntry: Sendable, Codable, Equatable {
    public let at: String
    public let agent: String
    public let query: String
    public let houses: [String]
}

/// The call centre's "who is this household" in one step; every lookup is audited.
public struct CallCentre {
    let db: Connection
    /// Households shown at most per lookup (a name prefix can match many).
    public static let maxHouses = 50

    public init(db: Connection) { self.db = db }

    public func lookup(_ query: LookupQuery, agent: String, reveal: Bool = false) throws -> LookupResult {
        let agentRow = try db.query("SELECT id FROM staff WHERE employee_no = $1", [agent]).first
        guard let agentRow else {
            throw ButlerError(.forbidden, "unknown agent \(agent): lookups are only for registered staff")
        }
        let agentID: Int = try agentRow.decode(0)
        // The lookup and its audit row commit together. Generic plans: re-planning the
        // ANY($1) query on every call cost more than running it (ops/BENCHMARKS.md).
        let rows = try db.transaction {
            try db.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            let houseIDs = try findHouses(query)
            return try db.query("""
            WITH found AS (
                SELECT h.* FROM houses h WHERE h.id = ANY($1::bigint[])
            ), audit AS (
                INSERT INTO lookup_audit (agent_id, query_kind, query, revealed, houses)
                SELECT $2, $3, $4, $5, coalesce(array_agg(code ORDER BY code), '{}') FROM found
            )
            SELECT h.code, p.name, h.occupancy, g.code, g.phone, st.employee_no, st.name,
                   (SELECT coalesce(json_agg(json_build_object(
                        'name', r.name, 'role', hr.role, 'phone', r.phone, 'tags', hr.tags)
                        ORDER BY array_position(ARRAY['owner', 'family', 'tenant'], hr.role), r.name), '[]')
                    FROM house_residents hr JOIN residents r ON r.id = hr.resident_id
                    WHERE hr.house_id = h.id),
                   (SELECT json_build_object('kind', e.kind, 'from', e.from_date, 'to', e.to_date, 'keys', e.keys)
                    FROM entrustments e WHERE e.house_id = h.id AND e.from_date <= current_date
                      AND (e.to_date IS NULL OR e.to_date >= current_date)),
                   (SELECT count(*) FROM tasks t WHERE t.house_id = h.id AND t.done_at IS NULL AND t.window_start <= current_date),
                   (SELECT coalesce(json_agg(json_build_object(
                        'at', to_char(t.at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00', 'kind', t.kind, 'note', t.note)
                        ORDER BY t.at DESC), '[]')
                    FROM (SELECT * FROM touchpoints WHERE house_id = h.id ORDER BY at DESC LIMIT 10) t)
            FROM found h
            JOIN projects p ON p.id = h.project_id
            LEFT JOIN grid_houses gh ON gh.house_id = h.id
            LEFT JOIN grids g ON g.id = gh.grid_id
            LEFT JOIN grid_assignments ga ON ga.grid_id = g.id AND ga.from_date <= current_date
                 AND (ga.to_date IS NULL OR ga.to_date >= current_date)
            LEFT JOIN staff st ON st.id = ga.staff_id
            ORDER BY h.code
            """, [houseIDs, agentID, query.kind, query.text, reveal])
        }
        let decoder = JSONDecoder()
        let cards = try rows.map { row -> HouseholdCard in
            let butler: String? = try row.decode(5)
            var residents = try decoder.decode([HouseholdCard.Resident].self, from: Data(try row.decode(7, as: String.self).utf8))
            if !reveal {
                for i in residents.indices { residents[i].phone = PhoneNumber.mask(residents[i].phone) }
            }
            let gridPhone: String? = try row.decode(4)
            return HouseholdCard(
                house: try row.decode(0), project: try row.decode(1), occupancy: try row.decode(2),
                grid: try row.decode(3), grid_phone: gridPhone,
                butler: try butler.map { HouseholdCard.Butler(employee_no: $0, name: try row.decode(6)) },
                residents: residents,
                entrustment: try row.decode(8, as: String?.self).map { try decoder.decode(HouseholdCard.Entrustment.self, from: Data($0.utf8)) },
                open_tasks: try row.decode(9),
                recent: try decoder.decode([HouseholdCard.Contact].self, from: Data(try row.decode(10, as: String.self).utf8)))
        }
        return LookupResult(query: .init(kind: query.kind, value: query.text, agent: agent, revealed: reveal), houses: cards)
    }

    private func findHouses(_ query: LookupQuery) throws -> [Int] {
        switch query {
        case .phone(let text):
            guard let phone = PhoneNumber(text) else {
                throw ButlerError(.invalidInput, "--phone: '\(text)' is not a phone number")
            }
            return try db.query("""
                SELECT DISTINCT hr.house_id FROM resident_phones rp
                JOIN house_residents hr ON hr.resident_id = rp.resident_id
                WHERE rp.phone = $1 LIMIT 50
                """, [phone.digits]).map { try $0.decode(0) }
        case .house(let text):
            guard let code = HouseCode(text) else {
                throw ButlerError(.invalidInput, "--house: '\(text)' is not a house code (e.g. YS01/3-2-1502)")
            }
            return try db.query("SELECT id FROM houses WHERE code = $1", [code.description]).map { try $0.decode(0) }
        case .name(let text):
            let name = text.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw ButlerError(.invalidInput, "--name: give a name or the start of one") }
            // Exact or prefix: a range over the C-collated index.
            return try db.query("""
                SELECT DISTINCT hr.house_id FROM residents r
                JOIN house_residents hr ON hr.resident_id = r.id
                WHERE r.name COLLATE "C" >= $1 AND r.name COLLATE "C" < $1 || U&'\\+10FFFF'
                LIMIT 50
                """, [name]).map { try $0.decode(0) }
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
