import GLPKSolver
import IOPDomain
import MIP

/// Plans a week: builds the roster model, solves it tier by tier, splits pooled slots
/// into sections and explains every shortfall.
public enum RosterSolver {
    /// With a baseline, re-plans it: history stays as it was, and changes to what was
    /// published are charged in tier 3.
    ///
    /// A week that separates into parts sharing no one and no room is planned part by
    /// part, in parallel (see ``Decomposition``).
    public static func plan(
        _ scenario: Scenario, options: PlanOptions = PlanOptions(),
        baseline: Baseline? = nil
    ) throws(SolverError) -> Plan {
        try plan(scenario, options: options, baseline: baseline, decompose: true)
    }

    static func plan(_ scenario: Scenario, options: PlanOptions, baseline: Baseline?, decompose: Bool)
        throws(SolverError) -> Plan
    {
        let clock = ContinuousClock()
        let start = clock.now
        let history =
            baseline.map {
                History(now: $0.now, sessions: $0.history, program: scenario.program, attended: $0.attended)
            } ?? .none
        let index = WeekIndex(scenario, history: history)
        if decompose && options.stageModels == nil {
            let parts = Decomposition.parts(of: index)
            if parts.count > 1 {
                return try Decomposition.plan(parts, index: index, options: options, baseline: baseline)
            }
        }
        var roster = RosterModel(index: index, baseline: baseline)
        roster.addAllFamilies()

        // The stages in order, each with the model it starts from: the roster model with
        // the stage rows of its tier and those above (tier 4's rows hold only below tiers
        // 1-3), and each tier held at what its stage reached.
        let tiers = Array(Set(Family.allCases.map(\.tier))).sorted().filter {
            !roster.objective(tier: $0).terms.isEmpty
        }
        var bases: [Model] = []
        var base = roster.model
        for tier in tiers {
            for (name, row) in roster.stageRows[tier] ?? [] { base.addConstraint(name, row) }
            bases.append(base)
        }
        var held: [HeldTier] = []
        var stages: [StageSummary] = []
        var best: Solution?
        func elapsed() -> Double { Double((clock.now - start) / .milliseconds(1)) / 1000 }

        /// Stage `position` on the tiers above it as held, from `again`'s roster when it runs
        /// a second time; nil when the time was spent before it could start.
        func solve(_ position: Int, again: Solution? = nil) throws(SolverError) -> (
            solution: Solution, step: Double?
        )? {
            let tier = tiers[position]
            let objective = roster.objective(tier: tier)
            let base = bases[position]
            let above = Array(held.prefix(position))
            let variables = roster.model.variables.count
            let large = variables >= SearchStrategy.largeWeekVariables
            let tierFour = tier == Family.sectionsOpened.tier
            var model = HeldTier.adding(above, to: base, room: false)
            model.minimize(objective)
            let partRows = try Self.partBoundRows(
                roster, tier: tier, model: model, spent: clock.now - start, of: options)
            for (name, row) in partRows { model.addConstraint(name, row) }
            if again == nil, let directory = options.stageModels {
                try GLPKSolver.writeLP(model, to: "\(directory)/tier\(tier).lp")
            }
            // Once the time is spent, a stage does not start (a week whose model took the whole
            // limit to build gets no roster): it is reported as stopped by the time limit.
            if elapsed() >= options.timeLimit - (best == nil ? 0 : Self.reserve(options.timeLimit)) { return nil }
            let remaining = max(0.05, options.timeLimit - Self.reserve(options.timeLimit) - elapsed())
            // Until a roster exists, the first stage may use most of the time; then each stage
            // gets half of what is left, and the last stage (or one run again) all of it.
            let share =
                position == tiers.count - 1 || again != nil
                ? remaining : best == nil ? remaining * SearchStrategy.firstStageShare : remaining / 2
            // A large week (``SearchStrategy/largeWeekVariables``) starts each stage from the
            // previous stage's roster, which satisfies every row held so far, so every stage has
            // a roster (GLPK then runs without its presolver, which small weeks keep). Tier 4
            // always starts from the last roster: its branching order turns the presolver off
            // anyway, and diving on sections first can go long without a roster of its own. A
            // stage run again starts from the final roster, which meets every row of its own.
            let stageOptions = SolveOptions(
                timeLimit: share, relativeGap: options.relativeGap,
                cuts: Self.cuts(tier: tier, variables: variables),
                start: large || tierFour || again != nil ? (again ?? best).map(\.values) : nil,
                branchFirst: tierFour ? Self.branchingOrder(roster) : [])
            let simple = tierFour || large || again != nil
            let portfolio = simple ? nil : Portfolio(otherCuts: [.mixedIntegerRounding, .clique])
            let merging = simple ? nil : Self.merging(base, held: above, objective: objective, incumbent: best)
            var solution = try Self.solveStage(
                model, options: stageOptions, monitor: options.monitor?(tier),
                neighbourhoods: tierFour && large ? NeighbourhoodSearch(roster: roster) : nil,
                levels: tierFour && !large ? Self.loadLevels(roster) : nil, portfolio: portfolio,
                merging: merging)
            // The previous roster meets every row held so far, so a stage is never truly
            // infeasible; when GLPK says so (its simplex on a tier held with almost no room),
            // the stage runs again with the tiers held with room to spare.
            if solution.termination == .infeasible, !above.isEmpty {
                var roomy = HeldTier.adding(above, to: base, room: true)
                roomy.minimize(objective)
                for (name, row) in partRows { roomy.addConstraint(name, row) }
                var retryOptions = stageOptions
                retryOptions.timeLimit = max(0.05, share - solution.statistics.seconds)
                let retry = try Self.solveStage(
                    roomy, options: retryOptions, monitor: options.monitor?(tier),
                    neighbourhoods: tierFour && large ? NeighbourhoodSearch(roster: roster) : nil,
                    levels: tierFour && !large ? Self.loadLevels(roster) : nil, portfolio: portfolio,
                    merging: merging)
                solution = retry.after(solution.statistics)
            }
            return (solution, model.objectiveStep)
        }

        /// Runs the stages from `first` on, each on the rosters of those above; false when
        /// one was stopped from outside (the rest do not run).
        func run(from first: Int) throws(SolverError) -> Bool {
            for position in first..<tiers.count {
                guard let (solution, step) = try solve(position) else {
                    stages.append(
                        StageSummary(
                            tier: tiers[position], stopped: .timeLimit, objective: nil, bound: nil, gap: nil,
                            seconds: 0,
                            nodes: 0))
                    continue
                }
                stages.append(StageSummary(solution, tier: tiers[position]))
                // A stage that found no roster of its own keeps the previous stage's, which meets
                // every row held so far; the stages below still run on it.
                if solution.objective != nil, solution.status != .none { best = solution }
                guard let kept = best else { return true }
                if solution.termination == .interrupted { return false }
                let objective = roster.objective(tier: tiers[position])
                held.append(
                    HeldTier(
                        tier: tiers[position], objective: objective, value: kept.value(objective), step: step,
                        proven: solution.termination == .optimal))
            }
            return true
        }

        // Time the stages below leave goes back to the first stage its time limit stopped:
        // its search runs again from the final roster for what is left. A better roster there
        // replaces the final one and the stages below run again on it; otherwise its bound
        // stands (with the proof, if it came).
        if try run(from: 0), stages.count == tiers.count, let kept = best,
            let again = stages.indices.dropLast().first(where: {
                stages[$0].stopped == .timeLimit && stages[$0].objective != nil
            }),
            options.timeLimit - Self.reserve(options.timeLimit) - elapsed()
                >= SearchStrategy.secondRunAtLeast * options.timeLimit,
            let (rerun, step) = try solve(again, again: kept)
        {
            let first = stages[again]
            let objective = roster.objective(tier: tiers[again])
            let value = held[again].value
            stages[again] = first.resumed(by: rerun, step: step)
            if let found = rerun.objective, found < value - (step ?? 1e-6) / 2, rerun.status != .none {
                best = rerun
                held = Array(held.prefix(again))
                held.append(
                    HeldTier(
                        tier: tiers[again], objective: objective, value: rerun.value(objective), step: step,
                        proven: stages[again].stopped == .optimal))
                stages.removeSubrange((again + 1)...)
                _ = try run(from: again + 1)
            } else if stages[again].stopped == .optimal {
                held[again].proven = true
            }
        }

        let deadline = start.advanced(by: .milliseconds(Int64(min(options.timeLimit, 1e9) * 1000)))
        let planned = best.map { SectionSplit(roster: roster, solution: $0, deadline: deadline).sessions() } ?? []
        let sessions = (history.sessions + planned).sorted {
            ($0.date, $0.start, $0.group, $0.section) < ($1.date, $1.start, $1.group, $1.section)
        }
        let week = Roster(
            program: scenario.program.name, weekOf: scenario.program.weekOf,
            sessions: sessions, clients: ClientTotals.weeks(of: scenario, sessions: sessions))
        let proven = !stages.isEmpty && stages.allSatisfy { $0.stopped == .optimal }
        let summary = SolveSummary(
            status: best == nil ? .none : (proven ? .optimal : .feasible),
            stages: stages,
            seconds: Double((clock.now - start) / .milliseconds(1)) / 1000,
            variables: roster.model.variables.count, constraints: roster.model.constraints.count,
            gap: best == nil || stages.contains { $0.gap == nil } ? nil : stages.compactMap(\.gap).max() ?? 0,
            parts: 1)
        let unproven = Set(stages.filter { $0.outcome != .best }.map(\.tier))
        let shortfalls = best == nil ? [] : Explainer(index: index, roster: week, unproven: unproven).shortfalls()
        let costs =
            best.map {
                costsByFamily(
                    roster, $0,
                    measured: measuredAmounts(scenario, week, shortfalls, past: Set(history.sessions.map(\.id))))
            } ?? []
        return Plan(
            roster: week, solver: summary, shortfalls: shortfalls, objective: costs, locksNotHeld: roster.locks.notHeld)
    }

