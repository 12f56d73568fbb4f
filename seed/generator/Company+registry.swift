import Foundation

/// Projects, buildings, houses, grids, staff and entrustments.
extension Company {
    mutating func generateRegistry() {
        makeProjects()
        makeHouses()
        makeGrids()
        enrichDemoGrid()
        makeStaff()
        makeEntrustments()
    }

    // MARK: Projects

    private mutating func makeProjects() {
        var rng = SplitMix64(seed: options.seed, stream: "projects")
        let targets = options.scale.projectTargets(&rng)
        var combos: [(Int, Int)] = []
        for p in Vocabulary.namePrefixes.indices {
            for s in Vocabulary.nameSuffixes.indices { combos.append((p, s)) }
        }
        let fixed = Vocabulary.fixedProjects
        combos.removeAll { c in fixed.contains { $0.prefix == c.0 && $0.suffix == c.1 } }
        rng.shuffle(&combos)
        let chosen = fixed.map { ($0.prefix, $0.suffix) } + combos.prefix(max(0, targets.count - fixed.count))

        var perInitials: [String: Int] = [:]
        for (i, (p, s)) in chosen.prefix(targets.count).enumerated() {
            let (prefix, initials) = Vocabulary.namePrefixes[p]
            let n = (perInitials[initials] ?? 0) + 1
            perInitials[initials] = n
            let code = initials + (n < 10 ? "0\(n)" : "\(n)")
            // Handed over 3-20 years ago; the first project is old enough for rich history.
            let age = i == 0 ? 3650 + rng.below(2000) : rng.int(1100...7300)
            projects.append(Project(code: code, name: prefix + Vocabulary.nameSuffixes[s], delivered: today - age))
        }
        projectTargets = targets
    }

    // MARK: Buildings and houses

    private struct BuildingType {
        let floors: ClosedRange<Int>
        let units: ClosedRange<Int>
        let doors: ClosedRange<Int>
    }

    private static let highRise = BuildingType(floors: 18...33, units: 1...3, doors: 2...4)
    private static let midHigh = BuildingType(floors: 11...18, units: 2...3, doors: 2...3)
    private static let midRise = BuildingType(floors: 6...9, units: 2...4, doors: 2...2)
    /// The demo's first project: tall, several entrances, so `YS01/3-2-1502` exists.
    private static let demoTower = BuildingType(floors: 18...30, units: 2...3, doors: 2...4)

    private mutating func makeHouses() {
        var rng = SplitMix64(seed: options.seed, stream: "houses")
        let occupancy = WeightedTable<Occupancy>([
            (.selfOccupied, 75), (.rented, 12), (.vacantFurnished, 8), (.vacantBare, 5),
        ])
        let styles: [[BuildingType]] = [
            [Self.highRise], [Self.highRise, Self.midHigh], [Self.midHigh],
            [Self.midRise], [Self.midRise, Self.highRise], [Self.midRise, Self.midHigh],
        ]
        var carry = 0
        for pi in projects.indices {
            let palette = pi == 0 ? [Self.demoTower] : rng.pick(styles)
            let wanted = projectTargets[pi] + carry
            let target = max(300, wanted)
            let firstBuilding = buildings.count
            let firstHouse = houses.count
            var count = 0
            while count < target {
                let type = rng.pick(palette)
                let units = rng.int(type.units)
                let doors = rng.int(type.doors)
                var floors = rng.int(type.floors)
                // Shrink the last building so the project lands close to its target.
                if count + units * doors * floors > target {
                    floors = max(6, (target - count + units * doors - 1) / (units * doors))
                }
                let b = Building(project: pi, number: buildings.count - firstBuilding + 1,
                                 units: units, floors: floors, doors: doors, firstHouse: houses.count)
                buildings.append(b)
                addHouses(of: b, project: projects[pi], &rng, occupancy)
                count += b.houseCount
            }
            carry = wanted - count
            projects[pi].buildings = firstBuilding..<buildings.count
            projects[pi].houses = firstHouse..<houses.count
        }
    }

