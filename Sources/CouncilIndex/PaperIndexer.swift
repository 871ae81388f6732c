import CouncilDocuments
import Foundation
import Xapian

/// What an indexing run did.
public struct IndexSummary: Sendable, Equatable {
    public var added = 0
    public var updated = 0
    public var removed = 0
    public var unchanged = 0
    public var failed = 0
    public var seconds = 0.0
    /// Files in the given folders that are not papers (other file types).
    public var skipped = 0
    /// Items written in this run.
    public var items = 0
    /// The run number recorded on every document added or changed.
    public var run = 0
    /// Whether this run built a fresh version and switched to it.
    public var rebuilt = false
    public var failures: [Failure] = []
    public var skippedFiles: [SkippedFile] = []

    /// A file that could not be indexed, and why.
    public struct Failure: Error, Sendable, Equatable {
        public var path: String
        public var error: String
    }

    public init() {}
}

/// Builds and updates the index: reads papers, segments them into items,
/// and writes one Xapian document per item plus one per source file.
///
/// Files whose size and modification time are unchanged since the last run
/// are skipped without reading; when those differ, a content hash decides.
/// A file that cannot be read is reported and skipped; the run goes on.
///
/// Changes are committed in batches bounded by documents and by bytes of
/// text, each batch one Xapian transaction: killed at any moment, the index
/// opens at its last commit, and the next run finishes the work (a paper's
/// source record and its items are always committed together, so nothing is
/// missing or duplicated). One run writes an index at a time
/// (`IndexLocation.lockForWriting`).
public final class PaperIndexer {
    public let databasePath: String
    public var reader = DocumentReader()
    /// Commit after this many documents or bytes of text, whichever first.
    public var commitEveryDocuments = 2_000
    public var commitEveryBytes = 32 * 1_048_576
    /// The clock, for tests.
    public var now: @Sendable () -> Date = { Date() }

    /// Called for each file handled: (files done, files in all, path).
    public var progress: ((Int, Int, String) -> Void)?
    /// Called for each failure as it happens.
    public var onFailure: ((IndexSummary.Failure) -> Void)?

    public init(databasePath: String) {
        self.databasePath = databasePath
    }

    /// A paper read and parsed, ready to write.
    struct Prepared: Sendable {
        let file: SourceFile
        let source: SourceRecord
        let items: [ItemRecord]
        let searchContext: String
        let textBytes: Int
    }

