import OperationsRecord

/// Each payer's policy: review cadence, appeal window, per-diem rule and its codes.
public enum Payers {
    /// The most days a review cadence or an appeal window may span (a year).
    public static let maximumDays = 366

    public static func all(in store: RecordStore) throws(UseCaseError) -> [PayerPolicy] {
        try recording { try store.payers() }
    }

    /// Applies `change` to the payer's policy and returns it as kept; a payer the record
    /// does not know yet only with `adding`, so a mistyped name is an error, not a new
    /// payer. Every problem of the change at once, nothing changed.
    public static func change(_ payer: String, _ change: PayerChange, adding: Bool, in store: RecordStore)
        throws(UseCaseError) -> PayerPolicy
    {
        var problems = change.problems.map { "\($0.field.rawValue): \($0.message)" }
        if payer.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.insert("payer: the payer's name, as on its authorizations, is missing", at: 0)
        }
        guard problems.isEmpty else { throw .rejected(problems) }
        return try recording { () throws -> PayerPolicy in
            let known = try store.payers()
            guard var policy = known.first(where: { $0.payer == payer }) ?? (adding ? PayerPolicy(payer: payer) : nil)
            else { throw UseCaseError.unknownPayer(payer, known: known.map(\.payer)) }
            change.apply(to: &policy)
            if !change.isEmpty || adding { try store.setPayer(policy) }
            return policy
        }
    }
}

/// What to change in a payer's policy; nil leaves a field as it is.
public struct PayerChange: Sendable, Equatable {
    /// A field of the change, by its JSON name.
    public enum Field: String, Sendable, CaseIterable {
        case reviewEveryDays = "review_every_days"
        case appealDays = "appeal_days"
        case procedureCode = "procedure_code"
        case revenueCode = "revenue_code"
        case dayMinHours = "day_min_hours"
        case minDays = "min_days"
    }

    /// What is wrong with one field.
    public struct Problem: Sendable, Equatable {
        public let field: Field
        public let message: String
    }

    public var reviewEveryDays: Int?
    public var appealDays: Int?
    public var procedureCode: String?
    public var revenueCode: String?
    /// Hours attended that make a day billable.
    public var dayMinHours: Double?
    /// Billable days a week needs for a claim.
    public var minDays: Int?

    public init(
        reviewEveryDays: Int? = nil, appealDays: Int? = nil, procedureCode: String? = nil, revenueCode: String? = nil,
        dayMinHours: Double? = nil, minDays: Int? = nil
    ) {
        self.reviewEveryDays = reviewEveryDays
        self.appealDays = appealDays
        self.procedureCode = procedureCode
        self.revenueCode = revenueCode
        self.dayMinHours = dayMinHours
        self.minDays = minDays
    }

    public var isEmpty: Bool { self == PayerChange() }

    /// Cadences and windows of 1 to ``Payers/maximumDays`` days, a billable day of 0 to 24
    /// hours, 0 to 7 days a week, codes that are not blank.
    public var problems: [Problem] {
        var problems: [Problem] = []
        let days = 1...Payers.maximumDays
        if let reviewEveryDays, !days.contains(reviewEveryDays) {
            problems.append(
                Problem(field: .reviewEveryDays, message: "must be a number of days from 1 to \(days.upperBound)"))
        }
        if let appealDays, !days.contains(appealDays) {
            problems.append(
                Problem(field: .appealDays, message: "must be a number of days from 1 to \(days.upperBound)"))
        }
        if let dayMinHours, !(0...24).contains(dayMinHours) {
            problems.append(Problem(field: .dayMinHours, message: "must be between 0 and 24"))
        }
        if let minDays, !(0...7).contains(minDays) {
            problems.append(Problem(field: .minDays, message: "must be between 0 and 7"))
        }
        for (field, code) in [(Field.procedureCode, procedureCode), (.revenueCode, revenueCode)]
        where code?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            problems.append(Problem(field: field, message: "must not be empty"))
        }
        return problems
    }

    func apply(to policy: inout PayerPolicy) {
        if let reviewEveryDays { policy.reviewEveryDays = reviewEveryDays }
        if let appealDays { policy.appealDays = appealDays }
        if let procedureCode { policy.perDiem.procedureCode = procedureCode }
        if let revenueCode { policy.perDiem.revenueCode = revenueCode }
        if let dayMinHours { policy.perDiem.dayMinimumMinutes = Int((dayMinHours * 60).rounded()) }
        if let minDays { policy.perDiem.minimumDays = minDays }
    }
}
