import Foundation
import IOPDomain

/// The program's wall clock: a day and a time of the week as a moment, in the program's
/// time zone (`program.timezone`; UTC when it is not set).
struct ProgramClock: Sendable {
    let timeZone: TimeZone

    init(_ program: Program) {
        timeZone = program.timeZone.flatMap(TimeZone.init(identifier:)) ?? .gmt
    }

    /// The moment of `time` on `date`.
    func moment(_ date: LocalDate, _ time: ClockTime) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(
            year: date.year, month: date.month, day: date.day, hour: time.minutes / 60, minute: time.minutes % 60)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }

    /// `date` in UTC as `format` (a `DateFormatter` pattern).
    static func utc(_ date: Date, _ format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .gmt
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    /// A lower-case name of letters, digits and dashes, for identifiers: `Riverbend IOP` is `riverbend-iop`.
    static func slug(_ name: String) -> String {
        String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}
