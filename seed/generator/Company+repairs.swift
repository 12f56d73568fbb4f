import Foundation

/// Repair history for `--repair-months N` (000, issue 14): the call centre's orders of the N
/// months before today, at 000's rate (510,000 orders in three years for 226,000 households),
/// with realistic timings: most stages on time, a few late at each stage, ~1.5 % reopened,
/// ~10 % complex, ratings 99.7 % satisfied (4-5). Orders still running at today's start stay
/// in the state they reached. Technicians (a few per project) join staff.csv.
extension Company {
    /// 000: 510,000 orders for 226,000 households in 36 months.
    static let repairsPerHouseMonth = 510_000.0 / 226_000.0 / 36.0

    /// A few technicians per project (one per ~800 houses, at least two), numbered T10001...
    /// Phones in the 170 range, which no resident's mobile uses, so they stay unique.
    mutating func makeTechnicians() {
        var rng = SplitMix64(seed: options.seed, stream: "technicians")
        var number = 10001
        for pi in projects.indices {
            let count = max(2, projects[pi].houses.count / 800)
            for _ in 0..<count {
                let name = names.make(&rng)
                let phone = "170" + String(10_000_000 + number)
                staff.append(StaffMember(employeeNo: "T\(number)", person: Person(surname: name.surname, name: name.name, phone: phone),
                                         role: .technician, project: pi))
                number += 1
            }
        }
    }

    func repairsCSV() -> CSVBuffer {
        var rng = SplitMix64(seed: options.seed, stream: "repairs")
        let start = today.addingMonths(-options.repairMonths), end = today - 1
        let days = max(1, end.days - start.days + 1)
        let total = Int((Double(houses.count) * Self.repairsPerHouseMonth * Double(options.repairMonths)).rounded())
        var buf = CSVBuffer(header: ["number", "project", "building", "unit", "room", "category", "description", "caller", "source",
                                     "complex", "opened_at", "opened_by", "technician", "grabbed", "dispatched_at", "signed_at",
                                     "contacted_at", "appointment_at", "completed_at", "photos", "followed_up_at", "followed_up_by",
                                     "rating", "reopens"],
                            capacity: total * 260 + 4096)
        var technicians: [[String]] = Array(repeating: [], count: projects.count)
        for s in staff where s.role == .technician { if let p = s.project { technicians[p].append(s.employeeNo) } }
        let agents = staff.filter { $0.role == .agent }.map(\.employeeNo)
        let categories = WeightedTable(RepairVocabulary.categories.map { ($0.code, $0.weight) })
        let ratings = WeightedTable<Int>([(5, 850), (4, 147), (3, 1.5), (2, 1), (1, 0.5)])
        let sources = WeightedTable<String>([("phone", 70), ("wechat", 20), ("app", 10)])
        // The history ends where today starts: a step at or after it has not happened yet.
        let horizon = today.days * 1440

        var produced = 0
        for d in 0..<days {
            let day = CivilDay(days: start.days + d)
            // Spread the total evenly over the days, with a little day-to-day noise.
            let due = Int((Double(total) * Double(d + 1) / Double(days)).rounded())
            var n = max(0, due - produced)
            if n > 2 { n += rng.int(-(n / 10)...(n / 10)) }
            let prefix = "BX" + day.iso.replacingOccurrences(of: "-", with: "") + "-"
            var openings = (0..<n).map { _ in day.days * 1440 + Self.openingMinute(&rng) }
            openings.sort()
            for (seq, opened) in openings.enumerated() {
                produced += 1
                let h = rng.below(houses.count)
                let project = buildings[houses[h].building].project
                let category = categories.sample(&rng)
                var order = RepairHistory(opened: opened, complex: rng.chance(0.10))
                order.simulate(&rng, horizon: horizon, rating: ratings)

                buf.field(prefix + String(10_000 + seq).dropFirst())
                houseKey(&buf, h)
                buf.field(category)
                buf.field(rng.pick(RepairVocabulary.descriptions[category] ?? ["报修"]))
                buf.field(rng.chance(0.8) ? String(rng.pick(Vocabulary.mobilePrefixes) * 100_000_000 + rng.below(100_000_000)) : "")
                buf.field(sources.sample(&rng))
                buf.field(order.complex ? "yes" : "no")
                buf.field(minute: order.opened)
                buf.field(rng.pick(agents))
                buf.field(order.dispatched == nil ? "" : rng.pick(technicians[project]))
                buf.field(order.grabbed ? "yes" : "no")
                buf.field(minute: order.dispatched)
                buf.field(minute: order.signed)
                buf.field(minute: order.contacted)
                buf.field(minute: order.appointment)
                buf.field(minute: order.completed)
                buf.field(order.completed == nil ? "" : "photo/\(day.iso)/\(seq)-1.jpg;photo/\(day.iso)/\(seq)-2.jpg")
                buf.field(minute: order.followedUp)
                buf.field(order.followedUp == nil ? "" : rng.pick(agents))
                buf.field(order.rating.map(String.init) ?? "")
                buf.field(order.earlier.map { round in
                    [Self.timeText(round.completed), Self.timeText(round.followedUp), round.rating.map(String.init) ?? "",
                     Self.timeText(round.reopened)].joined(separator: "|")
                }.joined(separator: ";"))
                buf.endRow()
            }
        }
        return buf
    }