    /// A tier held at what its stage reached while the next tiers are optimized.
    struct HeldTier {
        let tier: Int
        let objective: LinearExpression
        let value: Double
        let step: Double?
        /// Whether its stage proved `value` optimal.
        var proven = false

        /// `base` with every tier held: with a millionth of a step to spare, or with `room`
        /// well above GLPK's feasibility tolerance yet below half a step, so that no roster
        /// worse on a tier fits either way. The tight hold searches faster (docs/speed.md);
        /// the room is for a stage GLPK calls infeasible under it.
        static func adding(_ held: [HeldTier], to base: Model, room: Bool) -> Model {
            var model = base
            for tier in held {
                let spare = 1e-5 * (1 + abs(tier.value))
                let slack =
                    room ? tier.step.map { min($0 / 2, max($0 * 1e-6, spare)) } ?? spare : (tier.step ?? 1) * 1e-6
                model.addConstraint("tier\(tier.tier)_held", tier.objective <= tier.value + slack)
            }
            return model
        }
    }

    /// The stage's part bounds (``PartBounds``), found in at most a tenth of the time left.
    static func partBoundRows(
        _ roster: RosterModel, tier: Int, model: Model, spent: Duration, of options: PlanOptions
    ) throws(SolverError) -> [(name: String, row: ConstraintSpec)] {
        let parts = PartBounds.parts(of: roster, tier: tier)
        guard !parts.isEmpty else { return [] }
        let left = max(0, options.timeLimit - Double(spent / .milliseconds(1)) / 1000)
        return try PartBounds.rows(parts, in: model, until: .now.advanced(by: .milliseconds(Int64(left * 100))))
    }

