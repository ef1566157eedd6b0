import GLPKSolver
import IOPDomain
import MIP

/// Improves a roster once GLPK's search of the whole week has stalled (tier 4 of a large week,
/// or of a week whose load levels cannot be bounded, see ``LoadLevels``): re-solves
/// the week two days at a time, every decision on the other days fixed as the best roster
/// has it (a large neighbourhood search). Each neighbourhood starts from the best roster, so
/// the roster can only improve; the proven bound stays the one found on the whole week.
struct NeighbourhoodSearch {
    let roster: RosterModel

    /// The neighbourhoods in the order they are tried: every pair of planned days, those
    /// furthest apart first.
    var dayPairs: [(Weekday, Weekday)] {
        let days = Array(Set(roster.index.slots.map(\.day))).sorted()
        var pairs: [(Weekday, Weekday)] = []
        for (position, first) in days.enumerated() {
            for second in days[(position + 1)...] { pairs.append((first, second)) }
        }
        return pairs.sorted { ($0.1.offset - $0.0.offset, $1.0) > ($1.1.offset - $1.0.offset, $0.0) }
    }

    /// The decisions of one day: attendance, leading, sections and attended days.
    func decisions(on day: Weekday) -> [Variable] {
        var variables: [Variable] = []
        for slot in roster.index.slots where slot.day == day {
            variables += roster.attend[slot.index].map(\.variable)
            variables += roster.lead[slot.index].map(\.variable)
            variables += roster.coLead[slot.index].map(\.variable)
            variables += roster.sections[slot.index].map(\.variable)
        }
        return variables + roster.attendsDay.compactMap { $0[day] }
    }

    /// `model` with every decision outside the two days fixed at its value in `best`.
    func neighbourhood(of model: Model, around best: Solution, freeing days: (Weekday, Weekday)) -> Model {
        var neighbourhood = model
        for day in Set(roster.index.slots.map(\.day)) where day != days.0 && day != days.1 {
            for variable in decisions(on: day) {
                neighbourhood.fix(variable, at: (best.value(variable) ?? 0).rounded())
            }
        }
        return neighbourhood
    }

    /// Re-solves neighbourhoods of `model` around `start` (any roster that keeps the model's
    /// rows; its cost is taken from `model`) until `deadline`, until a whole round of them
    /// brings no improvement, or until the monitor stops it. Each neighbourhood gets an equal
    /// share of the time left. Progress goes to the monitor with the whole week's bound (a
    /// neighbourhood's bound says nothing of the week). The result carries no bound; it is
    /// `interrupted` when the monitor stopped it, `timeLimit` otherwise.
    func improve(
        _ model: Model, from start: Solution, until deadline: ContinuousClock.Instant,
        monitor: SolveMonitor?
    ) throws(SolverError) -> Solution {
        let clock = ContinuousClock()
        let began = clock.now
        var lastReport = began
        let quiet = monitor.map { SolveMonitor(interval: .infinity, shouldStop: $0.shouldStop) }
        let pairs = dayPairs
        var best = start
        var incumbent = start.values.isEmpty ? nil : model.objectiveValue(at: start.values)
        var seconds = 0.0
        var nodes = 0
        var tried = 0
        var sinceImprovement = 0
        var interrupted = false
        while sinceImprovement < pairs.count, !interrupted, incumbent != nil {
            let remaining = Double((deadline - clock.now) / .milliseconds(1)) / 1000
            guard remaining > 0.2 else { break }
            let days = pairs[tried % pairs.count]
            tried += 1
            let share = min(remaining, max(1, remaining / Double(pairs.count - sinceImprovement)))
            let found = try GLPKSolver.solve(
                neighbourhood(of: model, around: best, freeing: days),
                options: SolveOptions(timeLimit: share, start: best.values), monitor: quiet)
            seconds += found.statistics.seconds
            nodes += found.statistics.nodes
            interrupted = found.termination == .interrupted
            if let objective = found.objective, let current = incumbent, objective < current - 1e-6 {
                best = found
                incumbent = objective
                sinceImprovement = 0
            } else {
                sinceImprovement += 1
            }
            if let monitor, monitor.interval.isFinite,
                clock.now - lastReport >= .milliseconds(Int64(monitor.interval * 1000))
            {
                lastReport = clock.now
                monitor.report(
                    SolveMonitor.Progress(
                        incumbent: incumbent, bound: start.bound, nodes: start.statistics.nodes + nodes,
                        seconds: start.statistics.seconds + Double((clock.now - began) / .milliseconds(1)) / 1000))
            }
        }
        return Solution(
            termination: interrupted ? .interrupted : .timeLimit, status: incumbent == nil ? .none : .feasible,
            objective: incumbent, bound: nil, values: best.values,
            statistics: SolveStatistics(
                seconds: seconds, nodes: nodes, variables: start.statistics.variables,
                constraints: start.statistics.constraints, nonzeros: start.statistics.nonzeros))
    }
}
