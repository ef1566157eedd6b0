import IOPDomain

/// Finds every client below a target in a roster and says why, in a coordinator's words:
/// "c-1042 is 1.5 h short of 9 h: available only Mon, Wed; Wed am2 dbt is full (12/12)".
struct Explainer {
    let index: WeekIndex
    let roster: Roster
    /// Tiers whose stage stopped before proving its best: their shortfalls are not shown
    /// to be unavoidable, and say so.
    var unproven: Set<Int> = []

    private var scenario: Scenario { index.scenario }
    private static let maxListed = 4

    /// A reason and how it bears on the shortfall; reasons are shown in this order.
    private enum Bearing: Int, Comparable {
        /// No roster could do better: the client's own limits hold them below the target.
        case proof
        /// Lifted alone, holding the rest of the roster, it lets the client reach the target.
        case decisive
        /// A limit of the client's that narrows their choices.
        case limit
        /// Something else in the way, which alone is not enough to close the gap.
        case contributing

        static func < (a: Bearing, b: Bearing) -> Bool { a.rawValue < b.rawValue }
    }

    private struct Reason {
        let bearing: Bearing
        let text: String
    }

    /// Shortfalls against what clients attended: past sessions count the minutes recorded.
    func shortfalls() -> [Shortfall] {
        let attended = ClientTotals.weeks(of: scenario, sessions: roster.sessions, history: index.history)
        let weeks = Dictionary(uniqueKeysWithValues: attended.map { ($0.client, $0) })
        var result: [Shortfall] = []
        for (c, client) in scenario.clients.enumerated() {
            guard let week = weeks[client.id] else { continue }
            let finder = SlotBlockers(
                index: index, roster: roster, client: c, hours: week.hours, keptApart: keptApart(from: client.id))
            let mine = roster.sessions.filter { $0.members.contains(client.id) }
            result += pinsNotHeld(c, finder)
            let hours = scenario.weeklyHours(of: client)
            if week.hours < hours.lowerBound - 1e-9 {
                let reasons =
                    mostDaysHours(c) + limits(c)
                    + blockers(finder, slots: index.slotsByClient[c]) { slot, displaced in
                        week.hours - self.hours(displaced) + slot.block.hours >= hours.lowerBound - 1e-9
                    }
                result.append(
                    shortfall(
                        client.id, .weeklyHours, target: hours.lowerBound, scheduled: week.hours, unit: .hours,
                        reasons: reasons,
                        summary:
                            "\(client.id) is \((hours.lowerBound - week.hours).text) h short of \(hours.lowerBound.text) h this week"
                    ))
            }
            let dayMinimum = scenario.billableDayMinHours(of: client)
            for day in week.days {
                let dayHours = minutes(of: client.id, on: day) / 60
                if dayHours < dayMinimum - 1e-9 {
                    let slots = index.slotsByClient[c].filter { index.slots[$0].day == day }
                    let reasons =
                        dayLimits(c, day, minimum: dayMinimum)
                        + blockers(finder, slots: slots) { slot, displaced in
                            dayHours - self.hours(displaced) + slot.block.hours >= dayMinimum - 1e-9
                        }
                    result.append(
                        shortfall(
                            client.id, .billableDay, target: dayMinimum, scheduled: dayHours, unit: .hours, day: day,
                            reasons: reasons,
                            summary:
                                "\(client.id) has \(dayHours.text) h on \(day.title), \((dayMinimum - dayHours).text) h short of a \(dayMinimum.text) h billable day"
                        ))
                }
            }
            let minimumDays = scenario.minDaysPerWeek(of: client)
            if week.days.count < minimumDays {
                let reasons =
                    billableDays(c, needed: minimumDays) + mostDays(client, below: minimumDays) + limits(c)
                    + blockers(finder, slots: index.slotsByClient[c]) { slot, displaced in
                        Set(mine.filter { !displaced.contains($0) }.map(\.day) + [slot.day]).count >= minimumDays
                    }
                result.append(
                    shortfall(
                        client.id, .minimumDays, target: Double(minimumDays), scheduled: Double(week.days.count),
                        unit: .days, reasons: reasons,
                        summary:
                            "\(client.id) attends \(week.days.count) day\(week.days.count == 1 ? "" : "s"), short of \(minimumDays) a week"
                    ))
            }
            for (group, count) in client.plan.sorted(by: { $0.key < $1.key }) where count > 0 {
                let scheduled = week.groups[group.rawValue] ?? 0
                guard scheduled < count else { continue }
                let slots = index.slots.filter { $0.group.id == group }.map(\.index)
                var reasons: [Reason] = []
                let unreachable = slots.filter { !index.slotsByClient[c].contains($0) }.map { index.slots[$0] }
                if slots.isEmpty {
                    reasons.append(Reason(bearing: .proof, text: "\(group) is not offered this week"))
                } else if slots.count + pastSessions(c, of: group) < count {
                    let times = slots.count + pastSessions(c, of: group)
                    reasons.append(
                        Reason(
                            bearing: .proof,
                            text: "\(group) is offered \(times == 1 ? "once" : "only \(times) times") this week"))
                } else if case let most = mostSessions(c, of: group), most.count < count, let why = most.why {
                    reasons.append(
                        Reason(
                            bearing: .proof,
                            text:
                                "\(client.id) can attend at most \(most.count) \(group) session\(most.count == 1 ? "" : "s") this week (\(why))"
                        ))
                }
                if !slots.isEmpty, !unreachable.isEmpty {
                    let bearing: Bearing = slots.count - unreachable.count < count ? .proof : .limit
                    reasons.append(
                        Reason(
                            bearing: bearing,
                            text:
                                "cannot attend \(group) on \(unreachable.map { "\($0.day.title) \($0.block.id)" }.joined(separator: ", ")): \(whyIneligible(client, unreachable[0]))"
                        ))
                }
                reasons += blockers(finder, slots: slots.filter { index.slotsByClient[c].contains($0) }) {
                    _, displaced in
                    scheduled - displaced.filter { $0.group == group }.count + 1 >= count
                }
                result.append(
                    shortfall(
                        client.id, .treatmentPlan, target: Double(count), scheduled: Double(scheduled),
                        unit: .sessions,
                        group: group, reasons: reasons,
                        summary: "\(client.id) gets \(scheduled) of \(count) \(group) sessions"))
            }
        }
        return result
    }