    /// Tier 4's branching order: the busiest facilitator's load, then the sections, slot by
    /// slot, closing a section before opening one (``SolveOptions/branchFirst`` branches down
    /// first). A load held low early makes each facilitator's sessions a hard limit.
    static func branchingOrder(_ roster: RosterModel) -> [Variable] {
        (roster.busiestLoad.map { [$0] } ?? []) + roster.sections.flatMap { $0.map(\.variable) }
            + roster.secondLeads.flatMap { $0.map(\.variable) }
    }

    /// GLPK's cuts for one stage. Tier 4 of a week below ``SearchStrategy/gomoryFreeBelow`` variables runs
    /// without Gomory cuts (dense rows of the simplex tableau, made at every node), which the
    /// reduction, the branching order and the load levels make unnecessary for its proof.
    /// Tiers 1-3 of a week below ``SearchStrategy/largeWeekVariables`` are searched with them and without
    /// them at once (``Portfolio``), larger weeks with them, and so are searches that improve
    /// a roster with no proof in sight (``LoadLevels/improveUnbounded``).
    static func cuts(tier: Int, variables: Int) -> SolveOptions.Cuts {
        variables < SearchStrategy.gomoryFreeBelow && tier == Family.sectionsOpened.tier
            ? [.mixedIntegerRounding, .clique] : .standard
    }

