import ArgumentParser
import IOPDomain

// Dates, moments and clock times as typed options: ArgumentParser reports a malformed
// value itself, naming the option and what it expects.

extension LocalDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
}

extension DateTime: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
}

extension ClockTime: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension LevelOfCare: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
