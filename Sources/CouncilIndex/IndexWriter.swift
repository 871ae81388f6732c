import CouncilDocuments
import Foundation
import Xapian

/// What an item looked like before this run, so that an unchanged item
/// keeps the run in which it first arrived.
struct EarlierItem: Sendable {
    let hash: String
    let run: Int
    let indexed: Double
}

/// Writes one council index under its writer's lock: in place, or (with
/// `rebuild`) into a fresh version beside the live one that `finish()`
/// switches the index's stub to atomically. An index that does not exist
/// yet is created as version `v0001` with its stub.
///
/// Changes are committed in batches bounded by documents and by bytes of
/// text, each batch one Xapian transaction: killed at any moment, the index
/// opens at its last commit. `PaperIndexer` uses one writer; the
/// `ShardedIndexer` one per shard it changes.
final class IndexWriter {
    let location: IndexLocation
    /// The run number recorded on every document written, and its time.
    let run: Int
    let timestamp: Double
    /// The papers in the index before this run (none when rebuilding).
    let existing: [String: SourceRecord]
    let db: Database
    /// The live version during a rebuild, for what items looked like.
    private(set) var previousVersion: Database?
    private let lock: IndexLocation.WriterLock
    private let target: String
    private let liveBefore: String?
    private let switchAtEnd: Bool
    private let indexer: Indexer
    private var transaction: Transaction
    private var pendingDocuments = 0
    private var pendingBytes = 0
    private let commitEveryDocuments: Int
    private let commitEveryBytes: Int

    /// Open the index at `location` for writing, holding `lock` (its
    /// writer's lock) until the writer is gone. The run number is one more
    /// than the index's last and than `runFloor`, or exactly `run` when given
    /// (every shard written by one run of a sharded index shares it).
    init(location: IndexLocation, lock: IndexLocation.WriterLock, rebuild: Bool, waitForLock: Bool, runFloor: Int = 0,
         run fixedRun: Int? = nil, timestamp: Double, commitEveryDocuments: Int, commitEveryBytes: Int,
         knownRecords: [String: SourceRecord]? = nil) throws {
        self.location = location
        self.lock = lock
        self.timestamp = timestamp
        self.commitEveryDocuments = commitEveryDocuments
        self.commitEveryBytes = commitEveryBytes
        var target: String
        var liveBefore: String? = nil
        var switchAtEnd = false
        switch location.state {
        case .missing:
            // Versions without a stub naming them are left from a first run
            // killed before it wrote the stub: start afresh.
            for name in location.versions() { try? FileManager.default.removeItem(atPath: location.versionsDirectory + "/" + name) }
            target = location.nextVersion()
            _ = try IndexWriter.openDatabase(target, mode: .createOrOpen, wait: waitForLock)
            try location.switchStub(to: target)
        case .directory:
            if rebuild {
                throw CouncilError.badIndex("\(location.path) is a plain Xapian database folder; --rebuild needs an index made by council index (a stub file naming versions in \(location.path).d/)")
            }
            target = location.path
        case .stub:
            guard let live = try location.liveDatabase() else { throw CouncilError.indexNotFound(location.path) }
            liveBefore = live
            if rebuild {
                target = location.versionsDirectory + "/building-\(getpid())"
                try? FileManager.default.removeItem(atPath: target)
                switchAtEnd = true
            } else {
                target = live
            }
        }
        self.target = target
        self.liveBefore = liveBefore
        self.switchAtEnd = switchAtEnd

        let db = try IndexWriter.openDatabase(target, mode: .createOrOpen, wait: waitForLock)
        self.db = db
        var carriedRun = 0
        if switchAtEnd, let liveBefore {
            // Run numbers, item arrival runs and other metadata survive a
            // rebuild, so saved searches do not report old items as new.
            let old = try IndexWriter.openDatabase(liveBefore, mode: .readOnly, wait: false)
            for key in try old.metadataKeys() { try db.setMetadata(key, try old.metadata(key)) }
            carriedRun = Int(try old.metadata("run:last")) ?? 0
            previousVersion = old
        }
        if switchAtEnd {
            existing = [:]
        } else if let knownRecords {
            existing = knownRecords
        } else {
            existing = try PaperIndexer.sourceRecords(in: db)
        }
        let lastRun = Int(try db.metadata("run:last")) ?? 0
        run = fixedRun ?? (max(carriedRun, lastRun, runFloor) + 1)
        // Documents may be built without the database, on other threads
        // (`document(for:context:indexer:)`); their spelling data is recorded
        // as each is written.
        indexer = try Indexer(language: Schema.language)
        transaction = Transaction(db: db)
        do {
            try transaction.begin()
            try db.setMetadata("run:last", String(run))
            try db.setMetadata("run:\(run)", String(timestamp))
        } catch {
            abandon()
            throw error
        }
    }

