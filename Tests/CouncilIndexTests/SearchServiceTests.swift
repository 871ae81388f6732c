import CouncilDocuments
import Foundation
import Testing
@testable import CouncilIndex
import Xapian

/// A fresh index of Corpus/ in a temporary directory for each test.
final class CorpusIndex {
    let directory: URL
    let path: String
    let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Corpus")

    init(copyCorpus: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("council-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("db").path
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func index(_ paths: [String]? = nil, prune: Bool = false) throws -> IndexSummary {
        try PaperIndexer(databasePath: path).index(paths: paths ?? [corpus.path], prune: prune)
    }

    func service() throws -> SearchService {
        try SearchService(path: path, today: CalendarDate(year: 2018, month: 6, day: 1)!)
    }
}

@Suite struct IndexingTests {
    @Test func indexesEveryPaperItemByItem() throws {
        let index = try CorpusIndex()
        let summary = try index.index()
        #expect(summary.added == 5)
        #expect(summary.failed == 0)
        #expect(summary.items == 16 + 10 + 13 + 6 + 6)
        let service = try index.service()
        // Items plus one front matter document per paper.
        #expect(try service.itemCount() == 51 + 5)
        let sources = try service.sources()
        #expect(sources.map(\.items) == [16, 10, 13, 6, 6])
    }

    @Test func reindexingUnchangedFilesDoesNothing() throws {
        let index = try CorpusIndex()
        try index.index()
        let again = try index.index()
        #expect(again.unchanged == 5)
        #expect(again.added + again.updated == 0)
        #expect(try index.service().itemCount() == 56)
    }

    @Test func changedFileIsReplacedNotDuplicated() throws {
        let index = try CorpusIndex()
        let folder = index.directory.appendingPathComponent("papers")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("002.txt")
        try FileManager.default.copyItem(at: index.corpus.appendingPathComponent("002_b77c10b755b80305.txt"), to: file)
        try index.index([folder.path])
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "Fostering Modernisation Plan", with: "Fostering Transformation Plan")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let summary = try index.index([folder.path])
        #expect(summary.updated == 1)
        let service = try index.service()
        #expect(try service.itemCount() == 14)
        #expect(try service.search(SearchRequest(query: "transformation plan fostering")).hits.first?.title == "117. Fostering Transformation Plan")
        #expect(try service.search(SearchRequest(query: "\"Fostering Modernisation Plan\"")).total == 0)
    }

    @Test func pruneRemovesVanishedFiles() throws {
        let index = try CorpusIndex()
        let folder = index.directory.appendingPathComponent("papers")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["003_7dd9892103a73235.txt", "004_9c84ce1d197186bb.txt"] {
            try FileManager.default.copyItem(at: index.corpus.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try index.index([folder.path])
        try FileManager.default.removeItem(at: folder.appendingPathComponent("004_9c84ce1d197186bb.txt"))
        let withoutPrune = try index.index([folder.path])
        #expect(withoutPrune.removed == 0)
        let pruned = try index.index([folder.path], prune: true)
        #expect(pruned.removed == 1)
        let service = try index.service()
        #expect(try service.sources().count == 1)
        #expect(try service.search(SearchRequest(query: "\"data sharing charter\"")).total == 0)
    }

    @Test func unreadableFilesAreReportedAndSkipped() throws {
        let index = try CorpusIndex()
        let folder = index.directory.appendingPathComponent("papers")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: index.corpus.appendingPathComponent("002_b77c10b755b80305.txt"), to: folder.appendingPathComponent("good.txt"))
        try Data([0x00, 0x01, 0x02, 0x03]).write(to: folder.appendingPathComponent("binary.txt"))
        try Data("   ".utf8).write(to: folder.appendingPathComponent("empty.md"))
        try Data("not a paper".utf8).write(to: folder.appendingPathComponent("notes.odt"))
        let summary = try index.index([folder.path, folder.appendingPathComponent("missing.txt").path])
        #expect(summary.added == 1)
        #expect(summary.failed == 3)
        #expect(summary.skipped == 1)
        let errors = Dictionary(uniqueKeysWithValues: summary.failures.map { (($0.path as NSString).lastPathComponent, $0.error) })
        #expect(errors["binary.txt"] == "binary content, not text")
        #expect(errors["empty.md"] == "no text")
        #expect(errors["missing.txt"] == "no such file or folder")
    }

    @Test func pagesThatAreNotPapersArePassedOverWhileUnchanged() throws {
        let index = try CorpusIndex()
        let folder = index.directory.appendingPathComponent("papers")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let links = (1...6).map { "- [Minutes \($0)](https://example.org/council/meetings/2019/minutes-\($0).pdf)" }.joined(separator: "\n")
        let page = folder.appendingPathComponent("README.md")
        try Data(("# Meetings\n\n" + links + "\n").utf8).write(to: page)
        let first = try index.index([folder.path])
        #expect(first.skipped == 1)
        #expect(first.skippedFiles.first?.reason.hasPrefix("not a paper") == true)
        // Again: the same report, without reading the page.
        let second = try index.index([folder.path])
        #expect(second.skipped == 1)
        #expect(second.skippedFiles == first.skippedFiles)
        #expect(second.added == 0 && second.failed == 0)
        // Once it changes into a paper, it is read and indexed.
        try FileManager.default.removeItem(at: page)
        try FileManager.default.copyItem(at: index.corpus.appendingPathComponent("002_b77c10b755b80305.txt"), to: page)
        let third = try index.index([folder.path])
        #expect(third.added == 1)
        #expect(third.skipped == 0)
    }

    @Test func facetValuesThatFilterAlikeAreCountedAsOne() throws {
        let index = try CorpusIndex()
        let folder = index.directory.appendingPathComponent("papers")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let original = index.corpus.appendingPathComponent("000_f81ba9aa27b3c6b1.txt")
        try FileManager.default.copyItem(at: original, to: folder.appendingPathComponent("a.txt"))
        // The same agenda as another council's system might print it.
        let text = try String(contentsOf: original, encoding: .utf8)
            .replacingOccurrences(of: "Children, Education & Families", with: "Children Education and Families")
        try text.write(to: folder.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        try index.index([folder.path])
        let service = try index.service()
        let r = try service.search(SearchRequest(query: "portfolio:\"children, education and families\"", limit: 0))
        #expect(r.total == 4)
        let children = r.facets.portfolio.filter { NameKey.normalize($0.value) == "children education and families" }
        #expect(children.count == 1)
        #expect(children.first?.count == 4)
    }

    @Test func pathsAreKeptAsGiven() throws {
        let index = try CorpusIndex()
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(index.corpus.deletingLastPathComponent().path)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        try index.index(["Corpus/"])
        #expect(try index.service().sources().map(\.path).first == "Corpus/000_f81ba9aa27b3c6b1.txt")
    }
}

@Suite struct SearchTests {
    private let index: CorpusIndex
    private let service: SearchService

    init() throws {
        index = try CorpusIndex()
        try index.index()
        service = try index.service()
    }

    private func search(_ query: String, limit: Int = 10, sort: ResultOrder = .relevance, collapse: Collapse = .none) throws -> SearchResponse {
        try service.search(SearchRequest(query: query, limit: limit, sort: sort, collapse: collapse))
    }

    @Test func homeCareUnderAdultSocialCare() throws {
        let r = try search("portfolio:\"adult social care\" home care")
        let first = try #require(r.hits.first)
        #expect(first.title == "12. Help to Live at Home - Home Care Business Case")
        #expect(first.portfolios == ["Adult Social Care"])
        #expect(first.council == "Oxfordshire County Council")
        #expect(first.committee == "Cabinet")
        #expect(first.date == "2015-05-26")
        #expect(first.kind == "agenda")
        // The words typed side by side are highlighted as the phrase they form.
        #expect(first.snippet.contains("<b>home care</b>"))
        #expect(r.hits.allSatisfy { $0.portfolios.contains("Adult Social Care") })
    }

    @Test func titlesWeighMoreThanBodyText() throws {
        let r = try search("fostering")
        #expect(r.hits.first?.title == "117. Fostering Modernisation Plan")
    }

    @Test func phrasesBooleansAndWildcards() throws {
        #expect(try search("\"home care\"").total < search("home care").total)
        let wildcard = try search("foster*")
        #expect(wildcard.hits.contains { $0.title == "117. Fostering Modernisation Plan" })
        let not = try search("ofsted NOT fostering")
        #expect(!not.hits.contains { $0.title == "117. Fostering Modernisation Plan" })
        #expect(not.total > 0)
        let or = try search("homeshare OR footways")
        #expect(Set(or.hits.map(\.title)) == ["Pilot Intergenerational Project (Homeshare)", "Update Report of the Footways Overview and Scrutiny Task Group"])
    }

    @Test func facetFiltersMatchRegardlessOfCaseAndPunctuation() throws {
        let a = try search("portfolio:\"CHILDREN, EDUCATION & FAMILIES\"")
        let b = try search("portfolio:\"children education and families\"")
        #expect(a.total == 2)
        #expect(a.hits.map(\.id) == b.hits.map(\.id))
        #expect(try search("council:oxfordshire").hits.allSatisfy { $0.council == "Oxfordshire County Council" })
        #expect(try search("committee:cabinet").facets.committee.map(\.value) == ["Cabinet"])
        let scrutiny = try search("committee:\"performance scrutiny committee\"")
        #expect(scrutiny.total == 11)
        #expect(try search("kind:minutes").facets.kind.map(\.value) == ["minutes"])
    }

    @Test func dateFilters() throws {
        #expect(try search("date:2017").hits.allSatisfy { $0.date?.hasPrefix("2017") == true })
        let september = try search("date:2017-09", limit: 100)
        #expect(september.total == 14 + 7)  // Dorset on the 27th, Worcestershire on the 28th, front matter included
        #expect(september.hits.allSatisfy { $0.date?.hasPrefix("2017-09") == true })
        let firstHalf = try search("date:2017-01-01..2017-06-30", limit: 100)
        #expect(firstHalf.hits.allSatisfy { $0.date == "2017-02-09" })
        #expect(firstHalf.total == 7)
        let since = try search("date:2016..", limit: 100)
        #expect(since.hits.allSatisfy { ($0.date ?? "") >= "2016-01-01" })
        #expect(since.total == 56 - 17)
        #expect(try search("date:..2016").total == 17)
        #expect(try search("date:\"sep 2017\"").total == september.total)
        // Relative to the test's today, 2018-06-01.
        let lastYear = try search("date:last-year").total
        #expect(lastYear == (try search("date:2017").total))
    }

    @Test func filtersAloneListNewestFirst() throws {
        let r = try search("council:oxfordshire", limit: 100)
        #expect(r.sort == .newest)
        let dates = r.hits.compactMap(\.date)
        #expect(dates == dates.sorted(by: >))
        let oldest = try search("care", limit: 100, sort: .oldest)
        let oldestDates = oldest.hits.compactMap(\.date)
        #expect(oldestDates == oldestDates.sorted())
    }

    @Test func facetsCountTheWholeMatchSet() throws {
        let r = try search("council", limit: 1)
        #expect(r.hits.count == 1)
        #expect(r.facets.council.reduce(0) { $0 + $1.count } == r.total)
        #expect(r.facets.year.reduce(0) { $0 + $1.count } == r.total)
        #expect(r.facets.kind.reduce(0) { $0 + $1.count } == r.total)
        let all = try search("", limit: 0)
        #expect(all.total == 56)
        #expect(Set(all.facets.council.map(\.value)) == ["Oxfordshire County Council", "Dorset County Council", "Worcestershire County Council"])
        #expect(all.facets.portfolio.first { $0.value == "Safeguarding" }?.count == 3)
        #expect(all.facets.year.map(\.value) == ["2018", "2017", "2015"])
    }

    @Test func spellingSuggestionOnlyForUnknownWords() throws {
        #expect(try search("fostring").suggestion == "fostering")
        #expect(try search("fostring kind:minutes").suggestion == "fostering kind:minutes")
        #expect(try search("home care").suggestion == nil)
        #expect(try search("committee:cabinet care").suggestion == nil)
    }

    @Test func pagingAndCollapsing() throws {
        let page1 = try service.search(SearchRequest(query: "care", offset: 0, limit: 3))
        let page2 = try service.search(SearchRequest(query: "care", offset: 3, limit: 3))
        #expect(page2.hits.first?.rank == 4)
        #expect(Set(page1.hits.map(\.id)).isDisjoint(with: page2.hits.map(\.id)))
        let byDocument = try search("care", limit: 100, collapse: .document)
        #expect(Set(byDocument.hits.map(\.path)).count == byDocument.hits.count)
        let byMeeting = try search("care", limit: 100, collapse: .meeting)
        #expect(byMeeting.hits.count <= byDocument.hits.count)
    }

    @Test func badQueriesAreClearErrors() throws {
        #expect(throws: CouncilError.self) { try search("kind:leaflet") }
        #expect(throws: CouncilError.self) { try search("date:someday") }
        #expect(throws: CouncilError.self) { try search("care AND") }
        let unknown = try search("council:atlantis")
        #expect(unknown.total == 0)
        #expect(unknown.warnings == ["no council matches “atlantis”"])
    }

    @Test func itemsInFull() throws {
        let hit = try #require(try search("homeshare").hits.first)
        let item = try service.item(id: hit.id)
        #expect(item.text.contains("Homeshare"))
        let highlighted = try #require(try service.highlightedText(itemID: hit.id, query: "homeshare"))
        #expect(highlighted.contains("<b>Homeshare</b>"))
        #expect(throws: CouncilError.notFound("nope")) { try service.item(id: "nope") }
    }
}

@Suite struct OpeningTests {
    @Test func missingIndexSaysHowToCreateOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID().uuidString)").path
        do {
            _ = try SearchService(path: dir)
            Issue.record("opened a missing index")
        } catch let error as CouncilError {
            #expect(error == .indexNotFound(dir))
            #expect(error.description.contains("council index"))
        }
    }

    @Test func stubFileOpensTheIndex() throws {
        let index = try CorpusIndex()
        try index.index()
        let stub = index.directory.appendingPathComponent("all.stub").path
        try "auto \(index.path)\n".write(toFile: stub, atomically: true, encoding: .utf8)
        let service = try SearchService(path: stub)
        #expect(try service.search(SearchRequest(query: "fostering")).hits.first?.title == "117. Fostering Modernisation Plan")
    }

    @Test func secondWriterIsRefused() throws {
        let index = try CorpusIndex()
        try index.index()
        // Another writer holds Xapian's own lock on the live database.
        guard case .stub(let entries) = IndexLocation(path: index.path).state else {
            Issue.record("the index is not a stub")
            return
        }
        let holder = try Database(path: entries[0], mode: .writeExisting)
        defer { try? holder.close() }
        do {
            _ = try index.index()
            Issue.record("indexed a locked index")
        } catch let error as CouncilError {
            guard case .indexLocked(let lock) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(lock.hasSuffix("flintlock"))
            #expect(error.description.contains("--wait"))
        }
    }
}

@Suite struct DateFilterTests {
    let today = CalendarDate(year: 2018, month: 6, day: 13)!

