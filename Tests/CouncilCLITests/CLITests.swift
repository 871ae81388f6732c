import Foundation
import Testing

/// End-to-end tests: the built `council` executable run as a real process
/// on Corpus/, its JSON parsed and asserted.
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = root.appendingPathComponent("Corpus")

    /// The `council` binary built beside the test bundle.
    static let executable: URL = {
        if let explicit = ProcessInfo.processInfo.environment["COUNCIL_BIN"] { return URL(fileURLWithPath: explicit) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("council")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/council")
    }()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
        }

        var jsonLines: [[String: Any]] {
            stdout.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        }
    }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
                    directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["COUNCIL_DB"] = nil
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

final class TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("council-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    var db: String { url.appendingPathComponent("index").path }
}

@Suite(.serialized) struct EndToEndTests {
    let tmp: TempDir

    init() throws {
        tmp = try TempDir()
        let result = try CLI.run(["index", "--db", tmp.db, "--json", CLI.corpus.path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func indexSummaryIsOneJSONLine() throws {
        let other = try TempDir()
        let result = try CLI.run(["index", "--db", other.db, "--json", "Corpus"], directory: CLI.root)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let summary = result.json
        #expect(summary["added"] as? Int == 5)
        #expect(summary["updated"] as? Int == 0)
        #expect(summary["removed"] as? Int == 0)
        #expect(summary["unchanged"] as? Int == 0)
        #expect(summary["failed"] as? Int == 0)
        #expect(summary["seconds"] is Double || summary["seconds"] is Int)
        let again = try CLI.run(["index", "--db", other.db, "--json", "Corpus"], directory: CLI.root)
        #expect(again.json["unchanged"] as? Int == 5)
        let quiet = try CLI.run(["index", "--db", other.db, "--quiet", "Corpus"], directory: CLI.root)
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty)
    }

    @Test func indexDefaultsToCorpusFolder() throws {
        let other = try TempDir()
        let result = try CLI.run(["index", "--db", other.db, "--json"], directory: CLI.root)
        #expect(result.json["added"] as? Int == 5)
        let list = try CLI.run(["list", "--json", "--db", other.db])
        #expect(list.jsonLines.compactMap { $0["path"] as? String }.allSatisfy { $0.hasPrefix("Corpus/") })
    }

    @Test func searchHomeCareUnderAdultSocialCare() throws {
        let result = try CLI.run(["search", "--db", tmp.db, "--json", "portfolio:\"adult social care\" home care"])
        #expect(result.status == 0)
        let json = result.json
        #expect(json["query"] as? String == "portfolio:\"adult social care\" home care")
        #expect((json["total"] as? Int ?? 0) >= 1)
        #expect(json["offset"] as? Int == 0)
        let hits = try #require(json["hits"] as? [[String: Any]])
        let first = try #require(hits.first)
        #expect(first["rank"] as? Int == 1)
        #expect(first["title"] as? String == "12. Help to Live at Home - Home Care Business Case")
        #expect(first["portfolios"] as? [String] == ["Adult Social Care"])
        #expect(first["council"] as? String == "Oxfordshire County Council")
        #expect(first["committee"] as? String == "Cabinet")
        #expect(first["date"] as? String == "2015-05-26")
        #expect(first["kind"] as? String == "agenda")
        #expect((first["path"] as? String)?.hasSuffix("Corpus/000_f81ba9aa27b3c6b1.txt") == true)
        #expect((first["snippet"] as? String)?.contains("<b>") == true)
        #expect(first["id"] is String)
        #expect(first["score"] is Double)
        let facets = try #require(json["facets"] as? [String: Any])
        for name in ["council", "committee", "portfolio", "kind", "year"] {
            let values = try #require(facets[name] as? [[String: Any]], "facet \(name)")
            #expect(values.allSatisfy { $0["value"] is String && $0["count"] is Int })
        }
        #expect(json["suggestion"] == nil)
    }

    @Test func suggestionAndOptions() throws {
        let misspelt = try CLI.run(["search", "--db", tmp.db, "--json", "fostring"])
        #expect(misspelt.status == 0)
        #expect(misspelt.json["suggestion"] as? String == "fostering")
        #expect(misspelt.json["total"] as? Int == 0)
        let paged = try CLI.run(["search", "--db", tmp.db, "--json", "--limit", "2", "--offset", "2", "--sort", "oldest", "care"])
        let hits = paged.json["hits"] as? [[String: Any]] ?? []
        #expect(hits.count == 2)
        #expect(hits.first?["rank"] as? Int == 3)
        #expect(paged.json["sort"] as? String == "oldest")
    }

    @Test func listGivesEveryPapersMetadata() throws {
        let result = try CLI.run(["list", "--json", "--db", tmp.db])
        #expect(result.status == 0)
        let lines = result.jsonLines
        #expect(lines.count == 5)
        func line(_ suffix: String) -> [String: Any]? { lines.first { ($0["path"] as? String)?.hasSuffix(suffix) == true } }
        let expected: [(String, String, String, String, String, Int)] = [
            ("000_f81ba9aa27b3c6b1.txt", "Oxfordshire County Council", "Cabinet", "2015-05-26", "agenda", 16),
            ("001_f61dce86c6b063e1.txt", "Oxfordshire County Council", "Performance Scrutiny Committee", "2018-01-04", "agenda", 10),
            ("002_b77c10b755b80305.txt", "Dorset County Council", "Cabinet", "2017-09-27", "minutes", 13),
            ("003_7dd9892103a73235.txt", "Worcestershire County Council", "Council", "2017-02-09", "decisions", 6),
            ("004_9c84ce1d197186bb.txt", "Worcestershire County Council", "Cabinet", "2017-09-28", "minutes", 6),
        ]
        for (file, council, committee, date, kind, items) in expected {
            let l = try #require(line(file), "\(file)")
            #expect(l["council"] as? String == council, "\(file)")
            #expect(l["committee"] as? String == committee, "\(file)")
            #expect(l["date"] as? String == date, "\(file)")
            #expect(l["kind"] as? String == kind, "\(file)")
            #expect(l["items"] as? Int == items, "\(file)")
            #expect(l["title"] is String)
            #expect(l["portfolios"] is [String])
        }
        #expect(line("000_f81ba9aa27b3c6b1.txt")?["portfolios"] as? [String] == [
            "Finance", "Children, Education & Families", "Environment", "Deputy Leader", "Leader", "Adult Social Care",
            "Business & Customer Services", "Cultural & Community Services", "Public Health & the Voluntary Sector"])
    }