    /// What the items of paper `key` looked like before this run.
    func earlierItems(ofSource key: String) throws -> [String: EarlierItem] {
        let source = previousVersion ?? db
        var earlier: [String: EarlierItem] = [:]
        for docid in try source.postings(Schema.term(Schema.source, key)) {
            if let old = ItemRecord.storedHash(try source.document(docid).data()) {
                earlier[old.id] = EarlierItem(hash: old.hash, run: old.run, indexed: old.indexed)
            }
        }
        return earlier
    }

    /// Remember a paper's new size and time (its content is unchanged).
    func touch(_ record: SourceRecord) throws {
        try transaction.begin()
        try writeSource(record)
        pendingDocuments += 1
    }

    /// Remember that the file with source key `key`, of this size, time and
    /// override, was read and is not a paper (`reason`), so that the next
    /// run passes over it without reading it again (in the index's
    /// metadata, under `notpaper:KEY`).
    func rememberNotAPaper(key: String, size: Int, modified: Double, overrideHash: String, reason: String) throws {
        let value = "\(size)\t\(modified)\t\(overrideHash)\t\(reason)"
        guard try db.metadata("notpaper:" + key) != value else { return }
        try transaction.begin()
        try db.setMetadata("notpaper:" + key, value)
        pendingDocuments += 1
    }

    /// The reason the file with source key `key` was found not to be a
    /// paper, when it has not changed since (same size, time and override).
    func notAPaper(key: String, size: Int, modified: Double, overrideHash: String) throws -> String? {
        let parts = try db.metadata("notpaper:" + key).split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, Int(parts[0]) == size, Double(parts[1]) == modified, parts[2] == overrideHash else { return nil }
        return String(parts[3])
    }

    /// Remove everything indexed from paper `key`.
    func remove(sourceKey key: String) throws {
        try transaction.begin()
        try db.deleteDocuments(term: Schema.term(Schema.source, key))
        pendingDocuments += 1
    }

    /// Commit when the batch has reached its bound.
    func commitIfDue() throws {
        if pendingDocuments >= commitEveryDocuments || pendingBytes >= commitEveryBytes { try commit() }
    }

    /// Commit the batch now.
    func commit() throws {
        try transaction.commit()
        pendingDocuments = 0
        pendingBytes = 0
    }

    /// Commit, close, and with a rebuild switch the stub to the new
    /// version (removing older ones but the previous); whether it did.
    @discardableResult
    func finish() throws -> Bool {
        try commit()
        try db.close()
        try previousVersion?.close()
        previousVersion = nil
        guard switchAtEnd else { return false }
        let version = location.nextVersion()
        guard rename(target, version) == 0 else {
            throw CouncilError.io("cannot move the rebuilt index into place: \(String(cString: strerror(errno)))")
        }
        try location.switchStub(to: version)
        location.removeOldVersions(live: version, previous: liveBefore)
        return true
    }

    /// Leave the index as it was at its last commit.
    func abandon() {
        transaction.cancel()
        try? db.close()
        if switchAtEnd { try? FileManager.default.removeItem(atPath: target) }
    }

    /// One Xapian transaction at a time, begun lazily.
    struct Transaction {
        let db: Database
        var open = false

        mutating func begin() throws {
            guard !open else { return }
            try db.beginTransaction()
            open = true
        }

        mutating func commit() throws {
            guard open else { return }
            open = false
            try db.commitTransaction()
        }

        mutating func cancel() {
            guard open else { return }
            open = false
            try? db.cancelTransaction()
        }
    }

    static func openDatabase(_ path: String, mode: Database.OpenMode, wait: Bool) throws -> Database {
        do {
            return try Database(path: path, mode: mode, waitForLock: wait)
        } catch {
            throw PaperIndexer.describe(error, writing: path)
        }
    }

    // MARK: - Documents

    /// Replace everything indexed from one file. Items whose title and text
    /// are unchanged keep the run in which they first arrived, so saved
    /// searches do not report them again. `documents` are the items'
    /// documents when already built for this run (on another thread); the
    /// others are built here.
    func write(_ prepared: PaperIndexer.Prepared, documents: [Document] = [], earlier known: [String: EarlierItem]? = nil) throws {
        try transaction.begin()
        let earlier = try known ?? earlierItems(ofSource: prepared.source.key)
        try db.deleteDocuments(term: Schema.term(Schema.source, prepared.source.key))
        try writeSource(prepared.source)
        for (index, var item) in prepared.items.enumerated() {
            var built = index < documents.count ? documents[index] : nil
            if let old = earlier[item.id], old.hash == item.contentHash, old.run > 0 {
                item.run = old.run
                item.indexedAt = old.indexed
                built = nil  // built with this run: build again with the earlier one
            }
            let doc = try built ?? IndexWriter.document(for: item, context: prepared.searchContext, indexer: indexer)
            try db.addSpellings(of: doc)
            try db.replaceDocument(idTerm: Schema.term(Schema.id, item.id), with: doc)
        }
        pendingDocuments += prepared.items.count + 1
        pendingBytes += prepared.textBytes
    }

