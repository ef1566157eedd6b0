/// Bound propagation over a model's rows: from the bounds of the other variables in a row,
/// each variable's bound follows (rounded inward for integer variables). Changes are kept
/// on a trail so a probe can be undone. Every bound it derives holds at every feasible
/// point of the model, so the feasible set never shrinks.
struct BoundPropagation {
    /// Rows as (column, coefficient) lists, and the rows each column is in.
    private let rows: [[(column: Int, coefficient: Double)]]
    private let columnRows: [[Int]]
    private let rowLower: [Double], rowUpper: [Double]
    private let isInteger: [Bool]
    private(set) var lower: [Double], upper: [Double]
    /// (column, lower, upper) before each change, newest last.
    private var trail: [(column: Int, lower: Double, upper: Double)] = []

    /// Feasibility tolerance, as GLPK's primal tolerance scale.
    static let tolerance = 1e-6
    /// Row visits one propagation may make before it stops (it is then merely less tight).
    static let visitLimit = 200_000

    init(_ model: Model) {
        var rows: [[(column: Int, coefficient: Double)]] = []
        var columnRows = Array(repeating: [Int](), count: model.variables.count)
        for constraint in model.constraints {
            for term in constraint.terms { columnRows[term.variable.index].append(rows.count) }
            rows.append(constraint.terms.map { ($0.variable.index, $0.coefficient) })
        }
        self.rows = rows
        self.columnRows = columnRows
        rowLower = model.constraints.map(\.lower)
        rowUpper = model.constraints.map(\.upper)
        isInteger = model.variables.map { $0.kind != .continuous }
        lower = model.variables.map { $0.kind == .continuous ? $0.lower : ($0.lower - Self.tolerance).rounded(.up) }
        upper = model.variables.map { $0.kind == .continuous ? $0.upper : ($0.upper + Self.tolerance).rounded(.down) }
    }

    var mark: Int { trail.count }

    /// Restores every bound changed since `mark`.
    mutating func undo(to mark: Int) {
        while trail.count > mark {
            let change = trail.removeLast()
            lower[change.column] = change.lower
            upper[change.column] = change.upper
        }
    }

    /// Columns whose bounds changed since `mark`.
    func changed(since mark: Int) -> Set<Int> { Set(trail[mark...].map(\.column)) }

    /// Tightens a column's bounds (never loosens them); false when they cross.
    mutating func tighten(_ column: Int, lower newLower: Double, upper newUpper: Double) -> Bool {
        var l = max(lower[column], newLower)
        var u = min(upper[column], newUpper)
        if isInteger[column] {
            l = (l - Self.tolerance).rounded(.up)
            u = (u + Self.tolerance).rounded(.down)
        }
        guard l <= u + Self.tolerance * max(1, abs(u)) else { return false }
        l = min(l, u)
        // Continuous bounds move only by a meaningful amount, so propagation ends.
        let minimum = isInteger[column] ? 0.5 : 1e-4 * max(1, abs(l), abs(u))
        let raised = l > lower[column] + minimum
        let lowered = u < upper[column] - minimum
        guard raised || lowered else { return true }
        trail.append((column, lower[column], upper[column]))
        if raised { lower[column] = l }
        if lowered { upper[column] = u }
        return true
    }

    /// Propagates from the rows of the given columns until nothing changes; false when a
    /// row cannot be met or bounds cross.
    mutating func propagate(from columns: some Sequence<Int>) -> Bool {
        var queued = Array(repeating: false, count: rows.count)
        var queue: [Int] = []
        for column in columns {
            for row in columnRows[column] where !queued[row] {
                queued[row] = true
                queue.append(row)
            }
        }
        var next = 0
        var visits = 0
        while next < queue.count {
            let row = queue[next]
            next += 1
            queued[row] = false
            visits += 1
            if visits > Self.visitLimit { return true }
            let before = trail.count
            guard tightenRow(row) else { return false }
            for change in trail[before...] {
                for other in columnRows[change.column] where !queued[other] {
                    queued[other] = true
                    queue.append(other)
                }
            }
            if next > 4096 {
                queue.removeFirst(next)
                next = 0
            }
        }
        return true
    }

    /// The row's least and greatest activity under the current bounds, each with the
    /// number of infinite contributions.
    private func activity(_ row: Int) -> (least: Double, leastInfinite: Int, most: Double, mostInfinite: Int) {
        var least = 0.0
        var most = 0.0
        var leastInfinite = 0
        var mostInfinite = 0
        for (column, a) in rows[row] {
            let (low, high) = a > 0 ? (a * lower[column], a * upper[column]) : (a * upper[column], a * lower[column])
            if low.isFinite { least += low } else { leastInfinite += 1 }
            if high.isFinite { most += high } else { mostInfinite += 1 }
        }
        return (least, leastInfinite, most, mostInfinite)
    }

    private mutating func tightenRow(_ row: Int) -> Bool {
        let (least, leastInfinite, most, mostInfinite) = activity(row)
        let lowerRow = rowLower[row]
        let upperRow = rowUpper[row]
        let slack =
            Self.tolerance
            * max(1, abs(lowerRow).isFinite ? abs(lowerRow) : 0, abs(upperRow).isFinite ? abs(upperRow) : 0)
        if leastInfinite == 0, least > upperRow + slack { return false }
        if mostInfinite == 0, most < lowerRow - slack { return false }
        for (column, a) in rows[row] {
            let (low, high) = a > 0 ? (a * lower[column], a * upper[column]) : (a * upper[column], a * lower[column])
            var newLower = -Double.infinity
            var newUpper = Double.infinity
            // Σ others + a·x <= upper: a·x <= upper - least(others).
            if upperRow.isFinite, leastInfinite == 0 || (leastInfinite == 1 && !low.isFinite) {
                let others = leastInfinite == 0 ? least - low : least
                let bound = (upperRow - others) / a
                if a > 0 { newUpper = bound } else { newLower = bound }
            }
            // Σ others + a·x >= lower: a·x >= lower - most(others).
            if lowerRow.isFinite, mostInfinite == 0 || (mostInfinite == 1 && !high.isFinite) {
                let others = mostInfinite == 0 ? most - high : most
                let bound = (lowerRow - others) / a
                if a > 0 { newLower = max(newLower, bound) } else { newUpper = min(newUpper, bound) }
            }
            guard newLower.isFinite || newUpper.isFinite else { continue }
            guard tighten(column, lower: newLower, upper: newUpper) else { return false }
        }
        return true
    }
}