    /// The client's pins the roster does not hold, each with why: the time is not in the
    /// week, the client may not attend it, or what kept them out of it.
    private func pinsNotHeld(_ c: Int, _ finder: SlotBlockers) -> [Shortfall] {
        let client = scenario.clients[c]
        return client.pinned.compactMap { pin in
            let held = roster.sessions.contains {
                $0.group == pin.group && $0.day == pin.day && $0.block == pin.block && $0.members.contains(client.id)
            }
            guard !held else { return nil }
            let reasons: [Reason]
            if let slot = index.slots.first(where: {
                $0.group.id == pin.group && $0.day == pin.day && $0.block.id == pin.block
            }) {
                reasons =
                    index.slotsByClient[c].contains(slot.index)
                    ? blockers(finder, slots: [slot.index]) { _, _ in true }
                    : [Reason(bearing: .proof, text: "cannot attend it: \(whyIneligible(client, slot))")]
            } else {
                reasons = [Reason(bearing: .proof, text: "\(pin.group) is not offered then")]
            }
            return shortfall(
                client.id, .pinned, target: 1, scheduled: 0, unit: .sessions, day: pin.day, group: pin.group,
                reasons: reasons, summary: "\(client.id) is not in \(pin) as pinned")
        }
    }

    /// The shortfall with its reasons in order of bearing (each kind keeps its own order),
    /// the first few listed.
    private func shortfall(
        _ client: ClientID, _ rule: Shortfall.Rule, target: Double, scheduled: Double, unit: Measure,
        day: Weekday? = nil, group: GroupID? = nil, reasons: [Reason], summary: String
    ) -> Shortfall {
        var unique: [String] = []
        let ordered = reasons.enumerated().sorted { ($0.element.bearing, $0.offset) < ($1.element.bearing, $1.offset) }
            .map(\.element.text)
        for reason in ordered where !unique.contains(reason) { unique.append(reason) }
        let listed =
            Array(unique.prefix(Self.maxListed))
            + (unique.count > Self.maxListed ? ["\(unique.count - Self.maxListed) more"] : [])
        let stopped = unproven.contains(rule.tier)
        let message =
            summary + (stopped ? " (not shown to be unavoidable: the search stopped before proving it)" : "")
            + (listed.isEmpty ? "" : ": " + listed.joined(separator: "; "))
        return Shortfall(
            client: client, rule: rule, target: target, scheduled: scheduled, unit: unit, day: day, group: group,
            reasons: listed, searchStopped: stopped, message: message)
    }

