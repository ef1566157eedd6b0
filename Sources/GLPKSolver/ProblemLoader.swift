import CGLPK
import MIP

/// Moves a validated ``Model`` into a GLPK problem and back. GLPK arrays are 1-based.
enum ProblemLoader {
    static func load(_ model: Model, into problem: OpaquePointer, names: Bool) {
        glp_set_obj_dir(problem, model.sense == .minimize ? GLP_MIN : GLP_MAX)
        if !model.variables.isEmpty { glp_add_cols(problem, Int32(model.variables.count)) }
        for (offset, variable) in model.variables.enumerated() {
            let column = Int32(offset + 1)
            if names { glp_set_col_name(problem, column, LPName.mangle(variable.name)) }
            glp_set_col_kind(problem, column, variable.kind == .continuous ? GLP_CV : GLP_IV)
            glp_set_col_bnds(
                problem, column, boundType(variable.lower, variable.upper),
                finite(variable.lower), finite(variable.upper))
        }
        for term in model.objectiveTerms {
            glp_set_obj_coef(problem, Int32(term.variable.index + 1), term.coefficient)
        }
        glp_set_obj_coef(problem, 0, model.objectiveConstant)

        if !model.constraints.isEmpty { glp_add_rows(problem, Int32(model.constraints.count)) }
        let count = model.nonzeroCount
        var rowIndex = [Int32](repeating: 0, count: count + 1)
        var columnIndex = [Int32](repeating: 0, count: count + 1)
        var values = [Double](repeating: 0, count: count + 1)
        var position = 1
        for (offset, constraint) in model.constraints.enumerated() {
            let row = Int32(offset + 1)
            if names { glp_set_row_name(problem, row, LPName.mangle(constraint.name)) }
            glp_set_row_bnds(
                problem, row, boundType(constraint.lower, constraint.upper),
                finite(constraint.lower), finite(constraint.upper))
            for term in constraint.terms {
                rowIndex[position] = row
                columnIndex[position] = Int32(term.variable.index + 1)
                values[position] = term.coefficient
                position += 1
            }
        }
        glp_load_matrix(problem, Int32(count), &rowIndex, &columnIndex, &values)
    }

    /// Reads a problem GLPK has built (from an LP file) into a model.
    static func model(from problem: OpaquePointer) -> Model {
        var model = Model()
        let columns = Int(glp_get_num_cols(problem))
        let rows = Int(glp_get_num_rows(problem))
        var handles: [Variable] = []
        handles.reserveCapacity(columns)
        for j in 1...max(columns, 1) where j <= columns {
            let column = Int32(j)
            let name = glp_get_col_name(problem, column).map { String(cString: $0) } ?? "x\(j)"
            let kind: VariableKind =
                switch glp_get_col_kind(problem, column) {
                case GLP_BV: .binary
                case GLP_IV: .integer
                default: .continuous
                }
            let (lower, upper) = bounds(
                glp_get_col_type(problem, column),
                glp_get_col_lb(problem, column), glp_get_col_ub(problem, column))
            handles.append(model.addVariable(name, kind: kind, lower: lower, upper: upper))
        }
        var objective = LinearExpression(constant: glp_get_obj_coef(problem, 0))
        for (offset, handle) in handles.enumerated() {
            let coefficient = glp_get_obj_coef(problem, Int32(offset + 1))
            if coefficient != 0 { objective.add(coefficient, handle) }
        }
        model.setObjective(glp_get_obj_dir(problem) == GLP_MAX ? .maximize : .minimize, objective)

        var indices = [Int32](repeating: 0, count: columns + 1)
        var values = [Double](repeating: 0, count: columns + 1)
        for i in 1...max(rows, 1) where i <= rows {
            let row = Int32(i)
            let name = glp_get_row_name(problem, row).map { String(cString: $0) } ?? "r\(i)"
            let length = Int(glp_get_mat_row(problem, row, &indices, &values))
            var expression = LinearExpression()
            for k in 1...max(length, 1) where k <= length {
                expression.add(values[k], handles[Int(indices[k]) - 1])
            }
            let (lower, upper) = bounds(
                glp_get_row_type(problem, row),
                glp_get_row_lb(problem, row), glp_get_row_ub(problem, row))
            model.addConstraint(name, expression, lower: lower, upper: upper)
        }
        return model
    }

    private static func boundType(_ lower: Double, _ upper: Double) -> Int32 {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): GLP_FR
        case (true, false): GLP_LO
        case (false, true): GLP_UP
        case (true, true): lower == upper ? GLP_FX : GLP_DB
        }
    }

    private static func finite(_ value: Double) -> Double { value.isFinite ? value : 0 }

    private static func bounds(_ type: Int32, _ lower: Double, _ upper: Double) -> (Double, Double) {
        switch type {
        case GLP_FR: (-.infinity, .infinity)
        case GLP_LO: (lower, .infinity)
        case GLP_UP: (-.infinity, upper)
        default: (lower, upper)
        }
    }
}
