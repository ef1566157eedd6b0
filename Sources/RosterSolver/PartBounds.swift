import GLPKSolver
import IOPDomain
import MIP

/// Valid rows that round a stage's LP bound part by part. A part is a piece of the stage's
/// objective that is whole-valued at every roster (one group's sections over the week, the
/// busiest facilitator's load, one soft family's amount): at every roster it is at least
/// its least value over the stage's LP relaxation rounded up to its step, so that row
/// cuts off no roster. The LP spreads a group's attendance thinly over the days it runs,
/// opening a fraction of a section on each; the group's rounded week count restores what
/// those fractions lose, at the root (docs/speed.md).
enum PartBounds {
    /// A named part of a tier's objective.
    struct Part {
        let name: String
        let amount: LinearExpression
    }

    /// The parts of one tier's objective worth rounding: for tier 4, each group's sections
    /// over the week, the busiest load and each other family's amount; none for the tiers
    /// above, whose shortfalls the relaxation leaves whole-valued per client already.
    static func parts(of roster: RosterModel, tier: Int) -> [Part] {
        guard tier == Family.sectionsOpened.tier else { return [] }
        var byGroup: [GroupID: LinearExpression] = [:]
        var order: [GroupID] = []
        for slot in roster.index.slots where !roster.sections[slot.index].isEmpty {
            if byGroup[slot.group.id] == nil { order.append(slot.group.id) }
            byGroup[slot.group.id, default: LinearExpression()] += roster.sectionsRunning(slot.index)
        }
        var parts = order.map { Part(name: "week_sections(\($0))", amount: byGroup[$0] ?? LinearExpression()) }
        if let busiest = roster.busiestLoad {
            parts.append(Part(name: "busiest_load", amount: LinearExpression(busiest)))
        }
        for family in Family.allCases where family.tier == tier && family != .sectionsOpened && family != .busiestLoad {
            if let penalty = roster.penalties[family], !penalty.amount.terms.isEmpty {
                parts.append(Part(name: family.rawValue, amount: penalty.amount))
            }
        }
        return parts
    }

    /// The rows `part >= its LP minimum rounded up` over `model`, for each part whose
    /// minimum is fractional in its step; parts that are not whole-valued (a continuous
    /// variable, a coefficient off every step) are left out.
    static func rows(_ parts: [Part], in model: Model, until deadline: ContinuousClock.Instant) throws(SolverError)
        -> [(name: String, row: ConstraintSpec)]
    {
        let rounded = parts.compactMap { part in model.step(of: part.amount.merged().terms).map { (part, $0) } }
        let minima = try GLPKSolver.relaxationMinima(of: rounded.map(\.0.amount), in: model, until: deadline)
        return zip(rounded, minima).compactMap { entry, minimum in
            let (part, step) = entry
            guard let minimum else { return nil }
            let tolerance = 1e-6 * max(1, abs(minimum))
            let floor = step * ((minimum - part.amount.constant - tolerance) / step).rounded(.up) + part.amount.constant
            guard floor > minimum + tolerance else { return nil }
            return (name: "part_bound(\(part.name))", row: part.amount >= floor)
        }
    }
}
