import MIP

/// A seeded, reproducible generator (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Enumerates every integer point of a small pure-integer model: the reference the GLPK
/// backend is checked against. Returns the best objective, or nil when infeasible.
func bruteForceOptimum(_ model: Model) -> Double? {
    let domains = model.variables.map { Int($0.lower)...Int($0.upper) }
    var point = domains.map(\.lowerBound)
    var best: Double?
    func feasible() -> Bool {
        model.constraints.allSatisfy { row in
            let value = row.terms.reduce(0.0) { $0 + $1.coefficient * Double(point[$1.variable.index]) }
            return value >= row.lower - 1e-9 && value <= row.upper + 1e-9
        }
    }
    while true {
        if feasible() {
            let value = model.objectiveValue(at: point.map(Double.init))
            if let current = best {
                best = model.sense == .minimize ? min(current, value) : max(current, value)
            } else {
                best = value
            }
        }
        var position = 0
        while position < point.count, point[position] == domains[position].upperBound {
            point[position] = domains[position].lowerBound
            position += 1
        }
        if position == point.count { return best }
        point[position] += 1
    }
}

/// Whether every constraint and bound of `model` holds at `values`.
func satisfies(_ model: Model, _ values: [Double], tolerance: Double = 1e-6) -> Bool {
    let boundsHold = zip(model.variables, values).allSatisfy { definition, value in
        value >= definition.lower - tolerance && value <= definition.upper + tolerance
    }
    return boundsHold && model.constraints.allSatisfy { row in
        let value = row.terms.reduce(0.0) { $0 + $1.coefficient * values[$1.variable.index] }
        return value >= row.lower - tolerance && value <= row.upper + tolerance
    }
}
