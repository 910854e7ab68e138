// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Roster",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "roster", targets: ["roster"]),
        .library(name: "RosterCore", targets: ["RosterCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
    ],
    targets: [
        .target(
            name: "RosterCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                "CSQLiteConfig",
            ]
        ),
        .target(
            name: "CSQLiteConfig",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
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
            dependencies: ["RosterCore", "CTextWidth"]
        ),
        .executableTarget(
            name: "roster",
            dependencies: [
                "RosterCore",
                "RosterTUI",
                "CNCursesW",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "console-bench",
            dependencies: ["RosterTUI", "RosterCore"],
            path: "bench/console-replay"
        ),
        .testTarget(
            name: "RosterCoreTests",
            dependencies: ["RosterCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "RosterTUITests",
            dependencies: ["RosterTUI", "RosterCore"],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "rosterTests",
            dependencies: ["roster", "RosterCore"]
        ),
    ]
)
