import ButlerCore
import Crypto
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

/// API tokens: random, shown once, stored only as a SHA-256 hash. Only the hash ever reaches the
/// database (computed here): a statement log that records parameters holds no usable token.
public struct TokenStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    /// Issues a token for a staff member and returns it (the only time it is visible).
    public func create(staff employee: String) throws -> String {
        let staff = try RegistryLookup(db: db).staff(employee, field: "staff")
        var generator = SystemRandomNumberGenerator()
        let token = "bt_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try db.execute("INSERT INTO api_tokens (staff_id, token_hash) VALUES ($1, decode($2, 'hex'))", [staff.id, Self.sha256(token)])
        return token
    }

    /// The staff member a valid, unrevoked token belongs to; nil otherwise. Verified by the
    /// database (schema/0011: the server's role cannot read the token table).
    public func authenticate(_ token: String) throws -> Principal? {
        guard Self.isWellFormed(token) else { return nil }
        return try principal(db.query("SELECT * FROM token_principal($1)", [Self.sha256(token)]))
    }

    /// Authenticates and binds the token to the current transaction in one round trip: the
    /// database's row-level security then knows who acts (schema/0011). Call inside a transaction.
    public func bind(_ token: String) throws -> Principal? {
        guard Self.isWellFormed(token) else { return nil }
        // LATERAL makes the check run after set_config, on its result.
        return try principal(db.query("""
            SELECT p.* FROM set_config('butler.token_sha256', $1, true) AS tok, LATERAL token_principal(tok) AS p
            """, [Self.sha256(token)]))
    }

    /// The token's SHA-256 as hex: what the database stores and compares.
    public static func sha256(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 67 && token.hasPrefix("bt_") && token.utf8.dropFirst(3).allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private func principal(_ rows: QueryResult) throws -> Principal? {
        try rows.first.map { r in
            Principal(staffID: try r.decode(0), employeeNo: try r.decode(1), name: try r.decode(2),
                      role: try StaffRole.decoding(r.decode(3)), projectID: try r.decode(4))
        }
    }

    /// Revokes every token of a staff member (someone leaves); returns how many.
    public func revoke(staff employee: String) throws -> Int {
        let staff = try RegistryLookup(db: db).staff(employee, field: "staff")
        return try db.execute("UPDATE api_tokens SET revoked_at = now() WHERE staff_id = $1 AND revoked_at IS NULL", [staff.id])
    }
}
