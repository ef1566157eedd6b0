import IOPDomain
import OperationsRecord
import RosterSolver

/// The record's published week: the roster as `iop plan --format json` writes it (its
/// `program`, `week_of`, `sessions` and `clients`), its version, and every shortfall of it
/// with its reasons against the week as the record knows it now.
public struct PublishedWeek: Sendable, Encodable {
    public let version: Int64
    public let roster: Roster
    public let shortfalls: [Shortfall]
    /// The week as the record knows it, which the shortfalls are explained against (not encoded).
    public let scenario: Scenario

    private enum CodingKeys: String, CodingKey { case version, shortfalls }

    public func encode(to encoder: any Encoder) throws {
        try roster.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(shortfalls, forKey: .shortfalls)
    }

    public static func load(from store: RecordStore, base: Scenario) throws(UseCaseError) -> PublishedWeek {
        let week = try RecordWeek.load(base, from: store)
        let published = try Publishing.latest(in: store)
        return PublishedWeek(
            version: published.version, roster: published.roster,
            shortfalls: Shortfalls.of(published.roster, in: week.scenario), scenario: week.scenario)
    }
}
