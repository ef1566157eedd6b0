import IOPDomain
import OperationsRecord
import Planner
import ScenarioFile

/// Why a use case wrote nothing, in words a coordinator can act on. Interfaces turn it into
/// an exit code or an HTTP status; the use case never prints.
public enum UseCaseError: Error, CustomStringConvertible {
    /// The record could not be read or written (busy, outdated, missing, ...).
    case record(RecordError)
    /// The record could not be used at all (a damaged file, a failing disk): the error as reported.
    case recordUnusable(String)
    /// The events the record keeps no longer read against the week's scenario.
    case storedEventsNoLongerFit(ScenarioError)
    /// Input given to the use case (an events document, say) does not read.
    case invalid(ScenarioError)
    /// A sign-in sheet with bad rows: every one, nothing recorded.
    case badRows(SheetErrors)
    /// The record has no published roster yet.
    case noPublishedRoster
    /// The record keeps no scenario for its week (it was imported without one).
    case noWeekScenario
    /// A roster breaks hard rules of the week, or is for another program or week: every
    /// violation, nothing stored.
    case violations(label: String, [String])
    /// The solver could not plan.
    case planning(PlanningError)
    /// The solve found no roster within its time limit.
    case noRoster
    /// A request that does not hold: every problem, by field; nothing changed.
    case rejected([String])
    /// No payer of that name in the record (and adding one was not asked for).
    case unknownPayer(String, known: [String])

    public var description: String {
        switch self {
        case .record(let error): error.description
        case .recordUnusable(let message): "cannot use the record: \(message)"
        case .storedEventsNoLongerFit(let error): "its stored events no longer fit this scenario:\n" + error.description
        case .invalid(let error):
            "\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"):\n" + error.description
        case .badRows(let errors):
            "\(errors.problems.count) bad row\(errors.problems.count == 1 ? "" : "s"); nothing was recorded:\n"
                + errors.description
        case .noPublishedRoster: "the record has no published roster; run iop publish first"
        case .noWeekScenario:
            "the record keeps no scenario for its week; run iop import RECORD SCENARIO to give it the week's scenario"
        case .violations(let label, let violations):
            "\(label): \(violations.count) violation\(violations.count == 1 ? "" : "s"); nothing was stored:\n"
                + violations.capped().map { "  - \($0)" }.joined(separator: "\n")
        case .planning(let error): error.description
        case .noRoster: "no roster found within the time limit; nothing written (try a longer time limit)"
        case .rejected(let problems):
            "\(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was changed:\n"
                + problems.map { "  \($0)" }.joined(separator: "\n")
        case .unknownPayer(let payer, let known):
            "no payer '\(payer)' in the record; known: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
        }
    }
}

/// Runs `body`, turning the record's own errors into ``UseCaseError/record(_:)``.
func recording<T>(_ body: () throws -> T) throws(UseCaseError) -> T {
    do {
        return try body()
    } catch let error as UseCaseError {
        throw error
    } catch let error as RecordError {
        throw .record(error)
    } catch {
        throw .recordUnusable(String(describing: error))
    }
}
