import Foundation
import Testing

/// Issue: sharded and remote search over Xapian's own distributed backends.
/// Real servers (xapian-tcpsrv, xapian-progsrv, xapian-replicate-server) on
/// loopback, each started in a session of its own: when it stops,
/// xapian-tcpsrv signals its whole process group, which must not be ours.

/// A server (or one-shot tool) run in a new session, stopped by its id.
final class ServerProcess {
    let pid: pid_t
    let log: URL
    private(set) var exitStatus: Int32? = nil

    init(_ executable: String, _ arguments: [String], log: URL) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc): the child starts a session and process
        // group of its own.
        posix_spawnattr_setflags(&attributes, Int16(0x80))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var env = ProcessInfo.processInfo.environment
        env["COUNCIL_DB"] = nil
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable): \(String(cString: strerror(rc)))"]) }
        self.pid = pid
        self.log = log
    }

    /// Whether it is still running (reaping it when it has ended).
    var isRunning: Bool {
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = status
            return false
        }
        return true
    }

    /// Wait up to `timeout` seconds for it to end; its wait status.
    @discardableResult
    func wait(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning && Date() < deadline { usleep(20_000) }
        return exitStatus
    }

    /// Stop it: SIGTERM (xapian-tcpsrv then stops the connections it forked),
    /// then SIGKILL to its own process group if it lingers.
    func stop() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        if wait(timeout: 5) == nil {
            kill(-pid, SIGKILL)
            wait(timeout: 5)
        }
    }

    /// Suspend or resume it and the connections it forked (its own process
    /// group): a server that takes connections and never answers.
    func pause() { kill(-pid, SIGSTOP) }
    func resume() { kill(-pid, SIGCONT) }

    deinit { stop() }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
}

enum Loopback {
    /// A TCP port on 127.0.0.1 that nothing listens on now.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts connections on 127.0.0.1:`port`.
    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Wait until `port` accepts connections.
    static func waitFor(_ port: Int, server: ServerProcess, timeout: Double = 15) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if accepts(port) { return }
            if !server.isRunning { break }
            usleep(50_000)
        }
        Issue.record("nothing listens on 127.0.0.1:\(port); the server said: \(server.output)")
        throw CocoaError(.fileReadUnknown)
    }

    /// A socket that takes connections into its backlog and never answers:
    /// a shard whose host is up but whose server hangs.
    final class SilentListener {
        let fd: Int32
        let port: Int
        init() {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.fd = fd
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            listen(fd, 16)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            port = Int(UInt16(bigEndian: address.sin_port))
        }
        deinit { close(fd) }
    }
}

