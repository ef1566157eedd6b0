import CGLPK
import MIP

extension GLPKSolver {
    /// The least value each expression takes over the model's LP relaxation (integrality
    /// dropped, every row and bound kept), in the order given; nil where the relaxation is
    /// infeasible or unbounded for that expression, or the deadline passed first.
    ///
    /// The model is loaded and scaled once and each expression starts from the last one's
    /// optimal basis, so a list of small expressions costs little more than one LP.
    public static func relaxationMinima(
        of expressions: [LinearExpression], in model: Model, until deadline: ContinuousClock.Instant
    ) throws(SolverError) -> [Double?] {
        try requireValid(model)
        let columns = Set(expressions.flatMap(\.terms).map(\.variable.index))
        guard columns.allSatisfy(model.variables.indices.contains) else {
            throw .invalidOptions(["an expression names a variable the model does not have"])
        }
        return withProblem { problem, _ in
            ProblemLoader.load(model, into: problem, names: false)
            glp_set_obj_dir(problem, GLP_MIN)
            glp_scale_prob(problem, GLP_SF_AUTO)
            glp_adv_basis(problem, 0)
            var previous: [Term] = model.objectiveTerms
            return expressions.map { expression -> Double? in
                let left = deadline - .now
                guard left > .zero else { return nil }
                for term in previous { glp_set_obj_coef(problem, Int32(term.variable.index + 1), 0) }
                let terms = expression.merged().terms
                for term in terms { glp_set_obj_coef(problem, Int32(term.variable.index + 1), term.coefficient) }
                previous = terms
                var parameters = glp_smcp()
                glp_init_smcp(&parameters)
                parameters.msg_lev = GLP_MSG_OFF
                parameters.tm_lim = Int32(min(max(1, left / .milliseconds(1)), 1e9))
                guard glp_simplex(problem, &parameters) == 0, glp_get_status(problem) == GLP_OPT else { return nil }
                return glp_get_obj_val(problem) + expression.constant
            }
        }
    }
}
