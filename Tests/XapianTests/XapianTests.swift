import Foundation
import Testing
@testable import Xapian

/// Each test gets a fresh database directory, removed afterwards
/// (GRDB's GRDBTestCase pattern).
final class TemporaryDirectory {
    let path: String
    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("xapian-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func appending(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

private func makeIndex(at path: String, texts: [(id: String, title: String, body: String, year: String)]) throws {
    let db = try Database(path: path, mode: .createOrOverwrite)
    let indexer = try Indexer(language: "english")
    try indexer.setSpellingDatabase(db)
    for entry in texts {
        let doc = try Document()
        try indexer.setDocument(doc)
        try indexer.index(entry.title, prefix: "S")
        try indexer.index(entry.title, wdfIncrement: 3)
        try indexer.increasePosition()
        try indexer.index(entry.body)
        try doc.addBooleanTerm("Q" + entry.id)
        try doc.addBooleanTerm("Y" + entry.year)
        try doc.addValue(entry.year, slot: 1)
        try doc.setData(Array("id=\(entry.id)\n".utf8))
        try db.replaceDocument(idTerm: "Q" + entry.id, with: doc)
    }
    try db.commit()
}

private let sample: [(id: String, title: String, body: String, year: String)] = [
    ("a", "Fostering Modernisation Plan", "The Cabinet considered the recruitment of foster carers and fostering agencies.", "2017"),
    ("b", "Home Care Business Case", "A new model of home care for adult social care in Oxfordshire.", "2015"),
    ("c", "Residential Homes", "Provision of children's homes following Ofsted inspections of foster placements.", "2017"),
]

@Suite struct DatabaseErrorTests {
    @Test func missingDatabaseIsDatabaseNotFound() throws {
        let dir = try TemporaryDirectory()
        do {
            _ = try Database(path: dir.appending("nothing-here"))
            Issue.record("opened a database that does not exist")
        } catch let error as XapianError {
            #expect(error.code == .databaseNotFound)
            #expect(error.message.contains("nothing-here"))
        }
    }

    @Test func secondWriterIsDatabaseLocked() throws {
        let dir = try TemporaryDirectory()
        let path = dir.appending("db")
        let first = try Database(path: path, mode: .createOrOpen)
        do {
            _ = try Database(path: path, mode: .createOrOpen)
            Issue.record("a second writer opened a locked database")
        } catch let error as XapianError {
            #expect(error.code == .databaseLocked)
            #expect(error.code.summary == "database is locked")
        }
        try first.close()
        // Once the lock is released a writer gets in.
        _ = try Database(path: path, mode: .writeExisting)
    }

    @Test func writeExistingFailsWithoutDatabase() throws {
        let dir = try TemporaryDirectory()
        do {
            _ = try Database(path: dir.appending("absent"), mode: .writeExisting)
            Issue.record("opened a database that does not exist")
        } catch let error as XapianError {
            #expect(error.code == .databaseNotFound || error.code == .databaseOpening)
        }
    }

    @Test func writingToReadOnlyHandleIsReadOnly() throws {
        let dir = try TemporaryDirectory()
        let path = dir.appending("db")
        try makeIndex(at: path, texts: sample)
        let reader = try Database(path: path)
        do {
            try reader.setMetadata("k", "v")
            Issue.record("wrote through a read-only handle")
        } catch let error as XapianError {
            #expect(error.code == .readOnly)
        }
    }

    @Test func badQuerySyntaxIsQuerySyntax() throws {
        let dir = try TemporaryDirectory()
        let path = dir.appending("db")
        try makeIndex(at: path, texts: sample)
        let db = try Database(path: path)
        let parser = try QueryParser(database: db)
        for text in ["(foster", "foster AND", "\"unterminated AND OR"] {
            do {
                _ = try parser.parse(text, features: [.boolean, .phrase])
                // Xapian may recover from some of these by reparsing without
                // operators; the query must then still be usable.
            } catch let error as XapianError {
                #expect(error.code == .querySyntax, "\(text): \(error)")
            }
        }
        do {
            _ = try parser.parse("foster AND", features: [.boolean])
            Issue.record("a dangling AND parsed")
        } catch let error as XapianError {
            #expect(error.code == .querySyntax)
            #expect(error.message.contains("Syntax"))
        }
    }

    @Test func corruptDatabaseIsReported() throws {
        let dir = try TemporaryDirectory()
        let path = dir.appending("db")
        try makeIndex(at: path, texts: sample)
        // Overwrite the version file with garbage.
        let versionFile = (path as NSString).appendingPathComponent("iamglass")
        try Data("not a xapian database at all".utf8).write(to: URL(fileURLWithPath: versionFile))
        do {
            _ = try Database(path: path)
            Issue.record("opened a damaged database")
        } catch let error as XapianError {
            #expect([.databaseCorrupt, .databaseVersion, .databaseOpening].contains(error.code), "\(error)")
        }
    }

    @Test func unknownStemmerIsInvalidArgument() {
        do {
            _ = try Indexer(language: "klingon")
            Issue.record("accepted an unknown language")
        } catch let error as XapianError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("klingon"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite struct RoundTripTests {
    @Test func documentsValuesAndDataRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let path = dir.appending("db")
        try makeIndex(at: path, texts: sample)
        let db = try Database(path: path)
        #expect(try db.documentCount() == 3)
        let ids = try db.postings("Qb")
        #expect(ids.count == 1)
        let doc = try db.document(ids[0])
        #expect(String(decoding: try doc.data(), as: UTF8.self) == "id=b\n")
        #expect(try doc.value(1) == "2015")
        let titleTerms = try doc.terms(withPrefix: "S").map(\.term)
        #expect(titleTerms.contains("Scare"))
        #expect(titleTerms.contains("Shome"))
        #expect(try db.termFrequency("Y2017") == 2)
        #expect(try db.terms(withPrefix: "Y").map(\.term) == ["Y2015", "Y2017"])
    }

    @Test func replaceByIdTermDoesNotDuplicate() throws {
        let dir = try TemporaryDirectory()
        let path = dir.appending("db")
        try makeIndex(at: path, texts: sample)
        try makeIndex(at: path, texts: sample)  // overwrite
        let db = try Database(path: path, mode: .writeExisting)
        let doc = try Document()
        try doc.addBooleanTerm("Qa")
        try doc.setData(Array("replaced".utf8))
        try db.replaceDocument(idTerm: "Qa", with: doc)
        try db.commit()
        #expect(try db.documentCount() == 3)
        let id = try db.postings("Qa")[0]
        #expect(String(decoding: try db.document(id).data(), as: UTF8.self) == "replaced")
        try db.deleteDocuments(term: "Qa")
        try db.commit()
        #expect(try db.documentCount() == 2)
        #expect(try db.postings("Qa").isEmpty)
    }

    @Test func metadataRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.appending("db"), mode: .createOrOpen)
        try db.setMetadata("run:last", "42")
        try db.setMetadata("run:first", "1")
        try db.commit()
        #expect(try db.metadata("run:last") == "42")
        #expect(try db.metadataKeys(withPrefix: "run:") == ["run:first", "run:last"])
        try db.setMetadata("run:last", "")
        #expect(try db.metadata("run:last") == "")
    }

    @Test func transactionIsAbandonedOnError() throws {
        struct Stop: Error {}
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.appending("db"), mode: .createOrOpen)
        do {
            try db.inTransaction {
                let doc = try Document()
                try doc.addBooleanTerm("Qx")
                try db.replaceDocument(idTerm: "Qx", with: doc)
                throw Stop()
            }
        } catch is Stop {}
        #expect(try db.documentCount() == 0)
        try db.inTransaction {
            let doc = try Document()
            try doc.addBooleanTerm("Qy")
            try db.replaceDocument(idTerm: "Qy", with: doc)
        }
        let reader = try Database(path: db.path)
        #expect(try reader.documentCount() == 1)
    }

    @Test func readerSeesCommitAfterReopen() throws {
        let dir = try TemporaryDirectory()
        let path = dir.appending("db")
        try makeIndex(at: path, texts: Array(sample.prefix(1)))
        let reader = try Database(path: path)
        #expect(try reader.documentCount() == 1)
        let writer = try Database(path: path, mode: .writeExisting)
        let doc = try Document()
        try doc.addBooleanTerm("Qnew")
        try writer.replaceDocument(idTerm: "Qnew", with: doc)
        try writer.commit()
        #expect(try reader.documentCount() == 1)
        #expect(try reader.reopen())
        #expect(try reader.documentCount() == 2)
    }

    @Test func consistencyCheckPassesOnGoodDatabase() throws {
        let dir = try TemporaryDirectory()
        let path = dir.appending("db")
        try makeIndex(at: path, texts: sample)
        let result = try Database.checkConsistency(path: path)
        #expect(result.errors == 0)
    }

    @Test func stubDatabaseOpensItsShards() throws {
        let dir = try TemporaryDirectory()
        try makeIndex(at: dir.appending("one"), texts: Array(sample.prefix(2)))
        try makeIndex(at: dir.appending("two"), texts: Array(sample.suffix(1)))
        let stub = dir.appending("all.stub")
        try "auto \(dir.appending("one"))\nauto \(dir.appending("two"))\n".write(toFile: stub, atomically: true, encoding: .utf8)
        let db = try Database(path: stub)
        #expect(try db.documentCount() == 3)
    }
}

@Suite struct SearchTests {
    private func open() throws -> (TemporaryDirectory, Database) {
        let dir = try TemporaryDirectory()
        let path = dir.appending("db")
        try makeIndex(at: path, texts: sample)
        return (dir, try Database(path: path))
    }

