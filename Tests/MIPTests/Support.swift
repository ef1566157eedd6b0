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

/// Every feasible point of a small pure-integer model, by enumerating its box.
func feasiblePoints(_ model: Model) -> [[Double]] {
    let domains = model.variables.map { Int($0.lower)...Int($0.upper) }
    var point = domains.map(\.lowerBound)
    var found: [[Double]] = []
    while true {
        let values = point.map(Double.init)
        if satisfies(model, values, tolerance: 1e-9) { found.append(values) }
        var position = 0
        while position < point.count, point[position] == domains[position].upperBound {
            point[position] = domains[position].lowerBound
            position += 1
        }
        if position == point.count { return found }
        point[position] += 1
    }
}

/// The best objective of a small pure-integer model by enumeration: the reference the GLPK
/// backend is checked against. nil when infeasible.
func bruteForceOptimum(_ model: Model) -> Double? {
    let values = feasiblePoints(model).map(model.objectiveValue(at:))
    return model.sense == .minimize ? values.min() : values.max()
}

/// Whether every constraint and bound of `model` holds at `values`.
func satisfies(_ model: Model, _ values: [Double], tolerance: Double = 1e-6) -> Bool {
    let boundsHold = zip(model.variables, values).allSatisfy { definition, value in
        value >= definition.lower - tolerance && value <= definition.upper + tolerance
    }
    return boundsHold
        && model.constraints.allSatisfy { row in
            let value = row.terms.reduce(0.0) { $0 + $1.coefficient * values[$1.variable.index] }
            return value >= row.lower - tolerance && value <= row.upper + tolerance
        }
}
