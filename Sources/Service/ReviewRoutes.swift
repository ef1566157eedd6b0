import Foundation
import Hummingbird
import IOPDomain
import OperationsRecord
import UseCases

/// The routes that change authorizations and checklists: review decisions, appeal packets,
/// discharge checklists and payer policies. Bodies are JSON with snake_case keys; client
/// IDs travel only in bodies.
extension Routes {
    /// A concurrent-review decision: `approved` through a date, `denied` (an appeal opens
    /// and the peer-to-peer call is booked), or `step_down` with new weekly hours and level,
    /// or without hours to leave IOP.
    struct DecisionRequest: Decodable {
        enum Outcome: String, Decodable {
            case approved, denied
            case stepDown = "step_down"
        }
        let number: String
        let on: String
        let outcome: Outcome
        var through: String? = nil
        var minHours: Double? = nil
        var maxHours: Double? = nil
        var level: String? = nil
        var appealDays: Int? = nil
        var note: String? = nil

        /// The decision's day and outcome, or 422 with every problem found.
        func resolved() throws -> (day: LocalDate, outcome: ReviewOutcome) {
            var problems: [String] = []
            let day = LocalDate(iso: on)
            if day == nil { problems.append("on: expected a date, YYYY-MM-DD; found '\(on)'") }
            let resolved: ReviewOutcome?
            switch outcome {
            case .approved:
                let end = through.flatMap(LocalDate.init(iso:))
                if end == nil { problems.append("through: an approval needs the new end date, YYYY-MM-DD") }
                resolved = end.map { .approved(through: $0) }
            case .denied:
                resolved = .denied
            case .stepDown:
                let care = level.map { LevelOfCare(rawValue: $0.uppercased()) } ?? .op
                if care == nil { problems.append("level: expected PHP, IOP or OP; found '\(level ?? "")'") }
                switch (minHours, maxHours) {
                case (nil, nil): resolved = .stepDown(hours: nil, level: care ?? .op)
                case (let low?, let high?):
                    resolved = .stepDown(hours: low...max(low, high), level: care ?? .op)
                    if low < 0 || high > 168 { problems.append("min_hours and max_hours: must be from 0 to 168 hours") }
                    if low > high { problems.append("min_hours: must be at most max_hours") }
                default:
                    resolved = nil
                    problems.append("min_hours and max_hours: give both, or neither to leave IOP")
                }
            }
            if let days = appealDays, !(1...Payers.maximumDays).contains(days) {
                problems.append("appeal_days: must be a number of days from 1 to \(Payers.maximumDays)")
            }
            guard problems.isEmpty, let day, let resolved else {
                throw APIError(
                    .unprocessableContent, "the decision does not hold; nothing was logged", problems: problems)
            }
            return (day, resolved)
        }
    }

    private struct DecisionBody: Encodable {
        let number: String
        let on: LocalDate
        let outcome: String
        let appealDue: LocalDate?
        let peerToPeer: String?
        /// Why a denial's peer-to-peer call is still to be placed.
        let unplaced: String?
    }

    @Sendable func decide(_ request: Request, context: ServiceContext) async throws -> Response {
        let login = try require(.changeWeek, context)
        let asked = try await Self.body(DecisionRequest.self, request, context)
        let decision = try await desk.decide(asked, by: login.name, from: context.address)
        return try jsonResponse(
            DecisionBody(
                number: decision.number, on: decision.on, outcome: asked.outcome.rawValue,
                appealDue: decision.appealDue, peerToPeer: decision.peerToPeer?.description,
                unplaced: decision.unplaced?.description))
    }

    private struct AppealItemRequest: Decodable {
        let number: String
        let item: String
    }

    /// Marks a packet item of an open appeal done; answers the open appeals as they now stand.
    @Sendable func completeAppealItem(_ request: Request, context: ServiceContext) async throws -> Response {
        let login = try require(.changeWeek, context)
        let asked = try await Self.body(AppealItemRequest.self, request, context)
        let appeals = try await desk.completeAppealItem(
            asked.item, of: asked.number, by: login.name, from: context.address)
        return try jsonResponse(appeals)
    }