    @Test func unknownFieldsAreNull() throws {
        let other = try TempDir()
        let file = other.url.appendingPathComponent("note.txt")
        try "Some notes on the weather, taken by a resident, with no meeting at all.".write(to: file, atomically: true, encoding: .utf8)
        try CLI.run(["index", "--db", other.db, "--quiet", file.path])
        let line = try #require(try CLI.run(["list", "--json", "--db", other.db]).jsonLines.first)
        for field in ["council", "committee", "date", "kind"] {
            #expect(line[field] is NSNull, "\(field) should be null")
        }
        let stdout = try CLI.run(["list", "--json", "--db", other.db]).stdout
        #expect(stdout.contains("\"council\":null"))
    }

    @Test func databaseFromEnvironmentAndStubFile() throws {
        let viaEnv = try CLI.run(["search", "--json", "fostering"], environment: ["COUNCIL_DB": tmp.db])
        #expect(viaEnv.status == 0)
        #expect((viaEnv.json["hits"] as? [[String: Any]])?.first?["title"] as? String == "117. Fostering Modernisation Plan")
        let stub = tmp.url.appendingPathComponent("all.stub")
        try "auto \(tmp.db)\n".write(to: stub, atomically: true, encoding: .utf8)
        let viaStub = try CLI.run(["search", "--json", "--db", stub.path, "fostering"])
        #expect((viaStub.json["hits"] as? [[String: Any]])?.first?["title"] as? String == "117. Fostering Modernisation Plan")
    }

    @Test func exitCodesAndOneLineErrors() throws {
        let missing = try CLI.run(["search", "--db", tmp.url.appendingPathComponent("nothing").path, "care"])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("council index"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let badQuery = try CLI.run(["search", "--db", tmp.db, "kind:leaflet"])
        #expect(badQuery.status == 2)
        #expect(badQuery.stderr.contains("kind:leaflet"))
        #expect(badQuery.stderr.split(separator: "\n").count == 1)
        let badSyntax = try CLI.run(["search", "--db", tmp.db, "care AND"])
        #expect(badSyntax.status == 2)
        let badOption = try CLI.run(["search", "--db", tmp.db, "--limit", "lots", "care"])
        #expect(badOption.status == 2)
        let badSort = try CLI.run(["search", "--db", tmp.db, "--sort", "sideways", "care"])
        #expect(badSort.status == 2)
        let noHits = try CLI.run(["search", "--db", tmp.db, "--json", "zebra"])
        #expect(noHits.status == 0)
        #expect(noHits.json["total"] as? Int == 0)
        let partial = try CLI.run(["index", "--db", tmp.db, "--json", tmp.url.appendingPathComponent("nope.txt").path])
        #expect(partial.status == 5)
        #expect(partial.json["failed"] as? Int == 1)
    }

    @Test func scriptedRepl() throws {
        let script = """
            fostering
            :show 1
            kind:leaflet
            :bogus
            committee:cabinet
            :facets
            :next
            """
        let result = try CLI.run(["repl", "--db", tmp.db, "--limit", "1"], stdin: script)
        #expect(result.status == 0)
        #expect(result.stdout.contains("1. 117. Fostering Modernisation Plan"))
        // :show prints the item in full.
        #expect(result.stdout.contains("It was agreed that further information would be shared in due course"))
        // Errors are reported and the session goes on.
        #expect(result.stdout.contains("error: cannot parse query “kind:leaflet”"))
        #expect(result.stdout.contains("error: unknown command :bogus"))
        #expect(result.stderr.contains("kind:leaflet"))
        // A filter alone refines the current query.
        #expect(result.stdout.contains("Filters: committee:cabinet"))
        #expect(result.stdout.contains("committee: Cabinet ("))
    }

    @Test func scriptedReplJSONLines() throws {
        let result = try CLI.run(["repl", "--db", tmp.db, "--json"], stdin: "home care\nportfolio:finance\n")
        let lines = result.jsonLines
        #expect(lines.count == 2)
        #expect(lines[0]["query"] as? String == "home care")
        let refined = try #require(lines[1]["hits"] as? [[String: Any]])
        #expect(refined.allSatisfy { ($0["portfolios"] as? [String])?.contains("Finance") == true })
    }

    @Test func showsItemsAndPapers() throws {
        let search = try CLI.run(["search", "--db", tmp.db, "--json", "homeshare"])
        let id = try #require((search.json["hits"] as? [[String: Any]])?.first?["id"] as? String)
        let item = try CLI.run(["show", "--db", tmp.db, "--json", id])
        #expect(item.json["title"] as? String == "Pilot Intergenerational Project (Homeshare)")
        #expect((item.json["text"] as? String)?.contains("University of Worcester") == true)
        let paper = try CLI.run(["show", "--db", tmp.db, CLI.corpus.appendingPathComponent("002_b77c10b755b80305.txt").path])
        #expect(paper.stdout.contains("council: Dorset County Council"))
        #expect(paper.stdout.contains("address"))
    }
}
