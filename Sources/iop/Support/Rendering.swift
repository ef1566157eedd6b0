import ArgumentParser
import Exports
import Foundation
import GLPKSolver
import IOPDomain
import Planner
import RosterSolver
import ScenarioFile

/// `iop plan --format text`: the weekly grid, one line per client, then the explanation.
struct PlanText {
    let scenario: Scenario
    let plan: Plan

    func render() -> String {
        var lines: [String] = []
        let solver = plan.solver
        let gap = solver.gap.map { String(format: "%.2f%%", $0 * 100) } ?? "-"
        lines.append(
            "\(scenario.program.name), week of \(scenario.program.weekOf): \(solver.status), gap \(gap), "
                + "\(String(format: "%.2f", solver.seconds)) s, \(solver.variables) variables, \(solver.constraints) constraints"
        )
        if !solver.stages.isEmpty { lines.append("Proven: " + solver.stages.map(\.proven).joined(separator: "; ")) }
        lines.append("")
        lines += grid()
        lines.append("")
        lines += clientLines()
        lines.append("")
        lines.append("Shortfalls (\(plan.shortfalls.count))")
        lines +=
            plan.shortfalls.isEmpty
            ? ["  none: every client reaches every target"] : plan.shortfalls.map { "  - \($0.message)" }
        if !plan.locksNotHeld.isEmpty {
            lines.append("")
            lines.append("Locks that cannot hold (\(plan.locksNotHeld.count)), planned without them")
            lines += plan.locksNotHeld.map { "  - \($0)" }
        }
        lines.append("")
        lines.append("Objective by family (tiers are solved in order; a weight trades only within its tier)")
        let familyWidth = (plan.objective.map(\.family.rawValue.count).max() ?? 0) + 2
        for cost in plan.objective {
            lines.append(
                "  tier \(cost.tier)  \(cost.family.rawValue.rightPadded(familyWidth))"
                    + "\(number(cost.amount)) \(cost.unit) x \(number(cost.weight)) = \(number(cost.cost))")
        }
        return lines.joined(separator: "\n")
    }

    private func grid() -> [String] {
        let days = scenario.program.days
        let blocks = scenario.program.blocks.sorted { $0.start < $1.start }
        let cells = Dictionary(grouping: plan.roster.sessions) { "\($0.day.rawValue)|\($0.block)" }
        let rendered: [[[String]]] = blocks.map { block in
            days.map { day in
                (cells["\(day.rawValue)|\(block.id)"] ?? []).sorted { ($0.group, $0.section) < ($1.group, $1.section) }
                    .map(cell)
            }
        }
        let width = max(14, rendered.flatMap { $0.flatMap { $0 } }.map(\.count).max() ?? 0)
        let labelWidth = 13
        func row(_ label: String, _ columns: [String]) -> String {
            label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
                + columns.map { "| " + $0.padding(toLength: width, withPad: " ", startingAt: 0) + " " }.joined()
        }
        var lines = [row("", days.map { "\($0.title) \(scenario.program.date(of: $0).description.dropFirst(5))" })]
        let rule =
            String(repeating: "-", count: labelWidth)
            + String(repeating: "+" + String(repeating: "-", count: width + 2), count: days.count)
        for (b, block) in blocks.enumerated() {
            lines.append(rule)
            let height = max(2, rendered[b].map(\.count).max() ?? 0)
            for line in 0..<height {
                let label = line == 0 ? block.id.rawValue : (line == 1 ? "\(block.start)-\(block.end)" : "")
                lines.append(row(label, rendered[b].map { line < $0.count ? $0[line] : "" }))
            }
        }
        return lines
    }

    private func cell(_ session: Session) -> String {
        let letter = session.id.split(separator: "-").last.map(String.init) ?? ""
        let capacity = min(
            scenario.program.rooms.first { $0.id == session.room }?.capacity ?? 0,
            scenario.group(session.group)?.capacity ?? 0)
        return
            "\(session.group) \(letter) \(session.facilitators.map(\.rawValue).joined(separator: "+")) \(session.room) \(session.members.count)/\(capacity)"
    }

    private func clientLines() -> [String] {
        let shortfalls = Dictionary(grouping: plan.shortfalls, by: \.client)
        var lines = ["Clients (\(plan.roster.clients.count))"]
        let idWidth = max(6, plan.roster.clients.map(\.client.rawValue.count).max() ?? 0)
        let rows = plan.roster.clients.compactMap {
            week -> (week: ClientWeek, client: Client, limits: String, days: String)? in
            guard let client = scenario.client(week.client) else { return nil }
            let hours = scenario.weeklyHours(of: client)
            return (
                week, client, "(min \(number(hours.lowerBound)), max \(number(hours.upperBound)))",
                "days \(week.days.map(\.title).joined(separator: " "))"
            )
        }
        // Columns as wide as their widest entry, so a two-digit minimum or a six-day week keeps them aligned.
        let limitsWidth = rows.map(\.limits.count).max() ?? 0
        let daysWidth = rows.map(\.days.count).max() ?? 0
        for (week, client, limits, days) in rows {
            let planText = client.plan.sorted { $0.key < $1.key }.map {
                "\($0.key) \(week.groups[$0.key.rawValue] ?? 0)/\($0.value)"
            }
            let flags = Set((shortfalls[week.client] ?? []).map(\.rule.rawValue)).sorted()
            lines.append(
                "  " + week.client.rawValue.rightPadded(idWidth)
                    + "  \(number(week.hours).leftPadded(4)) h \(limits.rightPadded(limitsWidth))"
                    + "  \(days.rightPadded(daysWidth))  billable \(week.billableDays)"
                    + (planText.isEmpty ? "" : "  plan \(planText.joined(separator: ", "))")
                    + (flags.isEmpty ? "" : "  SHORT: \(flags.joined(separator: ", "))"))
        }
        return lines
    }
}

