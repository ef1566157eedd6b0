import CGLPK
import MIP

/// One branch-and-cut run on a loaded problem: sets GLPK's options, keeps a wall clock
/// in the callback (GLPK's own `tm_lim` overshoots on large models), tracks the best
/// bound, and maps GLPK's return codes onto the two status axes.
final class Search {
    private let model: Model
    private let options: SolveOptions
    private let monitor: SolveMonitor?
    private var lastReport: ContinuousClock.Instant
    /// When the incumbent or the bound last changed (``SolveOptions/stallLimit``).
    private var lastChange: ContinuousClock.Instant
    private var stoppedByCaller = false
    /// The start offered as GLPK's first heuristic solution, 1-based; nil once offered.
    private var startValues: [Double]?
    private let problem: OpaquePointer
    private let output: CapturedOutput
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let deadline: ContinuousClock.Instant?

    private var bestBound: Double?
    private var incumbent: Double?
    private var nodes = 0
    private var stoppedByClock = false
    /// The search stopped because the incumbent met the bound (rounded to the objective's step, or known from outside).
    private var provenByBound = false
    private let step: Double?

    init(model: Model, options: SolveOptions, monitor: SolveMonitor?, problem: OpaquePointer, output: CapturedOutput) {
        self.model = model
        self.options = options
        self.monitor = monitor
        startValues = options.start.flatMap { $0.count == model.variables.count ? [0] + $0 : nil }
        self.problem = problem
        self.output = output
        step = model.objectiveStep
        let now = ContinuousClock.now
        start = now
        lastReport = now
        lastChange = now
        deadline = options.timeLimit.map { now.advanced(by: .milliseconds(Int64((min($0, 1e9) * 1000).rounded(.up)))) }
    }

    func run() -> Solution {
        let presolve = options.presolve && startValues == nil && options.branchFirst.isEmpty
        if !presolve, let early = solveRootRelaxation() {
            return finish(early, status: .none)
        }
        var parameters = glp_iocp()
        glp_init_iocp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = presolve ? GLP_ON : GLP_OFF
        parameters.mir_cuts = options.cuts.contains(.mixedIntegerRounding) ? GLP_ON : GLP_OFF
        parameters.gmi_cuts = options.cuts.contains(.gomory) ? GLP_ON : GLP_OFF
        parameters.clq_cuts = options.cuts.contains(.clique) ? GLP_ON : GLP_OFF
        parameters.cov_cuts = GLP_OFF
        parameters.fp_heur = options.feasibilityPump ? GLP_ON : GLP_OFF
        parameters.br_tech =
            switch options.branching {
            case .pseudocost: GLP_BR_PCH
            case .driebeckTomlin: GLP_BR_DTH
            }
        parameters.mip_gap = options.relativeGap
        parameters.tm_lim = remainingMilliseconds()
        parameters.cb_func = { tree, info in
            guard let tree, let info else { return }
            Unmanaged<Search>.fromOpaque(info).takeUnretainedValue().observe(tree)
        }
        parameters.cb_info = Unmanaged.passUnretained(self).toOpaque()
        let code = withExtendedLifetime(self) { glp_intopt(problem, &parameters) }
        return interpret(code)
    }

    /// Without presolve GLPK needs an optimal LP basis first. The problem is scaled and
    /// given an advanced basis first, as glpsol does: unscaled, the primal simplex declared
    /// a feasible 120-client neighbourhood (many columns fixed) infeasible. Returns the
    /// reason to stop when the relaxation already settles the outcome.
    private func solveRootRelaxation() -> TerminationReason? {
        glp_scale_prob(problem, GLP_SF_AUTO)
        glp_adv_basis(problem, 0)
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.tm_lim = remainingMilliseconds()
        let code = glp_simplex(problem, &parameters)
        if code == GLP_ETMLIM { return .timeLimit }
        if code != 0 { return failure(code) }
        switch glp_get_status(problem) {
        case GLP_OPT: return nil
        case GLP_NOFEAS: return .infeasible
        case GLP_UNBND: return .unbounded
        default: return .error(code: 0, message: "the LP relaxation ended without an optimal basis")
        }
    }

