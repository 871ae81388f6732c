import Foundation
import Testing
@testable import Xapian

/// Databases searched as one, and remote databases that do not answer.
@Suite struct CombinedDatabaseTests {
    private func makeShard(at path: String, _ docs: [(id: String, body: String, year: String)]) throws {
        let db = try Database(path: path, mode: .createOrOverwrite)
        let indexer = try Indexer(language: "english")
        try indexer.setSpellingDatabase(db)
        for entry in docs {
            let doc = try Document()
            try indexer.setDocument(doc)
            try indexer.index(entry.body)
            try doc.addBooleanTerm("Q" + entry.id)
            try doc.addValue(entry.year, slot: 1)
            try doc.setData(Array("id=\(entry.id)\n".utf8))
            try db.replaceDocument(idTerm: "Q" + entry.id, with: doc)
        }
        try db.commit()
    }

    private let left = [("a", "fostering agencies recruit foster carers", "2017"), ("b", "home care for adults", "2015")]
    private let right = [("c", "foster placements and children's homes", "2017"), ("d", "road repairs", "2016")]

    @Test func shardsCombinedSearchAsOneDatabase() throws {
        let dir = try TemporaryDirectory()
        try makeShard(at: dir.appending("left"), left)
        try makeShard(at: dir.appending("right"), right)
        try makeShard(at: dir.appending("one"), left + right)
        let combined = try Database.combining([try Database(path: dir.appending("left")), try Database(path: dir.appending("right"))],
                                              path: "test")
        let one = try Database(path: dir.appending("one"))
        #expect(combined.shardCount == (all: 2, remote: 0))
        #expect(try combined.documentCount() == 4)
        #expect(try combined.revision() == 0)
        // Same weights and facets as one database with every document.
        var options = SearchOptions()
        options.facetSlots = [1]
        options.checkAtLeast = 4
        func results(_ db: Database) throws -> (ids: [String], weights: [Double], facets: [String]) {
            let mset = try db.search(try Query.term("Zfoster"), options: options)
            let ids = try (0..<mset.count).map { String(decoding: try mset.data($0), as: UTF8.self) }
            let weights = try (0..<mset.count).map { try mset.hit($0).weight }
            return (ids, weights, try mset.facet(0).map { "\($0.value)=\($0.count)" })
        }
        let a = try results(combined), b = try results(one)
        #expect(Set(a.ids) == Set(b.ids))
        #expect(a.weights.sorted() == b.weights.sorted())
        #expect(a.facets == b.facets)
        // Document ids interleave: found through the id term, they read back.
        for id in ["a", "b", "c", "d"] {
            let docid = try #require(try combined.postings("Q" + id).first)
            #expect(String(decoding: try combined.document(docid).data(), as: UTF8.self) == "id=\(id)\n")
        }
        // Spelling tables of every shard.
        #expect(try combined.spellingSuggestion(for: "placments") == "placements")
        #expect(try combined.spellingSuggestion(for: "agences") == "agencies")
        // No shards: an empty database.
        #expect(try Database.combining([], path: "none").documentCount() == 0)
    }

    @Test func aRefusedConnectionFailsAtOnce() throws {
        // A port nothing listens on (bound, then closed).
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        close(fd)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let started = Date()
        do {
            _ = try Database.remote(host: "127.0.0.1", port: port, timeout: 5, connectTimeout: 5)
            Issue.record("connected to a closed port")
        } catch let error as XapianError {
            #expect(error.code == .network)
            #expect(error.message.contains("Connection refused"))
        }
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(throws: XapianError.self) { try Database.remote(host: "127.0.0.1", port: 0) }
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        // The kernel accepts the connection into the backlog; nobody speaks.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        listen(fd, 4)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let started = Date()
        do {
            _ = try Database.remote(host: "127.0.0.1", port: Int(UInt16(bigEndian: address.sin_port)), timeout: 0.5, connectTimeout: 0.5)
            Issue.record("opened a database nobody serves")
        } catch let error as XapianError {
            #expect(error.code == .networkTimeout)
            #expect(error.code.summary == "remote database timed out")
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds >= 0.4 && seconds < 3, "took \(seconds) s")
    }

    @Test func aProgramThatIsNotAServerFails() throws {
        // `true` exits at once without speaking Xapian's protocol.
        #expect(throws: XapianError.self) { try Database.remote(program: "true", arguments: "", timeout: 2) }
    }
}
