import Foundation

/// One monthly check of one butler, to be given a planned day.
public struct LevelItem: Sendable, Hashable, Identifiable, Codable {
    public typealias ID = String
    public let id: String
    public let building: String
    public let unit: String
    public let room: String

    public init(id: String, building: String, unit: String, room: String) {
        self.id = id
        self.building = building
        self.unit = unit
        self.room = room
    }
}

extension TaskSchedule {
    /// 002 #13-#15, #25: spreads one butler's monthly checks over the month's working days.
    ///
    /// Items sorted by building, unit, room (numbers compared as numbers) fill the days in order,
    /// ceil(n / days) per day, so no day carries more than the even spread and houses of one
    /// building (then unit) stay on neighbouring days. Deterministic; `[:]` when `workingDays` is empty.
    public static func level(_ items: [LevelItem], over workingDays: [Day]) -> [LevelItem.ID: Day] {
        let days = Array(Set(workingDays)).sorted()
        guard !days.isEmpty, !items.isEmpty else { return [:] }
        let capacity = (items.count + days.count - 1) / days.count
        // Natural order is computed among the few distinct names only; items then sort by integer ranks.
        let building = ranks(items.map(\.building))
        let unit = ranks(items.map(\.unit))
        let room = ranks(items.map(\.room))
        let ordered = items.indices.sorted { i, j in
            if building[i] != building[j] { return building[i] < building[j] }
            if unit[i] != unit[j] { return unit[i] < unit[j] }
            if room[i] != room[j] { return room[i] < room[j] }
            return items[i].id < items[j].id
        }.map { items[$0] }
        var plan: [LevelItem.ID: Day] = [:]
        plan.reserveCapacity(ordered.count)
        for (index, item) in ordered.enumerated() where plan[item.id] == nil {
            plan[item.id] = days[min(index / capacity, days.count - 1)]
        }
        return plan
    }

    /// For each value, the rank of its distinct value in natural order.
    private static func ranks(_ values: [String]) -> [Int] {
        let distinct = Array(Set(values)).map { (value: $0, key: chunks($0)) }
            .sorted { a, b in naturalOrder(a.key, b.key) ?? (a.value < b.value) }
        var rank: [String: Int] = [:]
        for (index, entry) in distinct.enumerated() { rank[entry.value] = index }
        return values.map { rank[$0] ?? 0 }
    }

    /// Natural order ("2栋" < "10栋", "201" < "1101"); nil when equal.
    static func naturalOrder(_ a: String, _ b: String) -> Bool? {
        naturalOrder(chunks(a), chunks(b))
    }

    private static func naturalOrder(_ ca: [Chunk], _ cb: [Chunk]) -> Bool? {
        for (x, y) in zip(ca, cb) where x != y {
            switch (x, y) {
            case (.number(let m, let ms), .number(let n, let ns)):
                if m != n { return m < n }
                return ms < ns
            case (.number, .text): return true
            case (.text, .number): return false
            case (.text(let s), .text(let t)): return s < t
            }
        }
        if ca.count != cb.count { return ca.count < cb.count }
        return nil
    }

    private enum Chunk: Equatable {
        /// The numeric value and its original digits (to order "01" and "1" deterministically).
        case number(Int, String)
        case text(String)
    }

    private static func chunks(_ s: String) -> [Chunk] {
        var result: [Chunk] = []
        let utf8 = s.utf8
        var start = utf8.startIndex
        var index = start
        var inDigits = false
        func flush(upTo end: String.Index) {
            guard start < end else { return }
            let text = String(s[start..<end])
            // Up to 18 digits fit in Int; longer runs compare as text.
            if inDigits, text.utf8.count <= 18, let value = Int(text) {
                result.append(.number(value, text))
            } else {
                result.append(.text(text))
            }
        }
        while index < utf8.endIndex {
            let byte = utf8[index]
            let isDigit = byte >= 0x30 && byte <= 0x39
            if isDigit != inDigits {
                flush(upTo: index)
                start = index
                inDigits = isDigit
            }
            index = utf8.index(after: index)
        }
        flush(upTo: index)
        return result
    }
}
