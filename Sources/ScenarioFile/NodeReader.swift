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
        issues.append(ScenarioIssue(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, path: path, message: message))
    }

    /// The keys of a mapping, checked against the allowed set; nil (reported) when the node
    /// is not a mapping.
    /// `noun` names what a key is in messages: "unknown group 'dbx'" for a plan.
    func fields(_ node: Node?, _ path: String, allowed: [String], required: [String] = [], noun: String = "key") -> Fields? {
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
            if !allowed.contains(name) {
                report(key, join(path, name), "unknown \(noun) '\(name)'; expected one of: \(allowed.joined(separator: ", "))")
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

    func int(_ node: Node?, _ path: String, atLeast minimum: Int) -> Int? {
        guard let text = string(node, path) else { return nil }
        guard let value = Int(text) else {
            report(node, path, "expected a whole number, found '\(text)'")
            return nil
        }
        guard value >= minimum else {
            report(node, path, "expected a whole number of at least \(minimum), found \(value)")
            return nil
        }
        return value
    }

    func number(_ node: Node?, _ path: String, atLeast minimum: Double) -> Double? {
        guard let text = string(node, path) else { return nil }
        guard let value = Double(text), value.isFinite else {
            report(node, path, "expected a number, found '\(text)'")
            return nil
        }
        guard value >= minimum else {
            report(node, path, "expected a number of at least \(minimum.formatted), found \(value.formatted)")
            return nil
        }
        return value
    }

    func date(_ node: Node?, _ path: String) -> LocalDate? {
        guard let text = string(node, path) else { return nil }
        guard let date = LocalDate(iso: text) else {
            report(node, path, "expected a date YYYY-MM-DD, found '\(text)'")
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
        case .scalar(let scalar): "'\(scalar.string)'"
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

extension Double {
    var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
