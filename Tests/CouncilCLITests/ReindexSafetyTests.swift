import Foundation
import Testing

/// Issue: nightly reindexing that never loses or corrupts the index.
/// Real processes, killed for real.
extension CLI {
    /// Start `council` without waiting for it.
    static func start(_ arguments: [String], stdin: Pipe? = nil, stdout: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["COUNCIL_DB"] = nil
        env["NO_COLOR"] = "1"
        process.environment = env
        process.standardInput = stdin ?? FileHandle.nullDevice
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A corpus of real papers: Corpus/ copied `copies` times into `folder`.
    static func makeCorpus(in folder: URL, copies: Int) throws -> [URL] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let papers = try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
        var made: [URL] = []
        for copy in 0..<copies {
            let sub = folder.appendingPathComponent(String(format: "batch-%02d", copy))
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            for paper in papers {
                let target = sub.appendingPathComponent(paper.lastPathComponent)
                try FileManager.default.copyItem(at: paper, to: target)
                made.append(target)
            }
        }
        return made
    }

    /// Everything searchable about an index: papers and items, without the
    /// run bookkeeping, in a canonical order.
    static func contents(_ db: String) throws -> (papers: [String], items: [String]) {
        let list = try run(["list", "--json", "--db", db])
        let papers = list.stdout.split(separator: "\n").map { line -> String in
            var object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
            object["indexed_run"] = nil
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return String(decoding: data ?? Data(), as: UTF8.self)
        }.sorted()
        let search = try run(["search", "--json", "--db", db, "--limit", "100000", ""])
        let hits = (search.json["hits"] as? [[String: Any]]) ?? []
        let items = hits.map { hit -> String in
            let keys = ["id", "title", "council", "committee", "date", "kind", "portfolios", "path", "line", "item"]
            let picked = Dictionary(uniqueKeysWithValues: keys.map { ($0, hit[$0] ?? NSNull()) })
            let data = try? JSONSerialization.data(withJSONObject: picked, options: [.sortedKeys])
            return String(decoding: data ?? Data(), as: UTF8.self)
        }.sorted()
        return (papers, items)
    }
}

