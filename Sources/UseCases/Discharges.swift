import IOPDomain
import OperationsRecord

/// Discharge and step-down checklists.
public enum Discharges {
    /// The open checklist items as of `today`: those overdue, and those due from today on.
    public static func checklist(in store: RecordStore, asOf today: LocalDate) throws(UseCaseError)
        -> DischargeChecklist
    {
        let open = try recording { try store.dischargeItems() }.filter { $0.doneOn == nil }
        return DischargeChecklist(
            asOf: today, overdue: open.filter { $0.due < today }.map(ChecklistItem.init),
            dueNext: open.filter { $0.due >= today }.map(ChecklistItem.init))
    }

    /// Marks the client's open `item` done on `day`.
    public static func complete(_ item: String, of client: ClientID, on day: LocalDate, in store: RecordStore)
        throws(UseCaseError)
    {
        try recording { try store.completeDischargeItem(client, item, on: day) }
    }
}

/// The open discharge checklist items, by due date.
public struct DischargeChecklist: Sendable, Encodable {
    public let asOf: LocalDate
    public let overdue: [ChecklistItem]
    public let dueNext: [ChecklistItem]
}

/// One item still to do before or after a client's last day.
public struct ChecklistItem: Sendable, Encodable {
    public let due: LocalDate
    public let client: ClientID
    public let lastDay: LocalDate
    public let item: String

    init(_ item: DischargeItem) {
        (due, client, lastDay, self.item) = (item.due, item.client, item.lastDay, item.item)
    }
}
