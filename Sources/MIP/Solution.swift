/// Why the solver stopped; written as its description ("time limit").
public enum TerminationReason: Sendable, Equatable, CustomStringConvertible, Codable {
    /// The search finished: the solution is proven optimal.
    case optimal
    /// No solution satisfies the constraints.
    case infeasible
    /// The (relaxed) objective can improve without limit.
    case unbounded
    /// The time limit ran out; there may be an incumbent.
    case timeLimit
    /// The incumbent is within the requested relative gap of the bound.
    case gapReached
    /// The caller asked the search to stop (``SolveMonitor``).
    case interrupted
    /// GLPK reported a failure; `code` is its return code.
    case error(code: Int32, message: String)

    public var description: String {
        switch self {
        case .optimal: "optimal"
        case .infeasible: "infeasible"
        case .unbounded: "unbounded"
        case .timeLimit: "time limit"
        case .gapReached: "gap reached"
        case .interrupted: "interrupted"
        case .error(let code, let message): "error \(code): \(message)"
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let plain: [TerminationReason] = [.optimal, .infeasible, .unbounded, .timeLimit, .gapReached, .interrupted]
        self = plain.first { $0.description == text } ?? .error(code: 0, message: text)
    }
}

/// What the solver found, independent of why it stopped.
public enum SolutionStatus: String, Sendable, Equatable, Codable {
    case none, feasible, optimal
}

/// The outcome of one solve. Values are read by variable handle.
public struct Solution: Sendable {
    public let termination: TerminationReason
    public let status: SolutionStatus
    /// The objective of the solution found, computed from its values; nil when none.
    public let objective: Double?
    /// The best proven bound on the objective, where the solver established one.
    public let bound: Double?
    /// Column values in model order; empty when nothing was found.
    public let values: [Double]
    public let statistics: SolveStatistics

    public init(
        termination: TerminationReason, status: SolutionStatus, objective: Double?,
        bound: Double?, values: [Double], statistics: SolveStatistics
    ) {
        self.termination = termination
        self.status = status
        self.objective = objective
        self.bound = bound
        self.values = values
        self.statistics = statistics
    }

    /// The variable's value, or nil when nothing was found or the handle is foreign.
    public func value(_ variable: Variable) -> Double? {
        values.indices.contains(variable.index) ? values[variable.index] : nil
    }

    /// The expression's value at this solution, with any variable it lacks at 0.
    public func value(_ expression: LinearExpression) -> Double {
        expression.terms.reduce(expression.constant) { $0 + $1.coefficient * (value($1.variable) ?? 0) }
    }

    /// Whether a binary or integer variable is at least 1 in the solution.
    public func isSet(_ variable: Variable) -> Bool {
        (value(variable) ?? 0) > 0.5
    }

    /// The relative gap `|objective - bound| / max(|objective|, 1e-9)`, as GLPK measures it;
    /// 0 when proven optimal, nil when either side is unknown.
    public var relativeGap: Double? {
        if status == .optimal { return 0 }
        guard let objective, let bound else { return nil }
        return abs(objective - bound) / max(abs(objective), 1e-9)
    }
}

/// What one solve cost.
public struct SolveStatistics: Sendable, Equatable {
    public var seconds: Double
    public var nodes: Int
    public var variables: Int
    public var constraints: Int
    public var nonzeros: Int

    public init(seconds: Double = 0, nodes: Int = 0, variables: Int = 0, constraints: Int = 0, nonzeros: Int = 0) {
        self.seconds = seconds
        self.nodes = nodes
        self.variables = variables
        self.constraints = constraints
        self.nonzeros = nonzeros
    }
}

/// How to solve. The defaults suit roster models: our reduction and GLPK's presolve, MIR,
/// Gomory and clique cuts, a 60-second limit and a proven optimum (gap 0).
public struct SolveOptions: Sendable, Equatable {
    /// Cutting planes GLPK may add. Cover cuts are not offered: GLPK's cover-cut code
    /// shares static storage between threads.
    public struct Cuts: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let mixedIntegerRounding = Cuts(rawValue: 1)
        public static let gomory = Cuts(rawValue: 2)
        public static let clique = Cuts(rawValue: 4)
        public static let standard: Cuts = [.mixedIntegerRounding, .gomory, .clique]
    }

    /// How the search picks the variable to branch on.
    public enum Branching: Sendable, Equatable {
        /// GLPK's hybrid pseudocost rule (its `GLP_BR_PCH`).
        case pseudocost
        /// The Driebeck-Tomlin heuristic, GLPK's own default (`GLP_BR_DTH`).
        case driebeckTomlin
    }