    private struct DischargeItemRequest: Decodable {
        let client: String
        let item: String
        let on: String
    }

    /// Marks a client's discharge checklist item done on `on`; answers the open items as of then.
    @Sendable func completeDischargeItem(_ request: Request, context: ServiceContext) async throws -> Response {
        let login = try require(.changeWeek, context)
        let asked = try await Self.body(DischargeItemRequest.self, request, context)
        guard let day = LocalDate(iso: asked.on) else {
            throw APIError(
                .unprocessableContent, "nothing was marked",
                problems: ["on: expected a date, YYYY-MM-DD; found '\(asked.on)'"])
        }
        let checklist = try await desk.completeDischargeItem(
            asked.item, of: ClientID(asked.client), on: day, by: login.name, from: context.address)
        return try jsonResponse(checklist)
    }

    private struct PayerBody: Encodable {
        let payer: String
        let reviewEveryDays: Int
        let appealDays: Int
        let procedureCode: String
        let revenueCode: String
        let dayMinHours: Double
        let minDays: Int

        init(_ policy: PayerPolicy) {
            (payer, reviewEveryDays, appealDays) = (policy.payer, policy.reviewEveryDays, policy.appealDays)
            (procedureCode, revenueCode) = (policy.perDiem.procedureCode, policy.perDiem.revenueCode)
            dayMinHours = Double(policy.perDiem.dayMinimumMinutes) / 60
            minDays = policy.perDiem.minimumDays
        }
    }

    private struct PayerRequest: Decodable {
        let payer: String
        /// Adds a payer the record does not know yet.
        let new: Bool?
        let reviewEveryDays: Int?
        let appealDays: Int?
        let procedureCode: String?
        let revenueCode: String?
        let dayMinHours: Double?
        let minDays: Int?
    }

    /// Every payer's policy.
    @Sendable func payers(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        let store = self.desk.store
        return try jsonResponse(try await ProgramDesk.offThread { try Payers.all(in: store) }.map(PayerBody.init))
    }

    /// Changes one payer's policy (or, with `new`, adds one); answers it as kept.
    @Sendable func changePayer(_ request: Request, context: ServiceContext) async throws -> Response {
        let login = try require(.changeWeek, context)
        let asked = try await Self.body(PayerRequest.self, request, context)
        let change = PayerChange(
            reviewEveryDays: asked.reviewEveryDays, appealDays: asked.appealDays, procedureCode: asked.procedureCode,
            revenueCode: asked.revenueCode, dayMinHours: asked.dayMinHours, minDays: asked.minDays)
        let store = self.desk.store
        let policy = try await ProgramDesk.offThread {
            try Payers.change(asked.payer, change, adding: asked.new ?? false, in: store)
        }
        try audit(
            login.name, asked.new == true ? "add payer" : "payer",
            "\(policy.payer): reviews every \(policy.reviewEveryDays) d, appeals within \(policy.appealDays) d, "
                + "\(policy.perDiem.procedureCode)/\(policy.perDiem.revenueCode), billable day "
                + "\(policy.perDiem.dayMinimumMinutes) min, \(policy.perDiem.minimumDays) days a week", context)
        return try jsonResponse(PayerBody(policy))
    }

    /// The request's JSON body (snake_case keys) as `T`, or 400 naming the key that does not read.
    static func body<T: Decodable>(_ type: T.Type, _ request: Request, _ context: ServiceContext) async throws -> T {
        let bytes = try await request.body.collect(upTo: context.maxUploadSize)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(T.self, from: Data(buffer: bytes))
        } catch let error as DecodingError {
            throw APIError(.badRequest, "the body does not read as JSON of this request: \(Self.explain(error))")
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty
                ? "the body" : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