enum Tools {
    static func path(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let hasRemoteServers = path("xapian-tcpsrv") != nil && path("xapian-progsrv") != nil
    static let hasReplication = path("xapian-replicate") != nil && path("xapian-replicate-server") != nil
}

extension CLI {
    /// A search's results in a form to compare across index layouts: the
    /// total, the suggestion, the facets, and the hits in order, where hits
    /// with equal sort keys (score; date and score when sorted by date) form
    /// one group whose order is the document ids' — which differ between one
    /// index and shards — so each group is compared as a set.
    ///
    /// Without `snippets`, a snippet counts only by whether it highlights a
    /// match: over remote shards, of passages that match equally well the
    /// first is shown (Xapian's background model, which would tell them
    /// apart, costs a round trip per word there).
    static func comparable(_ json: [String: Any], snippets: Bool = true) -> String {
        let hits = json["hits"] as? [[String: Any]] ?? []
        let sort = json["sort"] as? String ?? "relevance"
        func describe(_ hit: [String: Any]) -> String {
            let keys = ["id", "score", "title", "council", "committee", "date", "kind", "portfolios", "path", "line", "item", "snippet", "collapsed"]
            var picked = Dictionary(uniqueKeysWithValues: keys.map { ($0, hit[$0] ?? NSNull()) })
            if !snippets { picked["snippet"] = (hit["snippet"] as? String)?.contains("<b>") ?? false }
            return String(decoding: (try? JSONSerialization.data(withJSONObject: picked, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        }
        var groups: [[String]] = []
        var lastKey: String? = nil
        for hit in hits {
            let score = "\(hit["score"] ?? "")"
            let key = sort == "relevance" ? score : "\(hit["date"] ?? "")|\(score)"
            if key != lastKey { groups.append([]) }
            groups[groups.count - 1].append(describe(hit))
            lastKey = key
        }
        var rest = json
        for volatile in ["hits", "query", "interpretation"] { rest[volatile] = nil }
        let head = String(decoding: (try? JSONSerialization.data(withJSONObject: rest, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        return head + "\n" + groups.map { $0.sorted().joined(separator: "\n") }.joined(separator: "\n--\n")
    }

    /// Queries exercising ranking, phrases, filters, facets, sorting,
    /// collapsing, paging and spelling.
    static let probes: [[String]] = [
        ["care"], ["home care"], ["\"home care\""], ["fostering"], ["budget OR finance"],
        ["--sort", "newest", "committee:cabinet"], ["--sort", "oldest", "care"], ["kind:minutes"],
        ["--by", "meeting", "care"], ["--by", "document", "--sort", "newest", "children"],
        ["portfolio:\"adult social care\" home care"], ["council:dorset"], ["date:2017 schools"],
        ["--offset", "5", "--limit", "3", "care"], ["modernisaton"], ["fostring"], ["zebra"],
    ]

    /// Wildcards: Xapian 1.4 expands them in each shard against that
    /// shard's own words and weighs the expansion (an OP_SYNONYM) by it, so
    /// over shards the same items match, with the same counts and facets,
    /// but their scores, and so their order, can differ from one index's.
    static let wildcardProbes: [[String]] = [["date:2017 school*"], ["foster*"], ["--sort", "newest", "budget*"]]

    /// The same results as `comparable`, but the hits as one set of ids.
    static func matching(_ json: [String: Any]) -> String {
        var rest = json
        let ids = ((json["hits"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.sorted()
        for volatile in ["hits", "query", "interpretation"] { rest[volatile] = nil }
        let head = String(decoding: (try? JSONSerialization.data(withJSONObject: rest, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        return head + "\n" + ids.joined(separator: "\n")
    }

    /// Run every probe on both indexes and expect the same results.
    static func expectSameSearches(_ a: String, _ b: String, extra: [String] = [], snippets: Bool = true,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        for probe in probes + wildcardProbes {
            let left = try run(["search", "--json", "--db", a, "--limit", "100"] + extra + probe)
            let right = try run(["search", "--json", "--db", b, "--limit", "100"] + extra + probe)
            #expect(left.status == 0, "\(probe): \(left.stderr)", sourceLocation: sourceLocation)
            #expect(right.status == 0, "\(probe): \(right.stderr)", sourceLocation: sourceLocation)
            #expect(right.json["warnings"] == nil, "\(probe): \(right.stdout)", sourceLocation: sourceLocation)
            if wildcardProbes.contains(probe) {
                #expect(matching(left.json) == matching(right.json), "\(probe)", sourceLocation: sourceLocation)
            } else {
                #expect(comparable(left.json, snippets: snippets) == comparable(right.json, snippets: snippets), "\(probe)",
                        sourceLocation: sourceLocation)
            }
        }
    }

    /// `council list --json` lines without the run bookkeeping, sorted.
    static func papers(_ db: String) throws -> [String] {
        try contents(db).papers
    }
}

/// Start `council serve-shard` for `path` on a free loopback port.
func serveShard(_ path: String, in tmp: TempDir) throws -> (ServerProcess, Int) {
    let port = Loopback.freePort()
    let server = try ServerProcess(CLI.executable.path, ["serve-shard", path, "--port", String(port), "--host", "127.0.0.1"],
                                   log: tmp.url.appendingPathComponent("serve-\(port).log"))
    try Loopback.waitFor(port, server: server)
    return (server, port)
}

@Suite(.serialized) struct ShardedIndexTests {
    /// One combined index of Corpus/ and a set sharded by council.
    let tmp: TempDir
    let combined: String
    let set: String

    init() throws {
        tmp = try TempDir()
        combined = tmp.url.appendingPathComponent("combined").path
        set = tmp.url.appendingPathComponent("all.stub").path
        #expect(try CLI.run(["index", "--db", combined, "--quiet", CLI.corpus.path]).status == 0)
        let made = try CLI.run(["index", "--db", set, "--shard-by", "council", "--json", CLI.corpus.path])
        #expect(made.status == 0, "\(made.stderr)")
    }

    func shard(_ name: String) -> String { set + ".d/shards/" + name }

    @Test func shardByCouncilWritesOneIndexPerCouncilAndAStub() throws {
        let stub = try String(contentsOfFile: set, encoding: .utf8)
        let lines = stub.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines == ["auto all.stub.d/shards/dorset-county-council", "auto all.stub.d/shards/oxfordshire-county-council",
                          "auto all.stub.d/shards/worcestershire-county-council"])
        // Each shard is an ordinary council index: a stub naming its version.
        for name in ["dorset-county-council", "oxfordshire-county-council", "worcestershire-county-council"] {
            #expect(try String(contentsOfFile: shard(name), encoding: .utf8).contains("auto \(name).d/v0001"))
            let list = try CLI.run(["list", "--json", "--db", shard(name)]).jsonLines
            #expect(!list.isEmpty)
            #expect(list.allSatisfy { ($0["council"] as? String).map { $0.lowercased().replacingOccurrences(of: " ", with: "-") } == name })
        }
        // A second run skips everything; the summary names the shards.
        let again = try CLI.run(["index", "--db", set, "--json", CLI.corpus.path])
        #expect(again.json["unchanged"] as? Int == 5)
        #expect(again.json["shards"] as? [String] == ["dorset-county-council", "oxfordshire-county-council", "worcestershire-county-council"])
        #expect(again.json["run"] as? Int == 2)
    }

    @Test func theStubSearchesAllShardsAsOneIndex() throws {
        try CLI.expectSameSearches(combined, set)
        #expect(try CLI.papers(combined) == CLI.papers(set))
        let stats = { (db: String) in try CLI.run(["stats", "--json", "--db", db]).jsonLines.map { $0["papers"] as? Int ?? 0 } }
        #expect(try stats(combined) == stats(set))
        // Items by id, papers by path, items like an item.
        let id = try #require((try CLI.run(["search", "--json", "--db", set, "homeshare"]).json["hits"] as? [[String: Any]])?.first?["id"] as? String)
        #expect(try CLI.run(["show", "--json", "--db", set, id]).stdout == CLI.run(["show", "--json", "--db", combined, id]).stdout)
        let paper = CLI.corpus.appendingPathComponent("002_b77c10b755b80305.txt").path
        #expect(try CLI.run(["show", "--json", "--db", set, paper]).stdout == CLI.run(["show", "--json", "--db", combined, paper]).stdout)
        for item in [id, fosteringItemID] {
            let a = try CLI.run(["similar", "--json", "--db", combined, "--limit", "50", item])
            let b = try CLI.run(["similar", "--json", "--db", set, "--limit", "50", item])
            #expect(a.status == 0 && b.status == 0)
            #expect(CLI.comparable(a.json) == CLI.comparable(b.json), "similar \(item)")
        }
        let check = try CLI.run(["check", "--json", "--db", set])
        #expect(check.status == 0, "\(check.stdout)")
        #expect((check.json["shards"] as? [[String: Any]])?.count == 3)
        #expect(check.json["papers"] as? Int == 5)
    }

    @Test func aPaperWhoseCouncilChangesMovesShard() throws {
        let papers = tmp.url.appendingPathComponent("papers")
        _ = try CLI.makeCorpus(in: papers, copies: 1)
        try "Some notes on the weather, taken by a resident, with no meeting at all.".write(
            to: papers.appendingPathComponent("note.txt"), atomically: true, encoding: .utf8)
        let db = tmp.url.appendingPathComponent("moving").path
        let first = try CLI.run(["index", "--db", db, "--shard-by", "council", "--json", papers.path])
        #expect(first.json["shards"] as? [String] == ["dorset-county-council", "oxfordshire-county-council", "unknown-council",
                                                       "worcestershire-county-council"])
        // The Dorset minutes become Wiltshire's.
        let file = papers.appendingPathComponent("batch-00/002_b77c10b755b80305.txt")
        var text = try String(contentsOf: file, encoding: .utf8)
        for (from, to) in [("Dorset County Council", "Wiltshire Council"), ("DORSET", "WILTSHIRE"), ("Dorset", "Wiltshire"),
                           ("dorset", "wiltshire"), ("Dorchester", "Trowbridge")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let moved = try CLI.run(["index", "--db", db, "--json", papers.path])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.json["moved"] as? Int == 1)
        #expect(moved.json["updated"] as? Int == 1)
        #expect((moved.json["shards"] as? [String])?.contains("wiltshire-council") == true)
        // In its new shard only, listed in the stub at once.
        #expect(try String(contentsOfFile: db, encoding: .utf8).contains("auto moving.d/shards/wiltshire-council"))
        #expect(try CLI.run(["list", "--json", "--db", db + ".d/shards/dorset-county-council"]).jsonLines.isEmpty)
        let wiltshire = try CLI.run(["list", "--json", "--db", db + ".d/shards/wiltshire-council"]).jsonLines
        #expect(wiltshire.map { $0["council"] as? String } == ["Wiltshire Council"])
        let all = try CLI.run(["list", "--json", "--db", db]).jsonLines
        #expect(all.count == 6)
        let search = try CLI.run(["search", "--json", "--db", db, "fostering"]).json
        #expect(((search["hits"] as? [[String: Any]])?.first?["council"] as? String) == "Wiltshire Council")
        #expect(try CLI.run(["check", "--db", db]).status == 0)

        // A shard indexed on its own, with a paper that belongs elsewhere:
        // check sees the duplicate and the misplaced paper; the set's next
        // run puts it right.
        let stray = try CLI.run(["index", "--db", db + ".d/shards/oxfordshire-county-council", "--json",
                                 papers.appendingPathComponent("note.txt").path])
        #expect(stray.status == 0)
        #expect((stray.json["run"] as? Int ?? 0) == 3, "a shard's own run is numbered after the set's")
        let broken = try CLI.run(["check", "--json", "--db", db])
        #expect(broken.status == 6)
        #expect((broken.json["problems"] as? [String])?.contains { $0.contains("note.txt is in more than one shard") } == true)
        #expect((broken.json["warnings"] as? [String])?.contains { $0.contains("routes it to unknown-council") } == true)
        #expect(try CLI.run(["index", "--db", db, "--quiet", papers.path]).status == 0)
        #expect(try CLI.run(["check", "--db", db]).status == 0)
        #expect(try CLI.run(["list", "--json", "--db", db]).jsonLines.count == 6)

        // --prune per set; the shard's own --rebuild still works.
        try FileManager.default.removeItem(at: papers.appendingPathComponent("note.txt"))
        let pruned = try CLI.run(["index", "--db", db, "--prune", "--json", papers.path])
        #expect(pruned.json["removed"] as? Int == 1)
        let rebuilt = try CLI.run(["index", "--db", db + ".d/shards/wiltshire-council", "--rebuild", "--json", file.path])
        #expect(rebuilt.json["rebuilt"] as? Bool == true)
        #expect(try String(contentsOfFile: db + ".d/shards/wiltshire-council", encoding: .utf8).contains("v0002"))
        #expect(try CLI.run(["list", "--json", "--db", db]).jsonLines.count == 5)
        #expect(try CLI.run(["check", "--db", db]).status == 0)
    }

    @Test func locksOptionsAndErrors() throws {
        // A shard being written by its own run: the set's run waits or fails.
        let lockPath = shard("dorset-county-council") + ".d/lock"
        let fd = open(lockPath, O_RDWR)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX) == 0)
        let refused = try CLI.run(["index", "--db", set, "--force", "--json", CLI.corpus.path])
        #expect(refused.status == 4)
        #expect(refused.stderr.contains(lockPath))
        flock(fd, LOCK_UN)
        close(fd)
        // Another key, or sharding a single index: usage errors, one line.
        let rekey = try CLI.run(["index", "--db", set, "--shard-by", "year", CLI.corpus.path])
        #expect(rekey.status == 2)
        #expect(rekey.stderr.contains("sharded by council"))
        #expect(rekey.stderr.split(separator: "\n").count == 1)
        let single = try CLI.run(["index", "--db", combined, "--shard-by", "council", CLI.corpus.path])
        #expect(single.status == 2)
        #expect(single.stderr.split(separator: "\n").count == 1)
        // By year.
        let years = tmp.url.appendingPathComponent("years").path
        let byYear = try CLI.run(["index", "--db", years, "--shard-by", "year", "--json", CLI.corpus.path])
        #expect(byYear.json["shards"] as? [String] == ["2015", "2017", "2018"])
        try CLI.expectSameSearches(combined, years)
        // A rebuild of the whole set rebuilds every shard.
        let rebuild = try CLI.run(["index", "--db", years, "--rebuild", "--json", CLI.corpus.path])
        #expect(rebuild.json["rebuilt"] as? Bool == true)
        for name in ["2015", "2017", "2018"] {
            #expect(try String(contentsOfFile: years + ".d/shards/" + name, encoding: .utf8).contains("v0002"))
        }
        try CLI.expectSameSearches(combined, years)
    }

    @Test func aSideCarOverrideRoutesAPaperAndMovesItWhenItChanges() throws {
        let papers = tmp.url.appendingPathComponent("overridden")
        try FileManager.default.createDirectory(at: papers, withIntermediateDirectories: true)
        let paper = papers.appendingPathComponent("dorset.txt")
        try FileManager.default.copyItem(at: CLI.corpus.appendingPathComponent("002_b77c10b755b80305.txt"), to: paper)
        let sideCar = papers.appendingPathComponent("dorset.txt.meta.json")
        try Data(#"{"council": "Bournemouth, Christchurch and Poole Council"}"#.utf8).write(to: sideCar)
        let db = tmp.url.appendingPathComponent("overrides").path
        let first = try CLI.run(["index", "--db", db, "--shard-by", "council", "--json", papers.path])
        #expect(first.json["shards"] as? [String] == ["bournemouth-christchurch-and-poole-council"])
        // The side-car changes: the paper is read again and moves.
        try Data(#"{"council": null}"#.utf8).write(to: sideCar)
        let second = try CLI.run(["index", "--db", db, "--json", papers.path])
        #expect(second.json["moved"] as? Int == 1)
        #expect(try CLI.run(["list", "--json", "--db", db + ".d/shards/unknown-council"]).jsonLines.count == 1)
        #expect(try CLI.run(["list", "--json", "--db", db + ".d/shards/bournemouth-christchurch-and-poole-council"]).jsonLines.isEmpty)
        #expect(try CLI.run(["check", "--db", db]).status == 0)
        #expect((try CLI.run(["index", "--db", db, "--json", papers.path])).json["unchanged"] as? Int == 1)
    }

    @Test func savedSearchesOverShardsSeeEachRun() throws {
        let papers = tmp.url.appendingPathComponent("watched")
        try FileManager.default.createDirectory(at: papers, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.corpus.appendingPathComponent("000_f81ba9aa27b3c6b1.txt"), to: papers.appendingPathComponent("ox.txt"))
        let db = tmp.url.appendingPathComponent("watched-set").path
        #expect(try CLI.run(["index", "--db", db, "--shard-by", "council", "--quiet", papers.path]).status == 0)
        #expect(try CLI.run(["watch", "add", "--db", db, "children", "children OR fostering"]).status == 0)
        #expect(try CLI.run(["watch", "run", "--db", db, "--json"]).stdout.isEmpty)
        // The next run brings Dorset's minutes, in a new shard.
        try FileManager.default.copyItem(at: CLI.corpus.appendingPathComponent("002_b77c10b755b80305.txt"), to: papers.appendingPathComponent("dorset.txt"))
        #expect(try CLI.run(["index", "--db", db, "--quiet", papers.path]).status == 0)
        let lines = try CLI.run(["watch", "run", "--db", db, "--json"]).jsonLines
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { ($0["path"] as? String)?.hasSuffix("dorset.txt") == true })
        #expect(try CLI.run(["watch", "run", "--db", db, "--json"]).stdout.isEmpty)
    }
}

@Suite(.serialized) struct RemoteShardTests {
    let tmp: TempDir
    let combined: String
    let set: String

    init() throws {
        tmp = try TempDir()
        combined = tmp.url.appendingPathComponent("combined").path
        set = tmp.url.appendingPathComponent("all.stub").path
        #expect(try CLI.run(["index", "--db", combined, "--quiet", CLI.corpus.path]).status == 0)
        #expect(try CLI.run(["index", "--db", set, "--shard-by", "council", "--quiet", CLI.corpus.path]).status == 0)
    }

    func shard(_ name: String) -> String { set + ".d/shards/" + name }

    /// A stub of the Oxfordshire and Worcestershire shards here and `remote`.
    func mixedStub(_ remote: String, name: String = "mixed.stub") throws -> String {
        let path = tmp.url.appendingPathComponent(name).path
        try """
            # two shards on this host, one elsewhere
            auto all.stub.d/shards/oxfordshire-county-council
            auto all.stub.d/shards/worcestershire-county-council
            \(remote)

            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(.enabled(if: Tools.hasRemoteServers, "needs xapian-tcpsrv and xapian-progsrv (Debian: xapian-tools)"))
    func aLocalAndARemoteShardAnswerAsOneCombinedIndex() throws {
        let (server, port) = try serveShard(shard("dorset-county-council"), in: tmp)
        defer { server.stop() }
        let stub = try mixedStub("remote 127.0.0.1:\(port)")
        // Same hits, scores, order, totals, facets, collapsing, spelling.
        try CLI.expectSameSearches(combined, stub, snippets: false)
        #expect(try CLI.papers(combined) == CLI.papers(stub))
        // An item that lives on the remote shard, by id; items like it.
        let id = fosteringItemID
        let shown = try CLI.run(["show", "--json", "--db", stub, id])
        #expect(shown.json["title"] as? String == "117. Fostering Modernisation Plan")
        #expect(shown.stdout == (try CLI.run(["show", "--json", "--db", combined, id])).stdout)
        let a = try CLI.run(["similar", "--json", "--db", combined, "--limit", "50", id])
        let b = try CLI.run(["similar", "--json", "--db", stub, "--limit", "50", id])
        #expect(CLI.comparable(a.json, snippets: false) == CLI.comparable(b.json, snippets: false))
        // The remote shard's words feed spelling suggestions.
        #expect(try CLI.run(["search", "--json", "--db", stub, "modernisaton"]).json["suggestion"] as? String == "modernisation")
        // check reads the remote shard through its server.
        let check = try CLI.run(["check", "--json", "--db", stub])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.json["papers"] as? Int == 5)
        #expect((check.json["shards"] as? [[String: Any]])?.filter { $0["remote"] as? Bool == true }.first?["items"] as? Int == 14)
        // A set's stub with the remote line added by hand keeps it across runs.
        let set2 = tmp.url.appendingPathComponent("set2").path
        #expect(try CLI.run(["index", "--db", set2, "--shard-by", "council", "--quiet",
                             CLI.corpus.appendingPathComponent("000_f81ba9aa27b3c6b1.txt").path]).status == 0)
        try (try String(contentsOfFile: set2, encoding: .utf8) + "remote 127.0.0.1:\(port)\n").write(toFile: set2, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["index", "--db", set2, "--quiet", CLI.corpus.appendingPathComponent("004_9c84ce1d197186bb.txt").path]).status == 0)
        let lines = try String(contentsOfFile: set2, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines == ["auto set2.d/shards/oxfordshire-county-council", "auto set2.d/shards/worcestershire-county-council",
                          "remote 127.0.0.1:\(port)"])
        let fostering = try CLI.run(["search", "--json", "--db", set2, "fostering"]).json
        #expect((fostering["hits"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
        #expect(fostering["warnings"] == nil)
    }

    @Test(.enabled(if: Tools.hasRemoteServers, "needs xapian-progsrv (Debian: xapian-tools)"))
    func aShardServedByAProgramAnswersTheSame() throws {
        // `remote :ssh HOST xapian-progsrv PATH` without the ssh: the program form.
        let stub = try mixedStub("remote :xapian-progsrv \(shard("dorset-county-council"))")
        try CLI.expectSameSearches(combined, stub, snippets: false)
    }

    @Test(.enabled(if: Tools.hasRemoteServers, "needs xapian-tcpsrv (Debian: xapian-tools)"))
    func aDeadRemoteShardGivesAWarningAndTheOthersResults() throws {
        let local = try mixedStub("", name: "local.stub")
        let dead = try mixedStub("remote 127.0.0.1:\(Loopback.freePort())", name: "dead.stub")
        // The other shards' results, with a warning naming the shard.
        for probe in CLI.probes {
            let expected = try CLI.run(["search", "--json", "--db", local, "--limit", "100"] + probe)
            let started = Date()
            let got = try CLI.run(["search", "--json", "--db", dead, "--limit", "100"] + probe)
            #expect(Date().timeIntervalSince(started) < 5)
            #expect(got.status == 0, "\(got.stderr)")
            var json = got.json
            let warnings = json["warnings"] as? [String] ?? []
            #expect(warnings.contains { $0.contains("did not answer") && $0.contains("dead.stub line 4") && $0.contains("other 2 of 3 shards") })
            #expect((json["missing_shards"] as? [String])?.first?.hasPrefix("remote 127.0.0.1:") == true)
            #expect(got.stderr.contains("council: warning: shard remote 127.0.0.1:"))
            json["warnings"] = (warnings.filter { !$0.contains("did not answer") }).nilIfEmpty
            json["missing_shards"] = nil
            #expect(CLI.comparable(json) == CLI.comparable(expected.json), "\(probe)")
        }
        let human = try CLI.run(["search", "--db", dead, "fostering"])
        #expect(human.status == 0)
        #expect(human.stdout.contains("Note: shard remote 127.0.0.1:"))
        #expect(try CLI.run(["list", "--json", "--db", dead]).jsonLines.count == 4)
        // --strict: a clear error and exit code 7.
        let strict = try CLI.run(["search", "--json", "--strict", "--db", dead, "fostering"])
        #expect(strict.status == 7)
        #expect(strict.stdout.isEmpty)
        #expect(strict.stderr.contains("did not answer"))
        #expect(strict.stderr.contains("--strict"))
        #expect(strict.stderr.split(separator: "\n").count == 1)
        // No shard answering is an error with or without --strict.
        let none = tmp.url.appendingPathComponent("none.stub").path
        try "remote 127.0.0.1:\(Loopback.freePort())\nremote 127.0.0.1:\(Loopback.freePort())\n".write(toFile: none, atomically: true, encoding: .utf8)
        let nothing = try CLI.run(["search", "--json", "--db", none, "care"])
        #expect(nothing.status == 7)
        #expect(nothing.stderr.contains("no shard of"))
        #expect(try CLI.run(["check", "--db", dead]).status == 6)
    }

    @Test(.enabled(if: Tools.hasRemoteServers, "needs xapian-tcpsrv (Debian: xapian-tools)"))
    func aShardThatNeverAnswersCostsOneTimeoutNotAHang() throws {
        // A host that takes the connection and says nothing.
        let silent = Loopback.SilentListener()
        let stub = try mixedStub("remote 127.0.0.1:\(silent.port)", name: "silent.stub")
        let started = Date()
        let got = try CLI.run(["search", "--json", "--remote-timeout", "1", "--db", stub, "care"])
        let seconds = Date().timeIntervalSince(started)
        #expect(got.status == 0)
        #expect(seconds < 6, "took \(seconds) s")
        #expect((got.json["warnings"] as? [String])?.contains { $0.contains("no answer within 1 s") } == true)
        #expect((got.json["total"] as? Int ?? 0) > 0)
        let strict = try CLI.run(["search", "--json", "--strict", "--remote-timeout", "1", "--db", stub, "care"])
        #expect(strict.status == 7)
        // A tcpsrv that stops mid-session (suspended): the next search
        // leaves it out after one timeout.
        let (server, port) = try serveShard(shard("dorset-county-council"), in: tmp)
        defer {
            server.resume()
            server.stop()
        }
        let live = try mixedStub("remote 127.0.0.1:\(port)", name: "live.stub")
        let input = Pipe(), output = Pipe()
        let repl = try CLI.start(["repl", "--db", live, "--json", "--remote-timeout", "1", "--limit", "100"], stdin: input, stdout: output)
        input.fileHandleForWriting.write(Data("fostering\n".utf8))
        let first = try #require(readLine(output, timeout: 10))
        #expect(first["total"] as? Int == 3)
        server.pause()
        let paused = Date()
        input.fileHandleForWriting.write(Data("fostering\n".utf8))
        let second = try #require(readLine(output, timeout: 10))
        #expect(Date().timeIntervalSince(paused) < 6)
        #expect(second["total"] as? Int == 2)
        #expect((second["missing_shards"] as? [String]) == ["remote 127.0.0.1:\(port)"])
        try input.fileHandleForWriting.close()
        repl.waitUntilExit()
        #expect(repl.terminationStatus == 0)
    }

    @Test(.enabled(if: Tools.hasRemoteServers, "needs xapian-tcpsrv (Debian: xapian-tools)"))
    func serveShardServesEachRebuildToNewConnections() throws {
        let papers = tmp.url.appendingPathComponent("papers")
        try FileManager.default.createDirectory(at: papers, withIntermediateDirectories: true)
        let file = papers.appendingPathComponent("dorset.txt")
        try FileManager.default.copyItem(at: CLI.corpus.appendingPathComponent("002_b77c10b755b80305.txt"), to: file)
        let own = tmp.url.appendingPathComponent("dorset-index").path
        #expect(try CLI.run(["index", "--db", own, "--quiet", papers.path]).status == 0)
        let (server, port) = try serveShard(own, in: tmp)
        defer { server.stop() }
        let stub = try mixedStub("remote 127.0.0.1:\(port)", name: "served.stub")
        #expect((try CLI.run(["search", "--json", "--db", stub, "\"fostering modernisation plan\""]).json["total"] as? Int) == 1)
        for round in 1...2 {
            let title = "Fostering Renewal Plan \(round)"
            let text = try String(contentsOf: CLI.corpus.appendingPathComponent("002_b77c10b755b80305.txt"), encoding: .utf8)
                .replacingOccurrences(of: "Fostering Modernisation Plan", with: title)
            try text.write(to: file, atomically: true, encoding: .utf8)
            #expect(try CLI.run(["index", "--db", own, "--rebuild", "--quiet", papers.path]).status == 0)
            let found = try CLI.run(["search", "--json", "--db", stub, "\"\(title)\""])
            #expect(found.json["total"] as? Int == 1, "round \(round): \(found.stdout) \(found.stderr)")
            #expect(found.json["warnings"] == nil)
        }
        #expect(server.isRunning)
        // Its usage: the command it runs, and clear errors.
        let dry = try CLI.run(["serve-shard", own, "--port", "8101", "--dry-run"])
        #expect(dry.stdout.contains("xapian-tcpsrv --interface 127.0.0.1 --port 8101"))
        #expect(dry.stdout.hasSuffix(" \(own)\n"))
        #expect(try CLI.run(["serve-shard", tmp.url.appendingPathComponent("nothing").path, "--port", "8101"]).status == 3)
        #expect(try CLI.run(["serve-shard", own, "--port", "0"]).status == 2)
    }

    @Test(.enabled(if: Tools.hasReplication, "needs xapian-replicate and xapian-replicate-server (Debian: xapian-tools)"))
    func aReadReplicaAnswersTheSameSearchAfterAnUpdate() throws {
        let shards = set + ".d/shards"
        let port = Loopback.freePort()
        let master = try ServerProcess(Tools.path("xapian-replicate-server")!, ["-I", "127.0.0.1", "-p", String(port), shards],
                                       log: tmp.url.appendingPathComponent("replicate-server.log"))
        defer { master.stop() }
        try Loopback.waitFor(port, server: master)
        try FileManager.default.createDirectory(at: tmp.url.appendingPathComponent("replicas"), withIntermediateDirectories: true)
        let replica = tmp.url.appendingPathComponent("replicas/worcestershire").path
        func replicate() throws {
            let client = try ServerProcess(Tools.path("xapian-replicate")!,
                                           ["-h", "127.0.0.1", "-p", String(port), "-m", "worcestershire-county-council", "-o", "-t", "10", replica],
                                           log: tmp.url.appendingPathComponent("replicate.log"))
            let status = client.wait(timeout: 30)
            #expect(status == 0, "xapian-replicate: \(client.output)")
        }
        try replicate()
        let shard = shard("worcestershire-county-council")
        for query in ["homeshare", "care", "--sort newest kind:minutes"] {
            let words = query.split(separator: " ").map(String.init)
            let a = try CLI.run(["search", "--json", "--db", shard, "--limit", "100"] + words)
            let b = try CLI.run(["search", "--json", "--db", replica, "--limit", "100"] + words)
            #expect(b.status == 0, "\(b.stderr)")
            #expect(CLI.comparable(a.json) == CLI.comparable(b.json), "\(query)")
        }
        // The master changes (a paper indexed into the shard); the replica
        // follows, and answers the new search as the master does.
        let papers = tmp.url.appendingPathComponent("more")
        try FileManager.default.createDirectory(at: papers, withIntermediateDirectories: true)
        let extra = papers.appendingPathComponent("worcs-extra.txt")
        let text = try String(contentsOf: CLI.corpus.appendingPathComponent("004_9c84ce1d197186bb.txt"), encoding: .utf8) + "\n\nAppendix: zeppelin mooring study.\n"
        try text.write(to: extra, atomically: true, encoding: .utf8)
        let update = try CLI.run(["index", "--db", shard, "--json", papers.path], environment: ["XAPIAN_MAX_CHANGESETS": "10"])
        #expect(update.json["added"] as? Int == 1)
        #expect((try CLI.run(["search", "--json", "--db", replica, "zeppelin"]).json["total"] as? Int) == 0)
        try replicate()
        let a = try CLI.run(["search", "--json", "--db", shard, "--limit", "100", "zeppelin"])
        let b = try CLI.run(["search", "--json", "--db", replica, "--limit", "100", "zeppelin"])
        #expect((a.json["total"] as? Int ?? 0) > 0)
        #expect(CLI.comparable(a.json) == CLI.comparable(b.json))
        // A replica is a read-only database folder: a stub can list it in
        // place of the shard it copies.
        let withReplica = tmp.url.appendingPathComponent("replica.stub").path
        try "auto all.stub.d/shards/dorset-county-council\nauto all.stub.d/shards/oxfordshire-county-council\nauto \(replica)\n"
            .write(toFile: withReplica, atomically: true, encoding: .utf8)
        let fromMaster = try CLI.run(["search", "--json", "--db", set, "--limit", "100", "zeppelin OR care"])
        let copy = try CLI.run(["search", "--json", "--db", withReplica, "--limit", "100", "zeppelin OR care"])
        #expect(CLI.comparable(fromMaster.json) == CLI.comparable(copy.json))
    }
}

/// Read one JSON line from `pipe` within `timeout` seconds.
func readLine(_ pipe: Pipe, timeout: Double) -> [String: Any]? {
    let handle = pipe.fileHandleForReading
    var buffer = Data()
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        var poller = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 100) > 0 else { continue }
        var byte: UInt8 = 0
        guard read(handle.fileDescriptor, &byte, 1) == 1 else { return nil }
        if byte == 10 { return (try? JSONSerialization.jsonObject(with: buffer)) as? [String: Any] }
        buffer.append(byte)
    }
    return nil
}

extension Array {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}

/// The id of "117. Fostering Modernisation Plan" (item 7 of a Dorset paper in
/// Corpus/). Ids hash the paper's absolute path (FNV-1a), so they depend on
/// where the repository is checked out.
let fosteringItemID: String = {
    var hash: UInt64 = 0xcbf29ce484222325
    for byte in CLI.corpus.appendingPathComponent("002_b77c10b755b80305.txt").path.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100000001b3
    }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits + "-7"
}()
