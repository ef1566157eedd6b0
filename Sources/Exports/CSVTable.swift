import CSV
import Foundation

/// A table written as CSV: a header row, then one row per record, fields quoted where they
/// hold a comma, a quote or a line break (RFC 4180, by CSV.swift's writer), lines ended by
/// LF, no line break after the last row.
public struct CSVTable: Sendable, Equatable {
    public let header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    public func render() -> String {
        let stream = OutputStream(toMemory: ())
        // Writing to memory fails only when the stream cannot be opened, which a memory stream always can.
        guard let writer = try? CSVWriter(stream: stream) else { return "" }
        for row in [header] + rows { try? writer.write(row: row) }
        writer.stream.close()
        let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
