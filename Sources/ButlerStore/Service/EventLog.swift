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

extension RegistryLookup {
    /// The grid a house is in (tasks about the house go to that grid's butler).
    func gridID(house: Int) throws -> Int? {
        try db.query("SELECT grid_id FROM grid_houses WHERE house_id = $1", [house]).first.map { try $0.decode(0) }
    }
}
