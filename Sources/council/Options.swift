import ArgumentParser
import CouncilIndex
import Foundation

/// Exit codes, documented in the README for scripts and monitoring.
enum Exit {
    /// Success, including searches with no hits.
    static let success: Int32 = 0
    /// A runtime failure: I/O, a damaged index, anything unexpected.
    static let failure: Int32 = 1
    /// A usage error: bad options or arguments, or a query that cannot be parsed.
    static let usage: Int32 = 2
    /// There is no index at the given path.
    static let noIndex: Int32 = 3
    /// Another `council index` holds the index's write lock.
    static let locked: Int32 = 4
    /// Indexing finished, but some files could not be indexed.
    static let partial: Int32 = 5
    /// `council check` found problems in the index.
    static let checkFailed: Int32 = 6
    /// Shards of a sharded index did not answer: with `--strict`, any of
    /// them; without, all of them.
    static let shardsUnavailable: Int32 = 7
}

/// The options every command takes.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The index: a Xapian database folder or a stub database file.",
        discussion: "Defaults to $COUNCIL_DB, else $XDG_DATA_HOME/council/index (~/.local/share/council/index).",
        valueName: "path"))
    var db: String?

    /// The index path to use.
    var path: String {
        if let db, !db.isEmpty { return db }
        return DatabaseOptions.defaultPath
    }

    static var defaultPath: String {
        let env = ProcessInfo.processInfo.environment
        if let fromEnv = env["COUNCIL_DB"], !fromEnv.isEmpty { return fromEnv }
        let dataHome = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return ((dataHome as NSString).appendingPathComponent("council") as NSString).appendingPathComponent("index")
    }
}

/// How commands that read treat the shards of a sharded index.
struct ShardOptions: ParsableArguments {
    @Flag(help: ArgumentHelp(
        "Fail (exit code 7) when any shard of a sharded index does not answer, instead of warning and searching the others."))
    var strict = false

    @Option(help: ArgumentHelp(
        "Seconds to wait for a remote shard to connect, and for each of its answers.",
        discussion: "Defaults to $COUNCIL_REMOTE_TIMEOUT, else 10.", valueName: "seconds"))
    var remoteTimeout: Double?

    var policy: ShardPolicy {
        let fromEnv = ProcessInfo.processInfo.environment["COUNCIL_REMOTE_TIMEOUT"].flatMap(Double.init)
        return ShardPolicy(strict: strict, timeout: remoteTimeout ?? fromEnv ?? 10)
    }

    func validate() throws {
        if let remoteTimeout, !(remoteTimeout > 0 && remoteTimeout <= 3600) {
            throw ValidationError("--remote-timeout must be more than 0 and at most 3600 seconds.")
        }
    }

    /// Open the search service for `database`, reporting shards that did
    /// not answer on standard error unless `quietly`.
    func open(_ database: DatabaseOptions, quietly: Bool = false) throws -> SearchService {
        let service = try SearchService(path: database.path, policy: policy)
        if !quietly { reportWarnings(of: service) }
        return service
    }

    func reportWarnings(of service: SearchService) {
        for warning in service.shardWarnings { printError("council: warning: \(warning)") }
    }
}

/// An error already reported to the user, carrying the exit code.
struct Failure: Error {
    let code: Int32
}
