import IOPDomain
import Planner
import Testing

@Suite("Differences between two rosters")
struct RosterDifferenceTests {
    static let monday = LocalDate(iso: "2026-12-07")!, tuesday = LocalDate(iso: "2026-12-08")!
    static let morning = Block(id: "am", start: ClockTime("09:00")!, end: ClockTime("10:30")!)

    private func session(
        _ date: LocalDate, _ group: GroupID, _ room: RoomID, _ lead: FacilitatorID, _ members: [ClientID]
    ) -> Session {
        Session(
            day: date.weekday, date: date, block: Self.morning, group: group, section: 1, room: room,
            facilitators: [lead], members: members)
    }

    @Test(
        "a new lead or room in the same slot and the same group at another time are moves; the rest leave or join; leads gained and lost"
    )
    func kinds() {
        let before = [
            session(Self.monday, "process", "oak", "f-lee", ["c-1", "c-2", "c-3"]),
            session(Self.monday, "dbt", "pine", "f-kim", ["c-4"]),
        ]
        let after = [
            session(Self.monday, "process", "oak", "f-ortiz", ["c-1", "c-2", "c-5"]),
            session(Self.tuesday, "dbt", "pine", "f-kim", ["c-4"]),
        ]
        let described = RosterDifference.between(before, after).map(\.description)
        #expect(
            described == [
                "c-1 moves from Mon 09:00 process (f-lee, oak) to Mon 09:00 process (f-ortiz, oak)",
                "c-2 moves from Mon 09:00 process (f-lee, oak) to Mon 09:00 process (f-ortiz, oak)",
                "c-3 leaves Mon 09:00 process (f-lee, oak)",
                "c-4 moves from Mon 09:00 dbt (f-kim, pine) to Tue 09:00 dbt (f-kim, pine)",
                "c-5 is added to Mon 09:00 process (f-ortiz, oak)",
                "f-kim no longer leads Mon 09:00 dbt",
                "f-kim now leads Tue 09:00 dbt (f-kim, pine)",
                "f-lee no longer leads Mon 09:00 process",
                "f-ortiz now leads Mon 09:00 process (f-ortiz, oak)",
            ])
        #expect(RosterDifference.between(after, after).isEmpty)
    }
}