@Suite(.serialized) struct ReindexSafetyTests {
    @Test func killedAtRandomMomentsTheIndexStaysSoundAndCompletes() throws {
        let tmp = try TempDir()
        let papers = tmp.url.appendingPathComponent("papers")
        let files = try CLI.makeCorpus(in: papers, copies: 12)
        let db = tmp.url.appendingPathComponent("index").path
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for round in 0..<14 {
            // Small batches so kills land inside and between commits.
            let process = try CLI.start(["index", "--db", db, "--quiet", "--commit-documents", "40", papers.path])
            let delay = UInt32.random(in: 30_000...900_000, using: &generator)
            usleep(delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            // After every kill the index opens, answers, and passes check.
            if FileManager.default.fileExists(atPath: db) {
                let check = try CLI.run(["check", "--db", db, "--json"])
                #expect(check.status == 0, "round \(round): \(check.stdout) \(check.stderr)")
                #expect(check.json["healthy"] as? Bool == true, "round \(round)")
                let search = try CLI.run(["search", "--db", db, "--json", "care"])
                #expect(search.status == 0, "round \(round): \(search.stderr)")
            }
        }
        #expect(kills >= 5, "the indexer was killed only \(kills) times")
        // A final run completes the work.
        let final = try CLI.run(["index", "--db", db, "--json", papers.path])
        #expect(final.status == 0)
        // It equals a clean build: same papers, same items, same metadata.
        let clean = tmp.url.appendingPathComponent("clean").path
        let build = try CLI.run(["index", "--db", clean, "--json", papers.path])
        #expect(build.json["added"] as? Int == files.count)
        let a = try CLI.contents(db), b = try CLI.contents(clean)
        #expect(a.papers.count == files.count)
        #expect(a.papers == b.papers)
        #expect(a.items.count == b.items.count)
        #expect(a.items == b.items)
        #expect(try CLI.run(["check", "--db", db]).status == 0)
    }

    @Test func oneWriterAtATime() throws {
        let tmp = try TempDir()
        let db = tmp.db
        #expect(try CLI.run(["index", "--db", db, "--quiet", CLI.corpus.path]).status == 0)
        // Hold the writer's lock as another run would.
        let lockPath = db + ".d/lock"
        let fd = open(lockPath, O_RDWR)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX) == 0)
        let refused = try CLI.run(["index", "--db", db, "--json", CLI.corpus.path])
        #expect(refused.status == 4)
        #expect(refused.stderr.contains(lockPath))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        // With --wait it waits for the lock, then runs.
        let out = Pipe()
        let waiting = try CLI.start(["index", "--db", db, "--json", "--wait", CLI.corpus.path], stdout: out)
        usleep(700_000)
        #expect(waiting.isRunning)
        flock(fd, LOCK_UN)
        close(fd)
        waiting.waitUntilExit()
        #expect(waiting.terminationStatus == 0)
        let summary = try JSONSerialization.jsonObject(with: out.fileHandleForReading.readDataToEndOfFile()) as? [String: Any]
        #expect(summary?["unchanged"] as? Int == 5)
    }

    @Test func rebuildSwitchesAtomicallyAndKeepsMetadata() throws {
        let tmp = try TempDir()
        let db = tmp.db
        let papers = tmp.url.appendingPathComponent("papers")
        _ = try CLI.makeCorpus(in: papers, copies: 1)
        #expect(try CLI.run(["index", "--db", db, "--quiet", papers.path]).status == 0)
        let before = try CLI.contents(db)
        // Change one paper, rebuild.
        let changed = papers.appendingPathComponent("batch-00/002_b77c10b755b80305.txt")
        let text = try String(contentsOf: changed, encoding: .utf8).replacingOccurrences(of: "Fostering Modernisation Plan", with: "Fostering Renewal Plan")
        try text.write(to: changed, atomically: true, encoding: .utf8)
        let rebuilt = try CLI.run(["index", "--db", db, "--rebuild", "--json", papers.path])
        #expect(rebuilt.status == 0)
        #expect(rebuilt.json["rebuilt"] as? Bool == true)
        #expect(rebuilt.json["added"] as? Int == 5)
        #expect((rebuilt.json["run"] as? Int ?? 0) == 2)
        let after = try CLI.contents(db)
        #expect(after.items.count == before.items.count)
        #expect(after.items.contains { $0.contains("Fostering Renewal Plan") })
        // The stub names the new version; old versions are cleaned up.
        let stub = try String(contentsOfFile: db, encoding: .utf8)
        #expect(stub.contains("auto index.d/v0002"))
        try CLI.run(["index", "--db", db, "--rebuild", "--quiet", papers.path])
        let versions = try FileManager.default.contentsOfDirectory(atPath: db + ".d").filter { $0.hasPrefix("v") }.sorted()
        #expect(versions == ["v0002", "v0003"])
    }

    @Test func searchesKeepAnsweringDuringReindexAndRebuild() throws {
        let tmp = try TempDir()
        let db = tmp.db
        let papers = tmp.url.appendingPathComponent("papers")
        _ = try CLI.makeCorpus(in: papers, copies: 6)
        #expect(try CLI.run(["index", "--db", db, "--quiet", papers.path]).status == 0)
        let input = Pipe(), output = Pipe()
        let repl = try CLI.start(["repl", "--db", db, "--json", "--limit", "3"], stdin: input, stdout: output)
        let queries = ["fostering", "home care", "committee:cabinet", "\"adult social care\"", "date:2017 ofsted", "kind:minutes care"]
        // Collect the REPL's answers while indexing runs.
        nonisolated(unsafe) var collected = Data()
        let reader = Thread {
            collected = output.fileHandleForReading.readDataToEndOfFile()
        }
        reader.start()
        let writers = [
            try CLI.start(["index", "--db", db, "--quiet", "--force", "--commit-documents", "20", papers.path]),
        ]
        var sent = 0
        var rebuildStarted = false
        var rebuild: Process? = nil
        while writers.contains(where: \.isRunning) || (rebuild?.isRunning ?? true) {
            input.fileHandleForWriting.write(Data((queries[sent % queries.count] + "\n").utf8))
            sent += 1
            usleep(20_000)
            if !rebuildStarted && !writers[0].isRunning {
                rebuild = try CLI.start(["index", "--db", db, "--quiet", "--rebuild", papers.path])
                rebuildStarted = true
            }
        }
        for q in queries { input.fileHandleForWriting.write(Data((q + "\n").utf8)) }
        sent += queries.count
        try input.fileHandleForWriting.close()
        repl.waitUntilExit()
        while reader.isExecuting || !reader.isFinished { usleep(10_000) }
        #expect(writers[0].terminationStatus == 0)
        #expect(rebuild?.terminationStatus == 0)
        let lines = String(decoding: collected, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == sent)
        var failures = 0
        for line in lines {
            let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            if object == nil || object?["error"] != nil { failures += 1 }
        }
        #expect(failures == 0, "\(failures) of \(lines.count) searches failed")
        #expect(sent > 20)
        #expect(repl.terminationStatus == 0)
    }
}