    /// Calls come mostly in the day, some in the evening (after the 18:00 cutoff), few at night.
    static func openingMinute(_ rng: inout SplitMix64) -> Int {
        let x = rng.unit()
        if x < 0.80 { return rng.int(480...1079) }   // 08:00-17:59
        if x < 0.96 { return rng.int(1080...1379) }  // 18:00-22:59
        return rng.int(0...479)                      // 00:00-07:59
    }

    static func timeText(_ minute: Int?) -> String {
        guard let minute else { return "" }
        var buf = CSVBuffer()
        buf.appendDate(CivilDay(days: minute / 1440))
        return String(decoding: buf.bytes, as: UTF8.self) + "T" + two(minute % 1440 / 60) + ":" + two(minute % 60)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
}

extension CSVBuffer {
    /// `YYYY-MM-DDTHH:MM` for minutes since 1970-01-01 00:00 local time; empty for nil.
    mutating func field(minute: Int?) {
        guard let minute else { return field("") }
        field(CivilDay(days: minute / 1440), minuteOfDay: minute % 1440)
    }
}

/// One order's life in minutes since 1970-01-01 (local time): each step after the one before,
/// most within their limits (000: taken and signed within 15 minutes, owner phoned within 10,
/// done the same day, complex within 3 working days, called back within 48 hours).
struct RepairHistory {
    struct Round {
        var completed: Int
        var followedUp: Int?
        var rating: Int?
        var reopened: Int
    }

    let opened: Int
    let complex: Bool
    var grabbed = false
    var dispatched: Int?
    var signed: Int?
    var contacted: Int?
    var appointment: Int?
    var completed: Int?
    var followedUp: Int?
    var rating: Int?
    var earlier: [Round] = []

    init(opened: Int, complex: Bool) {
        self.opened = opened
        self.complex = complex
    }

