/// The whole generated registry, held in memory until the CSV files are written.
struct Company {
    let options: Options
    var projects: [Project] = []
    /// Houses wanted per project (the last building of each is shrunk to fit).
    var projectTargets: [Int] = []
    var buildings: [Building] = []
    var houses: [House] = []
    var grids: [Grid] = []
    var staff: [StaffMember] = []
    var entrustments: [Entrustment] = []
    /// Houses whose owner is forced to be an elderly person living alone (the demo grid).
    var forcedElderly: [Bool] = []
    var names: NameMaker
    var phones: PhoneMaker

    init(options: Options) {
        self.options = options
        names = NameMaker()
        phones = PhoneMaker(seed: options.seed)
    }

    var today: CivilDay { options.today }

    /// When grid assignments start: the 1st of January of the year the history begins,
    /// so every touchpoint and inspection falls inside its grid butler's assignment.
    var assignmentBase: CivilDay {
        let start = options.today.addingMonths(-options.historyMonths)
        return CivilDay(year: start.ymd.year, month: 1, day: 1)
    }
}

/// Invented names: weighted surname, one or two given-name characters.
struct NameMaker {
    private let surnames = WeightedTable(Vocabulary.surnames)

    func make(_ rng: inout SplitMix64, surname fixed: String? = nil) -> (surname: String, name: String) {
        let surname = fixed ?? surnames.sample(&rng)
        let pool = rng.chance(0.5) ? Vocabulary.givenMale : Vocabulary.givenFemale
        var given = rng.pick(pool)
        if rng.chance(0.7) {
            var second = rng.pick(pool)
            if second == given && rng.chance(0.8) { second = rng.pick(pool) }
            given += second
        }
        return (surname, surname + given)
    }
}

/// Valid-format mainland mobile numbers (`1[3-9]` + 9 digits), unique across the run.
struct PhoneMaker {
    private var rng: SplitMix64
    private var used = Set<Int>()

    init(seed: UInt64) { rng = SplitMix64(seed: seed, stream: "phones") }

    mutating func mobile() -> String {
        while true {
            let n = rng.pick(Vocabulary.mobilePrefixes) * 100_000_000 + rng.below(100_000_000)
            if used.insert(n).inserted { return String(n) }
        }
    }

    /// A fixed-line grid service number in the 0571 area (8 digits starting with 8).
    mutating func gridLine() -> String {
        while true {
            let n = 80_000_000 + rng.below(10_000_000)
            if used.insert(-n).inserted { return "0571-\(n)" }
        }
    }

    mutating func person(_ names: NameMaker, _ nameRNG: inout SplitMix64, surname: String? = nil) -> Person {
        let n = names.make(&nameRNG, surname: surname)
        return Person(surname: n.surname, name: n.name, phone: mobile())
    }
}