    /// Wall-clock seconds for the whole solve; nil means no limit.
    public var timeLimit: Double?
    /// Stop once the relative gap between incumbent and bound is at most this.
    public var relativeGap: Double
    /// Run GLPK's MIP presolver.
    public var presolve: Bool
    public var cuts: Cuts
    /// GLPK's feasibility pump heuristic.
    public var feasibilityPump: Bool
    public var branching: Branching
    /// A known solution (values in column order) offered as the first incumbent. GLPK
    /// takes it only without its MIP presolver, so presolve is off when a start is given.
    public var start: [Double]?
    /// Integer variables the search branches on before any other: while one of them is
    /// fractional, it branches on the first such one in this order, down branch first.
    /// GLPK's presolver renumbers columns, so presolve is off when an order is given.
    public var branchFirst: [Variable]
    /// Reduce the model first with ``Presolve`` (propagation and probing; a start and a
    /// branching order are carried over, which GLPK's presolver cannot do).
    public var reduce: Bool
    /// A bound on the objective known from outside the search (a relaxation solved
    /// before): the search reports it when its own is weaker, and stops, proven optimal, as
    /// soon as its incumbent reaches it.
    public var knownBound: Double?
    /// Stop, as at the time limit, once a roster exists and neither it nor the bound has
    /// changed for this many seconds: the search has stalled.
    public var stallLimit: Double? = nil

    public init(
        timeLimit: Double? = 60, relativeGap: Double = 0, presolve: Bool = true,
        cuts: Cuts = .standard, feasibilityPump: Bool = false, branching: Branching = .driebeckTomlin,
        start: [Double]? = nil, branchFirst: [Variable] = [], reduce: Bool = true, knownBound: Double? = nil
    ) {
        self.reduce = reduce
        self.knownBound = knownBound
        self.start = start
        self.branchFirst = branchFirst
        self.branching = branching
        self.timeLimit = timeLimit
        self.relativeGap = relativeGap
        self.presolve = presolve
        self.cuts = cuts
        self.feasibilityPump = feasibilityPump
    }

    /// Problems with the options themselves (a negative or NaN limit or gap).
    public func validate() -> [String] {
        var problems: [String] = []
        if let stallLimit, !(stallLimit > 0 && stallLimit.isFinite) {
            problems.append("stall limit \(stallLimit) must be a finite number of seconds above 0")
        }
        if let timeLimit, !(timeLimit >= 0 && timeLimit.isFinite) {
            problems.append("time limit \(timeLimit) must be a finite number of seconds, 0 or more")
        }
        if !(relativeGap >= 0 && relativeGap.isFinite) {
            problems.append("relative gap \(relativeGap) must be a finite number, 0 or more")
        }
        return problems
    }

    /// Problems with the options for this model: those of ``validate()``, and branching
    /// order entries that are not integer variables of the model.
    public func validate(for model: Model) -> [String] {
        var problems = validate()
        for variable in branchFirst {
            guard let definition = model.definition(of: variable) else {
                problems.append(
                    "branching order names variable #\(variable.index), which is not in this model (it has \(model.variables.count) variables)"
                )
                continue
            }
            if definition.kind == .continuous {
                problems.append(
                    "branching order names \(definition.name), which is continuous; only integer or binary variables can be branched on"
                )
            }
        }
        return problems
    }
}

/// Watches a running solve: receives progress now and then, and may ask it to stop
/// early (Ctrl-C), in which case the best solution so far is returned.
public struct SolveMonitor: Sendable {
    /// Where the search stands.
    public struct Progress: Sendable {
        public let incumbent: Double?
        public let bound: Double?
        public let nodes: Int
        public let seconds: Double

        public init(incumbent: Double?, bound: Double?, nodes: Int, seconds: Double) {
            self.incumbent = incumbent
            self.bound = bound
            self.nodes = nodes
            self.seconds = seconds
        }

        /// The relative gap, when both sides are known.
        public var gap: Double? {
            guard let incumbent, let bound else { return nil }
            return abs(incumbent - bound) / max(abs(incumbent), 1e-9)
        }
    }

    /// Called at most every `interval` seconds, never in the first `interval`.
    public let report: @Sendable (Progress) -> Void
    /// Called with the objective of each better solution as soon as the search finds it
    /// (the start included), for another search running at the same time.
    public let found: @Sendable (Double) -> Void
    /// Polled during the search; true stops it.
    public let shouldStop: @Sendable () -> Bool
    public let interval: Double

    public init(
        interval: Double = 2, report: @escaping @Sendable (Progress) -> Void = { _ in },
        found: @escaping @Sendable (Double) -> Void = { _ in },
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) {
        self.interval = interval
        self.report = report
        self.found = found
        self.shouldStop = shouldStop
    }
}