    /// Index `paths`. With `prune`, documents whose files under `paths`
    /// are gone are removed. With `force`, unchanged files are read again.
    /// With `rebuild`, a fresh version of the index is built from `paths`
    /// beside the live one and switched to atomically at the end.
    public func index(paths: [String], prune: Bool = false, force: Bool = false, waitForLock: Bool = false,
                      rebuild: Bool = false) throws -> IndexSummary {
        let started = Date()
        var summary = IndexSummary()
        let location = IndexLocation(path: databasePath)
        let lock = try location.lockForWriting(wait: waitForLock)
        defer { withExtendedLifetime(lock) {} }

        // Where to write.
        var target: String
        var liveBefore: String? = nil
        var switchAtEnd = false
        switch location.state {
        case .missing:
            // Versions without a stub naming them are left from a first run
            // killed before it wrote the stub: start afresh.
            for name in location.versions() { try? FileManager.default.removeItem(atPath: location.versionsDirectory + "/" + name) }
            target = location.nextVersion()
            _ = try openDatabase(target, mode: .createOrOpen, wait: waitForLock)
            try location.switchStub(to: target)
        case .directory:
            if rebuild {
                throw CouncilError.badIndex("\(databasePath) is a plain Xapian database folder; --rebuild needs an index made by council index (a stub file naming versions in \(databasePath).d/)")
            }
            target = databasePath
        case .stub:
            guard let live = try location.liveDatabase() else { throw CouncilError.indexNotFound(databasePath) }
            liveBefore = live
            if rebuild {
                target = location.versionsDirectory + "/building-\(getpid())"
                try? FileManager.default.removeItem(atPath: target)
                switchAtEnd = true
            } else {
                target = live
            }
        }

        let db = try openDatabase(target, mode: .createOrOpen, wait: waitForLock)
        var carriedRun = 0
        var previousVersion: Database? = nil
        if switchAtEnd, let liveBefore {
            // Run numbers, item arrival runs and other metadata survive a
            // rebuild, so saved searches do not report old items as new.
            let old = try openDatabase(liveBefore, mode: .readOnly, wait: false)
            for key in try old.metadataKeys() { try db.setMetadata(key, try old.metadata(key)) }
            carriedRun = Int(try old.metadata("run:last")) ?? 0
            previousVersion = old
        }
        let existing = switchAtEnd ? [:] : try PaperIndexer.sourceRecords(in: db)
        let run = max(carriedRun, Int(try db.metadata("run:last")) ?? 0) + 1
        summary.run = run
        let timestamp = now().timeIntervalSince1970

        let discovery = Discovery(paths: paths)
        for missing in discovery.missing { fail(&summary, IndexSummary.Failure(path: missing.path, error: missing.reason)) }
        for skip in discovery.skipped {
            if skip.reason.hasPrefix("not a paper") {
                summary.skipped += 1
                summary.skippedFiles.append(skip)
            } else {
                fail(&summary, IndexSummary.Failure(path: skip.path, error: skip.reason))
            }
        }

        // Decide what needs reading: size and time first, and whether the
        // side-car files that override extraction changed.
        var toRead: [(SourceFile, SourceRecord?, Int, Double, MetadataOverride?)] = []
        var handled = 0
        for file in discovery.files {
            var info = stat()
            let statted = stat(file.absolutePath, &info) == 0
            let size = statted ? Int(info.st_size) : -1
            let modified = statted ? Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9 : 0
            let previous = existing[SourceRecord.key(forAbsolutePath: file.absolutePath)]
            let override: MetadataOverride?
            do {
                override = try MetadataOverride.forPaper(at: file.absolutePath)
            } catch {
                fail(&summary, IndexSummary.Failure(path: file.path, error: "bad metadata override: \(error)"))
                handled += 1
                progress?(handled, discovery.files.count, file.path)
                continue
            }
            if !force, let previous, previous.size == size, previous.modified == modified,
               previous.overrideHash == (override?.hash ?? "") {
                summary.unchanged += 1
                handled += 1
                progress?(handled, discovery.files.count, file.path)
                continue
            }
            toRead.append((file, previous, size, modified, override))
        }

        let indexer = try Indexer(language: Schema.language)
        try indexer.setSpellingDatabase(db)
        var transaction = Transaction(db: db)
        do {
            try transaction.begin()
            try db.setMetadata("run:last", String(run))
            try db.setMetadata("run:\(run)", String(timestamp))
            var pendingDocuments = 0
            var pendingBytes = 0
            var done = handled
            let reader = self.reader
            // Read and parse in parallel, write in order, batch by batch.
            let batchSize = 64
            var start = 0
            while start < toRead.count {
                let batch = Array(toRead[start..<min(toRead.count, start + batchSize)])
                start += batchSize
                let results: [Result<Prepared?, IndexSummary.Failure>] = parallelMap(batch) { entry in
                    let (file, previous, size, modified, override) = entry
                    do {
                        let source = try reader.read(path: file.absolutePath)
                        let hash = StableHash.hex(source.hash)
                        if !force, let previous, previous.hash == hash, previous.overrideHash == (override?.hash ?? "") {
                            return .success(nil)  // touched, not changed
                        }
                        return .success(PaperIndexer.prepare(file: file, source: source, size: size, modified: modified,
                                                             indexedAt: timestamp, run: run, override: override))
                    } catch {
                        return .failure(IndexSummary.Failure(path: file.path, error: String(describing: error)))
                    }
                }
                for (entry, result) in zip(batch, results) {
                    let (file, previous, size, modified, _) = entry
                    done += 1
                    progress?(done, discovery.files.count, file.path)
                    try transaction.begin()
                    switch result {
                    case .failure(let failure) where failure.error.hasPrefix("not a paper"):
                        // Read, but not a paper (an index of links): passed over
                        // like other files that are not papers; what an earlier
                        // run indexed from it goes.
                        summary.skipped += 1
                        summary.skippedFiles.append(SkippedFile(path: failure.path, reason: failure.error))
                        if let previous {
                            try db.deleteDocuments(term: Schema.term(Schema.source, previous.key))
                            summary.removed += 1
                        }
                    case .failure(let failure):
                        fail(&summary, failure)
                    case .success(nil):
                        // Same content, new time: remember the new time so the
                        // next run skips it without reading.
                        if var record = previous {
                            record.size = size
                            record.modified = modified
                            record.path = file.path
                            try writeSource(record, to: db)
                            pendingDocuments += 1
                        }
                        summary.unchanged += 1
                    case .success(let prepared?):
                        try write(prepared, to: db, indexer: indexer, earlierFrom: previousVersion ?? db)
                        if previous == nil { summary.added += 1 } else { summary.updated += 1 }
                        summary.items += prepared.source.items
                        pendingDocuments += prepared.items.count + 1
                        pendingBytes += prepared.textBytes
                    }
                    if pendingDocuments >= commitEveryDocuments || pendingBytes >= commitEveryBytes {
                        try transaction.commit()
                        pendingDocuments = 0
                        pendingBytes = 0
                    }
                }
            }
            if prune {
                try transaction.begin()
                let roots = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
                for record in existing.values {
                    let underRoot = roots.contains { record.absolutePath == $0 || record.absolutePath.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
                    guard underRoot, !FileManager.default.fileExists(atPath: record.absolutePath) else { continue }
                    try db.deleteDocuments(term: Schema.term(Schema.source, record.key))
                    summary.removed += 1
                }
            }
            try transaction.commit()
        } catch {
            // Leave the index as it was at its last commit.
            transaction.cancel()
            try? db.close()
            if switchAtEnd { try? FileManager.default.removeItem(atPath: target) }
            throw PaperIndexer.describe(error, writing: databasePath)
        }
        try db.close()
        if switchAtEnd {
            let version = location.nextVersion()
            guard rename(target, version) == 0 else {
                throw CouncilError.io("cannot move the rebuilt index into place: \(String(cString: strerror(errno)))")
            }
            try location.switchStub(to: version)
            location.removeOldVersions(live: version, previous: liveBefore)
            summary.rebuilt = true
        }
        summary.seconds = (Date().timeIntervalSince(started) * 1000).rounded() / 1000
        return summary
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

    private func openDatabase(_ path: String, mode: Database.OpenMode, wait: Bool) throws -> Database {
        do {
            return try Database(path: path, mode: mode, waitForLock: wait)
        } catch {
            throw PaperIndexer.describe(error, writing: path)
        }
    }

    /// Xapian's errors while writing, in words: disk full, read-only, locked.
    static func describe(_ error: Error, writing path: String) -> Error {
        guard let x = error as? XapianError else { return error }
        let message = x.message.lowercased()
        if x.code == .databaseLocked { return CouncilError.indexLocked((path as NSString).appendingPathComponent("flintlock")) }
        if message.contains("no space left") {
            return CouncilError.io("the disk holding \(path) is full; the index is unchanged since its last commit (\(x.message))")
        }
        if message.contains("read-only file system") || message.contains("permission denied") {
            return CouncilError.io("cannot write the index at \(path): \(x.message)")
        }
        return CouncilError.database(x)
    }

    private func fail(_ summary: inout IndexSummary, _ failure: IndexSummary.Failure) {
        summary.failed += 1
        summary.failures.append(failure)
        onFailure?(failure)
    }

    /// Every source record in the index, by key.
    public static func sourceRecords(in db: Database) throws -> [String: SourceRecord] {
        var records: [String: SourceRecord] = [:]
        for id in try db.postings(Schema.term(Schema.type, Schema.sourceType)) {
            if let record = SourceRecord(data: try db.document(id).data()) {
                records[record.key] = record
            }
        }
        return records
    }

    /// Parse a paper into the records to write.
    static func prepare(file: SourceFile, source: SourceText, size: Int, modified: Double, indexedAt: Double, run: Int,
                        override: MetadataOverride? = nil) -> Prepared {
        let paper = CouncilPaper.parse(source.text, override: override)
        let m = paper.metadata
        let key = SourceRecord.key(forAbsolutePath: file.absolutePath)
        var provenance: [String: String] = [:]
        func note<T>(_ name: String, _ e: Extracted<T>) {
            provenance[name] = e.value == nil ? (e.source.hasPrefix("override") ? "\(e.source): unknown" : "not found")
                : "\(e.source) (confidence \(e.confidence))"
        }
        note("council", m.council)
        note("committee", m.committee)
        note("date", m.date)
        note("kind", m.kind)
        if case .value(_, let source) = override?.portfolios ?? .absent { provenance["portfolios"] = source }
        if case .value(_, let source) = override?.title ?? .absent { provenance["title"] = source }
        var record = SourceRecord(
            path: file.path, absolutePath: file.absolutePath, title: paper.title,
            council: m.council.value, committee: m.committee.value, date: m.date.value?.iso, kind: m.kind.value?.rawValue,
            portfolios: paper.portfolios, items: paper.items.filter { !$0.isFrontMatter }.count,
            format: source.format.rawValue, size: size, modified: modified, hash: StableHash.hex(source.hash),
            indexedAt: indexedAt, run: run, provenance: provenance)
        record.overrideHash = override?.hash ?? ""
        record.url = override?.url
        let items = paper.items.map { item in
            var record = ItemRecord(id: "\(key)-\(item.ordinal)", sourceKey: key, path: file.path, title: item.title, number: item.number,
                                    agendaNumber: item.agendaNumber, council: record.council, committee: record.committee, date: record.date,
                                    kind: record.kind, portfolios: item.portfolios, isFrontMatter: item.isFrontMatter, line: item.line,
                                    ordinal: item.ordinal, text: item.text)
            record.hasDecision = !item.isFrontMatter && DecisionDetector.hasDecision(item.text)
            record.people = item.people
            record.run = run
            record.indexedAt = indexedAt
            return record
        }
        let context = [record.council, record.committee].compactMap { $0 }.joined(separator: " ")
        return Prepared(file: file, source: record, items: items, searchContext: context, textBytes: source.text.utf8.count)
    }

    /// Replace everything indexed from one file. Items whose title and text
    /// are unchanged keep the run in which they first arrived, so saved
    /// searches do not report them again.
    private func write(_ prepared: Prepared, to db: Database, indexer: Indexer, earlierFrom previous: Database) throws {
        var earlier: [String: (hash: String, run: Int, indexed: Double)] = [:]
        for docid in try previous.postings(Schema.term(Schema.source, prepared.source.key)) {
            if let old = ItemRecord.storedHash(try previous.document(docid).data()) { earlier[old.id] = (old.hash, old.run, old.indexed) }
        }
        try db.deleteDocuments(term: Schema.term(Schema.source, prepared.source.key))
        try writeSource(prepared.source, to: db)
        for var item in prepared.items {
            if let old = earlier[item.id], old.hash == item.contentHash, old.run > 0 {
                item.run = old.run
                item.indexedAt = old.indexed
            }
            let doc = try Document()
            try indexer.setDocument(doc)
            // Titles weigh more than body text: indexed under S and, with a
            // higher wdf, with the body's terms.
            try indexer.index(item.title, prefix: Schema.title.prefix)
            try indexer.index(item.title, wdfIncrement: 3)
            try indexer.increasePosition()
            try indexer.index(item.text)
            try indexer.increasePosition()
            try indexer.index(prepared.searchContext)
            try addItemTerms(item, source: prepared.source, to: doc)
            try doc.setData(item.data())
            try db.replaceDocument(idTerm: Schema.term(Schema.id, item.id), with: doc)
        }
    }

    private func writeSource(_ record: SourceRecord, to db: Database) throws {
        let doc = try Document()
        try doc.addBooleanTerm(Schema.term(Schema.id, record.key))
        try doc.addBooleanTerm(Schema.term(Schema.type, Schema.sourceType))
        try doc.addBooleanTerm(Schema.term(Schema.source, record.key))
        try doc.setData(record.data())
        try db.replaceDocument(idTerm: Schema.term(Schema.id, record.key), with: doc)
    }

    private func addItemTerms(_ item: ItemRecord, source: SourceRecord, to doc: Document) throws {
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

/// Map `items` through `transform` on all cores, keeping order.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    if items.count <= 1 { return items.map(transform) }
    let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
    results.initialize(repeating: nil)
    defer { results.deallocate() }
    nonisolated(unsafe) let output = results
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
        output[index] = transform(items[index])
    }
    return results.map { $0! }
}

extension DocumentReader {
    static func describeError(_ error: Error) -> String {
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain && ns.code == NSFileReadNoPermissionError { return "permission denied" }
        return ns.localizedDescription
    }
}