    // MARK: What limits the client before any contention

    /// Enrolment, authorization and availability limits: the most the client could attend
    /// given them (a proof when below the target), then each limit that narrows the week.
    private func limits(_ c: Int) -> [Reason] {
        let client = scenario.clients[c]
        let program = scenario.program
        var reasons: [Reason] = []
        let reachable = reachableMinutes(c)
        let target = scenario.weeklyHours(of: client).lowerBound * 60
        if Double(reachable) < target {
            let cap = scenario.maxHoursPerDay(of: client).flatMap {
                reachableMinutes(c, capped: false) > reachable ? $0 : nil
            }
            reasons.append(
                Reason(
                    bearing: .proof,
                    text: "eligible groups add up to at most \((Double(reachable) / 60).text) h this week"
                        + (cap.map { ", at most \($0.text) h a day" } ?? "")))
        }
        var narrowing: [String] = []
        let first = program.date(of: program.days.first ?? .mon)
        let last = program.date(of: program.days.last ?? .fri)
        if let admitted = client.admitted, admitted > first {
            narrowing.append("admitted \(admitted.weekday.title) \(admitted)")
        }
        if let discharge = client.dischargePlanned, discharge < last {
            narrowing.append("discharged \(discharge.weekday.title) \(discharge)")
        }
        if let authorization = client.authorization {
            if authorization.from > first {
                narrowing.append("authorization \(authorization.number) starts \(authorization.from)")
            }
            if authorization.to < last {
                narrowing.append("authorization \(authorization.number) ends \(authorization.to)")
            }
        }
        let availableDays = program.days.filter { day in program.blocks.contains { client.available.allows(day, $0.id) }
        }
        if availableDays.count < program.days.count {
            narrowing.append(
                availableDays.isEmpty
                    ? "not available on any program day"
                    : "available only \(availableDays.map(\.title).joined(separator: ", "))")
        }
        let absentDays = program.days.filter { day in
            program.blocks.contains { client.isAbsent(on: program.date(of: day), $0.id) }
        }
        if !absentDays.isEmpty { narrowing.append("absent \(absentDays.map(\.title).joined(separator: ", "))") }
        return reasons + narrowing.map { Reason(bearing: .limit, text: $0) }
    }

    /// The sessions of the group the client already attended, when re-planning.
    private func pastSessions(_ c: Int, of group: GroupID) -> Int {
        index.history.sessions.filter { $0.group == group && $0.members.contains(scenario.clients[c].id) }.count
    }

    /// The most sessions of the group the client could attend: those attended, and the
    /// runnable slots to come they may attend, one a day when the group says so, else as
    /// many as do not overlap; with what cut the count (once a day, one at a time), if anything.
    private func mostSessions(_ c: Int, of group: GroupID) -> (count: Int, why: String?) {
        let slots = index.slotsByClient[c].map { index.slots[$0] }.filter {
            $0.group.id == group && index.whyClosed($0) == nil
        }
        let onceADay = scenario.group(group)?.onceADay ?? true
        var count = pastSessions(c, of: group)
        var why: String?
        for day in Set(slots.map(\.day)) {
            let today = slots.filter { $0.day == day }.map(\.block).sorted { $0.end < $1.end }
            var apart = 0
            var end: ClockTime?
            for block in today where end.map({ block.start >= $0 }) ?? true {
                apart += 1
                end = block.end
            }
            let most = onceADay ? min(1, apart) : apart
            if most < today.count { why = onceADay && apart > 1 ? "once a day" : "one at a time" }
            count += most
        }
        return (count, why)
    }

