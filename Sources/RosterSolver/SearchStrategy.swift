/// The search's tuning in one place: the sizes that change how a week is searched, and how
/// a stage's time is shared. The measurements behind each value are in docs/speed.md
/// ("Why the search is shaped so").
enum SearchStrategy {
    /// Tier 4 of a week with fewer variables runs without Gomory cuts (``RosterSolver/cuts(tier:variables:)``).
    static let gomoryFreeBelow = 1500

    /// A week with at least this many variables is large: each stage starts from the last
    /// stage's roster, without GLPK's presolver, tiers 1-3 are searched one way only, and
    /// tier 4 ends in a neighbourhood search.
    static let largeWeekVariables = 2500

    /// The share of what is left a first stage may use while no roster exists yet; once
    /// one does, each stage gets half of what is left and the last stage all of it.
    static let firstStageShare = 0.8

    /// The share of the time limit that must be left, once the last stage is done, for the
    /// first stage its time limit stopped to run again (``RosterSolver``).
    static let secondRunAtLeast = 0.1

    /// The share of a stage's time the held search of tiers 2-3 gets before the merged one
    /// takes over (``MergedTier``).
    static let heldShare = 0.3

    /// A search of tiers 1-3 has stalled once neither its roster nor its bound has changed
    /// for this share of its time, or ``stallAtLeast`` seconds when that is more
    /// (``SolveOptions/stallLimit``): it yields the rest of its time to a search from its
    /// roster (``RosterSolver/solveStage``), or the held search to the merged one.
    static let stallShare = 0.1
    static let stallAtLeast = 0.3

    /// The stall limit of a search given `limit` seconds.
    static func stall(_ limit: Double) -> Double { max(stallAtLeast, stallShare * limit) }

    /// Seconds tier 4's search of the whole stage from the last roster gets beside the load
    /// levels (``LoadLevels``) before a search with GLPK's presolver takes over that core.
    static let quickSearch = 0.5

    /// The load levels' search of the rest gets a quarter of the stage, or half of it up to
    /// these seconds when that is more: only short limits change.
    static let restAtLeast = 2.0

    /// Seconds a probe of one load level gets.
    static let probeLimit = 0.5

    /// The share of tier 4's time a large week's whole-week search gets before the
    /// neighbourhood search takes over.
    static let wholeWeekShare = 0.25
}
