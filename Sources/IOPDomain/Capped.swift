extension Array where Element == String {
    /// At most `limit` lines, then one saying how many more there are: a long list of
    /// problems stays readable and an error stays small.
    public func capped(at limit: Int = 20) -> [String] {
        count <= limit ? self : Array(prefix(limit)) + ["and \(count - limit) more"]
    }
}
