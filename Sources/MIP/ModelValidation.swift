/// One thing wrong with a model, named by the variable or constraint it concerns.
public struct ModelIssue: Sendable, Equatable, CustomStringConvertible {
    public enum Subject: Sendable, Equatable {
        case model
        case objective
        case variable(String)
        case constraint(String)
    }

    public let subject: Subject
    public let problem: String
    /// The issue is a lower bound above its upper bound: a well-formed model that no point
    /// satisfies (infeasible), rather than one GLPK cannot be given.
    public let provesInfeasible: Bool

    public init(subject: Subject, problem: String, provesInfeasible: Bool = false) {
        self.subject = subject
        self.problem = problem
        self.provesInfeasible = provesInfeasible
    }

    public var description: String {
        switch subject {
        case .model: "model: \(problem)"
        case .objective: "objective: \(problem)"
        case .variable(let name): "variable '\(name)': \(problem)"
        case .constraint(let name): "constraint '\(name)': \(problem)"
        }
    }
}

extension Model {
    /// The largest count GLPK can index (its indices are 32-bit and 1-based).
    public static let maximumCount = Int(Int32.max) - 1

    /// Every issue that would make GLPK abort the process or silently return a wrong
    /// answer; empty when the model is safe to solve.
    public func validate() -> [ModelIssue] {
        var issues: [ModelIssue] = []
        if variables.isEmpty {
            issues.append(ModelIssue(subject: .model, problem: "has no variables; an empty model cannot be solved"))
        }
        if variables.count > Model.maximumCount {
            issues.append(
                ModelIssue(
                    subject: .model, problem: "has \(variables.count) variables; at most \(Model.maximumCount) fit GLPK"
                ))
        }
        if constraints.count > Model.maximumCount {
            issues.append(
                ModelIssue(
                    subject: .model,
                    problem: "has \(constraints.count) constraints; at most \(Model.maximumCount) fit GLPK"))
        }
        if nonzeroCount > Model.maximumCount {
            issues.append(
                ModelIssue(
                    subject: .model,
                    problem: "has \(nonzeroCount) non-zero coefficients; at most \(Model.maximumCount) fit GLPK"))
        }
        for variable in variables { issues += Self.variableIssues(variable) }
        for constraint in constraints { issues += constraintIssues(constraint) }
        issues += objectiveIssues()
        issues += nameIssues(variables.map(\.name), subject: ModelIssue.Subject.variable, kind: "variable")
        issues += nameIssues(constraints.map(\.name), subject: ModelIssue.Subject.constraint, kind: "constraint")
        return issues
    }

    static func variableIssues(_ variable: VariableDefinition) -> [ModelIssue] {
        var problems: [String] = []
        let (lower, upper) = (variable.lower, variable.upper)
        if lower.isNaN { problems.append("lower bound is NaN") }
        if upper.isNaN { problems.append("upper bound is NaN") }
        if lower == .infinity { problems.append("lower bound is +infinity") }
        if upper == -.infinity { problems.append("upper bound is -infinity") }
        switch variable.kind {
        case .continuous:
            break
        case .integer:
            for (side, bound) in [("lower", lower), ("upper", upper)] where bound.isFinite && bound != bound.rounded() {
                problems.append("integer variable has fractional \(side) bound \(format(bound))")
            }
        case .binary:
            for (side, bound) in [("lower", lower), ("upper", upper)] where !bound.isNaN && bound != 0 && bound != 1 {
                problems.append("binary variable has \(side) bound \(format(bound)); only 0 or 1 is allowed")
            }
        }
        let inverted =
            lower > upper
            ? [
                ModelIssue(
                    subject: .variable(variable.name),
                    problem: "lower bound \(format(lower)) exceeds upper bound \(format(upper))",
                    provesInfeasible: true)
            ] : []
        return inverted + problems.map { ModelIssue(subject: .variable(variable.name), problem: $0) }
    }

    func constraintIssues(_ constraint: ConstraintDefinition) -> [ModelIssue] {
        var problems: [String] = []
        let (lower, upper) = (constraint.lower, constraint.upper)
        if lower.isNaN { problems.append("lower bound is NaN") }
        if upper.isNaN { problems.append("upper bound is NaN") }
        if lower == .infinity { problems.append("lower bound is +infinity") }
        if upper == -.infinity { problems.append("upper bound is -infinity") }
        problems += termProblems(constraint.terms)
        let inverted =
            lower > upper
            ? [
                ModelIssue(
                    subject: .constraint(constraint.name),
                    problem: "lower bound \(Self.format(lower)) exceeds upper bound \(Self.format(upper))",
                    provesInfeasible: true)
            ] : []
        return inverted + problems.map { ModelIssue(subject: .constraint(constraint.name), problem: $0) }
    }

    func objectiveIssues() -> [ModelIssue] {
        var problems = termProblems(objectiveTerms)
        if !objectiveConstant.isFinite {
            problems.append("constant is \(Self.format(objectiveConstant)); it must be finite")
        }
        return problems.map { ModelIssue(subject: .objective, problem: $0) }
    }

    private func termProblems(_ terms: [Term]) -> [String] {
        var problems: [String] = []
        for term in terms {
            guard variables.indices.contains(term.variable.index) else {
                problems.append(
                    "refers to variable #\(term.variable.index), but the model has \(variables.count) variables (a handle from another model?)"
                )
                continue
            }
            if !term.coefficient.isFinite {
                problems.append(
                    "coefficient of '\(variables[term.variable.index].name)' is \(Self.format(term.coefficient)); it must be finite"
                )
            }
        }
        return problems
    }

    private func nameIssues(_ names: [String], subject: (String) -> ModelIssue.Subject, kind: String) -> [ModelIssue] {
        var issues: [ModelIssue] = []
        var seen: [String: Int] = [:]
        for (position, name) in names.enumerated() {
            if name.isEmpty {
                issues.append(ModelIssue(subject: subject("#\(position)"), problem: "has an empty name"))
                continue
            }
            let mangled = LPName.mangle(name)
            if mangled.utf8.count > LPName.maximumLength {
                issues.append(
                    ModelIssue(
                        subject: subject(name),
                        problem:
                            "name is \(mangled.utf8.count) bytes in LP form; at most \(LPName.maximumLength) are allowed"
                    ))
            }
            if let first = seen[name] {
                issues.append(
                    ModelIssue(
                        subject: subject(name),
                        problem: "name is used by \(kind)s #\(first) and #\(position); names must be unique"))
            } else {
                seen[name] = position
            }
        }
        return issues
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+infinity" }
        if value == -.infinity { return "-infinity" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