    @Test func stemmedSearchRanksAndSnippets() throws {
        let (_, db) = try open()
        let parser = try QueryParser(database: db)
        let parsed = try parser.parse("fostering", features: [.boolean, .phrase])
        var options = SearchOptions()
        options.checkAtLeast = try db.documentCount()
        let mset = try db.search(parsed.query, options: options)
        #expect(mset.matches.lower == 2)  // "fostering" stems to match "foster" too
        let first = try mset.hit(0)
        let data = String(decoding: try mset.data(0), as: UTF8.self)
        #expect(data == "id=a\n")
        #expect(first.weight > 0)
        let snippet = try mset.snippet(of: sample[0].body, highlight: ("[", "]"))
        #expect(snippet?.contains("[fostering]") == true)
    }

    @Test func phraseNeedsAdjacentWords() throws {
        let (_, db) = try open()
        let parser = try QueryParser(database: db)
        let hits = try db.search(parser.parse("\"home care\"", features: [.phrase]).query)
        #expect(hits.count == 1)
        let none = try db.search(parser.parse("\"care home\"", features: [.phrase]).query)
        #expect(none.count == 0)
    }

    @Test func wildcardAndBooleanOperators() throws {
        let (_, db) = try open()
        let parser = try QueryParser(database: db)
        let wild = try db.search(parser.parse("foster*", features: [.wildcard]).query)
        #expect(wild.count == 2)
        let not = try db.search(parser.parse("foster NOT ofsted", features: [.boolean]).query)
        #expect(not.count == 1)
        #expect(String(decoding: try not.data(0), as: UTF8.self) == "id=a\n")
    }

