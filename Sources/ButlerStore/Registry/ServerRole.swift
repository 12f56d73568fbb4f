import Postgres

/// The database role `butler serve` runs as: what it may read and write is defined once, in
/// `grant_server_privileges()` (schema/0010), so the API cannot alter schema, truncate,
/// delete, or read the audit logs even if the server process is compromised.
public struct ServerRole {
    let db: Connection

    /// The role ops/ creates and `db migrate` grants to when it exists.
    public static let defaultName = "butler_web"

    public init(db: Connection) { self.db = db }

    public func grant(to role: String) throws {
        do {
            _ = try db.query("SELECT grant_server_privileges($1)", [role])
        } catch {
            if error.sqlState == "42704" {
                throw ButlerError(.invalidInput, field: "role", "数据库角色 \(role) 不存在（请数据库超级用户先创建：CREATE ROLE \(role) LOGIN）")
            }
            throw error
        }
    }

    /// Whether this connection's role owns the schema's tables (and so could drop or alter them).
    public func connectedAsOwner() throws -> Bool {
        try db.query("""
            SELECT coalesce(bool_or(pg_has_role(current_user, c.relowner, 'USAGE')), false)
            FROM pg_class c WHERE c.oid = to_regclass('houses')
            """)[0].decode(0)
    }
}
