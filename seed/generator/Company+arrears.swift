/// 002 #21: the fee system's snapshot on `today` (`arrears.csv` for `butler import arrears`):
/// twelve monthly periods per house, the last one today's month. About 10 % of houses fall
/// behind at some time, for one to three months, most paying it back within a few months (so the
/// snapshot shows only what is still unpaid); a few never pay in the window; some pay part.
/// Every house pays this month's bill with a chance (it is not overdue yet).
extension Company {
    func arrearsCSV() -> CSVBuffer {
        var rng = SplitMix64(seed: options.seed, stream: "arrears")
        var buf = CSVBuffer(header: ["project", "building", "unit", "room", "period", "amount_due", "amount_paid"],
                            capacity: houses.count * 12 * 34 + 4096)
        let last = today.firstOfMonth
        let periods = (0..<12).map { i -> String in
            let (y, m, _) = last.addingMonths(i - 11).ymd
            return String(y) + (m < 10 ? "-0" : "-") + String(m)
        }
        // A monthly rate per project, 1.80 to 3.50 yuan per m².
        var rates = projects.indices.map { _ in 0 }
        for p in projects.indices { rates[p] = rng.int(180...350) }
        for h in houses.indices {
            let house = houses[h]
            let fee = house.areaTenths * rates[buildings[house.building].project] / 10
            var unpaid = Set<Int>()
            var partial = Set<Int>()
            if rng.chance(0.10) {
                let start = rng.below(12), length = 1 + rng.below(3)
                let chronic = rng.chance(0.15)
                let repaid = start + length - 1 + 1 + rng.below(4)
                if chronic || repaid > 11 {
                    for i in start..<min(12, chronic ? 12 : start + length) {
                        if rng.chance(0.2) { partial.insert(i) } else { unpaid.insert(i) }
                    }
                }
            }
            if !unpaid.contains(11) && !partial.contains(11) && rng.chance(0.35) { unpaid.insert(11) }
            for (i, period) in periods.enumerated() {
                houseKey(&buf, h)
                buf.field(period)
                buf.field(Self.yuan(fee))
                buf.field(Self.yuan(unpaid.contains(i) ? 0 : partial.contains(i) ? fee / 2 : fee))
                buf.endRow()
            }
        }
        return buf
    }

    /// `12345` → `123.45`.
    static func yuan(_ fen: Int) -> String {
        String(fen / 100) + (fen % 100 < 10 ? ".0" : ".") + String(fen % 100)
    }
}
