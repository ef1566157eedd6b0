import Foundation
import IOPDomain
import Yams

/// Reads typed values out of a YAML node tree, recording every mistake with its line and
/// key path instead of stopping at the first.
final class NodeReader {
    let file: String
    private(set) var issues: [ScenarioIssue] = []

    init(file: String) { self.file = file }

    func report(_ node: Node?, _ path: String, _ message: String) {
        let mark = node?.mark
        issues.append(
            ScenarioIssue(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, path: path, message: message))
    }

    /// The keys of a mapping, checked against the allowed set; nil (reported) when the node
    /// is not a mapping.
    /// `noun` names what a key is in messages: "unknown group 'dbx'" for a plan.
    func fields(_ node: Node?, _ path: String, allowed: [String], required: [String] = [], noun: String = "key")
        -> Fields?
    {
        guard let node else { return nil }
        guard let mapping = node.mapping else {
            let keys = allowed.isEmpty ? "" : " with keys \(allowed.joined(separator: ", "))"
            report(node, path, "expected a mapping\(keys), found \(kind(of: node))")
            return nil
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                report(key, path, "expected a text key")
                continue
            }
            if !allowed.contains(name), !Self.isPlainName(name) {
                // A key with spaces or invisible characters may hold a value run into it (a name): not repeated.
                report(
                    key, path,
                    "unknown \(noun) with spaces or invisible characters (not repeated here); expected one of: \(Self.oneOf(allowed))"
                )
            } else if !allowed.contains(name) {
                report(
                    key, join(path, name),
                    "unknown \(noun) '\(Self.quoted(name))'; expected one of: \(Self.oneOf(allowed))")
            } else if values[name] != nil {
                report(key, join(path, name), "key '\(name)' appears twice")
            } else {
                values[name] = value
            }
        }
        for name in required where values[name] == nil {
            report(node, path, "missing required key '\(name)'")
        }
        return Fields(node: node, path: path, values: values)
    }

    func sequence(_ node: Node?, _ path: String) -> [(Node, String)]? {
        guard let node else { return nil }
        guard let sequence = node.sequence else {
            report(node, path, "expected a list, found \(kind(of: node))")
            return nil
        }
        return sequence.enumerated().map { ($0.element, "\(path)[\($0.offset)]") }
    }

    func string(_ node: Node?, _ path: String) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar else {
            report(node, path, "expected text, found \(kind(of: node))")
            return nil
        }
        return scalar.string
    }

    /// The largest whole number any count, capacity or weight may have: no program has
    /// more, and every sum of such numbers stays far inside the integers and the doubles
    /// GLPK computes with.
    static let largestCount = 1_000_000

    /// The hours of a week, the most any weekly hour value may be.
    static let hoursInWeek = 168.0

    /// The hours of a day, the most any daily hour value may be.
    static let hoursInDay = 24.0

    func int(_ node: Node?, _ path: String, atLeast minimum: Int, atMost maximum: Int = NodeReader.largestCount) -> Int?
    {
        guard let text = string(node, path) else { return nil }
        guard let value = Int(text), text.first != "+" else {
            report(node, path, "expected a whole number, found '\(Self.quoted(text))'")
            return nil
        }
        guard value >= minimum, value <= maximum else {
            let bound = value < minimum ? "of at least \(minimum)" : "of at most \(maximum)"
            report(node, path, "expected a whole number \(bound), found \(Self.quoted(text))")
            return nil
        }
        return value
    }

    func number(
        _ node: Node?, _ path: String, atLeast minimum: Double, atMost maximum: Double = Double(NodeReader.largestCount)
    ) -> Double? {
        guard let text = string(node, path) else { return nil }
        guard let value = Double(text), value.isFinite, text.first != "+" else {
            report(node, path, "expected a number, found '\(Self.quoted(text))'")
            return nil
        }
        guard value >= minimum, value <= maximum else {
            let bound = value < minimum ? "of at least \(minimum.compact)" : "of at most \(maximum.compact)"
            report(node, path, "expected a number \(bound), found \(Self.quoted(text))")
            return nil
        }
        return value
    }

    /// `true` or `false` (YAML's other spellings such as `yes` are refused: they surprise).
    func bool(_ node: Node?, _ path: String) -> Bool? {
        guard let text = string(node, path) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            report(node, path, "expected true or false, found '\(Self.quoted(text))'")
            return nil
        }
    }

    /// The choices an unknown name could have been: the first dozen, then how many more.
    static func oneOf(_ names: [String]) -> String {
        names.count <= 12
            ? names.joined(separator: ", ") : names.prefix(12).joined(separator: ", ") + " and \(names.count - 12) more"
    }

    /// The longest ID: room for a program's own scheme, short enough for every name the
    /// model and the LP files build from it.
    static let longestID = 64

    /// A name such as a payer's or an authorization number: like an ID, but spaces inside
    /// are allowed ("Blue Cross"); leading and trailing ones are not kept.
    func label(_ node: Node?, _ path: String) -> String? {
        guard let node else { return nil }
        if Self.isNull(node) {
            report(node, path, "expected a name, found nothing (null)")
            return nil
        }
        guard let text = string(node, path)?.trimmingCharacters(in: .whitespaces) else { return nil }
        guard !text.isEmpty, text.count <= Self.longestID,
            text.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control })
        else {
            report(
                node, path,
                "expected a name of 1 to \(Self.longestID) characters without control characters, "
                    + "found \(text.isEmpty ? "empty text" : "'\(Self.quoted(text))'")")
            return nil
        }
        return text
    }

    /// A YAML null (`~`, `null` or nothing), which an ID or a name may not be.
    private static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// An ID: text of 1 to ``longestID`` characters, no spaces or control characters, not null.
    func id(_ node: Node?, _ path: String) -> String? {
        guard let node else { return nil }
        if Self.isNull(node) {
            report(node, path, "expected an ID, found nothing (null)")
            return nil
        }
        guard let text = string(node, path) else { return nil }
        guard !text.isEmpty, text.count <= Self.longestID,
            text.unicodeScalars.allSatisfy({ !$0.properties.isWhitespace && $0.properties.generalCategory != .control })
        else {
            report(
                node, path,
                "expected an ID of 1 to \(Self.longestID) characters without spaces or control characters, "
                    + "found \(text.isEmpty ? "empty text" : "'\(Self.quoted(text))'")")
            return nil
        }
        return text
    }

    /// A value quoted in a message: at most 40 characters, control characters escaped, so a
    /// message never carries a whole line of someone's file.
    /// Whether a key is one word of visible characters, as every key of the format is.
    static func isPlainName(_ text: String) -> Bool {
        !text.unicodeScalars.contains {
            $0.properties.isWhitespace || [.control, .format].contains($0.properties.generalCategory)
        }
    }

    static func quoted(_ text: String) -> String {
        let escaped = text.unicodeScalars.map {
            $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0)
        }
        let joined = escaped.joined()
        return joined.count <= 40 ? joined : String(joined.prefix(40)) + "..."
    }

    func date(_ node: Node?, _ path: String) -> LocalDate? {
        guard let text = string(node, path) else { return nil }
        guard let date = LocalDate(iso: text) else {
            report(
                node, path,
                "expected a date YYYY-MM-DD from \(LocalDate.earliest) to \(LocalDate.latest), found '\(Self.quoted(text))'"
            )
            return nil
        }
        return date
    }

    /// A list of text items, or a single text item as a one-element list.
    func strings(_ node: Node?, _ path: String) -> [String]? {
        guard let node else { return nil }
        if node.scalar != nil { return string(node, path).map { [$0] } }
        guard let items = sequence(node, path) else { return nil }
        return items.compactMap { string($0.0, $0.1) }
    }

    private func kind(of node: Node) -> String {
        switch node {
        case .scalar(let scalar): "'\(Self.quoted(scalar.string))'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

/// The checked keys of one mapping.
struct Fields {
    let node: Node
    let path: String
    let values: [String: Node]

    subscript(_ key: String) -> Node? { values[key] }
    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
