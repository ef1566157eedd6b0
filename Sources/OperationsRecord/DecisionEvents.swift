import IOPDomain

extension RecordStore {
    /// The review decisions logged in the record as planner events, in the order they were
    /// made, for the clients of `scenario`: an approval moves the window's end from the
    /// decision day; a denial ends care after the decision day; a step-down sets new weekly
    /// hours from the decision day, or, without hours, makes the decision day the last.
    /// Decisions on an authorization other than the one the scenario gives the client (an
    /// older one it supersedes) are left out.
    public func decisionEvents(for scenario: Scenario) throws -> [Event] {
        try read { db in
            try SQLRow.fetchAll(
                db,
                sql: """
                    SELECT decision.*, "authorization".client_id, "authorization".payer, "authorization".number, "authorization".starts,
                           "authorization".level_of_care AS authorized_level
                    FROM decision JOIN "authorization" ON "authorization".id = decision.authorization_id
                    ORDER BY decision.decided_on, decision.id
                    """
            ).compactMap { row -> Event? in
                let client = ClientID(row["client_id"] as String)
                let number: String = row["number"]
                guard let current = scenario.client(client), let day = LocalDate(iso: row["decided_on"]),
                    current.authorization == nil || current.authorization?.number == number
                else { return nil }
                let start = DateTime(date: day, time: ClockTime(minutes: 0))
                switch row["outcome"] as String {
                case "approved":
                    guard let end = (row["new_end"] as String?).flatMap(LocalDate.init(iso:)) else { return nil }
                    var authorization =
                        current.authorization
                        ?? Authorization(
                            payer: row["payer"], number: number, from: LocalDate(iso: row["starts"]) ?? day, to: end,
                            levelOfCare: LevelOfCare(rawValue: row["authorized_level"]) ?? .iop)
                    authorization.to = end
                    return Event(at: start, change: .authorization(client, authorization))
                case "denied":
                    return Event(
                        at: DateTime(date: day.adding(days: 1), time: ClockTime(minutes: 0)),
                        change: .authorization(client, nil))
                case "step_down":
                    let low: Double? = row["min_hours"]
                    let high: Double? = row["max_hours"]
                    if let low, let high {
                        return Event(at: start, change: .stepDown(client, hours: low...high, lastDay: nil))
                    }
                    return Event(at: start, change: .stepDown(client, hours: nil, lastDay: day))
                default:
                    return nil
                }
            }
        }
    }
}
