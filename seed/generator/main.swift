import Foundation

// butler-seed: deterministic demo/company data for `butler import` and `butler grid ...`.

let usage = """
    Usage: butler-seed --scale demo|company --out DIR [--seed N] [--today YYYY-MM-DD] [--history-months N] [--repair-months N]

    Writes deterministic, invented registry data as CSV files for `butler import`:
      projects.csv staff.csv houses.csv residents.csv grids.csv entrustments.csv
      and, with --history-months N > 0, touchpoints.csv inspections.csv
      and arrears.csv (twelve monthly fee periods per house, the fee system's snapshot);
      with --repair-months N > 0, repairs.csv (staff.csv always lists technicians)

    Options:
      --scale demo|company   demo: 3 projects, ~3,000 houses; company: 243 projects,
                             ~226,000 houses, ~360,000 residents
      --out DIR              output directory (created if missing; files are overwritten)
      --seed N               PRNG seed, an unsigned integer (default 42)
      --today YYYY-MM-DD     the day the data is "as of" (default: today in Asia/Shanghai)
      --history-months N     months of past touchpoints and inspections (default 0)
      --repair-months N      months of repair orders, 000's rate: ~510,000 in 36 months
                             at company scale (default 0)
      -h, --help             show this help

    The same arguments always produce the same bytes.

    Example:
      butler-seed --scale demo --out /tmp/demo --today 2026-12-01 --history-months 3
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("butler-seed: \(message)\n(see butler-seed --help)\n".utf8))
    exit(1)
}

func parseOptions(_ args: [String]) -> Options {
    var scale: Scale?
    var out: String?
    var seed: UInt64 = 42
    var today: CivilDay?
    var history = 0
    var repairMonths = 0
    var i = 0
    func value(_ flag: String) -> String {
        i += 1
        guard i < args.count, !args[i].hasPrefix("--") else { fail("\(flag) needs a value") }
        return args[i]
    }
    while i < args.count {
        var arg = args[i]
        // Accept --flag=value as well as --flag value.
        if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
            let v = String(arg[arg.index(after: eq)...])
            arg = String(arg[..<eq])
            var copy = args
            copy.insert(v, at: i + 1)
            return parseOptions(Array(copy[..<i]) + [arg] + Array(copy[(i + 1)...]))
        }
        switch arg {
        case "-h", "--help":
            print(usage)
            exit(0)
        case "--scale":
            let v = value(arg)
            guard let s = Scale(rawValue: v) else { fail("--scale: '\(v)' is not one of demo, company") }
            scale = s
        case "--out":
            out = value(arg)
        case "--seed":
            let v = value(arg)
            guard let n = UInt64(v) else { fail("--seed: '\(v)' is not an unsigned integer") }
            seed = n
        case "--today":
            let v = value(arg)
            guard let d = CivilDay(iso: v) else { fail("--today: '\(v)' is not a date YYYY-MM-DD") }
            today = d
        case "--history-months":
            let v = value(arg)
            guard let n = Int(v), (0...120).contains(n) else {
                fail("--history-months: '\(v)' is not a whole number from 0 to 120")
            }
            history = n
        case "--repair-months":
            let v = value(arg)
            guard let n = Int(v), (0...120).contains(n) else {
                fail("--repair-months: '\(v)' is not a whole number from 0 to 120")
            }
            repairMonths = n
        default:
            fail("unknown argument '\(arg)'")
        }
        i += 1
    }
    guard let scale else { fail("--scale is required (demo or company)") }
    guard let out, !out.isEmpty else { fail("--out DIR is required") }
    return Options(scale: scale, out: out, seed: seed, today: today ?? CivilDay.todayInShanghai(),
                   historyMonths: history, repairMonths: repairMonths)
}

/// Generates everything, writes each file once, prints the summary on stderr.
func run(_ options: Options) {
    let started = Date()
    let outURL = URL(fileURLWithPath: options.out, isDirectory: true)
    do {
        try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true)
    } catch {
        fail("--out: cannot create directory \(options.out): \(error.localizedDescription)")
    }

    var company = Company(options: options)
    company.generateRegistry()
    company.makeTechnicians()

    var written: [(String, Int)] = []
    func write(_ name: String, _ buf: CSVBuffer) {
        do {
            try buf.write(to: outURL.appendingPathComponent(name))
        } catch {
            fail("cannot write \(options.out)/\(name): \(error.localizedDescription)")
        }
        written.append((name, buf.rows))
    }

    write("projects.csv", company.projectsCSV())
    write("staff.csv", company.staffCSV())
    write("houses.csv", company.housesCSV())
    let (residents, tagCounts) = company.residentsCSV()
    write("residents.csv", residents)
    write("grids.csv", company.gridsCSV())
    write("entrustments.csv", company.entrustmentsCSV())
    if options.historyMonths > 0 {
        write("touchpoints.csv", company.touchpointsCSV())
        write("inspections.csv", company.inspectionsCSV())
        write("arrears.csv", company.arrearsCSV())
    }
    if options.repairMonths > 0 { write("repairs.csv", company.repairsCSV()) }

    // Summary on stderr, so stdout stays empty for scripts.
    var summary = "butler-seed: scale \(options.scale.rawValue), seed \(options.seed), today \(options.today.iso)"
    summary += ", history \(options.historyMonths) months -> \(options.out)\n"
    for (name, rows) in written {
        summary += "  \(name.padding(toLength: 18, withPad: " ", startingAt: 0))\(rows) rows\n"
    }
    let houseCount = company.houses.count
    func percent(_ n: Int, of d: Int) -> String { String(format: "%.1f%%", d == 0 ? 0 : 100.0 * Double(n) / Double(d)) }
    let occ = [Occupancy.selfOccupied, .rented, .vacantFurnished, .vacantBare].map { o in
        "\(o.csv) \(percent(company.houses.filter { $0.occupancy == o }.count, of: houseCount))"
    }
    summary += "  occupancy: \(occ.joined(separator: ", "))\n"
    let recent = company.houses.filter { $0.moveIn.map { $0 >= options.today - 30 } ?? false }.count
    let holiday = company.houses.filter(\.holidayHome).count
    summary += "  recent move-ins \(recent), holiday homes \(percent(holiday, of: houseCount))"
    summary += ", entrusted \(percent(company.entrustments.count, of: houseCount))"
    summary += " (paid \(company.entrustments.filter(\.paid).count))\n"
    summary += "  residents per house \(String(format: "%.2f", Double(residents.rows) / Double(max(1, houseCount))))"
    summary += ", tags: \(tagCounts.map { "\($0.0) \($0.1)" }.joined(separator: ", "))\n"
    let sizes = company.grids.map(\.houseCount)
    summary += "  grids \(company.grids.count), houses per grid \(sizes.min() ?? 0)-\(sizes.max() ?? 0)"
    summary += ", butlers \(company.staff.filter { $0.role == .butler }.count)\n"
    summary += String(format: "  %.2f s\n", Date().timeIntervalSince(started))
    FileHandle.standardError.write(Data(summary.utf8))
}

run(parseOptions(Array(CommandLine.arguments.dropFirst())))