    /// The Xapian document of an item: its words (titles weigh more than
    /// body text: indexed under S and, with a higher wdf, with the body's
    /// terms), filter terms, values and stored record. Touches no database,
    /// so it can run on any thread with its own `indexer`.
    static func document(for item: ItemRecord, context: String, indexer: Indexer) throws -> Document {
        let doc = try Document()
        try indexer.setDocument(doc)
        try indexer.index(item.title, prefix: Schema.title.prefix)
        try indexer.index(item.title, wdfIncrement: 3)
        try indexer.increasePosition()
        try indexer.index(item.text)
        try indexer.increasePosition()
        try indexer.index(context)
        try addItemTerms(item, to: doc)
        try doc.setData(item.data())
        return doc
    }

    private func writeSource(_ record: SourceRecord) throws {
        let doc = try Document()
        try doc.addBooleanTerm(Schema.term(Schema.id, record.key))
        try doc.addBooleanTerm(Schema.term(Schema.type, Schema.sourceType))
        try doc.addBooleanTerm(Schema.term(Schema.source, record.key))
        try doc.setData(record.data())
        try db.replaceDocument(idTerm: Schema.term(Schema.id, record.key), with: doc)
    }

    private static func addItemTerms(_ item: ItemRecord, to doc: Document) throws {
        try doc.addBooleanTerm(Schema.term(Schema.id, item.id))
        try doc.addBooleanTerm(Schema.term(Schema.type, Schema.itemType))
        try doc.addBooleanTerm(Schema.term(Schema.source, item.sourceKey))
        try doc.addValue(item.sourceKey, slot: Schema.source.slot!)
        try doc.addBooleanTerm(Schema.term(Schema.run, String(item.run)))
        try doc.addValue(Schema.sortable(item.run), slot: Schema.run.slot!)
        try doc.addValue(Schema.sortable(Int(item.indexedAt)), slot: Schema.indexedSlot)
        if item.hasDecision { try doc.addBooleanTerm(Schema.term(Schema.decision, "yes")) }
        for person in item.people { try doc.addBooleanTerm(Schema.term(Schema.person, person)) }
        if let council = item.council {
            try doc.addBooleanTerm(Schema.term(Schema.council, council))
            try doc.addValue(council, slot: Schema.council.slot!)
        }
        if let committee = item.committee {
            try doc.addBooleanTerm(Schema.term(Schema.committee, committee))
            try doc.addValue(committee, slot: Schema.committee.slot!)
        }
        if let kind = item.kind {
            try doc.addBooleanTerm(Schema.term(Schema.kind, kind))
            try doc.addValue(kind, slot: Schema.kind.slot!)
        }
        if let iso = item.date, let date = CalendarDate(iso: iso) {
            try doc.addBooleanTerm(Schema.date.prefix + date.compact)
            try doc.addBooleanTerm(Schema.month.prefix + String(date.compact.prefix(6)))
            try doc.addBooleanTerm(Schema.year.prefix + String(date.year))
            try doc.addValue(date.compact, slot: Schema.date.slot!)
            try doc.addValue(String(date.year), slot: Schema.year.slot!)
        }
        for (index, portfolio) in item.portfolios.enumerated() {
            try doc.addBooleanTerm(Schema.term(Schema.portfolio, portfolio))
            if index < Schema.portfolio.slots.count {
                try doc.addValue(portfolio, slot: Schema.portfolio.slots[index])
            }
        }
        for number in [item.number, item.agendaNumber].compactMap({ $0 }) {
            try doc.addBooleanTerm(Schema.term(Schema.item, number))
        }
        if item.isFrontMatter { try doc.addBooleanTerm(Schema.term(Schema.front, "yes")) }
        let meeting = [item.council ?? "", item.committee ?? "", item.date ?? ""].map(NameKey.normalize).joined(separator: "|")
        try doc.addValue(meeting, slot: Schema.meetingSlot)
        let ordinal = String(item.ordinal)
        try doc.addValue(String(repeating: "0", count: max(0, 6 - ordinal.count)) + ordinal, slot: Schema.ordinalSlot)
    }
}

@available(*, unavailable)
extension IndexWriter: Sendable {}