/// `iop plan --format json`: the ``Plan`` as documented in the README.
enum PlanJSON {
    static func render(_ plan: Plan) throws -> String {
        String(decoding: try Roster.encoder().encode(plan), as: UTF8.self)
    }
}

/// `iop plan --format csv` and `iop roster show --format csv`: one row per client per session.
struct RosterCSV {
    let roster: Roster

    func render() -> String {
        CSVTable(
            header: [
                "client", "date", "day", "block", "start", "end", "group", "section", "session_id", "room",
                "facilitators",
            ],
            rows: roster.sessions.flatMap { session in
                session.members.map { member in
                    [
                        member.rawValue, session.date.description, session.day.rawValue, session.block.rawValue,
                        session.start.description, session.end.description, session.group.rawValue,
                        String(session.section), session.id, session.room.rawValue,
                        session.facilitators.map(\.rawValue).joined(separator: ";"),
                    ]
                }
            }
        ).render()
    }
}

/// A value to two decimals, without trailing zeros.
func number(_ value: Double) -> String { ((value * 100).rounded() / 100).compact }

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
    func rightPadded(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}

/// The text part of `iop replan`: events, changes, messages.
struct ReplanText {
    let result: Replan
    /// A what-if sends nothing; it says what it would send.
    var hypothetical = false

    func render() -> String {
        var lines: [String] = []
        if !result.events.isEmpty {
            lines = ["Events (\(result.events.count))"] + result.events.map { "  - \($0)" } + [""]
        }
        let published = result.changes.filter(\.published)
        let later = result.changes.filter { !$0.published }
        lines.append("Changes (\(result.changes.count); \(published.count) in the published window)")
        lines +=
            result.changes.isEmpty
            ? ["  none: the published roster stands"] : (published + later).map { "  - \($0.message)" }
        if !result.plan.locksNotHeld.isEmpty {
            lines.append("")
            lines.append("Locks that cannot hold (\(result.plan.locksNotHeld.count)), re-planned without them")
            lines += result.plan.locksNotHeld.map { "  - \($0)" }
        }
        lines.append("")
        lines.append("\(hypothetical ? "Messages it would send" : "Messages to send now") (\(result.messages.count))")
        lines += result.messages.isEmpty ? ["  none"] : result.messages.map { "  \($0.to): \($0.text)" }
        return lines.joined(separator: "\n")
    }
}

/// `iop whatif`: what breaks, the repair, the cost against today.
struct WhatIfText {
    let today: Replan
    let result: Replan
    let roster: Roster

    func render() -> String {
        var lines = ["What if: " + (result.events.isEmpty ? "nothing changes" : result.events.joined(separator: "; "))]
        let absent = result.scenario.facilitators.filter { facilitator in
            facilitator.absences.count > (today.scenario.facilitator(facilitator.id)?.absences.count ?? 0)
        }
        let uncovered = roster.sessions.filter { session in
            session.facilitators.contains { id in
                absent.first { $0.id == id }?.absences.last.map { $0.covers(session.date, session.block) } ?? false
            }
        }
        lines.append("")
        lines.append("Sessions that lose their facilitator (\(uncovered.count))")
        lines +=
            uncovered.isEmpty
            ? ["  none"]
            : uncovered.map {
                "  - \($0.id) (\($0.facilitators.map(\.rawValue).joined(separator: "+")), \($0.members.count) clients)"
            }
        lines.append("")
        lines.append(ReplanText(result: result, hypothetical: true).render())
        lines.append("")
        lines.append("Cost against today's roster")
        for family in [Family.weeklyHours, .billableDay, .minimumDays, .treatmentPlan] {
            let before = today.plan.objective.first { $0.family == family }?.amount ?? 0
            let after = result.plan.objective.first { $0.family == family }?.amount ?? 0
            lines.append(
                "  \(family.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \(number(before)) -> \(number(after)) \(family.unit) short"
            )
        }
        let newShort = result.plan.shortfalls.filter { shortfall in !today.plan.shortfalls.contains(shortfall) }
        lines.append("")
        lines.append("New shortfalls (\(newShort.count))")
        lines += newShort.isEmpty ? ["  none"] : newShort.map { "  - \($0.message)" }
        return lines.joined(separator: "\n")
    }
}
