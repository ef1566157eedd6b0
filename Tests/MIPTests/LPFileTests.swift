import Foundation
import GLPKSolver
import MIP
import TestSupport
import Testing

@Suite("CPLEX LP files")
struct LPFileTests {
    @Test("an exported model read back by GLPK has the same optimum", arguments: 0..<12)
    func exportRoundTrip(seed: UInt64) throws {
        var random = SeededGenerator(seed: 1000 + seed)
        let model = randomModel(&random)
        let direct = try GLPKSolver.solve(model)
        let path = temporaryPath("roundtrip\(seed).lp")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try GLPKSolver.writeLP(model, to: path)
        let reread = try GLPKSolver.readLP(path: path)
        let again = try GLPKSolver.solve(reread)
        #expect(again.termination == direct.termination)
        if let objective = direct.objective {
            #expect(abs((again.objective ?? .nan) - objective) < 1e-6)
        }
        #expect(reread.sense == model.sense)
        // GLPK writes a range row with an auxiliary column; every original column survives.
        #expect(Set(model.variables.map(\.name)).isSubset(of: Set(reread.variables.map(\.name))))
    }

    @Test("names GLPK would reject or rewrite survive export as distinct, readable names")
    func awkwardNames() throws {
        let names = [
            "x(c-1042,s3)", "x(c~1042,s3)", "x(c#1042,s3)", "1st", ".dot", "free", "e12",
            "with space", "clé", "a:b", "[sq]", "-lead", "capacity(g12,mon_am1)",
        ]
        var model = Model()
        let variables = names.map { model.addBinary($0) }
        for (index, variable) in variables.enumerated() {
            model.addConstraint("row \(names[index])", LinearExpression(variable) <= 1)
        }
        model.maximize(.sum(variables.enumerated().map { (Double($0.offset + 1), $0.element) }))
        let text = try GLPKSolver.lpText(of: model)
        #expect(text.contains("x(c~1042,s3)"))
        #expect(text.contains("capacity(g12,mon_am1)"))
        let mangled = names.map(LPName.mangle)
        #expect(Set(mangled).count == names.count)

        let path = temporaryPath("names.lp")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try GLPKSolver.writeLP(model, to: path)
        let reread = try GLPKSolver.readLP(path: path)
        #expect(reread.variables.map(\.name).sorted() == mangled.sorted())
        #expect(try GLPKSolver.solve(reread).objective == Double(names.count * (names.count + 1) / 2))
    }

    @Test("a file GLPK cannot parse is an error that carries GLPK's line number")
    func unparsable() throws {
        let path = temporaryPath("bad.lp")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "Minimize\n obj: x + y\nSubject To\n c1: x + y >=\nEnd\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try GLPKSolver.readLP(path: path)
        } throws: { error in
            guard case SolverError.fileUnreadable(let where_, let reason) = error else { return false }
            return where_ == path && reason.contains("bad.lp:5: missing right-hand side")
        }
    }

    @Test("a missing file is an error, not a crash")
    func missing() {
        #expect(throws: SolverError.fileUnreadable(path: "/nonexistent/x.lp", reason: "no such file")) {
            try GLPKSolver.readLP(path: "/nonexistent/x.lp")
        }
    }

    @Test("an LP file is readable by its owner only; an unwritable one is an error that leaves nothing behind")
    func writtenPrivately() throws {
        var model = Model()
        let x = model.addBinary("x(c-1042,mon)")
        model.minimize(LinearExpression(x))
        let path = temporaryPath("private.lp")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try GLPKSolver.writeLP(model, to: path)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)

        let folder = temporaryPath("missing-folder")
        #expect(throws: SolverError.fileUnwritable(path: folder + "/tier1.lp", reason: "no such folder \(folder)")) {
            try GLPKSolver.writeLP(model, to: folder + "/tier1.lp")
        }
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test("a model GLPK reads but would mis-solve is refused by validation")
    func fractionalIntegerBoundFromFile() throws {
        let path = temporaryPath("fractional.lp")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "Minimize\n obj: n\nSubject To\n c: n >= 0\nBounds\n 0.5 <= n <= 3\nGeneral\n n\nEnd\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let model = try GLPKSolver.readLP(path: path)
        #expect(
            throws: SolverError.invalidModel([
                ModelIssue(subject: .variable("n"), problem: "integer variable has fractional lower bound 0.5")
            ])
        ) {
            try GLPKSolver.solve(model)
        }
    }
}
