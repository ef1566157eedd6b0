/// A model made smaller without losing any feasible point: variables that bound propagation
/// or probing fix are replaced by their values, binaries that probing proves equal (or
/// complementary) share one column, and rows that can no longer be violated are dropped.
/// Every solution of the reduced model maps back to one of the original with the same
/// objective, and every feasible point of the original maps to one of the reduced model,
/// so its bound is the original's bound.
public struct ReducedModel: Sendable {
    /// How an original variable is recovered from the reduced model's values.
    enum Origin: Sendable {
        case fixed(Double)
        /// The reduced column's value.
        case column(Int)
        /// One less the reduced column's value (a binary complementary to it).
        case complement(Int)
    }

    /// The reduced model: same objective value at corresponding points, names kept.
    public let model: Model
    let origins: [Origin]

    /// The reduced column that decides `variable`, or nil when it is fixed.
    public func column(for variable: Variable) -> Variable? {
        guard origins.indices.contains(variable.index) else { return nil }
        switch origins[variable.index] {
        case .fixed: return nil
        case .column(let j), .complement(let j): return Variable(index: j)
        }
    }

    /// A point of the original model as a point of the reduced one.
    public func reducedValues(_ original: [Double]) -> [Double] {
        var values = Array(repeating: 0.0, count: model.variables.count)
        for (i, origin) in origins.enumerated() where original.indices.contains(i) {
            switch origin {
            case .fixed: break
            case .column(let j): values[j] = original[i]
            case .complement(let j): values[j] = 1 - original[i]
            }
        }
        return values
    }

    /// A point of the reduced model as a point of the original one.
    public func originalValues(_ reduced: [Double]) -> [Double] {
        origins.map { origin in
            switch origin {
            case .fixed(let value): value
            case .column(let j): reduced[j]
            case .complement(let j): 1 - reduced[j]
            }
        }
    }
}

/// Reduces a model before a search (see ``ReducedModel``): bound propagation over the
/// rows, then probing on every free binary (set it to 0, then to 1, and propagate each):
/// a side that cannot be met fixes the binary to the other; bounds that both sides imply
/// hold; a binary that each side fixes to the probed value (or to its opposite) equals
/// the probed one (or its complement). Only reductions valid at every feasible point are
/// made; nothing uses the objective.
public enum Presolve {
    /// The reduced model, or nil when propagation proves the model infeasible. Expects a
    /// model that passes ``Model/validate()``. Probing stops at `deadline`: what was
    /// reduced by then stands, and the rest of the model is kept as it is.
    public static func reduce(_ model: Model, until deadline: ContinuousClock.Instant? = nil) -> ReducedModel? {
        var propagation = BoundPropagation(model)
        guard propagation.propagate(from: model.variables.indices) else { return nil }
        var links: [Int: (to: Int, complement: Bool)] = [:]
        guard probe(&propagation, model: model, links: &links, until: deadline) else { return nil }
        return build(model, lower: propagation.lower, upper: propagation.upper, links: links)
    }

    /// One pass of probing over the binaries that are still free, until `deadline`; false
    /// when infeasible.
    private static func probe(
        _ propagation: inout BoundPropagation, model: Model,
        links: inout [Int: (to: Int, complement: Bool)], until deadline: ContinuousClock.Instant?
    ) -> Bool {
        let binaries = model.variables.indices.filter { model.variables[$0].kind != .continuous }
        for x in binaries where propagation.lower[x] == 0 && propagation.upper[x] == 1 {
            if let deadline, ContinuousClock.now >= deadline { break }
            var outcomes: [(feasible: Bool, lower: [Int: Double], upper: [Int: Double])] = []
            for value in [0.0, 1.0] {
                let mark = propagation.mark
                var feasible = propagation.tighten(x, lower: value, upper: value)
                feasible = feasible && propagation.propagate(from: [x])
                var lower: [Int: Double] = [:]
                var upper: [Int: Double] = [:]
                if feasible {
                    for j in propagation.changed(since: mark) where j != x {
                        lower[j] = propagation.lower[j]
                        upper[j] = propagation.upper[j]
                    }
                }
                propagation.undo(to: mark)
                outcomes.append((feasible, lower, upper))
            }
            let (down, up) = (outcomes[0], outcomes[1])
            if !down.feasible || !up.feasible {
                guard down.feasible || up.feasible else { return false }
                let value = down.feasible ? 0.0 : 1.0
                guard propagation.tighten(x, lower: value, upper: value), propagation.propagate(from: [x]) else {
                    return false
                }
                continue
            }
            // Bounds both sides imply; binaries each side fixes to the probed value or its opposite.
            var hull: [Int] = []
            for j in Set(down.lower.keys).intersection(up.lower.keys) {
                guard let downLow = down.lower[j], let upLow = up.lower[j], let downHigh = down.upper[j],
                    let upHigh = up.upper[j]
                else { continue }
                let low = min(downLow, upLow)
                let high = max(downHigh, upHigh)
                if low > propagation.lower[j] || high < propagation.upper[j] {
                    guard propagation.tighten(j, lower: low, upper: high) else { return false }
                    hull.append(j)
                    continue
                }
                guard propagation.lower[j] == 0, propagation.upper[j] == 1, links[j] == nil, links[x] == nil,
                    down.lower[j] == down.upper[j], up.lower[j] == up.upper[j], down.lower[j] != up.lower[j]
                else { continue }
                links[j] = (x, down.lower[j] == 1)
            }
            if !hull.isEmpty, !propagation.propagate(from: hull) { return false }
        }
        return true
    }

