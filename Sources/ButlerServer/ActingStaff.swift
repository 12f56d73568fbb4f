import ButlerStore
import Postgres

extension DatabasePool {
    /// Runs `work` in one transaction as the holder of `token`: the token is verified by the
    /// database and bound to the transaction (`TokenStore.bind`), so row-level security knows
    /// who acts (schema/0011). Verified on every request: a revoked token stops at once.
    func asActor<T: Sendable>(token: String?, _ work: @escaping @Sendable (Connection, Principal) throws -> T) async throws -> T {
        guard let token else { throw APIError.unauthorized }
        return try await withConnection { db in
            try db.transaction {
                guard let principal = try TokenStore(db: db).bind(token) else { throw APIError.invalidToken }
                return try work(db, principal)
            }
        }
    }
}
