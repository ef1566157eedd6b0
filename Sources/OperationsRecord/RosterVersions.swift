import Foundation
import IOPDomain

/// How a roster version came to be.
public enum RosterOrigin: String, Sendable, CaseIterable {
    /// Stored from a file (`iop publish`).
    case stored
    /// Re-planned from the version it is based on, after events.
    case replanned
    /// The version it is based on with make-up sessions added.
    case madeUp = "made_up"
    /// A copy of the earlier version it is based on.
    case reverted
    /// The draft it is based on, published.
    case publishedDraft = "published_draft"
}

/// One stored roster: its number, status, how and when it was made, and the roster.
public struct RosterVersion: Sendable {
    public let version: Int64
    public let weekOf: LocalDate
    public let published: Bool
    public let savedAt: String
    /// The OS user who stored it, where known.
    public let savedBy: String?
    public let origin: RosterOrigin
    public let basedOn: Int64?
    /// How many stored events took effect with it: re-planned after, or kept before it (a
    /// census import, a pin) and taken up when it was published.
    public let events: Int
    /// The plan `iop week start` made for its week.
    public let startedWeek: Bool
    public let roster: Roster
}

extension RecordStore {
    /// Saves a roster as a new version; returns its version number. A roster re-planned
    /// from published version `based` is refused (``RecordError/outdated(based:latest:)``,
    /// nothing written) when a later version was published since.
    @discardableResult
    public func saveRoster(
        _ roster: Roster, published: Bool, replacing based: Int64? = nil, origin: RosterOrigin? = nil,
        by user: String? = nil, at moment: Date = Date()
    ) throws -> Int64 {
        let json = try Roster.encoder().encode(roster)
        return try write { db in
            try Self.insertRoster(
                json, weekOf: roster.weekOf, published: published,
                origin: origin ?? (based == nil ? .stored : .replanned),
                basedOn: based, expecting: based.map { .replanned(from: $0) } ?? .anything, by: user,
                at: ISO8601DateFormatter().string(from: moment), db)
        }
    }

    /// What a new version expects of the latest published one when it is written.
    enum Expectation {
        case anything
        /// Re-planned from this version, which must still be the latest.
        case replanned(from: Int64)
        /// The latest published version when the command began (nil: none), unchanged since.
        case latest(Int64?)
    }

    /// Inserts a version, refused with nothing written when `expectation` no longer holds; a
    /// published one takes up the events kept without a version.
    static func insertRoster(
        _ json: Data, weekOf: LocalDate, published: Bool, origin: RosterOrigin, basedOn: Int64?,
        expecting expectation: Expectation, by user: String?, at stamp: String, _ db: any SQLExecutor
    ) throws -> Int64 {
        let latest = try Int64.fetchOne(
            db, sql: "SELECT MAX(version) FROM roster WHERE status = 'published' AND week_of = ?",
            arguments: [weekOf.description])
        switch expectation {
        case .anything: break
        case .replanned(let based):
            if let latest, latest != based { throw RecordError.outdated(based: based, latest: latest) }
        case .latest(let expected):
            if let latest, latest != expected { throw RecordError.superseded(latest: latest) }
        }
        guard
            let version = try Int64.fetchOne(
                db,
                sql: """
                    INSERT INTO roster (week_of, status, saved_at, json, origin, based_on, saved_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING version
                    """,
                arguments: [
                    weekOf.description, published ? "published" : "draft", stamp, json, origin.rawValue, basedOn, user,
                ])
        else { throw RecordError.database("the new roster version got no number") }
        // Events kept before any re-plan (a census import) are in effect from this version on.
        if published {
            try db.execute(
                sql:
                    "UPDATE event SET roster_version = ? WHERE roster_version IS NULL AND withdraws IS NULL AND week_of IS NOT DISTINCT FROM ?",
                arguments: [version, weekOf.description])
        }
        return version
    }

    /// The latest published roster of the record's week, if any; `back` steps to earlier
    /// published versions (1 is the one clients were told before the latest).
    public func publishedRoster(back: Int = 0) throws -> (version: Int64, roster: Roster)? {
        try read { db in
            guard
                let row = try SQLRow.fetchOne(
                    db,
                    sql: """
                        SELECT version, json FROM roster WHERE status = 'published' AND week_of IS NOT DISTINCT FROM (SELECT week_of FROM program WHERE id = 1)
                        ORDER BY version DESC LIMIT 1 OFFSET ?
                        """, arguments: [back])
            else { return nil }
            let data: Data = row["json"]
            return (row["version"], try Roster.decoder().decode(Roster.self, from: data))
        }
    }

    /// Every stored version, oldest first.
    public func rosterVersions() throws -> [RosterVersion] {
        try read { db in try SQLRow.fetchAll(db, sql: Self.versionQuery + " ORDER BY version").map(Self.version) }
    }

    /// One stored version, or nil when the record has no such version.
    public func rosterVersion(_ number: Int64) throws -> RosterVersion? {
        try read { db in
            try SQLRow.fetchOne(db, sql: Self.versionQuery + " WHERE version = ?", arguments: [number]).map(
                Self.version)
        }
    }

    /// Publishes version `number` again as the next version: a draft becomes published, an
    /// earlier published version is reverted to. Only while `latest` is still the latest
    /// published version (nil: none is), else ``RecordError/superseded(latest:)`` and
    /// nothing written; ``RecordError/unknownVersion(_:)`` when there is no such version.
    @discardableResult
    public func republish(_ number: Int64, whileLatest latest: Int64?, by user: String?, at moment: Date = Date())
        throws -> Int64
    {
        try write { db in
            guard
                let row = try SQLRow.fetchOne(
                    db, sql: "SELECT status, week_of, json FROM roster WHERE version = ?", arguments: [number]),
                let week = LocalDate(iso: row["week_of"])
            else { throw RecordError.unknownVersion(number) }
            let origin: RosterOrigin = (row["status"] as String) == "draft" ? .publishedDraft : .reverted
            return try Self.insertRoster(
                row["json"], weekOf: week, published: true, origin: origin, basedOn: number,
                expecting: .latest(latest), by: user, at: ISO8601DateFormatter().string(from: moment), db)
        }
    }

    private static let versionQuery = """
        SELECT version, week_of, status, saved_at, saved_by, origin, based_on, json,
               (SELECT COUNT(*) FROM event WHERE event.roster_version = roster.version) AS events,
               EXISTS (SELECT 1 FROM week WHERE week.draft_version = roster.version) AS started
        FROM roster
        """

    private static func version(_ row: SQLRow) throws -> RosterVersion {
        let data: Data = row["json"]
        let roster = try Roster.decoder().decode(Roster.self, from: data)
        return RosterVersion(
            version: row["version"], weekOf: LocalDate(iso: row["week_of"]) ?? roster.weekOf,
            published: (row["status"] as String) == "published", savedAt: row["saved_at"], savedBy: row["saved_by"],
            origin: RosterOrigin(rawValue: row["origin"]) ?? .stored, basedOn: row["based_on"],
            events: row["events"], startedWeek: row["started"], roster: roster)
    }
}

extension RecordStore {
    /// The latest published version of the record's week, without reading its roster.
    public func latestPublishedVersion() throws -> Int64? {
        try read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT MAX(version) FROM roster WHERE status = 'published'
                    AND week_of IS NOT DISTINCT FROM (SELECT week_of FROM program WHERE id = 1)
                    """)
        }
    }
}
