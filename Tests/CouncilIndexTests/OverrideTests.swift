import CouncilDocuments
import Foundation
import Testing
@testable import CouncilIndex

/// Side-car metadata written by a scraper wins over extraction, field by
/// field, says where it came from, and a change to it re-reads the paper.
@Suite struct OverrideTests {
    /// A folder with a copy of the Dorset cabinet minutes in it.
    func folderWithDorsetMinutes(_ index: CorpusIndex) throws -> URL {
        let folder = index.directory.appendingPathComponent("papers")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: index.corpus.appendingPathComponent("002_b77c10b755b80305.txt"),
                                         to: folder.appendingPathComponent("dorset.txt"))
        return folder
    }

    @Test func sideCarFieldsWinAndSayWhereTheyCameFrom() throws {
        let index = try CorpusIndex()
        let folder = try folderWithDorsetMinutes(index)
        // The scraper knows the meeting's date and committee page; it does
        // not know the council, so the text decides that.
        try Data(#"{"committee": "Cabinet (Special)", "date": "2017-09-28", "url": "https://example.org/mid=1"}"#.utf8)
            .write(to: folder.appendingPathComponent("dorset.txt.meta.json"))
        let summary = try index.index([folder.path])
        #expect(summary.added == 1)
        #expect(summary.skipped == 0, "side-car files are not counted as skipped files")
        let source = try #require(try index.service().sources().first)
        #expect(source.committee == "Cabinet (Special)")
        #expect(source.date == "2017-09-28")
        #expect(source.council == "Dorset County Council")
        #expect(source.kind == "minutes")
        #expect(source.url == "https://example.org/mid=1")
        #expect(source.provenance["committee"] == "override (dorset.txt.meta.json) (confidence 1.0)")
        #expect(source.provenance["date"] == "override (dorset.txt.meta.json) (confidence 1.0)")
        #expect(source.provenance["council"]?.hasPrefix("override") == false)
        // Items carry the overridden meeting metadata, and filters find them.
        let hits = try index.service().search(SearchRequest(query: "fostering date:2017-09-28")).hits
        #expect(hits.first?.title == "117. Fostering Modernisation Plan")
        #expect(hits.first?.committee == "Cabinet (Special)")
    }

    @Test func folderManifestGivesDefaultsAndPerPaperFields() throws {
        let index = try CorpusIndex()
        let folder = try folderWithDorsetMinutes(index)
        try FileManager.default.copyItem(at: index.corpus.appendingPathComponent("003_7dd9892103a73235.txt"),
                                         to: folder.appendingPathComponent("worcs.txt"))
        let manifest = #"""
            {"defaults": {"kind": "minutes"},
             "papers": {"worcs.txt": {"council": "worcestershire county council", "kind": "decisions", "portfolios": ["Finance"]},
                        "dorset.txt": {"date": null}}}
            """#
        try Data(manifest.utf8).write(to: folder.appendingPathComponent(MetadataOverride.manifestName))
        try index.index([folder.path])
        let sources = Dictionary(uniqueKeysWithValues: try index.service().sources().map { (($0.path as NSString).lastPathComponent, $0) })
        let worcs = try #require(sources["worcs.txt"])
        #expect(worcs.council == "Worcestershire County Council", "a gazetteer name takes its official form")
        #expect(worcs.kind == "decisions", "the paper's entry beats the folder's defaults")
        #expect(worcs.portfolios == ["Finance"])
        let dorset = try #require(sources["dorset.txt"])
        #expect(dorset.kind == "minutes")
        #expect(dorset.date == nil, "null in an override means unknown, whatever the text says")
        #expect(dorset.provenance["date"] == "override (council.meta.json): unknown")
        let items = try index.service().items(ofSource: worcs.key).filter { !$0.isFrontMatter }
        #expect(!items.isEmpty && items.allSatisfy { $0.portfolios == ["Finance"] })
    }

    @Test func changedSideCarReindexesTheUnchangedPaper() throws {
        let index = try CorpusIndex()
        let folder = try folderWithDorsetMinutes(index)
        let sideCar = folder.appendingPathComponent("dorset.txt.meta.json")
        try index.index([folder.path])
        #expect(try index.index([folder.path]).unchanged == 1)
        try Data(#"{"kind": "agenda"}"#.utf8).write(to: sideCar)
        let second = try index.index([folder.path])
        #expect(second.updated == 1)
        #expect(try index.service().sources().first?.kind == "agenda")
        #expect(try index.index([folder.path]).unchanged == 1)
        try FileManager.default.removeItem(at: sideCar)
        let third = try index.index([folder.path])
        #expect(third.updated == 1, "removing the side-car re-reads the paper")
        #expect(try index.service().sources().first?.kind == "minutes")
    }

    @Test func badSideCarFailsOnlyItsPaperWithAClearMessage() throws {
        let index = try CorpusIndex()
        let folder = try folderWithDorsetMinutes(index)
        try FileManager.default.copyItem(at: index.corpus.appendingPathComponent("003_7dd9892103a73235.txt"),
                                         to: folder.appendingPathComponent("worcs.txt"))
        try Data(#"{"date": "28/09/2017"}"#.utf8).write(to: folder.appendingPathComponent("dorset.txt.meta.json"))
        let summary = try index.index([folder.path])
        #expect(summary.added == 1)
        #expect(summary.failed == 1)
        let failure = try #require(summary.failures.first)
        #expect(failure.path.hasSuffix("dorset.txt"))
        #expect(failure.error.hasPrefix("bad metadata override: "))
        #expect(failure.error.contains("dorset.txt.meta.json: \"date\" must be YYYY-MM-DD, not “28/09/2017”"))
    }

    @Test func invalidOverrideFilesNameTheFileAndTheProblem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("council-override-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let paper = folder.appendingPathComponent("p.pdf").path
        let cases: [(String, String)] = [
            ("{not json", "not valid JSON"),
            ("[1, 2]", "must hold a JSON object"),
            (#"{"kind": "newsletter"}"#, #""kind" must be agenda, minutes, report or decisions, not “newsletter”"#),
            (#"{"council": 7}"#, #""council" must be a string or null"#),
            (#"{"portfolios": [1]}"#, #""portfolios" must be a list of strings"#),
        ]
        for (json, problem) in cases {
            try Data(json.utf8).write(to: URL(fileURLWithPath: paper + ".meta.json"))
            #expect(throws: MetadataOverride.Invalid.self) { try MetadataOverride.forPaper(at: paper) }
            do {
                _ = try MetadataOverride.forPaper(at: paper)
            } catch {
                #expect(error.file == paper + ".meta.json")
                #expect(error.problem.hasPrefix(problem), "\(json): \(error.problem)")
            }
        }
        try FileManager.default.removeItem(atPath: paper + ".meta.json")
        #expect(try MetadataOverride.forPaper(at: paper) == nil)
    }
}
