/// Past work for `--history-months N`: touchpoints and inspections in the N months
/// before today, each by the butler serving the house's grid.
extension Company {
    /// The first day of the history window; nothing is dated today or later.
    var historyStart: CivilDay { today.addingMonths(-options.historyMonths) }

    /// A working-hours moment on a day of `[lo, hi]`, weekends less likely (butlers work shifts).
    private func moment(_ rng: inout SplitMix64, _ lo: CivilDay, _ hi: CivilDay) -> (CivilDay, Int) {
        var day = CivilDay(days: rng.int(lo.days...hi.days))
        if day.isWeekend && rng.chance(0.6) { day = CivilDay(days: rng.int(lo.days...hi.days)) }
        let minute = rng.int(510...1079)  // 08:30-17:59
        return (day, minute)
    }

    /// Month windows `[first, last]` clipped to the history window, oldest first.
    private var historyMonths: [(CivilDay, CivilDay)] {
        let start = historyStart, end = today - 1
        var out: [(CivilDay, CivilDay)] = []
        var m = start.firstOfMonth
        while m <= end {
            let next = m.addingMonths(1)
            let lo = max(m, start), hi = min(next - 1, end)
            if lo <= hi { out.append((lo, hi)) }
            m = next
        }
        return out
    }

    func touchpointsCSV() -> CSVBuffer {
        var rng = SplitMix64(seed: options.seed, stream: "touchpoints")
        let months = historyMonths
        var buf = CSVBuffer(header: ["project", "building", "unit", "room", "kind", "by", "at", "note"],
                            capacity: houses.count * months.count * 75 + 4096)
        let kinds = WeightedTable(Vocabulary.touchpointKinds.enumerated().map { ($0.offset, $0.element.1) })
        let kindNames = Vocabulary.touchpointKinds.map(\.0)
        let notes = kindNames.map { Vocabulary.notes[$0] ?? ["—"] }
        let visit = kindNames.firstIndex(of: "visit") ?? 0
        let perMonth = WeightedTable<Int>([(0, 37), (1, 37), (2, 18), (3, 8)])
        let recentSince = today - 30
        var events: [(day: CivilDay, minute: Int, kind: Int, note: String)] = []

        for h in houses.indices {
            let house = houses[h]
            let by = staff[grids[house.grid].butler].employeeNo
            events.removeAll(keepingCapacity: true)
            let recent = house.moveIn.map { $0 >= recentSince } ?? false
            for (lo, hi) in months {
                var n = perMonth.sample(&rng)
                if house.occupancy.isVacant && rng.chance(0.5) { n = 0 }
                for _ in 0..<n {
                    let (day, minute) = moment(&rng, lo, hi)
                    if let m = house.moveIn, day < m { continue }
                    var kind = kinds.sample(&rng)
                    // Move-in visits are written below, on their own schedule.
                    if recent && kind == visit { kind = 0 }
                    events.append((day, minute, kind, rng.pick(notes[kind])))
                }
            }
            // 002 #18: most new households were visited within 3 working days; the last
            // few days' move-ins are still waiting, so the daily list shows them.
            if recent, let m = house.moveIn, rng.chance(0.7) {
                let day = m + rng.int(0...2)
                if day < today - 3 && day >= historyStart {
                    events.append((day, rng.int(540...1050), visit, "新入住走访，介绍管家服务"))
                }
            }
            events.sort { ($0.day, $0.minute, $0.kind) < ($1.day, $1.minute, $1.kind) }
            var previous: (day: CivilDay, minute: Int, kind: Int)?
            for e in events {
                // (house, time, kind) is the import's natural key: two draws of the same minute and kind are one contact.
                if let p = previous, p.day == e.day, p.minute == e.minute, p.kind == e.kind { continue }
                previous = (e.day, e.minute, e.kind)
                houseKey(&buf, h)
                buf.field(kindNames[e.kind])
                buf.field(by)
                buf.field(e.day, minuteOfDay: e.minute)
                buf.field(e.note)
                buf.endRow()
            }
        }
        return buf
    }

    /// 002 #13-15, #25: unpaid entrusted houses checked monthly; paid ones get a check,
    /// a cleaning and two ventilations a month; vacant furnished checked monthly, vacant
    /// bare every other month. About 3% of visits were missed, and the current month is
    /// only partly done, so open tasks remain.
    func inspectionsCSV() -> CSVBuffer {
        var rng = SplitMix64(seed: options.seed, stream: "inspections")
        let months = historyMonths
        var buf = CSVBuffer(header: ["project", "building", "unit", "room", "kind", "by", "at", "finding"],
                            capacity: (entrustments.count * 4 + houses.count / 8) * months.count * 80 + 4096)
        let checks = Vocabulary.findings["check"] ?? ["门窗完好"]
        let airings = Vocabulary.findings["ventilation"] ?? ["开窗通风"]
        let cleanings = Vocabulary.findings["cleaning"] ?? ["保洁完成"]
        var entrustmentOf = [Int: Entrustment]()
        for e in entrustments { entrustmentOf[e.house] = e }
        var events: [(day: CivilDay, minute: Int, kind: String, finding: String)] = []

        for h in houses.indices {
            let house = houses[h]
            let e = entrustmentOf[h]
            guard e != nil || house.occupancy.isVacant else { continue }
            let by = staff[grids[house.grid].butler].employeeNo
            events.removeAll(keepingCapacity: true)
            let bareParity = rng.below(2)
            for (mi, (first, last)) in months.enumerated() {
                let monthStart = first.firstOfMonth
                let monthEnd = monthStart.addingMonths(1) - 1
                var jobs: [(String, [String], CivilDay, CivilDay)] = []
                if let e, e.covers(first) || e.covers(last) {
                    jobs.append(("check", checks, monthStart, monthEnd))
                    if e.paid {
                        jobs.append(("cleaning", cleanings, monthStart, monthEnd))
                        jobs.append(("ventilation", airings, monthStart, monthStart + 14))
                        jobs.append(("ventilation", airings, monthStart + 15, monthEnd))
                    }
                } else if house.occupancy == .vacantFurnished {
                    jobs.append(("check", checks, monthStart, monthEnd))
                } else if house.occupancy == .vacantBare, (mi + bareParity) % 2 == 0 {
                    jobs.append(("check", checks, monthStart, monthEnd))
                }
                for (kind, texts, lo, hi) in jobs {
                    let (day, minute) = moment(&rng, lo, hi)
                    // Planned for a day outside the window (or still to come): not in history.
                    guard day >= first, day <= last, rng.chance(0.97) else { continue }
                    // Before or after the entrustment only a vacant house still gets its own check.
                    if let e, !e.covers(day), kind != "check" || !house.occupancy.isVacant { continue }
                    events.append((day, minute, kind, rng.pick(texts)))
                }
            }
            events.sort { ($0.day, $0.minute) < ($1.day, $1.minute) }
            for ev in events {
                houseKey(&buf, h)
                buf.field(ev.kind)
                buf.field(by)
                buf.field(ev.day, minuteOfDay: ev.minute)
                buf.field(ev.finding)
                buf.endRow()
            }
        }
        return buf
    }
}
