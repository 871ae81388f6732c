import CouncilDocuments
import Foundation
import Testing
@testable import CouncilIndex
import Xapian

@Suite struct StubFileTests {
    private func stub(_ text: String, in dir: URL, name: String = "all.stub") throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsEveryLineTypeOfXapian14Stubs() throws {
        let index = try CorpusIndex()
        let path = try stub("""
            # comment
            auto shards/a
            glass /srv/b
            remote 10.0.0.2:8101
            remote [::1]:8102
            remote :ssh host2 xapian-progsrv /srv/council/c
            remote :xapian-progsrv

            """, in: index.directory)
        let entries = try StubFile.parse(path)
        #expect(entries.map(\.kind) == [
            .local(path: index.directory.appendingPathComponent("shards/a").path), .local(path: "/srv/b"),
            .tcp(host: "10.0.0.2", port: 8101), .tcp(host: "::1", port: 8102),
            .program(name: "ssh", arguments: "host2 xapian-progsrv /srv/council/c"), .program(name: "xapian-progsrv", arguments: ""),
        ])
        #expect(entries.map(\.line) == [2, 3, 4, 5, 6, 7])
        #expect(entries.map(\.description).suffix(4) == ["remote 10.0.0.2:8101", "remote [::1]:8102",
                                                         "remote :ssh host2 xapian-progsrv /srv/council/c", "remote :xapian-progsrv"])
        #expect(entries.filter(\.isRemote).count == 4)
    }

    @Test func badLinesNameTheFileAndLine() throws {
        let index = try CorpusIndex()
        for (text, why) in [("auto a\nflint b\n", "unknown line type"), ("remote host\n", "HOST:PORT"), ("remote host:99999\n", "HOST:PORT"),
                            ("remote [::1]\n", "HOST:PORT"), ("auto\n", "path is missing")] {
            let path = try stub(text, in: index.directory)
            #expect {
                _ = try StubFile.parse(path)
            } throws: { error in
                let text = String(describing: error)
                return text.contains("all.stub:") && text.contains(why)
            }
        }
    }

    @Test func nestedStubsExpandToTheirDatabasesAndLoopsAreRefused() throws {
        let index = try CorpusIndex()
        try FileManager.default.createDirectory(at: index.directory.appendingPathComponent("s/x.d/v0001"), withIntermediateDirectories: true)
        _ = try stub("auto x.d/v0001\n", in: index.directory.appendingPathComponent("s"), name: "x")
        let top = try stub("auto s/x\nremote 127.0.0.1:9\n", in: index.directory)
        let entries = try StubFile.entries(top)
        #expect(entries.map(\.kind) == [.local(path: index.directory.appendingPathComponent("s/x.d/v0001").path), .tcp(host: "127.0.0.1", port: 9)])
        #expect(entries[0].stub.hasSuffix("s/x"))
        _ = try stub("auto b.stub\n", in: index.directory, name: "a.stub")
        _ = try stub("auto a.stub\n", in: index.directory, name: "b.stub")
        #expect(throws: CouncilError.self) { try StubFile.entries(index.directory.appendingPathComponent("a.stub").path) }
    }
}

@Suite struct ShardKeyTests {
    private func record(council: String?, date: String?) -> SourceRecord {
        SourceRecord(path: "p", absolutePath: "/p", title: "", council: council, committee: nil, date: date, kind: nil, portfolios: [],
                     items: 0, format: "text", size: 0, modified: 0, hash: "", indexedAt: 0, run: 0, provenance: [:])
    }

    @Test func papersAreRoutedByCouncilOrYear() {
        #expect(ShardKey.council.shard(for: record(council: "Oxfordshire County Council", date: nil)) == "oxfordshire-county-council")
        #expect(ShardKey.council.shard(for: record(council: "Brighton & Hove City Council", date: nil)) == "brighton-and-hove-city-council")
        #expect(ShardKey.council.shard(for: record(council: "Cyngor Sir Ynys Môn", date: nil)) == "cyngor-sir-ynys-mon")
        #expect(ShardKey.council.shard(for: record(council: "St. Albans City & District Council", date: nil)) == "st-albans-city-and-district-council")
        #expect(ShardKey.council.shard(for: record(council: nil, date: "2017-01-01")) == "unknown-council")
        #expect(ShardKey.council.shard(for: record(council: "—", date: nil)) == "unknown-council")
        #expect(ShardKey.year.shard(for: record(council: nil, date: "2017-09-27")) == "2017")
        #expect(ShardKey.year.shard(for: record(council: "X", date: nil)) == "unknown-year")
        let long = String(repeating: "Very Long Name ", count: 12) + "Council"
        let slug = ShardKey.slug(long)
        #expect(slug.utf8.count <= 96)
        #expect(slug != ShardKey.slug(long + " Two"))
    }