    /// The reduced model: fixed columns become constants, linked binaries share their
    /// representative's column, rows that cannot be violated go. nil when a row left
    /// without variables is violated.
    private static func build(
        _ model: Model, lower: [Double], upper: [Double],
        links: [Int: (to: Int, complement: Bool)]
    ) -> ReducedModel? {
        let count = model.variables.count
        // Follow each link to its representative, fixing a link whose either end is fixed.
        var lower = lower
        var upper = upper
        func representative(_ j: Int) -> (column: Int, complement: Bool) {
            var column = j
            var complement = false
            while let link = links[column] {
                column = link.to
                complement = complement != link.complement
            }
            return (column, complement)
        }
        var changed = true
        while changed {
            changed = false
            for j in links.keys {
                let (r, complement) = representative(j)
                if lower[j] == upper[j], lower[r] != upper[r] {
                    lower[r] = complement ? 1 - lower[j] : lower[j]
                    upper[r] = lower[r]
                    changed = true
                } else if lower[r] == upper[r], lower[j] != upper[j] {
                    lower[j] = complement ? 1 - lower[r] : lower[r]
                    upper[j] = lower[j]
                    changed = true
                }
            }
        }

        var reduced = Model()
        var columnOf = Array(repeating: -1, count: count)
        for j in 0..<count where lower[j] != upper[j] && links[j] == nil {
            let definition = model.variables[j]
            let kind: VariableKind =
                definition.kind != .continuous && lower[j] == 0 && upper[j] == 1 ? .binary : definition.kind
            columnOf[j] = reduced.addVariable(definition.name, kind: kind, lower: lower[j], upper: upper[j]).index
        }
        let origins: [ReducedModel.Origin] = (0..<count).map { j in
            if lower[j] == upper[j] { return .fixed(lower[j]) }
            let (r, complement) = representative(j)
            return complement ? .complement(columnOf[r]) : .column(columnOf[r])
        }
        func mapped(_ terms: [Term]) -> LinearExpression {
            var expression = LinearExpression()
            for term in terms {
                switch origins[term.variable.index] {
                case .fixed(let value): expression.constant += term.coefficient * value
                case .column(let j): expression.add(term.coefficient, Variable(index: j))
                case .complement(let j):
                    expression.constant += term.coefficient
                    expression.add(-term.coefficient, Variable(index: j))
                }
            }
            return expression.merged()
        }

        var seen: Set<RowKey> = []
        for constraint in model.constraints {
            let expression = mapped(constraint.terms)
            guard !expression.terms.isEmpty else {
                let slack = BoundPropagation.tolerance * max(1, abs(expression.constant))
                if expression.constant < constraint.lower - slack || expression.constant > constraint.upper + slack {
                    return nil
                }
                continue
            }
            var least = expression.constant
            var most = expression.constant
            for term in expression.terms {
                let (l, u) = (
                    reduced.variables[term.variable.index].lower, reduced.variables[term.variable.index].upper
                )
                least += term.coefficient > 0 ? term.coefficient * l : term.coefficient * u
                most += term.coefficient > 0 ? term.coefficient * u : term.coefficient * l
            }
            let keepLower = constraint.lower.isFinite && least < constraint.lower
            let keepUpper = constraint.upper.isFinite && most > constraint.upper
            guard keepLower || keepUpper else { continue }
            let spec = ConstraintSpec(
                expression, lower: keepLower ? constraint.lower : -.infinity,
                upper: keepUpper ? constraint.upper : .infinity)
            guard seen.insert(RowKey(spec)).inserted else { continue }
            reduced.addConstraint(constraint.name, spec)
        }
        reduced.setObjective(model.sense, mapped(model.objectiveTerms) + model.objectiveConstant)
        return ReducedModel(model: reduced, origins: origins)
    }
}

/// A row's terms and bounds, to drop exact repeats.
private struct RowKey: Hashable {
    let columns: [Int], coefficients: [Double], lower: Double, upper: Double
    init(_ spec: ConstraintSpec) {
        columns = spec.expression.terms.map(\.variable.index)
        coefficients = spec.expression.terms.map(\.coefficient)
        lower = spec.lower - spec.expression.constant
        upper = spec.upper - spec.expression.constant
    }
}
