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
public final class DatabasePool: Sendable {
    let config: DatabaseConfig
    private let idle = Mutex<[PooledConnection]>([])
    private let threads: NIOThreadPool

    /// `size`: threads and connections; the default suits a 2-core machine serving lookups.
    public init(config: DatabaseConfig, size: Int = 8) {
        self.config = config
        threads = NIOThreadPool(numberOfThreads: size)
        threads.start()
    }

    /// Runs `body` on a pool thread with a connection; broken connections are not reused.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await threads.runIfActive {
            let pooled = try self.idle.withLock { $0.popLast() } ?? PooledConnection(try self.config.connect())
            defer {
                if pooled.connection.isHealthy { self.idle.withLock { $0.append(pooled) } }
            }
            return try body(pooled.connection)
        }
    }

    public func shutdown() async throws {
        try await threads.shutdownGracefully()
        idle.withLock { $0.removeAll() }
    }
}