    private mutating func addHouses(of b: Building, project: Project, _ rng: inout SplitMix64,
                                    _ occupancy: WeightedTable<Occupancy>) {
        // One floor plan per door position, stacked up the building (as real towers are).
        let areas = (1...b.doors).map { door -> Int in
            var a = rng.int(600...1350)
            if door == 1 || door == b.doors { a += rng.int(0...450) }
            return min(1800, a)
        }
        let latestOld = today - 31
        for unit in 1...b.units {
            for floor in 1...b.floors {
                for door in 1...b.doors {
                    let occ = occupancy.sample(&rng)
                    var moveIn: CivilDay?
                    if !occ.isVacant {
                        if rng.chance(0.011) {
                            // Recent move-in: within the 30 days before today (002 #18 visit).
                            moveIn = today - rng.int(1...30)
                        } else if occ == .rented {
                            // Tenants change: the current tenant came within the last 4 years.
                            let earliest = max(project.delivered.days, today.days - 1460)
                            moveIn = CivilDay(days: rng.int(min(earliest, latestOld.days)...latestOld.days))
                        } else if rng.chance(0.7) {
                            // Original owners: mostly within two years of hand-over.
                            let d = project.delivered + Int(pow(rng.unit(), 2) * 730)
                            moveIn = min(d, latestOld)
                        } else {
                            // Resales: any time since hand-over.
                            moveIn = CivilDay(days: rng.int(min(project.delivered.days, latestOld.days)...latestOld.days))
                        }
                    }
                    let holiday: Bool
                    switch occ {
                    case .selfOccupied: holiday = rng.chance(0.062)
                    case .vacantFurnished: holiday = rng.chance(0.04)
                    default: holiday = false
                    }
                    houses.append(House(building: buildings.count - 1, unit: unit, floor: floor, door: door,
                                        areaTenths: areas[door - 1], occupancy: occ, moveIn: moveIn,
                                        holidayHome: holiday))
                }
            }
        }
    }

    // MARK: Grids

    /// Grids of 300-600 houses made of whole buildings, splitting a building by unit
    /// only where a whole one would overflow the grid.
    private mutating func makeGrids() {
        var phonesRNG = phones
        for pi in projects.indices {
            let total = projects[pi].houses.count
            // A project of up to 660 houses stays one grid; two grids of 330 are the
            // smallest split that whole entrances can still fill to 300 each.
            var gridCount = total <= 660 ? 1 : max(2, Int((Double(total) / 450).rounded()))
            while gridCount > 1 && total / gridCount < 330 { gridCount -= 1 }
            var remainingHouses = total
            var remainingGrids = gridCount
            var target = total / gridCount
            let first = grids.count
            var current = Grid(code: "", project: pi, name: "", phone: "")

            func close(_ company: inout Company) {
                let n = company.grids.count - first + 1
                let code = "\(company.projects[pi].code)-G\(n < 10 ? "0" : "")\(n)"
                var g = Grid(code: code, project: pi, name: "\(n)号片区", phone: phonesRNG.gridLine())
                g.covers = current.covers
                g.houseCount = current.houseCount
                company.grids.append(g)
                remainingHouses -= current.houseCount
                remainingGrids -= 1
                target = remainingGrids > 0 ? remainingHouses / remainingGrids : 0
                current = Grid(code: "", project: pi, name: "", phone: "")
            }

            for bi in projects[pi].buildings {
                let b = buildings[bi]
                var unit = 1
                while unit <= b.units {
                    let rest = (b.units - unit + 1) * b.housesPerUnit
                    // Leave at least 300 houses for each grid still to be drawn.
                    let upper = min(target + 60, remainingHouses - 300 * (remainingGrids - 1))
                    if remainingGrids == 1 || current.houseCount + rest <= upper {
                        if unit == 1 {
                            current.covers.append(Cover(building: bi, unit: nil))
                        } else {
                            for u in unit...b.units { current.covers.append(Cover(building: bi, unit: u)) }
                        }
                        current.houseCount += rest
                        break
                    }
                    let enough = current.houseCount >= max(300, target - 40)
                    if enough || (current.houseCount >= 300 && current.houseCount + b.housesPerUnit > upper) {
                        close(&self)
                        continue
                    }
                    current.covers.append(Cover(building: bi, unit: unit))
                    current.houseCount += b.housesPerUnit
                    unit += 1
                }
            }
            if !current.covers.isEmpty { close(&self) }
            projects[pi].grids = first..<grids.count
        }
        phones = phonesRNG
        for gi in grids.indices {
            for c in grids[gi].covers {
                let b = buildings[c.building]
                let range = c.unit.map { b.houses(unit: $0) } ?? b.firstHouse..<(b.firstHouse + b.houseCount)
                for h in range { houses[h].grid = gi }
            }
        }
    }

    func houses(inGrid gi: Int) -> [Int] {
        var out: [Int] = []
        for c in grids[gi].covers {
            let b = buildings[c.building]
            let range = c.unit.map { b.houses(unit: $0) } ?? b.firstHouse..<(b.firstHouse + b.houseCount)
            out.append(contentsOf: range)
        }
        return out
    }

    // MARK: The demo grid

