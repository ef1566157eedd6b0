import ArgumentParser
import Exports
import Foundation
import IOPDomain
import OperationsRecord
import UseCases

/// How a report is written: text for people, CSV or JSON for sheets and other tools.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv, json
}

/// Prints `value` as the JSON the service answers with (snake_case keys, sorted).
func printJSON(_ value: some Encodable) throws {
    print(String(decoding: try Roster.encoder().encode(value), as: UTF8.self))
}

/// The reports' `--format csv` tables; lists inside a field are joined by `;`. The columns
/// are documented in docs/output-format.md#reports.
enum ReportCSV {
    /// `iop attendance report`: one row per client.
    static func attendance(_ report: AttendanceWeek) -> CSVTable {
        CSVTable(
            header: [
                "client", "minimum_hours", "attended_hours", "remaining_hours", "projected_hours", "risk", "patterns",
                "short_days", "unrecorded", "absences",
            ],
            rows: report.clients.map { line in
                [
                    line.client.rawValue, number(line.minimumHours), number(line.attendedHours),
                    number(line.remainingHours), number(line.projectedHours), line.risk?.rawValue ?? "",
                    line.patterns.joined(separator: ";"), line.shortDays.map(\.description).joined(separator: ";"),
                    line.unrecorded.joined(separator: ";"), line.absences.joined(separator: ";"),
                ]
            })
    }

    /// `iop auth due`: one row per review, expiry or unit run-out.
    static func due(_ due: ReviewsDue) -> CSVTable {
        CSVTable(
            header: [
                "date", "kind", "client", "payer", "number", "level_of_care", "from", "to", "min_hours_per_week",
                "max_hours_per_week", "attended_hours", "scheduled_hours", "minimum_hours", "absences", "units_unit",
                "units_approved", "units_used", "units_planned", "units_first_uncovered", "units_spare",
            ],
            rows: due.items.map { item in
                let week = item.thisWeek
                let units = item.units
                return [
                    item.date.description, item.kind.rawValue, item.client.rawValue, item.payer, item.number,
                    item.levelOfCare, item.from.description, item.to.description,
                    item.minHoursPerWeek.map(number) ?? "", item.maxHoursPerWeek.map(number) ?? "",
                    week.map { number($0.attendedHours) } ?? "", week.map { number($0.scheduledHours) } ?? "",
                    week.map { number($0.minimumHours) } ?? "", week.map { String($0.absences) } ?? "",
                    units?.unit ?? "", units.map { number($0.approved) } ?? "", units.map { number($0.used) } ?? "",
                    units.map { number($0.planned) } ?? "", units?.firstUncovered?.description ?? "",
                    units.map { number($0.spare) } ?? "",
                ]
            })
    }

    /// `iop billing`: one row per client and attended day.
    static func billing(_ week: BillingWeek) -> CSVTable {
        CSVTable(
            header: [
                "client", "date", "minutes", "billable", "procedure_code", "revenue_code", "sessions",
                "billable_days", "minimum_days", "week_qualifies", "may_still_qualify",
            ],
            rows: week.clients.flatMap { client in
                client.days.map { day in
                    [
                        client.client.rawValue, day.date.description, String(day.minutes), String(day.billable),
                        client.procedureCode, client.revenueCode, day.sessions.map(\.line).joined(separator: ";"),
                        String(client.billableDays), String(client.minimumDays), String(client.weekQualifies),
                        String(client.mayStillQualify),
                    ]
                }
            })
    }

    /// `iop discharges`: one row per open item, overdue first.
    static func discharges(_ checklist: DischargeChecklist) -> CSVTable {
        CSVTable(
            header: ["status", "due", "client", "last_day", "item"],
            rows: [("overdue", checklist.overdue), ("due", checklist.dueNext)].flatMap { status, items in
                items.map { [status, $0.due.description, $0.client.rawValue, $0.lastDay.description, $0.item] }
            })
    }

    /// `iop auth appeals`: one row per open appeal.
    static func appeals(_ appeals: [Appeal]) -> CSVTable {
        CSVTable(
            header: ["number", "client", "opened_on", "deadline", "peer_to_peer", "missing"],
            rows: appeals.map { appeal in
                [
                    appeal.number, appeal.client.rawValue, appeal.openedOn.description, appeal.deadline.description,
                    appeal.peerToPeer ?? "", appeal.missing.joined(separator: ";"),
                ]
            })
    }
}