    private func observe(_ tree: OpaquePointer) {
        if glp_ios_reason(tree) == GLP_IBRANCH,
            let column = options.branchFirst.lazy.map({ Int32($0.index + 1) }).first(where: {
                glp_ios_can_branch(tree, $0) != 0
            })
        {
            glp_ios_branch_upon(tree, column, GLP_DN_BRNCH)
        }
        if glp_ios_reason(tree) == GLP_IHEUR, var values = startValues {
            startValues = nil
            _ = glp_ios_heur_sol(tree, &values)
        }
        let best = glp_ios_best_node(tree)
        if best != 0 {
            let bound = tighter(rounded(glp_ios_node_bound(tree, best)))
            if bound != bestBound { lastChange = clock.now }
            bestBound = bound
        }
        if let current = glp_ios_get_prob(tree), glp_mip_status(current) == GLP_FEAS {
            let value = glp_mip_obj_val(current)
            if value != incumbent {
                incumbent = value
                lastChange = clock.now
                monitor?.found(value)
            }
        }
        var active: Int32 = 0
        var current: Int32 = 0
        var total: Int32 = 0
        glp_ios_tree_size(tree, &active, &current, &total)
        nodes = Int(total)
        if step != nil || options.knownBound != nil, let bestBound, let incumbent, !provenByBound,
            abs(incumbent - bestBound) <= min(step ?? 1, max(1, abs(incumbent))) * 1e-6
        {
            provenByBound = true
            glp_ios_terminate(tree)
        } else if let deadline, clock.now >= deadline, !stoppedByClock {
            stoppedByClock = true
            glp_ios_terminate(tree)
        } else if let stall = options.stallLimit, incumbent != nil, !stoppedByClock,
            clock.now - lastChange >= .milliseconds(Int64(stall * 1000))
        {
            stoppedByClock = true
            glp_ios_terminate(tree)
        } else if let monitor, !stoppedByCaller {
            if monitor.shouldStop() {
                stoppedByCaller = true
                glp_ios_terminate(tree)
            } else if monitor.interval.isFinite, clock.now - lastReport >= .milliseconds(Int64(monitor.interval * 1000))
            {
                lastReport = clock.now
                monitor.report(
                    SolveMonitor.Progress(
                        incumbent: incumbent, bound: bestBound, nodes: nodes,
                        seconds: Double((clock.now - start) / .milliseconds(1)) / 1000))
            }
        }
    }

    /// The better of GLPK's bound and the one known from outside (``SolveOptions/knownBound``).
    private func tighter(_ bound: Double) -> Double {
        guard let known = options.knownBound.map(rounded) else { return bound }
        return model.sense == .minimize ? max(bound, known) : min(bound, known)
    }

    /// A bound tightened to the objective's step: no integer point lies strictly between.
    private func rounded(_ bound: Double) -> Double {
        guard let step, bound.isFinite else { return bound }
        let offset = model.objectiveConstant
        let units = (bound - offset) / step
        let whole = model.sense == .minimize ? (units - 1e-6).rounded(.up) : (units + 1e-6).rounded(.down)
        return offset + whole * step
    }

    private func interpret(_ code: Int32) -> Solution {
        let found = glp_mip_status(problem)
        let hasSolution = found == GLP_OPT || found == GLP_FEAS
        switch code {
        case 0 where found == GLP_OPT: return finish(.optimal, status: .optimal)
        case 0 where found == GLP_NOFEAS: return finish(.infeasible, status: .none)
        case GLP_ENOPFS: return finish(.infeasible, status: .none)
        case GLP_ENODFS: return finish(.unbounded, status: .none)
        case GLP_EMIPGAP: return finish(.gapReached, status: hasSolution ? .feasible : .none)
        case GLP_ETMLIM: return finish(.timeLimit, status: hasSolution ? .feasible : .none)
        case GLP_ESTOP where provenByBound && hasSolution: return finish(.optimal, status: .optimal)
        case GLP_ESTOP where stoppedByClock: return finish(.timeLimit, status: hasSolution ? .feasible : .none)
        case GLP_ESTOP where stoppedByCaller: return finish(.interrupted, status: hasSolution ? .feasible : .none)
        default: return finish(failure(code), status: hasSolution ? .feasible : .none)
        }
    }

    private func finish(_ reason: TerminationReason, status: SolutionStatus) -> Solution {
        var values: [Double] = []
        var objective: Double?
        if status != .none {
            values = model.variables.indices.map { offset in
                let value = glp_mip_col_val(problem, Int32(offset + 1))
                return model.variables[offset].kind == .continuous ? value : value.rounded()
            }
            // Computed here, not read from GLPK, which can report 0 for some incumbents.
            objective = model.objectiveValue(at: values)
        }
        let bound: Double? =
            switch status {
            case .optimal: objective
            case .feasible: bestBound
            case .none: nil
            }
        let statistics = SolveStatistics(
            seconds: Double((clock.now - start) / .milliseconds(1)) / 1000,
            nodes: nodes, variables: model.variables.count,
            constraints: model.constraints.count, nonzeros: model.nonzeroCount)
        return Solution(
            termination: reason, status: status, objective: objective,
            bound: bound, values: values, statistics: statistics)
    }

    private func remainingMilliseconds() -> Int32 {
        guard let deadline else { return Int32.max }
        let left = (deadline - clock.now) / .milliseconds(1)
        return Int32(max(0, min(left, Double(Int32.max))))
    }

    private func failure(_ code: Int32) -> TerminationReason {
        let sentence = Self.sentences[code] ?? "GLPK failed"
        let detail = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return .error(code: code, message: detail.isEmpty ? sentence : "\(sentence): \(detail)")
    }

    /// GLPK's return codes (glpk.h) in words.
    private static let sentences: [Int32: String] = [
        GLP_EBADB: "invalid initial basis",
        GLP_ESING: "singular basis matrix",
        GLP_ECOND: "ill-conditioned basis matrix",
        GLP_EBOUND: "invalid bounds",
        GLP_EFAIL: "the solver failed",
        GLP_EITLIM: "iteration limit exceeded",
        GLP_EROOT: "no optimal LP basis to start the search from",
        GLP_ESTOP: "the search was stopped",
        GLP_ENOCVG: "no convergence",
        GLP_EINSTAB: "numerical instability",
        GLP_EDATA: "invalid data",
        GLP_ERANGE: "result out of range",
    ]
}
