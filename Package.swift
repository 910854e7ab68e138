// swift-tools-version:6.0
import PackageDescription

/// The new modules opt in to the Swift 7 defaults: imports are internal unless marked `public import`, and an
/// existential is spelled `any P`.
let strictModule: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Roster",
    // Built and tested on Linux (Glibc, ncursesw, SQLite from the system). The code also keeps `#if canImport(Darwin)`
    // paths, untested; macOS 15 is the first release with `Synchronization` (`Mutex`, `Atomic`), which it needs.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "roster", targets: ["roster"]),
        .library(name: "RosterModel", targets: ["RosterModel"]),
        .library(name: "RosterCSV", targets: ["RosterCSV"]),
        .library(name: "RosterCore", targets: ["RosterCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-collections.git", exact: "1.6.0"),
    ],
    targets: [
        .target(
            name: "RosterConcurrency",
            dependencies: [.product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strictModule
        ),
        .target(
            name: "RosterCSV",
            swiftSettings: strictModule
        ),
        .target(
            name: "RosterModel",
            dependencies: [
                "RosterConcurrency", "CMemory", .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strictModule
        ),
        .target(
            name: "RosterCore",
            dependencies: [
                "RosterModel",
                "RosterCSV",
                "RosterConcurrency",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
                "CSQLiteConfig",
            ]
        ),
        .target(
            name: "RosterDemo",
            dependencies: ["RosterCore", "RosterModel"]
        ),
        .target(
            name: "CSQLiteConfig",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        .systemLibrary(name: "CMemory"),
        .systemLibrary(
            name: "CNCursesW",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .target(
            name: "CTextWidth",
            cSettings: [.define("_XOPEN_SOURCE", to: "700")]
        ),
        .target(
            name: "RosterTUI",
            dependencies: ["RosterModel", "CTextWidth"]
        ),
        .target(
            name: "RosterServer",
            dependencies: [
                "RosterConcurrency",
                "RosterCore",
                "RosterModel",
                "RosterCSV",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "roster",
            dependencies: [
                "RosterCore",
                "RosterModel",
                "RosterCSV",
                "RosterDemo",
                "RosterTUI",
                "RosterServer",
                "CNCursesW",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "console-bench",
            dependencies: ["RosterTUI", "RosterCore", "RosterModel"],
            path: "bench/console-replay"
        ),
        .testTarget(
            name: "RosterCoreTests",
            dependencies: [
                "RosterCore",
                "RosterModel",
                "RosterCSV",
                "RosterConcurrency",
                "RosterDemo",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "RosterTUITests",
            dependencies: ["RosterTUI", "RosterCore", "RosterModel"],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "RosterServerTests",
            dependencies: [
                "RosterServer",
                "RosterCore",
                "RosterDemo",
                "RosterModel",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "rosterTests",
            dependencies: ["roster", "RosterCore", "RosterModel"]
        ),
    ]
)
