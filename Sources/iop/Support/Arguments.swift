import ArgumentParser
import IOPDomain
import MIP
import RosterSolver

// Dates, moments and clock times as typed options: ArgumentParser reports a malformed
// value itself, naming the option and what it expects.

extension LocalDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
}

extension DateTime: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
}

extension ClockTime: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension LevelOfCare: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// The limits of a solve, shared by every command that plans: checked once, here.
struct SolveLimits: ParsableArguments {
    /// The longest solve a command may be given: a day.
    static let longest = 86_400.0

    @Option(help: "Wall-clock limit in seconds for the whole solve (above 0, at most 86400).")
    var timeLimit: Double = 60

    @Option(help: "Stop each tier at this relative gap (0.01 = 1%).")
    var gap: Double = 0

    @Option(help: "Write each stage's model as DIR/tierN.lp (tiers above held), for other solvers.")
    var stageModels: String?

    func validate() throws {
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= Self.longest else {
            throw ValidationError("--time-limit must be a number of seconds above 0 and at most \(Int(Self.longest))")
        }
        guard gap.isFinite, gap >= 0, gap <= 1 else { throw ValidationError("--gap must be a number from 0 to 1") }
    }

    /// The plan options these limits give, reporting to `monitor`; creates the
    /// --stage-models folder (owner-only) first, exiting 73 when it cannot.
    func options(monitor: (@Sendable (Int) -> SolveMonitor)? = Interrupt.monitor(tier:)) throws -> PlanOptions {
        if let stageModels { try createOwnerOnlyFolder(stageModels) }
        return PlanOptions(timeLimit: timeLimit, relativeGap: gap, stageModels: stageModels, monitor: monitor)
    }
}
