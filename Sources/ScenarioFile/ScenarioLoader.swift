import Foundation
import IOPDomain
import Yams

/// Loads a scenario from YAML or JSON, reporting every mistake at once with file, line,
/// key path and what was expected.
public enum ScenarioLoader {
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        try parse(try text(of: path), file: path)
    }

    /// The file's text, or an unreadable-file error.
    public static func text(of path: String) throws(ScenarioError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "no such file"
            throw ScenarioError(
                issues: [ScenarioIssue(file: path, line: 0, column: 0, path: "", message: reason)], unreadable: true)
        }
    }

    public static func parse(_ text: String, file: String) throws(ScenarioError) -> Scenario {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ScenarioError(issues: [syntaxIssue(error, file: file, text: text)], unreadable: false)
        } catch {
            throw ScenarioError(
                issues: [ScenarioIssue(file: file, line: 0, column: 0, path: "", message: "not valid YAML or JSON")],
                unreadable: false)
        }
        let reader = NodeReader(file: file)
        guard let root else {
            reader.report(nil, "", "the file is empty; expected keys program, groups, offerings, facilitators, clients")
            throw ScenarioError(issues: reader.issues, unreadable: false)
        }
        let scenario = ScenarioDecoder(reader: reader, root: root).decode(root)
        guard reader.issues.isEmpty, let scenario else {
            // In file order, so a reader can walk down the file fixing them.
            let sorted = reader.issues.enumerated().sorted {
                ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
            }
            throw ScenarioError(issues: sorted.map(\.element), unreadable: false)
        }
        return scenario
    }

    /// Where the YAML or JSON is malformed and what the parser expected, in its own words;
    /// never the file's text, which may carry client data.
    static func syntaxIssue(_ error: YamlError, file: String, text: String) -> ScenarioIssue {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(NodeReader.quoted($0.text)) " } ?? ""
            return ScenarioIssue(
                file: file, line: mark.line, column: mark.column, path: "",
                message: "not valid YAML or JSON: \(detail)\(NodeReader.quoted(problem))")
        case .reader(_, let offset, let value, _):
            let before = offset.map { text.utf8.prefix($0) } ?? Substring("").utf8
            let line = offset == nil ? 0 : before.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let column =
                offset == nil
                ? 0
                : before.count
                    - (before.lastIndex(of: UInt8(ascii: "\n")).map {
                        before.distance(from: before.startIndex, to: $0) + 1
                    } ?? 0) + 1
            return ScenarioIssue(
                file: file, line: line, column: column, path: "",
                message: "not valid YAML or JSON: a character YAML does not allow (code \(value))")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ScenarioIssue(
                file: file, line: context.mark.line, column: context.mark.column, path: "",
                message:
                    "key \(NodeReader.oneOf(duplicates.sorted().map { "'\(NodeReader.quoted($0))'" })) appears twice in one mapping"
            )
        default:
            return ScenarioIssue(file: file, line: 0, column: 0, path: "", message: "not valid YAML or JSON")
        }
    }
}