    @Test(arguments: [
        ("2017", "2017-01-01", "2017-12-31"),
        ("2017-09", "2017-09-01", "2017-09-30"),
        ("2017-02-09", "2017-02-09", "2017-02-09"),
        ("sep 2017", "2017-09-01", "2017-09-30"),
        ("September 2017", "2017-09-01", "2017-09-30"),
        ("2017-09..2018-03", "2017-09-01", "2018-03-31"),
        ("2017-01-01..2017-06-30", "2017-01-01", "2017-06-30"),
        ("last-year", "2017-01-01", "2017-12-31"),
        ("this-month", "2018-06-01", "2018-06-30"),
        ("last-month", "2018-05-01", "2018-05-31"),
    ])
    func ranges(value: String, from: String, to: String) throws {
        let range = try DateFilter(parsing: value, today: today)
        #expect(range.from?.iso == from)
        #expect(range.to?.iso == to)
    }

    @Test func openRanges() throws {
        let since = try DateFilter(parsing: "2016..", today: today)
        #expect(since.from?.iso == "2016-01-01")
        #expect(since.to == nil)
        let until = try DateFilter(parsing: "..2016", today: today)
        #expect(until.from == nil)
        #expect(until.to?.iso == "2016-12-31")
    }

    @Test func nonsense() {
        #expect(throws: DateFilter.ParseError.self) { try DateFilter(parsing: "someday", today: today) }
        #expect(throws: DateFilter.ParseError.self) { try DateFilter(parsing: "2018..2017", today: today) }
        #expect(throws: DateFilter.ParseError.self) { try DateFilter(parsing: "..", today: today) }
    }
}
