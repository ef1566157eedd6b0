// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "IOPScheduler",
    // Synchronization's Atomic (the command line's interrupt flag) needs macOS 15.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "iop", targets: ["iop"]),
        .library(name: "MIP", targets: ["MIP"]),
        .library(name: "GLPKSolver", targets: ["GLPKSolver"]),
        .library(name: "IOPDomain", targets: ["IOPDomain"]),
        .library(name: "ScenarioFile", targets: ["ScenarioFile"]),
        .library(name: "RosterSolver", targets: ["RosterSolver"]),
        .library(name: "RosterValidator", targets: ["RosterValidator"]),
        .library(name: "Planner", targets: ["Planner"]),
        .library(name: "OperationsRecord", targets: ["OperationsRecord"]),
        .library(name: "UseCases", targets: ["UseCases"]),
        .library(name: "Exports", targets: ["Exports"]),
        .library(name: "Service", targets: ["Service"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Layer 1: the C binding. Only GLPKSolver imports it.
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"]), .brew(["glpk"])]
        ),
        // Layer 2: the MIP modelling layer (pure Swift) and its GLPK backend.
        .target(name: "MIP"),
        .target(
            name: "GLPKSolver",
            dependencies: ["CGLPK", "MIP", .product(name: "Logging", package: "swift-log")]
        ),
        // Layer 3: the domain and its scenario files.
        .target(name: "IOPDomain"),
        .target(
            name: "ScenarioFile",
            dependencies: [
                "IOPDomain", .product(name: "Yams", package: "Yams"), .product(name: "CSV", package: "CSV.swift"),
            ]),
        // Layer 4: the roster solver, and the validator that shares no code with it.
        .target(name: "RosterSolver", dependencies: ["IOPDomain", "MIP", "GLPKSolver"]),
        .target(name: "RosterValidator", dependencies: ["IOPDomain"]),
        // Layer 5: the planner, re-planning for change; every roster it returns has passed the validator.
        .target(name: "Planner", dependencies: ["IOPDomain", "RosterSolver", "RosterValidator", "GLPKSolver"]),
        // Layer 6: the operations record (SQLite through GRDB, or PostgreSQL through postgres-nio).
        .target(
            name: "OperationsRecord",
            dependencies: [
                "IOPDomain", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "CSV", package: "CSV.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Layer 7: the use cases every interface calls; they return values and typed errors, never print.
        .target(
            name: "UseCases",
            dependencies: [
                "IOPDomain", "ScenarioFile", "RosterSolver", "RosterValidator", "Planner", "OperationsRecord",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]),
        // Exports to the tools people already use: calendars, FHIR, sheets and report tables.
        .target(
            name: "Exports",
            dependencies: [
                "IOPDomain", "OperationsRecord", .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // Interfaces: the JSON service and the clinical team's pages (Hummingbird), and the command line.
        .target(
            name: "Service",
            dependencies: [
                "MIP", "IOPDomain", "RosterSolver", "Planner", "OperationsRecord", "UseCases", "Exports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates")]),
        .executableTarget(
            name: "iop",
            dependencies: [
                "MIP", "GLPKSolver", "IOPDomain", "ScenarioFile", "RosterSolver", "RosterValidator", "Planner",
                "OperationsRecord", "UseCases", "Service", "Exports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the tests share: the repository's files, temporary paths, running the built binary.
        .target(name: "TestSupport", dependencies: ["IOPDomain", "ScenarioFile"], path: "Tests/TestSupport"),
        .testTarget(name: "MIPTests", dependencies: ["MIP", "GLPKSolver", "TestSupport"]),
        .testTarget(
            name: "RosterTests",
            dependencies: [
                "MIP", "GLPKSolver", "IOPDomain", "ScenarioFile", "RosterSolver", "RosterValidator", "TestSupport",
            ]),
        .testTarget(
            name: "PlannerTests",
            dependencies: ["IOPDomain", "ScenarioFile", "RosterSolver", "RosterValidator", "Planner", "TestSupport"]),
        .testTarget(
            name: "OperationsRecordTests",
            dependencies: [
                "IOPDomain", "ScenarioFile", "RosterSolver", "RosterValidator", "Planner", "OperationsRecord",
                .product(name: "GRDB", package: "GRDB.swift"), "TestSupport",
            ]),
        .testTarget(name: "CLITests", dependencies: ["iop", "OperationsRecord", "TestSupport"]),
        .testTarget(name: "ExportsTests", dependencies: ["IOPDomain", "OperationsRecord", "Exports", "TestSupport"]),
        .testTarget(
            name: "ServiceTests",
            dependencies: [
                "IOPDomain", "OperationsRecord", "RosterSolver", "UseCases", "Service", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Yams", package: "Yams"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
