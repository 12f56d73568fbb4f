import Foundation
import Postgres

/// Appends to `events`: every state change with who and when (append-only by trigger).
struct EventLog {
    let db: Connection

    func record(_ entity: String, _ id: Int, _ action: String, by staffID: Int?, projectID: Int?, at: Date = Date(),
                detail: [String: String] = [:]) throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]), as: UTF8.self)
        try db.execute("""
            INSERT INTO events (at, staff_id, project_id, entity, entity_id, action, detail)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
            """, [at, staffID, projectID, entity, id, action, json])
    }
}
