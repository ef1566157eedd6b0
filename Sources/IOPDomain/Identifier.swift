/// A typed ID: a client ID cannot be passed where a group ID is expected.
public struct Identifier<Tag>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

public typealias ClientID = Identifier<Client>
public typealias FacilitatorID = Identifier<Facilitator>
public typealias GroupID = Identifier<Group>
public typealias RoomID = Identifier<Room>
public typealias BlockID = Identifier<Block>
public typealias TrackID = Identifier<Track>

/// Credential names such as `licensed` or `dbt-trained`.
public typealias Credential = String
