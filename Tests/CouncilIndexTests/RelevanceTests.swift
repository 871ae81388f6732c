import CouncilDocuments
import Foundation
import Testing
@testable import CouncilIndex

/// The judged queries (Evaluation/queries-*.jsonl) as a regression test of
/// ranking: precision at 5 and reciprocal rank must stay at or above floors
/// set a little below what was measured when they were set, and every
/// judged item must still be in the index under its judged title.
enum RelevanceFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let corporaRoot = Evaluator.defaultCorporaRoot(repositoryRoot: repositoryRoot)

    static func queriesFile(_ name: String) -> String { repositoryRoot + "/Evaluation/" + name }

    static var limerick2019: String { corporaRoot + "/limerick/meetings/2019" }
    static var limerickAvailable: Bool { FileManager.default.fileExists(atPath: limerick2019) }

    /// Index the folders a judged file names and score its queries.
    static func evaluate(_ file: String) throws -> RelevanceEvaluation {
        let path = queriesFile(file)
        let queries = try JudgedQuery.load(path: path)
        let folders = try JudgedQuery.collection(path: path).map { ($0.hasPrefix("Corpus") ? repositoryRoot : corporaRoot) + "/" + $0 }
        let index = try CorpusIndex()
        let summary = try PaperIndexer(databasePath: index.path).index(paths: folders)
        #expect(summary.failed == 0)
        return try RelevanceEvaluation.run(queries, service: try index.service())
    }
}

@Suite struct RelevanceTests {
    @Test func judgedQueriesOverTheSeedPapers() throws {
        let e = try RelevanceFixture.evaluate("queries-corpus.jsonl")
        #expect(e.outcomes.count >= 30)
        for o in e.outcomes {
            #expect(o.missing.isEmpty, "\(o.query.query): judged items gone from the index: \(o.missing.map(\.title))")
        }
        // Measured 0.291 of an ideal 0.303 (96%), MRR 0.977.
        #expect(e.meanPrecisionAt5 >= 0.28, "mean P@5 \(e.meanPrecisionAt5)")
        #expect(e.meanReciprocalRank >= 0.95, "MRR \(e.meanReciprocalRank)")
        // The question the product exists to answer.
        let homeCare = try #require(e.outcomes.first { $0.query.query == "what did the cabinet decide about home care" })
        #expect(homeCare.reciprocalRank == 1)
    }

    @Test(.enabled(if: RelevanceFixture.limerickAvailable, "needs ../shared/corpora/limerick (or $COUNCIL_CORPORA)"))
    func judgedQueriesOverLimerick2019() throws {
        let e = try RelevanceFixture.evaluate("queries-limerick-2019.jsonl")
        #expect(e.outcomes.count == 20)
        for o in e.outcomes {
            #expect(o.missing.isEmpty, "\(o.query.query): judged items gone from the index: \(o.missing.map(\.title))")
        }
        // Measured 0.800 of an ideal 0.920 (87%), MRR 0.925, R@10 0.602.
        #expect(e.meanPrecisionAt5 >= 0.78, "mean P@5 \(e.meanPrecisionAt5)")
        #expect(e.meanReciprocalRank >= 0.88, "MRR \(e.meanReciprocalRank)")
        #expect(e.meanRecallAt10 >= 0.57, "R@10 \(e.meanRecallAt10)")
    }

    @Test func judgedFilesSayWhatIsWrongWithThem() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("council-judged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("q.jsonl").path
        for (text, problem) in [("{\"query\": \"x\"}", "\"relevant\" must be a non-empty list"),
                                ("{\"relevant\": [{\"path\": \"a\", \"title\": \"b\"}]}", "\"query\" must be a non-empty string"),
                                ("# index: Corpus\nnot json", ":2: not a JSON object")] {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            #expect(throws: EvaluationError.self) { try JudgedQuery.load(path: file) }
            do { _ = try JudgedQuery.load(path: file) } catch {
                #expect(error.description.contains(problem), "\(error.description)")
                #expect(error.description.hasPrefix(file))
            }
        }
    }
}
