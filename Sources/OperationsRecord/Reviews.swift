import IOPDomain

/// A payer's concurrent-review decision.
public enum ReviewOutcome: Sendable, Equatable {
    /// Continued stay approved through a new end date.
    case approved(through: LocalDate)
    /// Continued stay denied: the authorization ends on the decision date and an appeal opens.
    case denied
    /// Step down: with new weekly hours the client stays at the lower `level` and the
    /// targets change from the decision; without, the client leaves IOP and the
    /// authorization ends on the decision date.
    case stepDown(hours: ClosedRange<Double>?, level: LevelOfCare = .op)
}

/// An open appeal of a denial: its deadline and the packet still to assemble.
public struct Appeal: Sendable, Equatable, Encodable {
    public let number: String
    public let client: ClientID
    public let openedOn: LocalDate
    public let deadline: LocalDate
    /// Packet items not yet done.
    public let missing: [String]
    /// When the peer-to-peer call is placed, if it is.
    public let peerToPeer: String?
}

/// Finds the slot for a payer's peer-to-peer call: the first program block, from `from` to
/// `deadline`, when the treating clinician is available, not absent, and leads no session
/// at an overlapping time. Inside the planned week the roster's sessions count; after it,
/// the same weekday's sessions do, since the week's pattern repeats until re-planned.
public enum PeerToPeer {
    public static func firstFreeBlock(
        for clinician: FacilitatorID, scenario: Scenario, roster: Roster,
        from: LocalDate, deadline: LocalDate
    ) -> (date: LocalDate, block: Block)? {
        guard let facilitator = scenario.facilitator(clinician), from <= deadline else { return nil }
        let program = scenario.program
        let leading = roster.sessions.filter { $0.facilitators.contains(clinician) }
        let weekEnd = roster.weekOf.adding(days: 6)
        let blocks = program.blocks.sorted { $0.start < $1.start }
        for date in (0...from.days(to: deadline)).map(from.adding(days:)) where program.days.contains(date.weekday) {
            let sessions =
                date <= weekEnd
                ? leading.filter { $0.date == date } : leading.filter { $0.date.weekday == date.weekday }
            for block in blocks {
                guard facilitator.available.allows(date.weekday, block.id),
                    !facilitator.absences.contains(where: { $0.covers(date, block.id) })
                else { continue }
                let busy = sessions.contains { program.block($0.block).map { $0.overlaps(block) } ?? false }
                if !busy { return (date, block) }
            }
        }
        return nil
    }
}

extension RecordStore {
    /// What an appeal packet holds.
    public static let appealPacket = [
        "attendance report", "treatment plan", "clinical notes reference", "peer-to-peer call scheduled",
    ]

