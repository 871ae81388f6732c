import Foundation
import Testing

/// `council evaluate` run as a real process on labels for the seed papers.
@Suite struct EvaluateCLITests {
    /// A labels file in `dir/Evaluation/` (so `dir` is its repository root)
    /// naming Corpus papers by absolute path, one of them mislabelled, and a
    /// missing file.
    private func labels(in dir: URL) throws -> String {
        let folder = dir.appendingPathComponent("Evaluation")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cabinet = CLI.corpus.appendingPathComponent("000_f81ba9aa27b3c6b1.txt").path
        let dorset = CLI.corpus.appendingPathComponent("002_b77c10b755b80305.txt").path
        let text = """
            {"path": "\(cabinet)", "council": "Oxfordshire County Council", "committee": "Cabinet", "date": "2015-05-26", "kind": "agenda"}
            {"path": "\(dorset)", "council": "Dorset County Council", "committee": "Cabinet", "date": "2017-10-03", "kind": "minutes"}
            {"path": "gone/missing.txt", "council": null, "kind": "agenda"}
            """
        let path = folder.appendingPathComponent("labels.jsonl").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func printsFiguresPerFieldAsJSON() throws {
        let tmp = try TempDir()
        let result = try CLI.run(["evaluate", "--json", "--verbose", "--corpora", tmp.url.path, try labels(in: tmp.url)])
        #expect(result.status == 0, "\(result.stderr)")
        let json = result.json
        #expect(json["documents"] as? Int == 3)
        let unreadable = try #require(json["unreadable"] as? [[String: Any]])
        #expect(unreadable.map { $0["path"] as? String } == ["gone/missing.txt"])
        let fields = try #require(json["fields"] as? [String: [String: Any]])
        #expect(fields["council"]?["correct"] as? Int == 3)
        #expect(fields["date"]?["labelled"] as? Int == 2)
        #expect(fields["date"]?["correct"] as? Int == 1)
        #expect(fields["date"]?["accuracy"] as? Double == 0.5)
        #expect(fields["kind"]?["correct"] as? Int == 2)
        #expect(fields["portfolios"] == nil)
        let mismatches = try #require(json["mismatches"] as? [[String: Any]])
        let date = try #require(mismatches.first { $0["field"] as? String == "date" })
        #expect(date["expected"] as? String == "2017-10-03")
        #expect(date["got"] as? String == "2017-09-27")
        #expect((date["evidence"] as? String)?.isEmpty == false)
    }

    @Test func readableReportAndUsageErrors() throws {
        let tmp = try TempDir()
        let result = try CLI.run(["evaluate", "--verbose", "--corpora", tmp.url.path, try labels(in: tmp.url)])
        #expect(result.status == 0)
        #expect(result.stdout.contains("3 labelled papers (1 unreadable)"))
        #expect(result.stdout.contains("date: expected 2017-10-03, got 2017-09-27"))
        #expect(result.stdout.contains("unreadable gone/missing.txt"))
        let missing = try CLI.run(["evaluate", tmp.url.appendingPathComponent("nope.jsonl").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read the labels"))
    }
}