    /// Tier 4 by levels of the busiest facilitator's load (``LoadLevels``), when the load is
    /// charged, with the neighbourhood search for a week the levels cannot bound.
    static func loadLevels(_ roster: RosterModel) -> LoadLevels? {
        guard let busiest = roster.busiestLoad, let weight = roster.penalties[.busiestLoad]?.weight, weight > 0 else {
            return nil
        }
        return LoadLevels(busiest: busiest, weight: weight, fallback: NeighbourhoodSearch(roster: roster))
    }

    /// A tier below one proven optimal, searched with that tier for the part of its time the
    /// held search (``Portfolio``) leaves unproven (``MergedTier``); nil for the first tier,
    /// or when the tiers cannot be merged exactly.
    static func merging(_ base: Model, held: [HeldTier], objective: LinearExpression, incumbent: Solution?) -> (
        model: Model, tier: MergedTier
    )? {
        guard let above = held.last, let incumbent else { return nil }
        var own = base
        own.minimize(objective)
        guard
            let tier = MergedTier(
                above: above, own: objective, ownStep: own.objectiveStep, incumbent: incumbent, model: base)
        else { return nil }
        var model = HeldTier.adding(Array(held.dropLast()), to: base, room: false)
        model.minimize(tier.objective)
        return (model, tier)
    }

    /// Solves one stage, reduced first (``SolveOptions/reduce``: propagation and probing).
    /// Tier 4 of a week below ``SearchStrategy/largeWeekVariables`` goes by `levels` (``LoadLevels``).
    ///
    /// With `neighbourhoods` (tier 4 of a large week), it searches the whole week
    /// for ``SearchStrategy/wholeWeekShare`` of its time, and then improves that roster two
    /// days at a time for the rest, where a whole-week search of a large week stalls.
    static func solveStage(
        _ model: Model, options: SolveOptions, monitor: SolveMonitor?,
        neighbourhoods: NeighbourhoodSearch? = nil, levels: LoadLevels? = nil,
        portfolio: Portfolio? = nil, merging: (model: Model, tier: MergedTier)? = nil
    ) throws(SolverError) -> Solution {
        let limit = options.timeLimit ?? .infinity
        if let levels { return try levels.solve(model, options: options, monitor: monitor) }
        if let portfolio, let merging, limit.isFinite {
            return try merging.tier.solve(
                held: model, merged: merging.model, portfolio: portfolio, options: options, monitor: monitor)
        }
        if let portfolio {
            guard limit.isFinite else { return try portfolio.solve(model, options: options, monitor: monitor) }
            // A search that stalls gives the rest of its time to one from its roster (GLPK then
            // starts with the roster as its incumbent, on another path, where a better roster
            // or the proof is often at hand), and so on while time is left.
            var next = options
            next.stallLimit = SearchStrategy.stall(limit)
            var best = try portfolio.solve(model, options: next, monitor: monitor)
            var restarts = 0
            while best.termination == .timeLimit, best.objective != nil,
                limit - best.statistics.seconds >= SearchStrategy.stallAtLeast
            {
                // Each search from the roster branches another way, so it takes another path.
                restarts += 1
                next.branching = restarts % 2 == 1 ? .pseudocost : .driebeckTomlin
                next.feasibilityPump = restarts % 4 >= 2
                next.start = best.values
                next.timeLimit = limit - best.statistics.seconds
                best = combined(
                    best, try portfolio.solve(model, options: next, monitor: monitor), step: model.objectiveStep)
            }
            return best
        }
        guard let neighbourhoods, limit.isFinite else {
            return try GLPKSolver.solve(model, options: options, monitor: monitor)
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(Int64(min(limit, 1e9) * 1000)))
        var whole = options
        whole.timeLimit = limit * SearchStrategy.wholeWeekShare
        let first = try GLPKSolver.solve(model, options: whole, monitor: monitor)
        guard first.termination == .timeLimit, first.objective != nil else { return first }
        let improved = try neighbourhoods.improve(model, from: first, until: deadline, monitor: monitor)
        return combined(first, improved, step: model.objectiveStep)
    }

