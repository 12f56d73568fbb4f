import Foundation

/// The size of the generated company.
enum Scale: String {
    case demo, company

    /// Houses per project before rounding to whole buildings.
    func projectTargets(_ rng: inout SplitMix64) -> [Int] {
        switch self {
        case .demo:
            return [1200, 1000, 800]
        case .company:
            // 000: 243 communities, 226,000 households. Skewed sizes (many small, a few
            // large), 300-3000 houses each, rescaled so the total lands on 226,000.
            let count = 243, total = 226_000, minSize = 300, maxSize = 3000
            let extras = (0..<count).map { _ in pow(rng.unit(), 3.3) }
            let sum = extras.reduce(0, +)
            let scale = Double(total - minSize * count) / sum
            return extras.map { min(maxSize, minSize + Int((($0 * scale)).rounded())) }
        }
    }

    var agents: Int { self == .demo ? 3 : 33 }
}

enum Occupancy: UInt8 {
    case selfOccupied, rented, vacantFurnished, vacantBare

    var csv: String {
        switch self {
        case .selfOccupied: return "self"
        case .rented: return "rented"
        case .vacantFurnished: return "vacant_furnished"
        case .vacantBare: return "vacant_bare"
        }
    }

    var isVacant: Bool { self == .vacantFurnished || self == .vacantBare }
}

struct Project {
    let code: String
    let name: String
    var buildings: Range<Int> = 0..<0
    var houses: Range<Int> = 0..<0
    var grids: Range<Int> = 0..<0
    /// When the community was handed over to its owners; move-ins are after this.
    let delivered: CivilDay
}

struct Building {
    let project: Int
    let number: Int
    let units: Int
    let floors: Int
    let doors: Int
    let firstHouse: Int

    var housesPerUnit: Int { floors * doors }
    var houseCount: Int { units * housesPerUnit }

    func house(unit: Int, floor: Int, door: Int) -> Int {
        firstHouse + (unit - 1) * housesPerUnit + (floor - 1) * doors + (door - 1)
    }

    func houses(unit: Int) -> Range<Int> {
        let start = firstHouse + (unit - 1) * housesPerUnit
        return start..<(start + housesPerUnit)
    }
}

struct House {
    let building: Int
    let unit: Int
    let floor: Int
    let door: Int
    let areaTenths: Int
    var occupancy: Occupancy
    var moveIn: CivilDay?
    var holidayHome: Bool
    var grid: Int = -1

    var room: Int { floor * 100 + door }
}

/// One `grid cover` line: a whole building (unit nil) or one unit of it.
struct Cover {
    let building: Int
    let unit: Int?
}

struct Grid {
    let code: String
    let project: Int
    let name: String
    let phone: String
    var covers: [Cover] = []
    var houseCount = 0
    var butler = -1
    var from = CivilDay(days: 0)
}

enum StaffRole: String {
    case butler, manager, agent, technician
}

struct Person {
    let surname: String
    let name: String
    let phone: String
}

struct StaffMember {
    let employeeNo: String
    let person: Person
    let role: StaffRole
    let project: Int?
}

struct Entrustment {
    let house: Int
    let paid: Bool
    let from: CivilDay
    let to: CivilDay?
    let keys: Int

    func covers(_ day: CivilDay) -> Bool {
        from <= day && (to.map { day <= $0 } ?? true)
    }
}

/// What the command line asked for.
struct Options {
    var scale: Scale
    var out: String
    var seed: UInt64
    var today: CivilDay
    var historyMonths: Int
    /// Months of repair orders (repairs.csv; 0: none).
    var repairMonths = 0
}
