import ArgumentParser
import Foundation
import Logging

@main
struct IOP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iop",
        abstract: "Plans the week of an intensive outpatient program and keeps it right.",
        subcommands: [
            PlanCommand.self, ReplanCommand.self, WhatIfCommand.self, RemindersCommand.self, InitCommand.self,
            ImportCommand.self, PublishCommand.self, RosterCommand.self, EventsCommand.self, CensusCommand.self,
            PinCommand.self, BarCommand.self, LockCommand.self, WeekCommand.self, AttendanceCommand.self,
            AuthCommand.self, PayerCommand.self, DischargesCommand.self, BillingCommand.self, ValidateCommand.self,
            CheckCommand.self, ExportLP.self, ExportCommand.self, SolveLP.self, ServeCommand.self, UserCommand.self,
            Version.self,
        ]
    )

    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel =
                ProcessInfo.processInfo.environment["IOP_LOG_LEVEL"]
                .flatMap(Logger.Level.init(rawValue:)) ?? .warning
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// The exit codes `iop` uses, beyond ArgumentParser's 64 for bad usage.
enum ExitCodes {
    /// The solver ran and found no solution (infeasible, unbounded, or nothing in time).
    static let noSolution = ExitCode(3)
    /// A roster re-planned from a version that is no longer the latest published one.
    static let outdated = ExitCode(4)
    /// Another process kept the record busy; nothing was written, and trying again may work.
    static let busy = ExitCode(75)
    /// An input file is malformed.
    static let invalidInput = ExitCode(65)
    /// An input file cannot be read.
    static let unreadableInput = ExitCode(66)
    /// GLPK reported a failure.
    static let solverFailure = ExitCode(70)
    /// An output file cannot be written.
    static let unwritableOutput = ExitCode(73)
}

/// Prints a message to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("iop: " + message + "\n").utf8))
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version of iop.")
    static let current = "0.1.0"

    func run() {
        print("iop \(Self.current)")
    }
}
