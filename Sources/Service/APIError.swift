import Foundation
import HTTPTypes
import Hummingbird
import IOPDomain
import UseCases

/// An error answered as `{"error": message, "problems": [...]}` with its status.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    var problems: [String] = []

    /// The most problems listed; more are counted in a last line.
    static let listed = 100

    init(_ status: HTTPResponse.Status, _ message: String, problems: [String] = []) {
        self.status = status
        self.message = message
        self.problems =
            problems.count > Self.listed
            ? problems.prefix(Self.listed) + ["and \(problems.count - Self.listed) more"] : problems
    }

    /// A use case's refusal: 409 when the record moved on or stayed busy, 422 for input or a
    /// roster that does not fit, 404 when there is nothing yet to show, 503 when the solve
    /// found no roster or the record's server cannot be reached, 500 otherwise.
    init(_ error: UseCaseError) {
        switch error {
        case .record(let record):
            switch record {
            case .busy, .outdated, .superseded: self.init(.conflict, record.description)
            case .unknownVersion, .unknownEvent, .unknownAuthorization, .unknownItem:
                self.init(.unprocessableContent, record.description)
            case .missing, .exists, .cannotCreate, .database:
                self.init(.internalServerError, "the record cannot be used")
            case .unreachable: self.init(.serviceUnavailable, "the record's database cannot be reached; try again")
            }
        case .invalid(let issues):
            self.init(
                .unprocessableContent, "\(issues.issues.count) problem\(issues.issues.count == 1 ? "" : "s")",
                problems: issues.issues.map(\.description))
        case .badRows(let errors):
            self.init(
                .unprocessableContent,
                "\(errors.problems.count) bad row\(errors.problems.count == 1 ? "" : "s"); nothing was recorded",
                problems: errors.problems.map(\.description))
        case .rejected(let problems):
            self.init(
                .unprocessableContent,
                "\(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was changed",
                problems: problems)
        case .unknownPayer: self.init(.unprocessableContent, error.description + "; send new: true to add it")
        case .violations(_, let violations):
            self.init(.unprocessableContent, "the roster breaks hard rules; nothing was stored", problems: violations)
        case .noPublishedRoster: self.init(.notFound, error.description)
        case .noRoster: self.init(.serviceUnavailable, error.description)
        case .storedEventsNoLongerFit, .noWeekScenario, .planning, .recordUnusable:
            self.init(.internalServerError, error.description)
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: JSONValue] = ["error": .text(message)]
        if !problems.isEmpty { body["problems"] = .list(problems.map(JSONValue.text)) }
        return try jsonResponse(body, status: status)
    }
}

/// A small JSON value for error bodies.
enum JSONValue: Encodable {
    case text(String)
    case list([JSONValue])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .list(let items): try container.encode(items)
        }
    }
}

/// `value` as a JSON response, keys sorted and snake-cased as the command line writes them.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = Roster.encoder()
    var headers = HTTPFields()
    headers[.contentType] = "application/json; charset=utf-8"
    headers[.cacheControl] = "no-store"
    return Response(
        status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(value))))
}