@Suite(.serialized) struct BadInputTests {
    @Test func eachBadFileIsReportedAndTheRunGoesOn() throws {
        let tmp = try TempDir()
        let dir = tmp.url.appendingPathComponent("papers")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let good = CLI.corpus.appendingPathComponent("002_b77c10b755b80305.txt")
        // Good papers under awkward names: spaces, a newline, non-ASCII.
        for name in ["with spaces.txt", "new\nline.txt", "Caerdydd – cofnodion ✓.txt"] {
            try FileManager.default.copyItem(at: good, to: dir.appendingPathComponent(name))
        }
        // Binary.
        try Data([0x00, 0xFF, 0x10, 0x00, 0x42] + [UInt8](repeating: 0, count: 100)).write(to: dir.appendingPathComponent("binary.txt"))
        // Empty.
        try Data().write(to: dir.appendingPathComponent("empty.md"))
        // A 500 MB file (sparse: costs no disk).
        let huge = dir.appendingPathComponent("huge.txt")
        FileManager.default.createFile(atPath: huge.path, contents: nil)
        #expect(truncate(huge.path, 500 * 1_048_576) == 0)
        // A named pipe: opening it would block for ever.
        #expect(mkfifo(dir.appendingPathComponent("pipe.txt").path, 0o644) == 0)
        // Symbolic link loops: a link to its own folder and a link to itself.
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("loop").path, withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("self.txt").path, withDestinationPath: "self.txt")
        // A dangling link.
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("gone.txt").path, withDestinationPath: "nowhere.txt")
        // Unreadable by permissions (only meaningful when not root).
        if getuid() != 0 {
            try FileManager.default.copyItem(at: good, to: dir.appendingPathComponent("secret.txt"))
            chmod(dir.appendingPathComponent("secret.txt").path, 0)
        }
        // Not a paper at all: skipped with a reason, not a failure.
        try Data("x".utf8).write(to: dir.appendingPathComponent("photo.jpg"))
        // PDFs: a damaged one, one whose reader hangs and one whose reader
        // crashes (a pdftotext ahead of the real one on PATH misbehaves for
        // those two, and runs the real one for the rest).
        try Data("%PDF-1.4\n1 0 obj << /Type /Catalog".utf8).write(to: dir.appendingPathComponent("damaged.pdf"))
        try Data("%PDF-1.4\n".utf8).write(to: dir.appendingPathComponent("hangs.pdf"))
        try Data("%PDF-1.4\n".utf8).write(to: dir.appendingPathComponent("crashes.pdf"))
        let bin = tmp.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let fake = bin.appendingPathComponent("pdftotext")
        try """
            #!/bin/sh
            for a in "$@"; do
              case "$a" in
                *hangs*) exec sleep 600 ;;
                *crashes*) kill -SEGV $$ ;;
              esac
            done
            exec /usr/bin/pdftotext "$@"
            """.write(to: fake, atomically: true, encoding: .utf8)
        chmod(fake.path, 0o755)
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

        let started = Date()
        let result = try CLI.run(["index", "--db", tmp.db, "--json", "--reader-timeout", "2", dir.path], environment: ["PATH": path])
        #expect(Date().timeIntervalSince(started) < 60, "a hanging reader is stopped at its time limit")
        #expect(result.status == 5)
        let json = result.json
        #expect(json["added"] as? Int == 3)
        let failures = (json["failures"] as? [[String: String]]) ?? []
        let byName = Dictionary(failures.map { (($0["path"] ?? "") as NSString).lastPathComponent } .enumerated().map { ($0.element, failures[$0.offset]["error"] ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(byName["binary.txt"] == "binary content, not text")
        #expect(byName["empty.md"] == "no text")
        #expect(byName["huge.txt"]?.contains("over the") == true)
        #expect(byName["pipe.txt"] == "not a regular file")
        #expect(byName["loop"] == "symbolic link loop")
        #expect(byName["self.txt"] == "symbolic link loop")
        #expect(byName["gone.txt"] == "dangling symbolic link")
        if getuid() != 0 { #expect(byName["secret.txt"]?.contains("permission denied") == true) }
        #expect(byName["damaged.pdf"]?.hasPrefix("damaged PDF") == true, "\(byName["damaged.pdf"] ?? "")")
        #expect(byName["hangs.pdf"] == "pdftotext did not finish within 2 s and was stopped")
        #expect(byName["crashes.pdf"]?.hasPrefix("pdftotext crashed with signal 11") == true, "\(byName["crashes.pdf"] ?? "")")
        #expect(json["failed"] as? Int == failures.count)
        #expect(json["skipped"] as? Int == 1)
        // Each problem was logged with a timestamp, one line each.
        let logLines = result.stderr.split(separator: "\n")
        #expect(logLines.count >= failures.count)
        #expect(logLines.allSatisfy { $0.first?.isNumber == true && $0.contains("council: ") })
        // The good papers are searchable, under their awkward paths.
        let list = try CLI.run(["list", "--json", "--db", tmp.db])
        let paths = list.jsonLines.compactMap { $0["path"] as? String }.map { ($0 as NSString).lastPathComponent }.sorted()
        #expect(paths == ["Caerdydd – cofnodion ✓.txt", "new\nline.txt", "with spaces.txt"].sorted())
        #expect(try CLI.run(["check", "--db", tmp.db]).status == 0)
    }
}

/// Disk full and read-only: a real small file system mounted for the test
/// (needs root; skipped where mounting is not allowed).
@Suite(.serialized) struct FileSystemFaultTests {
    static func mountTmpfs(_ path: String, size: String) -> Bool {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard getuid() == 0 else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/mount")
        p.arguments = ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    static func run(_ tool: String, _ args: [String]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        try? p.run()
        p.waitUntilExit()
    }

    static let canMount: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("council-mount-probe-\(getpid())").path
        defer { run("/bin/umount", [probe]); try? FileManager.default.removeItem(atPath: probe) }
        return mountTmpfs(probe, size: "1m")
    }()

    @Test(.enabled(if: FileSystemFaultTests.canMount, "needs root and permission to mount a tmpfs"))
    func diskFullLeavesTheIndexAsItWas() throws {
        let tmp = try TempDir()
        let mountPoint = tmp.url.appendingPathComponent("small").path
        #expect(FileSystemFaultTests.mountTmpfs(mountPoint, size: "12m"))
        defer { FileSystemFaultTests.run("/bin/umount", [mountPoint]) }
        let db = mountPoint + "/index"
        #expect(try CLI.run(["index", "--db", db, "--quiet", CLI.corpus.appendingPathComponent("000_f81ba9aa27b3c6b1.txt").path]).status == 0)
        let before = try CLI.contents(db)
        // Fill the disk.
        FileSystemFaultTests.run("/bin/dd", ["if=/dev/zero", "of=\(mountPoint)/filler", "bs=64k", "status=none"])
        let papers = tmp.url.appendingPathComponent("papers")
        _ = try CLI.makeCorpus(in: papers, copies: 3)
        let full = try CLI.run(["index", "--db", db, papers.path])
        #expect(full.status == 1)
        #expect(full.stderr.contains("full"))
        #expect(full.stderr.split(separator: "\n").count == 1, "\(full.stderr)")
        try FileManager.default.removeItem(atPath: mountPoint + "/filler")
        #expect(try CLI.run(["check", "--db", db]).status == 0)
        #expect(try CLI.contents(db).papers == before.papers)
        // With space again, the next run completes.
        #expect(try CLI.run(["index", "--db", db, "--quiet", papers.path]).status == 0)
        #expect(try CLI.contents(db).papers.count == 1 + 15)
    }

    @Test(.enabled(if: FileSystemFaultTests.canMount, "needs root and permission to mount a tmpfs"))
    func readOnlyIndexGivesAClearError() throws {
        let tmp = try TempDir()
        let mountPoint = tmp.url.appendingPathComponent("ro").path
        #expect(FileSystemFaultTests.mountTmpfs(mountPoint, size: "16m"))
        defer { FileSystemFaultTests.run("/bin/umount", [mountPoint]) }
        let db = mountPoint + "/index"
        #expect(try CLI.run(["index", "--db", db, "--quiet", CLI.corpus.path]).status == 0)
        FileSystemFaultTests.run("/bin/mount", ["-o", "remount,ro", mountPoint])
        let result = try CLI.run(["index", "--db", db, "--force", CLI.corpus.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Read-only file system") || result.stderr.contains("read-only"))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        // Searching a read-only index works.
        let search = try CLI.run(["search", "--db", db, "--json", "fostering"])
        #expect(search.status == 0)
        #expect((search.json["hits"] as? [[String: Any]])?.isEmpty == false)
    }
}

/// Saved searches and alerts: "what is new since last night".
@Suite(.serialized) struct WatchTests {
    @Test func onlyTheSecondRunsMatchesAreReported() throws {
        let tmp = try TempDir()
        let papers = tmp.url.appendingPathComponent("papers")
        try FileManager.default.createDirectory(at: papers, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.corpus.appendingPathComponent("000_f81ba9aa27b3c6b1.txt"), to: papers.appendingPathComponent("ox.txt"))
        #expect(try CLI.run(["index", "--db", tmp.db, "--quiet", papers.path]).status == 0)
        #expect(try CLI.run(["watch", "add", "--db", tmp.db, "children", "children OR fostering"]).status == 0)
        // Nothing new yet: the first run's matches predate the saved search.
        #expect(try CLI.run(["watch", "run", "--db", tmp.db, "--json"]).stdout.isEmpty)
        // The second run brings the Dorset minutes.
        try FileManager.default.copyItem(at: CLI.corpus.appendingPathComponent("002_b77c10b755b80305.txt"), to: papers.appendingPathComponent("dorset.txt"))
        #expect(try CLI.run(["index", "--db", tmp.db, "--quiet", papers.path]).status == 0)
        let report = try CLI.run(["watch", "run", "--db", tmp.db, "--json"])
        let lines = report.jsonLines
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { ($0["path"] as? String)?.hasSuffix("dorset.txt") == true })
        #expect(lines.allSatisfy { $0["search"] as? String == "children" })
        #expect(lines.contains { $0["title"] as? String == "117. Fostering Modernisation Plan" })
        // It remembered where it got to.
        #expect(try CLI.run(["watch", "run", "--db", tmp.db, "--json"]).stdout.isEmpty)
        // --since overrides.
        let since = try CLI.run(["watch", "run", "--db", tmp.db, "--json", "--since", "2000-01-01", "--dry-run"])
        #expect(since.jsonLines.count > lines.count)
        // A changed paper reports only its changed items.
        let dorset = papers.appendingPathComponent("dorset.txt")
        let text = try String(contentsOf: dorset, encoding: .utf8).replacingOccurrences(of: "Residential Homes - Children's Services", with: "Residential Homes for Children")
        try text.write(to: dorset, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["index", "--db", tmp.db, "--quiet", papers.path]).status == 0)
        let changed = try CLI.run(["watch", "run", "--db", tmp.db, "--json"]).jsonLines
        #expect(changed.map { $0["title"] as? String } == ["123. Residential Homes for Children"])
    }

    /// contrib/council-nightly, as systemd or cron runs it: reindex, then
    /// pipe the saved searches' new items to the alert command.
    @Test func theNightlyPipelineSendsOnlyNewItems() throws {
        let tmp = try TempDir()
        let papers = tmp.url.appendingPathComponent("papers")
        try FileManager.default.createDirectory(at: papers, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.corpus.appendingPathComponent("000_f81ba9aa27b3c6b1.txt"), to: papers.appendingPathComponent("ox.txt"))
        let script = CLI.root.appendingPathComponent("contrib/council-nightly").path
        let sent = tmp.url.appendingPathComponent("sent.jsonl").path
        let env = ["PATH": CLI.executable.deletingLastPathComponent().path + ":/usr/bin:/bin", "COUNCIL_DB": tmp.db,
                   "PAPERS": papers.path, "ALERT": "cat >> '\(sent)'"]
        func night() throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = [script]
            p.environment = env
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        #expect(try night() == 0)
        #expect(try CLI.run(["watch", "add", "--db", tmp.db, "fostering", "fostering OR foster"]).status == 0)
        #expect(try night() == 0)
        #expect(!FileManager.default.fileExists(atPath: sent), "nothing new on the second night")
        try FileManager.default.copyItem(at: CLI.corpus.appendingPathComponent("002_b77c10b755b80305.txt"), to: papers.appendingPathComponent("dorset.txt"))
        #expect(try night() == 0)
        let lines = try String(contentsOfFile: sent, encoding: .utf8).split(separator: "\n")
            .compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        #expect(lines.contains { $0["title"] as? String == "117. Fostering Modernisation Plan" })
        #expect(lines.allSatisfy { $0["search"] as? String == "fostering" && ($0["path"] as? String)?.hasSuffix("dorset.txt") == true })
        // A failing file: the night still sends alerts and says "done, with failures".
        try Data([0, 1, 2, 3]).write(to: papers.appendingPathComponent("broken.txt"))
        #expect(try night() == 5)
    }

    @Test func removedAndReaddedPaperIsReportedAgain() throws {
        let tmp = try TempDir()
        let papers = tmp.url.appendingPathComponent("papers")
        try FileManager.default.createDirectory(at: papers, withIntermediateDirectories: true)
        let file = papers.appendingPathComponent("dorset.txt")
        try FileManager.default.copyItem(at: CLI.corpus.appendingPathComponent("002_b77c10b755b80305.txt"), to: file)
        #expect(try CLI.run(["index", "--db", tmp.db, "--quiet", papers.path]).status == 0)
        #expect(try CLI.run(["watch", "add", "--db", tmp.db, "fostering", "fostering"]).status == 0)
        try FileManager.default.moveItem(at: file, to: tmp.url.appendingPathComponent("aside.txt"))
        #expect(try CLI.run(["index", "--db", tmp.db, "--quiet", "--prune", papers.path]).status == 0)
        #expect(try CLI.run(["watch", "run", "--db", tmp.db, "--json"]).stdout.isEmpty)
        try FileManager.default.moveItem(at: tmp.url.appendingPathComponent("aside.txt"), to: file)
        #expect(try CLI.run(["index", "--db", tmp.db, "--quiet", papers.path]).status == 0)
        let back = try CLI.run(["watch", "run", "--db", tmp.db, "--json"]).jsonLines
        #expect(back.first?["title"] as? String == "117. Fostering Modernisation Plan")
    }

    @Test func savedSearchesSurviveARebuild() throws {
        let tmp = try TempDir()
        #expect(try CLI.run(["index", "--db", tmp.db, "--quiet", CLI.corpus.path]).status == 0)
        #expect(try CLI.run(["watch", "add", "--db", tmp.db, "homecare", "\"home care\" council:oxfordshire"]).status == 0)
        #expect(try CLI.run(["index", "--db", tmp.db, "--quiet", "--rebuild", CLI.corpus.path]).status == 0)
        let list = try CLI.run(["watch", "list", "--db", tmp.db, "--json"]).jsonLines
        #expect(list.map { $0["name"] as? String } == ["homecare"])
        let search = try CLI.run(["search", "--db", tmp.db, "--json", "saved:homecare"])
        #expect((search.json["total"] as? Int ?? 0) > 0)
        // The rebuild re-read everything, but nothing is new to the saved search.
        #expect(try CLI.run(["watch", "run", "--db", tmp.db, "--json"]).stdout.isEmpty)
        #expect(try CLI.run(["watch", "remove", "--db", tmp.db, "homecare"]).status == 0)
        #expect(try CLI.run(["watch", "remove", "--db", tmp.db, "homecare"]).status == 2)
    }

    @Test func statsAndExplainOnTheCommandLine() throws {
        let tmp = try TempDir()
        #expect(try CLI.run(["index", "--db", tmp.db, "--quiet", CLI.corpus.path]).status == 0)
        let stats = try CLI.run(["stats", "--db", tmp.db, "--json"]).jsonLines
        #expect(stats.count == 5)
        #expect(stats.allSatisfy { $0["newest_meeting"] is String && $0["last_indexed"] is String && $0["papers"] as? Int == 1 })
        let explained = try CLI.run(["search", "--db", tmp.db, "--explain", "fostering kind:minutes"])
        #expect(explained.stdout.contains("“fostering” (also “foster…”)"))
        #expect(explained.stdout.contains("Filter kind: minutes — minutes."))
        let json = try CLI.run(["search", "--db", tmp.db, "--json", "--explain", "fostering"]).json
        #expect((json["interpretation"] as? [String: Any])?["words"] is [[String: Any]])
    }
}
