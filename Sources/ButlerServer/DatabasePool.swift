import ButlerStore
import Foundation
import NIOPosix
import Postgres
import Synchronization

/// A libpq connection that is checked out by one thread at a time (the pool guarantees it).
final class PooledConnection: @unchecked Sendable {
    let connection: Connection
    init(_ connection: Connection) { self.connection = connection }
}

/// Blocking libpq work for async handlers: a small thread pool (so the event loops never block)
/// and a pool of connections, one per thread at most.
///
/// Dead connections: a PostgreSQL restart (or `pg_terminate_backend`) kills every idle pooled
/// connection, and libpq only notices on the next round trip. So:
/// - a connection taken from the idle list is checked without a round trip: if the server has
///   said anything to it since its last statement (its goodbye on a restart), it and every other
///   idle connection (opened before the same restart) are dropped and the work runs on a new
///   connection. This is the only retry, and it is safe: the request's work has not started,
///   nothing was written.
/// - work that fails with a connection error (``PostgresError/isConnectionFailure``) is not
///   retried (a statement may have been committed before the connection broke, e.g. an
///   autocommit INSERT, or a COMMIT whose answer was lost); the connection and all idle ones are
///   dropped and the client gets 503.
/// - a connection that is not healthy after the work is never returned to the pool.
public final class DatabasePool: Sendable {
    let config: DatabaseConfig
    private let idle = Mutex<[PooledConnection]>([])
    private let checkedOut = Atomic<Int>(0)
    private let threads: NIOThreadPool

    /// `size`: threads and connections; the default suits a 2-core machine serving lookups.
    public init(config: DatabaseConfig, size: Int = 8) {
        self.config = config
        threads = NIOThreadPool(numberOfThreads: size)
        threads.start()
    }

    /// Runs `body` on a pool thread with a live connection; broken connections are not reused.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await threads.runIfActive {
            let pooled = try self.checkOut()
            self.checkedOut.add(1, ordering: .relaxed)
            defer { self.checkedOut.subtract(1, ordering: .relaxed) }
            do {
                let value = try body(pooled.connection)
                self.checkIn(pooled)
                return value
            } catch {
                if let failure = error as? PostgresError, failure.isConnectionFailure {
                    // Dropped, and the idle ones with it (they were opened before the same failure).
                    self.dropIdle()
                } else {
                    self.checkIn(pooled)
                }
                throw error
            }
        }
    }

    /// An idle connection that answers, or a new one.
    private func checkOut() throws -> PooledConnection {
        while let reused = idle.withLock({ $0.popLast() }) {
            // A poll of the socket, no round trip (an empty query would cost one per request).
            if !reused.connection.heardFromServerWhileIdle, reused.connection.isHealthy { return reused }
            // One dead idle connection means the server restarted or killed its backends: the
            // other idle ones are as old, do not try them one by one.
            dropIdle()
        }
        return PooledConnection(try config.connect())
    }

    /// Back to the idle list, if it is still usable.
    private func checkIn(_ pooled: PooledConnection) {
        if pooled.connection.isHealthy { idle.withLock { $0.append(pooled) } }
    }

    private func dropIdle() {
        let dropped = idle.withLock { connections in
            defer { connections.removeAll() }
            return connections
        }
        // Closed (PQfinish) here, outside the lock.
        _ = dropped
    }

    /// Connections in use by requests now (GET /metrics).
    var inUse: Int { checkedOut.load(ordering: .relaxed) }

    /// How many connections wait in the pool (for tests and diagnostics).
    var idleCount: Int { idle.withLock { $0.count } }

    public func shutdown() async throws {
        try await threads.shutdownGracefully()
        idle.withLock { $0.removeAll() }
    }
}

extension PostgresError {
    /// The connection is gone, not the statement refused: libpq lost it (`kind == .connection`),
    /// SQLSTATE class 08 (connection exception), or the server is shutting the session down
    /// (57P01 admin shutdown / `pg_terminate_backend`, 57P02 crash shutdown, 57P03 cannot connect now).
    var isConnectionFailure: Bool {
        if kind == .connection { return true }
        guard let state = sqlState else { return false }
        return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
    }
}