    /// Each step happens unless it would be at or after `horizon` (today's start): then the
    /// order stays where it is.
    mutating func simulate(_ rng: inout SplitMix64, horizon: Int, rating ratings: WeightedTable<Int>) {
        func step(_ at: Int) -> Int? { at < horizon ? at : nil }
        grabbed = rng.chance(0.3)
        let claim = rng.chance(0.97) ? rng.int(1...13) : rng.int(16...60)
        guard let dispatched = step(opened + claim) else { return }
        self.dispatched = dispatched
        // A grabbed order's sign clock runs from the opening: the technician signs as they grab.
        let sign = grabbed ? rng.int(0...1) : (rng.chance(0.96) ? rng.int(1...13) : rng.int(16...90))
        guard let signed = step(dispatched + sign) else { return }
        self.signed = signed
        guard let contacted = step(signed + (rng.chance(0.96) ? rng.int(1...9) : rng.int(11...60))) else { return }
        self.contacted = contacted
        // The visit: within hours, or the next morning for an evening or night call.
        let minuteOfDay = contacted % 1440
        let appointment = minuteOfDay >= 1260 || minuteOfDay < 420
            ? (contacted / 1440 + (minuteOfDay >= 1260 ? 1 : 0)) * 1440 + rng.int(480...660)
            : contacted + rng.int(20...180)
        self.appointment = appointment
        var finished = finish(after: appointment, counted: Self.countedDay(opened), &rng)
        var round = 0
        while true {
            guard let completed = step(finished) else { return }
            self.completed = completed
            let followup = rng.chance(0.96) ? rng.int(120...2400) : rng.int(2900...5000)
            let followedUp = step(completed + followup)
            let rating = followedUp.map { _ in ratings.sample(&rng) }
            // ~1.5 % sent back once (rarely twice): mostly the owner calls before the follow-up.
            guard round < 2, rng.chance(round == 0 ? 0.015 : 0.1) else {
                self.followedUp = followedUp
                self.rating = rating
                return
            }
            let afterFollowup = followedUp != nil && rng.chance(0.2)
            let reopenedAt = afterFollowup ? (followedUp ?? completed) + rng.int(1...30) : completed + rng.int(60...1800)
            guard let reopened = step(reopenedAt) else {
                self.followedUp = followedUp
                self.rating = rating
                return
            }
            earlier.append(Round(completed: completed, followedUp: afterFollowup ? followedUp : nil,
                                 rating: afterFollowup ? rng.int(2...3) : nil, reopened: reopened))
            self.completed = nil
            round += 1
            finished = finish(after: reopened + rng.int(30...240), counted: Self.countedDay(reopened), &rng)
        }
    }

    /// When the work is done: the same (counted) day for most, within days for a complex one;
    /// a few late (the next day; a complex one a week on).
    private func finish(after start: Int, counted: Int, _ rng: inout SplitMix64) -> Int {
        if complex {
            let day = counted + (rng.chance(0.92) ? rng.int(1...3) : rng.int(6...9))
            return max(start + 30, day * 1440 + rng.int(540...1020))
        }
        let done = start + rng.int(30...150)
        let endOfDay = (counted + 1) * 1440
        if rng.chance(0.97) { return min(done, max(start + 1, endOfDay - 1 - rng.int(0...30))) }
        return max(done, endOfDay + rng.int(60...900))
    }

    /// The day an order counts as opened on (from 18:00: the next day), as a day number.
    static func countedDay(_ minute: Int) -> Int { minute / 1440 + (minute % 1440 >= 1080 ? 1 : 0) }
}

/// What owners report, by category (weights: how often).
enum RepairVocabulary {
    static let categories: [(code: String, weight: Double)] = [
        ("water", 24), ("drainage", 16), ("electric", 15), ("gas", 3), ("doors_windows", 14),
        ("walls_floors", 8), ("appliance", 7), ("public_area", 8), ("other", 5),
    ]

    static let descriptions: [String: [String]] = [
        "water": ["厨房水管漏水", "卫生间水龙头滴水", "热水器不出热水", "水表前阀门漏水", "洗手盆下水管渗水"],
        "drainage": ["马桶堵塞", "地漏返味", "厨房下水不畅", "阳台排水管堵塞"],
        "electric": ["客厅插座没电", "空气开关频繁跳闸", "卫生间灯不亮", "入户电表箱异响"],
        "gas": ["燃气灶打不着火", "燃气表附近有异味"],
        "doors_windows": ["入户门锁芯卡住", "窗户关不严漏风", "阳台推拉门脱轨", "纱窗破损"],
        "walls_floors": ["墙面渗水发霉", "地砖空鼓", "天花板掉皮"],
        "appliance": ["可视对讲不响", "油烟机不转", "空调外机噪音大"],
        "public_area": ["楼道灯不亮", "单元门禁失灵", "电梯按钮失灵", "地下车库积水"],
        "other": ["信报箱锁坏", "晾衣架卡住", "其他报修"],
    ]
}
