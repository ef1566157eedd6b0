import ArgumentParser
import Foundation
import Logging
import OperationsRecord
import Service
import UseCases

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the program's record as a JSON API (docs/openapi.yaml) for the clinical team.",
        discussion: """
            The record must keep its week's scenario (iop import or iop week start put it there) and have users \
            (iop user add). Listens on 127.0.0.1 by default: put a reverse proxy with TLS in front of it to serve \
            other machines. Request lines are logged at IOP_LOG_LEVEL=info (method and path only: no client data \
            is ever in a URL). Ctrl-C stops it.
            """)

    @Argument(help: "The record file.")
    var record: String

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "Seconds each re-plan may search (above 0, at most 86400).")
    var timeLimit: Double = 30

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= SolveLimits.longest else {
            throw ValidationError("--time-limit must be a number of seconds above 0 and at most 86400")
        }
    }

    func run() async throws {
        let store = try openRecord(record)
        let host = self.host
        let record = self.record
        do {
            try await Service.run(
                store: store, settings: ServiceSettings(host: host, port: port, timeLimit: timeLimit),
                logger: Logger(label: "iop.serve"),
                onRunning: { port in
                    FileHandle.standardOutput.write(
                        Data("iop serve: \(record) on http://\(host):\(port) (Ctrl-C stops)\n".utf8))
                })
        } catch let error as UseCaseError {
            printError("\(record): \(error.description)")
            throw ExitCodes.invalidInput
        }
    }
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "The service's users: add one, list them.",
        subcommands: [UserAdd.self, UserList.self])
}

struct UserAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user of iop serve; the password is read from standard input (its first line).",
        discussion:
            "Roles: coordinator (changes the week), clinician and director (read the week, try what-ifs), admin (users and the audit log). The password needs at least 12 characters and is kept only as its bcrypt hash."
    )

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The user's name (what they log in with).")
    var name: String

    @Option(help: "coordinator, clinician, director or admin.")
    var role: Role

    func run() throws {
        let store = try openRecord(record)
        guard let password = readLine(strippingNewline: true), !password.isEmpty else {
            printError("no password on standard input; nothing was changed")
            throw ExitCodes.invalidInput
        }
        do {
            try Accounts.add(name, role: role, password: password, to: store)
            try store.audit(user: NSUserName(), action: "add user", detail: "\(name) as \(role.rawValue)", address: nil)
        } catch let failure as Accounts.Failure {
            printError("\(record): \(failure.description)")
            throw ExitCodes.invalidInput
        } catch {
            throw recordFailure(error, record)
        }
        print("\(record): user \(name) added as \(role.rawValue)")
    }
}

struct UserList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every user and their role.")

    @Argument(help: "The record file.")
    var record: String

    func run() throws {
        let users: [User]
        do { users = try openRecord(record).users() } catch { throw recordFailure(error, record) }
        print("Users (\(users.count))")
        for user in users { print("  \(user.name)  \(user.role.rawValue)") }
    }
}

extension Role: ExpressibleByArgument {}
