/// The registry CSV files, in the column order of CONTRACT.md.
extension Company {
    func houseKey(_ buf: inout CSVBuffer, _ h: Int) {
        let house = houses[h]
        let b = buildings[house.building]
        buf.field(projects[b.project].code)
        buf.field(b.number)
        buf.field(house.unit)
        buf.field(house.room)
    }

    func projectsCSV() -> CSVBuffer {
        var buf = CSVBuffer(header: ["code", "name"])
        for p in projects {
            buf.field(p.code)
            buf.field(p.name)
            buf.endRow()
        }
        return buf
    }

    func staffCSV() -> CSVBuffer {
        var buf = CSVBuffer(header: ["employee_no", "name", "phone", "role", "project"])
        // Agents, managers, butlers: the order the demo introduces them.
        let order: [StaffRole] = [.agent, .manager, .butler, .technician]
        for role in order {
            for s in staff where s.role == role {
                buf.field(s.employeeNo)
                buf.field(s.person.name)
                buf.field(s.person.phone)
                buf.field(s.role.rawValue)
                buf.field(s.project.map { projects[$0].code } ?? "")
                buf.endRow()
            }
        }
        return buf
    }

    func housesCSV() -> CSVBuffer {
        var buf = CSVBuffer(header: ["project", "building", "unit", "room", "floor", "area_m2", "occupancy",
                                     "move_in_date", "holiday_home"],
                            capacity: houses.count * 56 + 4096)
        for h in houses.indices {
            let house = houses[h]
            houseKey(&buf, h)
            buf.field(house.floor)
            buf.field(tenths: house.areaTenths)
            buf.field(house.occupancy.csv)
            buf.field(house.moveIn)
            buf.field(house.holidayHome ? "yes" : "no")
            buf.endRow()
        }
        return buf
    }

    func gridsCSV() -> CSVBuffer {
        var buf = CSVBuffer(header: ["grid", "project", "name", "phone", "building", "unit", "butler", "from"])
        for g in grids {
            for c in g.covers {
                buf.field(g.code)
                buf.field(projects[g.project].code)
                buf.field(g.name)
                buf.field(g.phone)
                buf.field(buildings[c.building].number)
                if let u = c.unit { buf.field(u) } else { buf.field("") }
                buf.field(staff[g.butler].employeeNo)
                buf.field(g.from)
                buf.endRow()
            }
        }
        return buf
    }

    func entrustmentsCSV() -> CSVBuffer {
        var buf = CSVBuffer(header: ["project", "building", "unit", "room", "kind", "from", "to", "keys"])
        for e in entrustments {
            houseKey(&buf, e.house)
            buf.field(e.paid ? "paid" : "unpaid")
            buf.field(e.from)
            buf.field(e.to)
            buf.field(e.keys)
            buf.endRow()
        }
        return buf
    }

    /// Residents: every house has an owner; self-occupied houses have families, rented
    /// ones a tenant; investors sometimes own a second (rented or vacant) house.
    /// Returns the file and the number of rows carrying each tag.
    mutating func residentsCSV() -> (CSVBuffer, tags: [(String, Int)]) {
        var rng = SplitMix64(seed: options.seed, stream: "residents")
        var buf = CSVBuffer(header: ["project", "building", "unit", "room", "name", "phone", "role",
                                     "move_in_date", "tags"],
                            capacity: houses.count * 110 + 4096)
        let familySize = WeightedTable<Int>([(0, 55), (1, 33), (2, 10), (3, 2)])
        var elderly = 0, disabled = 0, vip = 0
        var owners: [Person] = []
        var currentProject = -1
        var namesInHouse: [String] = []

        func row(_ buf: inout CSVBuffer, _ company: Company, _ h: Int, _ p: Person, _ role: String,
                 _ moveIn: CivilDay?, _ tags: [String]) {
            company.houseKey(&buf, h)
            buf.field(p.name)
            buf.field(p.phone)
            buf.field(role)
            buf.field(moveIn)
            buf.field(tags.joined(separator: ";"))
            buf.endRow()
        }
        func newPerson(_ company: inout Company, surname: String? = nil) -> Person {
            var p = company.phones.person(company.names, &rng, surname: surname)
            // Two people of one household are never given the very same name.
            while namesInHouse.contains(p.name) { p = company.phones.person(company.names, &rng, surname: surname) }
            namesInHouse.append(p.name)
            return p
        }

        for h in houses.indices {
            let house = houses[h]
            let project = buildings[house.building].project
            if project != currentProject {
                currentProject = project
                owners.removeAll(keepingCapacity: true)
            }
            namesInHouse.removeAll(keepingCapacity: true)
            let livesIn = house.occupancy == .selfOccupied
            let family = livesIn && !forcedElderly[h] ? familySize.sample(&rng) : 0

            // Owner
            let owner: Person
            var ownerTags: [String] = []
            if !livesIn, !owners.isEmpty, rng.chance(0.05) {
                owner = rng.pick(owners)
                namesInHouse.append(owner.name)
            } else {
                owner = newPerson(&self)
                owners.append(owner)
                if livesIn && family == 0 && (forcedElderly[h] || rng.chance(0.077)) {
                    ownerTags.append("elderly_alone")
                    elderly += 1
                }
                if livesIn && rng.chance(0.006) { ownerTags.append("disabled"); disabled += 1 }
                if rng.chance(0.016) { ownerTags.append("vip"); vip += 1 }
            }
            row(&buf, self, h, owner, "owner", livesIn ? house.moveIn : nil, ownerTags)

            // Family of a self-occupied house: often children or a spouse with the same surname.
            for _ in 0..<family {
                let p = newPerson(&self, surname: rng.chance(0.5) ? owner.surname : nil)
                var tags: [String] = []
                if rng.chance(0.006) { tags.append("disabled"); disabled += 1 }
                row(&buf, self, h, p, "family", house.moveIn, tags)
            }

            // Tenants of a rented house; sometimes two sharing.
            if house.occupancy == .rented {
                let tenants = rng.chance(0.3) ? 2 : 1
                for _ in 0..<tenants {
                    let p = newPerson(&self)
                    var tags: [String] = []
                    if rng.chance(0.004) { tags.append("disabled"); disabled += 1 }
                    row(&buf, self, h, p, "tenant", house.moveIn, tags)
                }
            }
        }
        return (buf, [("elderly_alone", elderly), ("disabled", disabled), ("vip", vip)])
    }
}