    @Test func filterCallbackBuildsQueriesAndReportsErrors() throws {
        let (_, db) = try open()
        let parser = try QueryParser(database: db)
        var seen: [String] = []
        try parser.addFilter("year") { value in
            seen.append(value)
            guard value.allSatisfy(\.isNumber) else {
                throw XapianError(code: .querySyntax, message: "year: expects digits, not \(value)")
            }
            return try Query.term("Y" + value)
        }
        let hits = try db.search(parser.parse("year:2017", features: [.boolean]).query)
        #expect(hits.count == 2)
        let both = try db.search(parser.parse("foster year:2017", features: [.boolean]).query)
        #expect(both.count == 2)
        let ored = try db.search(parser.parse("year:2015 year:2017", features: [.boolean]).query)
        #expect(ored.count == 3)
        let quoted = try db.search(parser.parse("year:\"2015\"", features: [.boolean, .phrase]).query)
        #expect(quoted.count == 1)
        // A range is passed to the callback whole, not split by the parser.
        #expect(throws: XapianError.self) { try parser.parse("year:2016..", features: [.boolean]) }
        #expect(seen.contains("2016.."))
        do {
            _ = try parser.parse("year:abc", features: [.boolean])
            Issue.record("bad filter value accepted")
        } catch let error as XapianError {
            #expect(error.code == .querySyntax)
            #expect(error.message == "year: expects digits, not abc")
        }
    }

    @Test func facetsCountTheWholeMatchSet() throws {
        let (_, db) = try open()
        var options = SearchOptions()
        options.limit = 1
        options.facetSlots = [1]
        options.checkAtLeast = 100
        let mset = try db.search(try Query.matchAll(), options: options)
        #expect(mset.count == 1)
        let facet = try mset.facet(0)
        #expect(facet.map(\.value) == ["2017", "2015"])
        #expect(facet.map(\.count) == [2, 1])
    }

