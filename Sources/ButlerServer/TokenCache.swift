import ButlerStore
import Synchronization

/// Recently verified tokens, so a busy agent's requests skip one database round trip.
/// A revoked token keeps working for at most `ttl` on this server.
final class TokenCache: Sendable {
    private struct Entry {
        let principal: Principal
        let expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    let ttl: Duration
    let capacity: Int

    init(ttl: Duration = .seconds(30), capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    func principal(for token: String) -> Principal? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            if entry.expires < now {
                entries[token] = nil
                return nil
            }
            return entry.principal
        }
    }

    func remember(_ principal: Principal, for token: String) {
        let expires = ContinuousClock.now + ttl
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = Entry(principal: principal, expires: expires)
        }
    }
}
