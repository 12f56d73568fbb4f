// swift-tools-version: 6.0
import Foundation
import PackageDescription

// Every numbered migration in schema/, each one a resource of ButlerSchema (a new file needs no
// edit here).
let migrationFiles = ((try? FileManager.default.contentsOfDirectory(atPath: Context.packageDirectory + "/schema")) ?? [])
    .filter { $0.hasSuffix(".sql") }.sorted()

let package = Package(
    name: "butler",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "butler", targets: ["butler"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.20.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // The only place C is seen: libpq through pkg-config.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // A thin, safe wrapper over libpq: bound parameters only, typed rows, COPY, transactions.
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        // Pure domain: calendar, standards, task rules. No database, no I/O.
        .target(name: "ButlerCore"),
        // Migrations, imports and repositories over Postgres.
        .target(
            name: "ButlerStore",
            dependencies: [
                "Postgres", "ButlerCore", "ButlerSchema",
                .product(name: "CSV", package: "CSV.swift"),
                // SHA-256 of API tokens: only the hash ever reaches the database.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The migrations (top-level schema/, where landed files keep their paths) as a resource
        // bundle that travels with the binary: an installed butler migrates without the source tree.
        .target(name: "ButlerSchema", path: "schema", exclude: ["LANDED"], resources: migrationFiles.map { .copy($0) }),
        // The HTTP API and the call-centre screen-pop page (Hummingbird 2), over ButlerStore.
        .target(
            name: "ButlerServer",
            dependencies: [
                "ButlerStore", "ButlerCore", "Postgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The screen-pop page: templates that escape by construction.
                .product(name: "Mustache", package: "swift-mustache"),
                // The repair form carries the caller's number sealed, not shown (CallerSeal.swift).
                .product(name: "Crypto", package: "swift-crypto"),
                // The HTTP/1 parser's errors, answered as JSON below the router (RequestLimits.swift).
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                // GET /metrics: swift-metrics with the Prometheus backend.
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "butler",
            dependencies: [
                "ButlerStore", "ButlerCore", "ButlerServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Deterministic demo/company data generator; writes CSV files for `butler import`.
        .executableTarget(name: "butler-seed", dependencies: ["ButlerCore"], path: "seed/generator"),
        // Benchmarks (run by ops/bench; not part of the test suite).
        .executableTarget(name: "butler-bench", dependencies: ["ButlerStore", "ButlerCore", "Postgres"], path: "ops/benchmarks"),
        // A fresh schema per test suite on the database ops/test provides.
        .target(name: "ButlerTestSupport", dependencies: ["ButlerStore", "Postgres"], path: "Tests/ButlerTestSupport"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "ButlerTestSupport"]),
        .testTarget(name: "ButlerCoreTests", dependencies: ["ButlerCore"]),
        .testTarget(
            name: "ButlerServerTests",
            dependencies: [
                "ButlerServer", "ButlerStore", "ButlerCore", "Postgres", "ButlerTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "ButlerStoreTests", dependencies: ["ButlerStore", "ButlerCore", "Postgres", "ButlerTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
