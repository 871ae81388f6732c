import ArgumentParser
import CouncilIndex
import Foundation

/// `council serve-shard`: serve an index to other hosts over Xapian's
/// remote protocol, by becoming `xapian-tcpsrv` for it.
struct ServeShardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-shard",
        abstract: "Serve an index (a shard) to other hosts with xapian-tcpsrv, for `remote HOST:PORT` stub lines.",
        discussion: """
            Runs xapian-tcpsrv (Debian: xapian-tools) in the foreground on the index at PATH. The server \
            opens PATH for each connection, and PATH is the index's stub, so a `council index --rebuild` \
            of the shard is served to every new connection without a restart; `council search` reconnects \
            to remote shards at least once a minute in a long session. Xapian's remote protocol has no \
            authentication or encryption: listen on a private interface (the default is 127.0.0.1) or \
            reach the shard over ssh with a stub line `remote :ssh HOST xapian-progsrv PATH`. \
            xapian-tcpsrv signals its whole process group when it stops: run it in its own session \
            (setsid, or a systemd service).
            """)

    @Argument(help: ArgumentHelp("The index to serve: a shard (PATH.d/shards/NAME), any council index, or a Xapian database folder.", valueName: "path"))
    var path: String

    @Option(help: "The TCP port to listen on.")
    var port: Int

    @Option(help: ArgumentHelp("The address to listen on (0.0.0.0 for every interface).", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("Close a connection idle for this many seconds (clients reconnect).", valueName: "seconds"))
    var idleTimeout = 60.0

    @Option(help: ArgumentHelp("Abandon a request that takes longer than this many seconds.", valueName: "seconds"))
    var activeTimeout = 60.0

    @Flag(help: "Log each connection (xapian-tcpsrv's messages).")
    var verbose = false

    @Flag(help: "Print the xapian-tcpsrv command instead of running it.")
    var dryRun = false

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1 to 65535.") }
        guard idleTimeout > 0, activeTimeout > 0 else { throw ValidationError("Timeouts must be more than 0 seconds.") }
    }

    func run() throws {
        // Fail here, clearly, rather than on the first connection.
        let service = try SearchService(path: path, policy: ShardPolicy(strict: true))
        if service.shardCount.remote > 0 {
            throw CouncilError.usage("\(path) lists remote shards; serve-shard serves databases on this host (serve each remote shard on its own host)")
        }
        let items = (try? service.itemCount()) ?? 0
        guard let server = ServeShardCommand.findTcpsrv() else {
            throw CouncilError.io("xapian-tcpsrv is not installed (Debian: apt-get install xapian-tools)")
        }
        let arguments = [server, "--interface", host, "--port", String(port),
                         "--idle-timeout", String(Int(idleTimeout * 1000)), "--active-timeout", String(Int(activeTimeout * 1000))]
            + (verbose ? [] : ["--quiet"]) + [path]
        if dryRun {
            print(arguments.map(ServeShardCommand.quoted).joined(separator: " "))
            return
        }
        printError("council: serving \(path) (\(items) items) on \(host):\(port); stub line: remote \(host == "0.0.0.0" ? ProcessInfo.processInfo.hostName : host):\(port)")
        fflush(nil)
        let cArguments = arguments.map { strdup($0) } + [nil]
        execv(server, cArguments)
        let why = String(cString: strerror(errno))
        throw CouncilError.io("cannot run \(server): \(why)")
    }

    /// xapian-tcpsrv on $PATH (or $XAPIAN_TCPSRV).
    static func findTcpsrv() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let explicit = env["XAPIAN_TCPSRV"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = String(dir) + "/xapian-tcpsrv"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func quoted(_ s: String) -> String {
        s.allSatisfy({ $0.isLetter || $0.isNumber || "/._-:=".contains($0) }) ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