    /// The most days a week, when the best that many days hold less than the weekly minimum.
    private func mostDaysHours(_ c: Int) -> [Reason] {
        let client = scenario.clients[c]
        guard let most = scenario.maxDaysPerWeek(of: client), most < scenario.program.days.count else { return [] }
        let byDay = scenario.program.days.map { reachableMinutes(c, on: $0) }
        let best = byDay.sorted(by: >).prefix(most).reduce(0, +)
        guard Double(best) < scenario.weeklyHours(of: client).lowerBound * 60, byDay.reduce(0, +) > best else {
            return []
        }
        return [
            Reason(
                bearing: .proof,
                text:
                    "attends at most \(most) day\(most == 1 ? "" : "s") a week, which hold at most \((Double(best) / 60).text) h"
            )
        ]
    }

    /// The most days a week, when it is below the minimum days.
    private func mostDays(_ client: Client, below minimum: Int) -> [Reason] {
        guard let most = scenario.maxDaysPerWeek(of: client), most < minimum else { return [] }
        return [Reason(bearing: .proof, text: "may attend at most \(most) day\(most == 1 ? "" : "s") a week")]
    }

    /// When fewer of the client's days than needed can reach the billable minimum at all,
    /// how many can: a day short of it costs more than a day not attended.
    private func billableDays(_ c: Int, needed: Int) -> [Reason] {
        let client = scenario.clients[c]
        let minimum = scenario.billableDayMinHours(of: client)
        let most = scenario.program.days.map { reachableMinutes(c, on: $0) }
        let reaching = most.filter { Double($0) >= minimum * 60 - 1e-9 }.count
        guard reaching < needed, let best = most.max(), best > 0 else { return [] }
        let days = reaching == 0 ? "no day" : "only \(reaching) day\(reaching == 1 ? "" : "s")"
        return [
            Reason(
                bearing: .proof,
                text:
                    "\(days) \(client.id) can attend reaches the \(minimum.text) h billable day (at most \((Double(best) / 60).text) h)"
            )
        ]
    }

    /// What limits the client's hours on one day: the most the runnable groups they may
    /// attend that day add up to, when that is below the billable minimum, and the
    /// availability or absence that cuts the day.
    private func dayLimits(_ c: Int, _ day: Weekday, minimum: Double) -> [Reason] {
        let client = scenario.clients[c]
        let reachable = Double(reachableMinutes(c, on: day)) / 60
        guard reachable < minimum - 1e-9 else { return [] }
        if let cap = scenario.maxHoursPerDay(of: client),
            Double(reachableMinutes(c, on: day, capped: false)) / 60 >= minimum - 1e-9
        {
            return [Reason(bearing: .proof, text: "\(client.id) attends at most \(cap.text) h a day")]
        }
        var reasons = [
            Reason(
                bearing: .proof,
                text: "the groups \(client.id) can attend on \(day.title) add up to at most \(reachable.text) h")
        ]
        let date = scenario.program.date(of: day)
        let absent = scenario.program.blocks.filter { client.isAbsent(on: date, $0.id) }.map(\.id.rawValue)
        let unavailable = scenario.program.blocks.filter { !client.available.allows(day, $0.id) }.map(\.id.rawValue)
        if !absent.isEmpty {
            reasons.append(Reason(bearing: .proof, text: "absent \(day.title) \(absent.joined(separator: ", "))"))
        }
        if !unavailable.isEmpty {
            reasons.append(
                Reason(bearing: .proof, text: "not available \(day.title) \(unavailable.joined(separator: ", "))"))
        }
        return reasons
    }