    /// Two runs on one minimization: the better roster, the higher bound, their costs summed.
    static func combined(_ a: Solution, _ b: Solution, step: Double?) -> Solution {
        let best = a.objective.map { ours in b.objective.map { $0 < ours ? b : a } ?? a } ?? b
        let bound = [a.bound, b.bound].compactMap { $0 }.max()
        var proven = best.status == .optimal
        if let objective = best.objective, let bound { proven = proven || proves(bound, objective, step: step) }
        let statistics = SolveStatistics(
            seconds: a.statistics.seconds + b.statistics.seconds, nodes: a.statistics.nodes + b.statistics.nodes,
            variables: b.statistics.variables, constraints: b.statistics.constraints, nonzeros: b.statistics.nonzeros)
        let termination: TerminationReason = proven ? .optimal : b.termination
        return Solution(
            termination: termination, status: proven ? .optimal : best.status, objective: best.objective,
            bound: proven ? best.objective : bound, values: best.values, statistics: statistics)
    }

    /// Whether `bound` proves `objective` the best on an objective that moves in `step`s: the
    /// bound rounded up to the next step reaches it (without a step, the bound itself must).
    static func proves(_ bound: Double, _ objective: Double, step: Double?) -> Bool {
        let rounded = step.map { $0 * (bound / $0 - 1e-9).rounded(.up) } ?? bound
        return objective <= rounded + 1e-9 * max(1, abs(objective))
    }

    /// Time kept back from the solver stages for splitting sections and explaining.
    static func reserve(_ limit: Double) -> Double { min(3, 0.05 * limit) }

    /// The roster model of a scenario with one tier's objective (tier 1, the weekly
    /// minimums, by default) and no tier held: the first stage of ``plan(_:options:)``,
    /// for other solvers to check.
    /// The shortfall families as the shortfalls measure them, and continuity breaks as the
    /// roster's sections still to come have them (with a facilitator the scenario knows).
    private static func measuredAmounts(
        _ scenario: Scenario, _ roster: Roster, _ shortfalls: [Shortfall], past: Set<String>
    ) -> [Family: Double] {
        var amounts: [Family: Double] = [
            .pinned: 0, .weeklyHours: 0, .billableDay: 0, .minimumDays: 0, .treatmentPlan: 0,
        ]
        for shortfall in shortfalls {
            let family: Family =
                switch shortfall.rule {
                case .pinned: .pinned
                case .weeklyHours: .weeklyHours
                case .billableDay: .billableDay
                case .minimumDays: .minimumDays
                case .treatmentPlan: .treatmentPlan
                }
            amounts[family, default: 0] += shortfall.amount
        }
        var breaks = 0
        let known = Set(scenario.facilitators.map(\.id))
        for client in scenario.clients where !client.lastWeek.isEmpty {
            for session in roster.sessions where session.members.contains(client.id) && !past.contains(session.id) {
                if let facilitator = client.lastWeek[session.group], known.contains(facilitator),
                    !session.facilitators.contains(facilitator)
                {
                    breaks += 1
                }
            }
        }
        amounts[.continuity] = Double(breaks)
        return amounts
    }

    public static func exportModel(_ scenario: Scenario, tier: Int = 1) -> Model {
        var roster = RosterModel(index: WeekIndex(scenario))
        roster.addAllFamilies()
        var model = roster.model
        for (name, row) in roster.stageRows[tier] ?? [] { model.addConstraint(name, row) }
        model.minimize(roster.objective(tier: tier))
        return model
    }

    /// Each family's amount: measured on the roster where it can be (so the objective block
    /// and the shortfall list always agree, whatever slack a later stage left in a
    /// shortfall variable, and continuity counts the sections the split made), else the
    /// solution's value.
    private static func costsByFamily(_ roster: RosterModel, _ solution: Solution, measured: [Family: Double])
        -> [FamilyCost]
    {
        Family.allCases.compactMap { family in
            guard let penalty = roster.penalties[family], !penalty.amount.terms.isEmpty else { return nil }
            let amount = measured[family] ?? solution.value(penalty.amount)
            let rounded = (amount * 1000).rounded() / 1000
            return FamilyCost(
                family: family, tier: family.tier, amount: rounded, unit: family.unit,
                weight: penalty.weight, cost: rounded * penalty.weight)
        }
    }
}

extension Solution {
    /// This solution with the seconds and nodes of searches before it added.
    func after(_ before: SolveStatistics) -> Solution {
        var statistics = self.statistics
        statistics.seconds += before.seconds
        statistics.nodes += before.nodes
        return Solution(
            termination: termination, status: status, objective: objective, bound: bound, values: values,
            statistics: statistics)
    }
}