    /// Logs a decision on the authorization `number` and applies it: a new end date, a
    /// lower level of care with new weekly hours, or the end of the authorization. A denial
    /// opens an appeal due `appealDays` later (by default the payer's); `peerToPeer` places
    /// its call (see ``PeerToPeer``) and ticks that item.
    public func decide(
        _ number: String, on date: LocalDate, _ outcome: ReviewOutcome, appealDays: Int? = nil, note: String? = nil,
        peerToPeer: String? = nil
    ) throws {
        try write { db in
            guard
                let row = try SQLRow.fetchOne(
                    db, sql: "SELECT id, payer FROM \"authorization\" WHERE number = ?", arguments: [number])
            else {
                throw RecordError.unknownAuthorization(number)
            }
            let id: Int64 = row["id"]
            let appealDays =
                try appealDays ?? (Self.payerPolicy(row["payer"], db) ?? PayerPolicy(payer: row["payer"])).appealDays
            let (kind, end): (String, LocalDate?) =
                switch outcome {
                case .approved(let through): ("approved", through)
                case .denied: ("denied", date)
                case .stepDown(let hours, _): ("step_down", hours == nil ? date : nil)
                }
            var stepDown: (hours: ClosedRange<Double>, level: LevelOfCare)?
            if case .stepDown(let hours?, let level) = outcome { stepDown = (hours, level) }
            try db.execute(
                sql: """
                    INSERT INTO decision (authorization_id, decided_on, outcome, new_end, note, min_hours, max_hours, level_of_care)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, date.description, kind, end?.description, note, stepDown?.hours.lowerBound,
                    stepDown?.hours.upperBound, stepDown?.level.rawValue,
                ])
            if let end {
                try db.execute(
                    sql: "UPDATE \"authorization\" SET ends = ?, status = ? WHERE id = ?",
                    arguments: [end.description, kind == "approved" ? "active" : kind, id])
            }
            if let (hours, level) = stepDown {
                try db.execute(
                    sql:
                        "UPDATE client SET min_hours = ?, max_hours = ? WHERE id = (SELECT client_id FROM \"authorization\" WHERE id = ?)",
                    arguments: [hours.lowerBound, hours.upperBound, id])
                try db.execute(
                    sql: "UPDATE \"authorization\" SET level_of_care = ? WHERE id = ?", arguments: [level.rawValue, id])
            }
            if case .denied = outcome {
                guard
                    let appeal = try Int64.fetchOne(
                        db,
                        sql: """
                            INSERT INTO appeal (authorization_id, opened_on, deadline, status, peer_to_peer)
                            VALUES (?, ?, ?, 'open', ?) RETURNING id
                            """,
                        arguments: [id, date.description, date.adding(days: appealDays).description, peerToPeer])
                else { throw RecordError.database("the new appeal got no number") }
                for item in Self.appealPacket {
                    let done = peerToPeer != nil && item == "peer-to-peer call scheduled"
                    try db.execute(
                        sql: "INSERT INTO appeal_item (appeal_id, item, done) VALUES (?, ?, ?)",
                        arguments: [appeal, item, done])
                }
            }
        }
    }

    /// Marks a packet item of the open appeal on `number` as done.
    public func completeAppealItem(_ number: String, _ item: String) throws {
        try write { db in
            let marked = try db.execute(
                sql: """
                    UPDATE appeal_item SET done = TRUE WHERE item = ? AND appeal_id IN (
                        SELECT appeal.id FROM appeal JOIN "authorization" ON "authorization".id = appeal.authorization_id
                        WHERE "authorization".number = ? AND appeal.status = 'open')
                    """, arguments: [item, number])
            guard marked > 0 else {
                let known = try String.fetchAll(
                    db,
                    sql: """
                        SELECT item FROM appeal_item WHERE appeal_id IN (
                            SELECT appeal.id FROM appeal JOIN "authorization" ON "authorization".id = appeal.authorization_id
                            WHERE "authorization".number = ? AND appeal.status = 'open') ORDER BY rowid
                        """, arguments: [number])
                throw RecordError.unknownItem(client: number, item: item, known: known)
            }
        }
    }

    public func openAppeals() throws -> [Appeal] {
        try read { db in
            try SQLRow.fetchAll(
                db,
                sql: """
                    SELECT appeal.id, "authorization".number, "authorization".client_id, appeal.opened_on, appeal.deadline, appeal.peer_to_peer
                    FROM appeal JOIN "authorization" ON "authorization".id = appeal.authorization_id
                    WHERE appeal.status = 'open' ORDER BY appeal.deadline
                    """
            ).compactMap { row in
                guard let opened = LocalDate(iso: row["opened_on"]), let deadline = LocalDate(iso: row["deadline"])
                else { return nil }
                let missing = try String.fetchAll(
                    db, sql: "SELECT item FROM appeal_item WHERE appeal_id = ? AND NOT done ORDER BY rowid",
                    arguments: [row["id"] as Int64])
                return Appeal(
                    number: row["number"], client: ClientID(row["client_id"] as String), openedOn: opened,
                    deadline: deadline, missing: missing, peerToPeer: row["peer_to_peer"])
            }
        }
    }
}
