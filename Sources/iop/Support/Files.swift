import ArgumentParser
import Foundation
import GLPKSolver
import IOPDomain
import MIP
import Planner
import RosterSolver
import ScenarioFile

/// Runs a planning use case; a solver failure or a rejected roster is printed and ends the
/// command (73 for an unwritable stage model, 65 for a week too large to plan, 70
/// otherwise), with nothing written.
func planned<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as PlanningError {
        printError(error.description)
        switch error {
        case .solver(.fileUnwritable): throw ExitCodes.unwritableOutput
        case .tooLarge: throw ExitCodes.invalidInput
        default: throw ExitCodes.solverFailure
        }
    }
}

/// Ends the command with exit code 3 when the solve found no roster in its time.
func requireRoster(_ plan: Plan) throws {
    guard plan.solver.status == .none else { return }
    printError("no roster found within the time limit; nothing written (try a longer --time-limit)")
    throw ExitCodes.noSolution
}

/// Loads a scenario or exits with every issue on stderr.
func loadScenario(_ path: String) throws -> Scenario {
    do {
        return try ScenarioLoader.load(path: path)
    } catch {
        printError(
            "\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") in \(path):\n" + error.description)
        throw error.unreadable ? ExitCodes.unreadableInput : ExitCodes.invalidInput
    }
}

/// Writes to a file readable by its owner only (client data), atomically, or to stdout.
/// The text goes to a new file created 0600 beside the target, then renamed over it; a
/// target that is neither a regular file nor a symbolic link (a folder, a FIFO, a device)
/// is refused and left alone.
func emit(_ text: String, to path: String?, terminator: String = "\n") throws {
    guard let path else {
        print(text, terminator: terminator)
        return
    }
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(
        ".\(url.lastPathComponent).\(UUID().uuidString).tmp"
    ).path
    do throws(OutputError) {
        var target = stat()
        if lstat(path, &target) == 0, target.st_mode & S_IFMT != S_IFREG, target.st_mode & S_IFMT != S_IFLNK {
            throw OutputError("it exists and is not a regular file; nothing was written")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw OutputError(String(cString: strerror(errno))) }
        let bytes = Array((text + terminator).utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw OutputError(reason)
            }
            written += count
        }
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            throw OutputError(String(cString: strerror(errno)))
        }
        // rename(2) replaces the target atomically: readers see the old file or the new one.
        guard rename(temporary, path) == 0 else { throw OutputError(String(cString: strerror(errno))) }
    } catch {
        unlink(temporary)
        printError("cannot write \(path): \(error.reason)")
        throw ExitCodes.unwritableOutput
    }
}

/// Creates a folder for files naming clients (readable by its owner only), with any
/// folders above it, or exits 73 saying why it cannot.
func createOwnerOnlyFolder(_ path: String) throws {
    do {
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
        printError("cannot create \(path): \(error.localizedDescription)")
        throw ExitCodes.unwritableOutput
    }
}

/// Why an output file could not be written.
struct OutputError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Loads an events file or exits with every issue on stderr.
func loadEvents(_ path: String, for scenario: Scenario) throws -> [Event] {
    try loadEventsWithSources(path, for: scenario).map(\.event)
}

/// Loads an events file with each event's source for the record, or exits with every issue on stderr.
func loadEventsWithSources(_ path: String, for scenario: Scenario) throws -> [(event: Event, source: String)] {
    do {
        return try EventsLoader.loadWithSources(path: path, for: scenario)
    } catch {
        printError(
            "\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") in \(path):\n" + error.description)
        throw error.unreadable ? ExitCodes.unreadableInput : ExitCodes.invalidInput
    }
}

/// Reads a roster JSON or exits with a clear message.
func readRoster(_ path: String) throws -> Roster {
    guard FileManager.default.fileExists(atPath: path) else {
        printError("cannot read roster \(path): no such file")
        throw ExitCodes.unreadableInput
    }
    do {
        return try Roster.decoder().decode(Roster.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
        printError("cannot read roster \(path): expected the JSON written by iop plan --format json (\(error))")
        throw ExitCodes.invalidInput
    }
}
