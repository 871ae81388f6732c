import ArgumentParser
import CouncilIndex
import Foundation
import Xapian

/// `council`: search local-council meeting papers.
struct Council: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "council",
        abstract: "Search local-council meeting papers, item by item.",
        discussion: """
            Index agendas, minutes, reports and decision summaries, then search them by \
            council, committee, meeting date, cabinet portfolio and kind.

            Exit codes: 0 success (also for no hits), 1 runtime failure, 2 usage error or bad \
            query, 3 no index, 4 index locked by another writer, 5 indexed with some files failed, \
            6 council check found problems, 7 shards of a sharded index did not answer (any, with \
            --strict; else all).
            """,
        version: "0.1.0 (Xapian \(xapianVersion))",
        subcommands: [IndexCommand.self, SearchCommand.self, ReplCommand.self, ListCommand.self, ShowCommand.self, SimilarCommand.self, WatchCommand.self, StatsCommand.self, CheckCommand.self, InspectCommand.self, EvaluateCommand.self, RelevanceCommand.self, ServeShardCommand.self]
    )
}

@main
enum CouncilMain {
    static func main() {
        // A closed pipe (`council search ... | head`) ends quietly.
        signal(SIGPIPE, SIG_DFL)
        do {
            var command = try Council.parseAsRoot()
            try command.run()
            exit(Exit.success)
        } catch let failure as Failure {
            exit(failure.code)
        } catch {
            exit(report(error))
        }
    }

    /// Print `error` as one clear line on standard error (help and usage as
    /// swift-argument-parser formats them) and return the exit code.
    static func report(_ error: Error) -> Int32 {
        if let error = error as? CouncilError {
            printError("council: \(error)")
            switch error {
            case .indexNotFound: return Exit.noIndex
            case .indexLocked: return Exit.locked
            case .badQuery, .notFound, .usage: return Exit.usage
            case .database, .badIndex, .io: return Exit.failure
            case .shardsUnavailable: return Exit.shardsUnavailable
            }
        }
        if let error = error as? XapianError {
            printError("council: \(error)")
            return error.code == .databaseLocked ? Exit.locked : Exit.failure
        }
        let code = Council.exitCode(for: error)
        if code == .success {
            print(Council.fullMessage(for: error))
            return Exit.success
        }
        let message = Council.fullMessage(for: error)
        printError(message.hasPrefix("Error:") || message.hasPrefix("Usage:") ? message : "council: \(message)")
        return code == .validationFailure ? Exit.usage : code.rawValue
    }
}