    @Test func sortByValueAndCollapse() throws {
        let (_, db) = try open()
        var options = SearchOptions()
        options.sort = .value(slot: 1, descending: false)
        let asc = try db.search(try Query.matchAll(), options: options)
        #expect(try asc.value(0, slot: 1) == "2015")
        options.collapseSlot = 1
        let collapsed = try db.search(try Query.matchAll(), options: options)
        #expect(collapsed.count == 2)
    }

    @Test func spellingSuggestionFromIndexedText() throws {
        let (_, db) = try open()
        #expect(try db.spellingSuggestion(for: "fostring") == "fostering")
        let parser = try QueryParser(database: db)
        let parsed = try parser.parse("fostring plan", features: [.spellingCorrection])
        #expect(parsed.correctedQuery == "fostering plan")
    }

    @Test func valueRangeQueries() throws {
        let (_, db) = try open()
        let open = try db.search(try Query.valueRange(slot: 1, from: "2016", to: nil))
        #expect(open.count == 2)
        let closed = try db.search(try Query.valueRange(slot: 1, from: "2015", to: "2015"))
        #expect(closed.count == 1)
    }

    @Test func expandFindsCharacteristicTerms() throws {
        let (_, db) = try open()
        let id = try db.postings("Qa")[0]
        let terms = try db.expand(documents: [id], count: 5, skippingPrefixes: ["Q", "Y", "S"])
        #expect(!terms.isEmpty)
        #expect(terms.allSatisfy { !$0.term.hasPrefix("Q") && !$0.term.hasPrefix("S") })
        // Best first, with weights.
        #expect(terms.map(\.weight) == terms.map(\.weight).sorted(by: >))
        #expect(terms.allSatisfy { $0.weight > 0 })
    }
}

// MARK: - Documents built away from the database

@Suite struct DetachedDocumentTests {
    /// Spelling data recorded from a document built without the database
    /// is what an indexer writing spelling data directly records.
    @Test func spellingsFromDocumentMatchIndexerSpelling() throws {
        let dir = try TemporaryDirectory()
        let direct = try Database(path: dir.appending("direct"), mode: .createOrOverwrite)
        let later = try Database(path: dir.appending("later"), mode: .createOrOverwrite)
        let withSpelling = try Indexer(language: "english")
        try withSpelling.setSpellingDatabase(direct)
        let without = try Indexer(language: "english")
        for entry in sample {
            for (db, indexer) in [(direct, withSpelling), (later, without)] {
                let doc = try Document()
                try indexer.setDocument(doc)
                try indexer.index(entry.title, prefix: "S")
                try indexer.index(entry.title, wdfIncrement: 3)
                try indexer.increasePosition()
                try indexer.index(entry.body + " fostering fostering")
                try indexer.detachDocument()
                try doc.addBooleanTerm("Q" + entry.id)
                if db === later { try db.addSpellings(of: doc) }
                try db.replaceDocument(idTerm: "Q" + entry.id, with: doc)
            }
        }
        try direct.commit()
        try later.commit()
        for word in ["fostring", "residentail", "oxfordshre", "cabnet", "modernisaton", "inspectons"] {
            #expect(try direct.spellingSuggestion(for: word) == later.spellingSuggestion(for: word), "\(word)")
        }
        #expect(try later.spellingSuggestion(for: "fostring") == "fostering")
        // Prefixed and boolean terms are not spelling words.
        #expect(try later.spellingSuggestion(for: "qa") == nil)
    }

    @Test func addSpellingsNeedsAWritableDatabase() throws {
        let dir = try TemporaryDirectory()
        try makeIndex(at: dir.appending("db"), texts: sample)
        let reader = try Database(path: dir.appending("db"))
        let doc = try Document()
        do {
            try reader.addSpellings(of: doc)
            Issue.record("recorded spellings in a read-only database")
        } catch let error as XapianError {
            #expect(error.code == .readOnly)
        }
    }

    @Test func serialisedQueryIsNotEmpty() throws {
        let query = try Query.combine(.and, [try Query.term("foster"), try Query.term("Y2017", boolean: true)])
        let bytes = try query.serialised()
        #expect(!bytes.isEmpty)
        #expect(try query.serialised() == bytes)
    }
}