    /// E1001's grid is what the demo shows, so it must hold every kind of daily task:
    /// recent move-ins (one within the last days), holiday homes, vacant houses of both
    /// kinds and elderly residents living alone. Entrustments are topped up later.
    private mutating func enrichDemoGrid() {
        guard !grids.isEmpty else { return }
        var rng = SplitMix64(seed: options.seed, stream: "demo-grid")
        var members = houses(inGrid: 0)
        rng.shuffle(&members)
        forcedElderly = Array(repeating: false, count: houses.count)
        func count(_ p: (House) -> Bool) -> Int { members.reduce(0) { $0 + (p(houses[$1]) ? 1 : 0) } }
        var cursor = 0
        // Plain self-occupied, long-settled houses are the ones rewritten.
        func nextPlain(_ company: Company) -> Int? {
            while cursor < members.count {
                let h = members[cursor]
                cursor += 1
                let house = company.houses[h]
                if house.occupancy == .selfOccupied, !house.holidayHome,
                   let m = house.moveIn, m < company.today - 60 { return h }
            }
            return nil
        }
        let recentSince = today - 30
        func isRecent(_ h: House) -> Bool { h.moveIn.map { $0 >= recentSince } ?? false }
        let recentOffsets = [1, 2, 6, 12, 20]
        for offset in recentOffsets.prefix(max(0, recentOffsets.count - count(isRecent))) {
            if let h = nextPlain(self) { houses[h].moveIn = today - offset }
        }
        if !members.contains(where: { houses[$0].moveIn.map { $0 >= today - 2 } ?? false }),
           let h = nextPlain(self) {
            houses[h].moveIn = today - 1
        }
        for _ in 0..<max(0, 4 - count { $0.holidayHome }) {
            if let h = nextPlain(self) { houses[h].holidayHome = true }
        }
        for (kind, want) in [(Occupancy.vacantFurnished, 4), (.vacantBare, 3)] {
            for _ in 0..<max(0, want - count { $0.occupancy == kind }) {
                if let h = nextPlain(self) {
                    houses[h].occupancy = kind
                    houses[h].moveIn = nil
                }
            }
        }
        for _ in 0..<3 {
            if let h = nextPlain(self) { forcedElderly[h] = true }
        }
    }

    // MARK: Staff

    private mutating func makeStaff() {
        var rng = SplitMix64(seed: options.seed, stream: "staff")
        // Butlers in grid order, so E1001 serves the first grid of the first project.
        // A few butlers take a second small neighbouring grid of the same project.
        var butlerNo = 1001
        for gi in grids.indices {
            let g = grids[gi]
            if gi > 0, g.project != 0, grids[gi - 1].project == g.project,
               g.houseCount + grids[gi - 1].houseCount <= 760, grids[gi - 1].butler == staff.count - 1,
               rng.chance(0.5) {
                grids[gi].butler = grids[gi - 1].butler
            } else {
                staff.append(StaffMember(employeeNo: "E\(butlerNo)", person: phones.person(names, &rng),
                                         role: .butler, project: g.project))
                butlerNo += 1
                grids[gi].butler = staff.count - 1
            }
            // Most grids kept their butler since the base date; some changed hands later.
            var from = assignmentBase
            if gi > 0, rng.chance(0.3) {
                let later = from.addingMonths(rng.int(1...5))
                if later <= min(today, today.addingMonths(-options.historyMonths)) { from = later }
            }
            grids[gi].from = from
        }
        for pi in projects.indices {
            staff.append(StaffMember(employeeNo: "E\(8001 + pi)", person: phones.person(names, &rng),
                                     role: .manager, project: pi))
        }
        for i in 0..<options.scale.agents {
            staff.append(StaffMember(employeeNo: "E\(9001 + i)", person: phones.person(names, &rng),
                                     role: .agent, project: nil))
        }
    }

    // MARK: Entrustments

    private mutating func makeEntrustments() {
        var rng = SplitMix64(seed: options.seed, stream: "entrustments")
        var entrusted = Array(repeating: false, count: houses.count)
        func make(_ h: Int, paid: Bool, _ rng: inout SplitMix64) -> Entrustment {
            let from = today - rng.int(1...730)
            let to: CivilDay? = rng.chance(0.3) ? today + rng.int(30...365) : nil
            let keys = paid ? rng.int(1...2) : [0, 1, 1, 1, 2][rng.below(5)]
            return Entrustment(house: h, paid: paid, from: from, to: to, keys: keys)
        }
        for h in houses.indices {
            let house = houses[h]
            let p: Double
            switch house.occupancy {
            case .vacantFurnished: p = 0.15
            case .vacantBare: p = 0.10
            case .selfOccupied: p = house.holidayHome ? 0.15 : 0.006
            case .rented: p = 0.004
            }
            if rng.chance(p) {
                entrustments.append(make(h, paid: rng.chance(1.0 / 3.0), &rng))
                entrusted[h] = true
            }
        }
        // The demo grid shows both kinds of entrustment work (002 #13, #25).
        guard !grids.isEmpty else { return }
        let members = houses(inGrid: 0)
        var paid = 0, unpaid = 0
        for e in entrustments where houses[e.house].grid == 0 {
            if e.paid { paid += 1 } else { unpaid += 1 }
        }
        for h in members where !entrusted[h] && (houses[h].occupancy.isVacant || houses[h].holidayHome) {
            if paid >= 2 && unpaid >= 3 { break }
            let makePaid = paid < 2
            entrustments.append(make(h, paid: makePaid, &rng))
            entrusted[h] = true
            if makePaid { paid += 1 } else { unpaid += 1 }
        }
        entrustments.sort { $0.house < $1.house }
    }
}