    @Test func editDistanceCountsTranspositionsOnce() {
        #expect(Spelling.editDistance("modernisaton", "modernisation", limit: 2) == 1)
        #expect(Spelling.editDistance("fostrenig", "fostering", limit: 2) == 2)
        #expect(Spelling.editDistance("care", "acre", limit: 2) == 1)
        #expect(Spelling.editDistance("budget", "gadget", limit: 2) == 2)
        #expect(Spelling.editDistance("school", "ofsted", limit: 2) == 3)
        #expect(Spelling.editDistance("", "ab", limit: 2) == 2)
    }
}

@Suite struct ShardedIndexerTests {
    @Test func aSetOfShardsSearchesAsTheSingleIndex() throws {
        let index = try CorpusIndex()
        try index.index()
        let setPath = index.directory.appendingPathComponent("set").path
        let summary = try ShardedIndexer(setPath: setPath, shardBy: .council).index(paths: [index.corpus.path])
        #expect(summary.added == 5)
        #expect(summary.shards == ["dorset-county-council", "oxfordshire-county-council", "worcestershire-county-council"])
        let location = IndexLocation(path: setPath)
        #expect(location.isShardSet)
        #expect(location.shardKeyName == "council")
        #expect(location.shardNames() == summary.shards)
        #expect(IndexLocation(path: location.shardPath("dorset-county-council")).enclosingSet?.path == setPath)

        let today = CalendarDate(year: 2018, month: 6, day: 1)!
        let one = try SearchService(path: index.path, today: today)
        let set = try SearchService(path: setPath, today: today)
        #expect(set.shardCount == (all: 3, remote: 0, missing: 0))
        #expect(set.shardWarnings.isEmpty)
        for request in [SearchRequest(query: "care", limit: 100), SearchRequest(query: "home care", limit: 100, collapse: .meeting),
                        SearchRequest(query: "committee:cabinet", limit: 100, sort: .oldest), SearchRequest(query: "fostring")] {
            let a = try one.search(request), b = try set.search(request)
            #expect(a.total == b.total)
            #expect(a.facets == b.facets)
            #expect(a.suggestion == b.suggestion)
            #expect(a.hits.map(\.score) == b.hits.map(\.score))
            #expect(Set(a.hits.map(\.id)) == Set(b.hits.map(\.id)))
            #expect(a.hits.map(\.collapsed) == b.hits.map(\.collapsed))
        }
        // The same papers and items (indexed at other times, by other runs).
        func paper(_ r: SourceRecord) -> [String?] { [r.path, r.council, r.committee, r.date, r.kind, r.hash, String(r.items)] }
        #expect(try one.sources().map(paper) == set.sources().map(paper))
        // Ids hash the paper's absolute path, so they depend on where the repository is.
        let fostering = SourceRecord.key(forAbsolutePath: index.corpus.appendingPathComponent("002_b77c10b755b80305.txt").path) + "-7"
        let (a, b) = (try one.item(id: fostering), try set.item(id: fostering))
        #expect([a.title, a.text, a.path, a.council] == [b.title, b.text, b.path, b.council])
        #expect(try one.items(ofSource: a.sourceKey).map(\.id) == set.items(ofSource: a.sourceKey).map(\.id))
        #expect(try one.itemCount() == set.itemCount())
        #expect(try set.lastRun().run == 1)

        // A second run: nothing read, every shard untouched.
        let again = try ShardedIndexer(setPath: setPath).index(paths: [index.corpus.path])
        #expect(again.unchanged == 5)
        #expect(again.run == 2)
        // A single index refuses to be written as a set, and the other way round.
        #expect(throws: CouncilError.self) { try ShardedIndexer(setPath: index.path, shardBy: .council).index(paths: [index.corpus.path]) }
        #expect(throws: CouncilError.self) { try PaperIndexer(databasePath: setPath).index(paths: [index.corpus.path]) }
        #expect(throws: CouncilError.self) { try ShardedIndexer(setPath: setPath, shardBy: .year).index(paths: [index.corpus.path]) }
    }

    @Test func aSetWithAMissingShardWarnsOrFails() throws {
        let index = try CorpusIndex()
        let setPath = index.directory.appendingPathComponent("set").path
        try ShardedIndexer(setPath: setPath, shardBy: .council).index(paths: [index.corpus.path])
        let stub = index.directory.appendingPathComponent("broken.stub").path
        try (try String(contentsOfFile: setPath, encoding: .utf8).replacingOccurrences(of: "set.d", with: index.directory.path + "/set.d")
             + "auto \(index.directory.path)/gone\n").write(toFile: stub, atomically: true, encoding: .utf8)
        let service = try SearchService(path: stub)
        #expect(service.missingShards == [index.directory.path + "/gone"])
        #expect(service.shardWarnings.first?.contains("cannot be opened: no database at") == true)
        let response = try service.search(SearchRequest(query: "care"))
        #expect(response.total == 21)
        #expect(response.missingShards.count == 1)
        #expect(throws: CouncilError.self) { try SearchService(path: stub, policy: ShardPolicy(strict: true)) }
    }
}