    /// The most minutes the client could attend: those already attended when re-planning,
    /// and in runnable slots still to come that they are eligible for, one session at a
    /// time (weighted interval scheduling per day), within their daily hours unless not `capped`.
    private func reachableMinutes(_ c: Int, on only: Weekday? = nil, capped: Bool = true) -> Int {
        let slots = index.slotsByClient[c].map { index.slots[$0] }.filter {
            index.whyClosed($0) == nil && (only == nil || $0.day == only)
        }
        let id = scenario.clients[c].id
        let cap = capped ? scenario.maxHoursPerDay(of: scenario.clients[c]).map { Int(($0 * 60).rounded(.down)) } : nil
        var total = 0
        for day in Set(slots.map(\.day)) {
            let blocks = Set(slots.filter { $0.day == day }.map(\.block)).sorted { $0.end < $1.end }
            var best = [Int](repeating: 0, count: blocks.count + 1)
            for (i, block) in blocks.enumerated() {
                let previous = blocks.lastIndex { $0.end <= block.start }.map { $0 + 1 } ?? 0
                best[i + 1] = max(best[i], best[previous] + block.minutes)
            }
            total +=
                cap.map { min(best[blocks.count], max(0, $0 - index.history.minutes(of: id, on: day))) }
                ?? best[blocks.count]
        }
        return total + (only.map { index.history.minutes(of: id, on: $0) } ?? index.history.minutes(of: id))
    }

    // MARK: What stood in the way in the slots the client could attend

    /// Why the client is in none of these slots, one reason a slot: decisive when it is
    /// the slot's only obstacle and joining it (leaving the sessions it displaces) meets
    /// the target by `reaches`, else contributing; the most binding kinds first, then in
    /// calendar order.
    private func blockers(_ finder: SlotBlockers, slots: [Int], reaches: (Slot, [Session]) -> Bool) -> [Reason] {
        slots.map { index.slots[$0] }
            .sorted { ($0.date, $0.block.start) < ($1.date, $1.block.start) }
            .compactMap { slot -> (SlotBlockers.Cause, Reason)? in
                let obstacles = finder.obstacles(slot)
                guard let shown = obstacles.first else { return nil }
                let decisive = obstacles.count == 1 && reaches(slot, finder.displaced(by: slot))
                return (shown.cause, Reason(bearing: decisive ? .decisive : .contributing, text: shown.text))
            }
            .enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
            .map(\.element.1)
    }

    /// The hours of these sessions.
    private func hours(_ sessions: [Session]) -> Double {
        sessions.reduce(0) { $0 + (scenario.program.block($1.block)?.hours ?? 0) }
    }

    /// Everyone the client must not share a group with, whichever side declared it.
    private func keptApart(from id: ClientID) -> [ClientID] {
        scenario.clients.filter { $0.keepApart.contains(id) }.map(\.id) + (scenario.client(id)?.keepApart ?? [])
    }

    private func whyIneligible(_ client: Client, _ slot: Slot) -> String {
        if !slot.group.admits(client.track) { return "the group is not open to track \(client.track)" }
        if let admitted = client.admitted, slot.date < admitted { return "admitted \(admitted)" }
        if let discharge = client.dischargePlanned, slot.date > discharge { return "discharged \(discharge)" }
        if let authorization = client.authorization, slot.date < authorization.from || slot.date > authorization.to {
            return slot.date < authorization.from
                ? "authorization \(authorization.number) starts \(authorization.from)"
                : "authorization \(authorization.number) ends \(authorization.to)"
        }
        if client.isAbsent(on: slot.date, slot.block.id) { return "absent" }
        if let bar = client.bar(slot.group.id, slot.day, slot.block.id) {
            return "barred from \(bar) by the coordinator"
        }
        if client.needsAccessibleRoom && client.available.allows(slot.day, slot.block.id) {
            return "needs an accessible room, and none may host it"
        }
        return "not available then"
    }

    private func minutes(of client: ClientID, on day: Weekday) -> Double {
        Double(
            roster.sessions.filter { $0.day == day && $0.members.contains(client) }
                .compactMap { session in
                    scenario.program.block(session.block).map {
                        index.history.minutes(of: client, in: session, length: $0.minutes)
                    }
                }
                .reduce(0, +))
    }
}

extension Double {
    /// 1.5 -> "1.5", 9.0 -> "9".
    var text: String {
        let rounded = (self * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// The shortfalls of a roster given from outside the solver (a published version), each
/// with its reasons, against the week `scenario` describes.
public enum Shortfalls {
    public static func of(_ roster: Roster, in scenario: Scenario) -> [Shortfall] {
        Explainer(index: WeekIndex(scenario), roster: roster).shortfalls()
    }
}
