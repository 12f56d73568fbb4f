import ButlerCore
import Foundation
import Postgres

/// Who is calling the API, from their bearer token.
public struct Principal: Sendable, Equatable {
    public let staffID: Int
    public let employeeNo: String
    public let name: String
    public let role: StaffRole
    public let projectID: Int?
}

/// API tokens: random, shown once, stored only as a SHA-256 hash (computed by PostgreSQL).
public struct TokenStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    /// Issues a token for a staff member and returns it (the only time it is visible).
    public func create(staff employee: String) throws -> String {
        let staff = try RegistryLookup(db: db).staff(employee)
        var generator = SystemRandomNumberGenerator()
        let token = "bt_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try db.execute("INSERT INTO api_tokens (staff_id, token_hash) VALUES ($1, sha256(convert_to($2, 'UTF8')))", [staff.id, token])
        return token
    }

    /// The staff member a valid, unrevoked token belongs to; nil otherwise.
    public func authenticate(_ token: String) throws -> Principal? {
        guard token.hasPrefix("bt_"), token.count == 67 else { return nil }
        return try db.query("""
            SELECT st.id, st.employee_no, st.name, st.role, st.project_id
            FROM api_tokens t JOIN staff st ON st.id = t.staff_id
            WHERE t.token_hash = sha256(convert_to($1, 'UTF8')) AND t.revoked_at IS NULL
            """, [token]).first.map { r in
            Principal(staffID: try r.decode(0), employeeNo: try r.decode(1), name: try r.decode(2),
                      role: StaffRole(rawValue: try r.decode(3)) ?? .agent, projectID: try r.decode(4))
        }
    }

    /// Revokes every token of a staff member (someone leaves); returns how many.
    public func revoke(staff employee: String) throws -> Int {
        let staff = try RegistryLookup(db: db).staff(employee)
        return try db.execute("UPDATE api_tokens SET revoked_at = now() WHERE staff_id = $1 AND revoked_at IS NULL", [staff.id])
    }
}
