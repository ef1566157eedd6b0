import IOPDomain
import ScenarioFile
import Testing

@Suite("Census sheets from the EHR")
struct CensusSheetTests {
    static let week = try! bundled("riverbend-small.yaml")
    static let moment = DateTime(iso: "2026-12-09T07:00")!
    static let header =
        "client_id,track,admitted,planned_discharge,payer,authorization,authorized_from,authorized_to,level_of_care,min_hours,max_hours,plan,clinician,keep_apart"

    private func reading(_ rows: [String]) throws(ScenarioError) -> CensusSheet.Reading {
        try CensusSheet.parse(
            ([Self.header] + rows).joined(separator: "\n"), file: "census.csv", week: Self.week, at: Self.moment)
    }

    private func problems(_ text: String) -> [String] {
        do {
            _ = try CensusSheet.parse(text, file: "census.csv", week: Self.week, at: Self.moment)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test(
        "a new client is an admission; a new authorization and an earlier discharge are events; the rest unchanged, unlisted or not applied"
    )
    func changesAsEvents() throws {
        let read = try reading([
            "c-201,adult,2026-12-09,2027-01-22,acme,A-4410,2026-12-09,2026-12-22,IOP,9,12,process:2;dbt:1,f-lee,c-105",
            "c-104,adult,,2026-12-10,,,,,,,,,,",
            "c-107,adult,,,acme,A-99900,2026-12-09,2026-12-23,IOP,9,12,,,",
            "c-106,adult,,,,,,,,,,process:3;relapse:1,,",
            "c-101,adult,,,,,,,,,,,,",
            // The week's own authorization and a later discharge than planned are no events.
            "c-112,adult,,2026-12-11,,,,,,,,,,",
        ])
        #expect(
            read.events.map(\.event.summary) == [
                "c-201 admitted", "c-104 discharged after 2026-12-10",
                "c-107 authorization A-99900 now 2026-12-09 to 2026-12-23",
            ])
        guard case .admission(let admitted) = read.events[0].event.change else {
            Issue.record("not an admission")
            return
        }
        #expect(
            admitted.plan == ["process": 2, "dbt": 1] && admitted.keepApart == ["c-105"]
                && admitted.clinician == "f-lee")
        #expect(admitted.authorization?.number == "A-4410" && admitted.authorization?.maxHoursPerWeek == 12)
        #expect(read.events.allSatisfy { $0.event.at == Self.moment })
        #expect(read.unchanged == ["c-101", "c-106", "c-112"])
        #expect(read.notListed.map(\.rawValue) == ["c-102", "c-103", "c-105", "c-108", "c-109", "c-110", "c-111"])
        #expect(
            read.notApplied == [
                "c-106: plan differs from the week's; it is changed in the scenario file",
                "c-112: a planned discharge later than the week's 2026-12-10 is changed in the scenario file",
            ])
        // The sources replay to the same week.
        let replayed = try EventsLoader.replay(read.events.map(\.source), on: Self.week)
        #expect(
            replayed.client("c-201") != nil
                && replayed.client("c-104")?.dischargePlanned == LocalDate(iso: "2026-12-10"))
    }

    @Test("every bad row and column at once, by row and column; a name typed into a column is not repeated")
    func locatedProblems() {
        let found = problems(
            """
            client_id,track,admitted,plan,keep_apart,authorization,authorized_from,authorized_to,payer
            c-301,adult,2026-12-32,process:3;dbx:1,c-999,,,,
            c-302,Jane Doe,,,,,,,
            c-301,adult,,,,,,,
            c-303,adult,,,,A-1,2026-12-09,,acme
            c-304,adult,,process=3,,,,,
            c-305,adult
            """)
        #expect(
            found == [
                "census.csv:2:3: admitted: expected a date YYYY-MM-DD from 2000-01-01 to 2099-12-31, found '2026-12-32'",
                "census.csv:2:4: plan: unknown group 'dbx'; expected one of: process, dbt, psychoed, relapse, mindfulness",
                "census.csv:2:5: keep_apart: unknown client 'c-999'",
                "census.csv:3:2: track: expected an ID, a code, a date or a number; found text with spaces (not repeated here)",
                "census.csv:4:1: client_id: client 'c-301' is listed twice (first on row 2)",
                "census.csv:5:8: authorized_to: expected a value: an authorization needs payer, authorization, authorized_from and authorized_to",
                "census.csv:6:4: plan: expected group:sessions pairs separated by ';', like process:3;dbt:1",
                "census.csv:7:0: expected 9 fields, found 2",
            ])
        #expect(
            problems("client_id,name\nc-1,x\n") == [
                "census.csv:1:2: name: unknown column 'name'; expected some of: \(CensusSheet.columns.joined(separator: ", "))",
                "census.csv:1:0: track: the column track is required",
            ])
    }
}
