// swift-tools-version: 6.2
import PackageDescription

/// Strict settings shared by every target (see ../shared/STYLE.md, item 7).
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "Chronicle",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chronicle", targets: ["chronicle"]),
        .library(name: "EventLog", targets: ["EventLog"]),
        .library(name: "Collaboratives", targets: ["Collaboratives"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // Every file-system call of the project (directories, renames, status, descriptors) and its errors.
        .target(name: "FileSystem", dependencies: [.product(name: "SystemPackage", package: "swift-system")]),
        // The fault guard of CLMDB/shim.h, compiled once: its state must have one copy in the process.
        .target(name: "CLMDBShim", dependencies: ["CLMDB"], publicHeadersPath: "."),
        .target(name: "LMDB", dependencies: ["CLMDB", "CLMDBShim", "FileSystem"]),
        .target(name: "ChronicleSupport"),
        .target(
            name: "EventLog",
            dependencies: [
                "LMDB", "FileSystem", "ChronicleSupport", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "PostgresEventLog",
            dependencies: [
                "EventLog", "FileSystem", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Collaboratives",
            dependencies: [
                "EventLog", "FileSystem", "ChronicleSupport", .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(name: "HistoryGeneration", dependencies: ["Collaboratives", "EventLog"]),
        .target(
            name: "ChronicleCLI",
            dependencies: [
                "Collaboratives", "EventLog", "FileSystem", "HistoryGeneration", "PostgresEventLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ],
            resources: [.embedInCode("Demo/demo-history.ndjson")]
        ),
        .executableTarget(name: "chronicle", dependencies: ["ChronicleCLI"]),
        .executableTarget(name: "ChronicleExample", dependencies: ["EventLog"], path: "Examples/ChronicleExample"),
        .testTarget(name: "FileSystemTests", dependencies: ["FileSystem"]),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB"]),
        // What the store's test targets share (append hooks made of closures); not a product.
        .target(name: "EventLogTestSupport", dependencies: ["EventLog"], path: "Tests/EventLogTestSupport"),
        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "EventLogTestSupport", "LMDB"]),
        .testTarget(name: "ChronicleSupportTests", dependencies: ["ChronicleSupport"]),
        .testTarget(
            name: "EventStoreContractTests", dependencies: ["EventLog", "EventLogTestSupport", "PostgresEventLog"]),
        .testTarget(
            name: "CollaborativesTests", dependencies: ["Collaboratives", "EventLog", "HistoryGeneration", "LMDB"]),
        .testTarget(
            name: "ChronicleCLITests",
            dependencies: [
                "ChronicleCLI", "Collaboratives", "EventLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "PostgresEventLogTests",
            dependencies: ["PostgresEventLog", "EventLog", "EventLogTestSupport", "LMDB"]),
        .testTarget(
            name: "ChronicleEndToEndTests",
            dependencies: [
                "chronicle", "Collaboratives", "EventLog", "PostgresEventLog",
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
