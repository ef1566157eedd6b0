import Foundation
import IOPDomain
import ScenarioFile

/// What the test targets share: the repository's files, temporary paths, and running a
/// built program as a user would.

/// The repository's root folder.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A bundled scenario of `Scenarios/`, by file name.
public func bundledScenario(_ name: String) throws -> Scenario {
    try ScenarioLoader.load(path: repositoryRoot.appendingPathComponent("Scenarios/\(name)").path)
}

/// A bundled roster, `Scenarios/rosters/NAME`.
public func bundledRoster(_ name: String) throws -> Roster {
    try Roster.decoder().decode(
        Roster.self, from: Data(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/rosters/\(name)")))
}

/// A path in the temporary folder that no other test uses.
public func temporaryPath(_ name: String, prefix: String = "iop-test") -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)-\(name)").path
}

/// A finished process: its exit status and everything it wrote.
public struct ProcessRun: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs `executable` with `arguments` in `folder`, reading standard output and standard
/// error at the same time, so a program that fills one pipe never waits on the other;
/// standard input is `input`, or empty.
public func runProcess(_ executable: URL, _ arguments: [String], in folder: URL, input: String? = nil) throws
    -> ProcessRun
{
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = folder
    let stdin = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    if let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
    }
    let group = DispatchGroup()
    nonisolated(unsafe) var stderr = Data()
    group.enter()
    DispatchQueue.global().async {
        stderr = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessRun(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}
