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
    /// Files in the given folders that are not papers (other extensions).
    public var skipped = 0
    /// Items written in this run.
    public var items = 0
    /// The run number recorded on every document added or changed.
    public var run = 0
    public var failures: [Failure] = []

    /// A file that could not be indexed, and why.
    public struct Failure: Error, Sendable, Equatable {
        public var path: String
        public var error: String
    }

    public init() {}
}

/// A file to index: the path as the user gave it and its absolute form.
public struct SourceFile: Sendable, Equatable {
    public var path: String
    public var absolutePath: String
}

/// Builds and updates the index: reads papers, segments them into items,
/// and writes one Xapian document per item plus one per source file.
///
/// Files whose size and modification time are unchanged since the last run
/// are skipped without reading; when those differ, a content hash decides.
/// A file that cannot be read is reported and skipped; the run goes on.
public final class PaperIndexer {
    public let databasePath: String
    public var reader = DocumentReader()
    /// Commit after this many documents or bytes of text, whichever first.
    public var commitEveryDocuments = 5_000
    public var commitEveryBytes = 64 * 1_048_576
    /// The clock, for tests.
    public var now: @Sendable () -> Date = { Date() }

    /// Called for each file handled: (files done, files in all, path).
    public var progress: ((Int, Int, String) -> Void)?
    /// Called for each failure as it happens.
    public var onFailure: ((IndexSummary.Failure) -> Void)?

    public init(databasePath: String) {
        self.databasePath = databasePath
    }

    // MARK: - Discovery

    /// The papers under `paths` (files, or folders searched recursively,
    /// skipping hidden entries), and what was passed over.
    public static func discover(_ paths: [String]) -> (files: [SourceFile], skipped: Int, failures: [IndexSummary.Failure]) {
        var files: [SourceFile] = []
        var skipped = 0
        var failures: [IndexSummary.Failure] = []
        var seen = Set<String>()
        let fm = FileManager.default
        for given in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: given, isDirectory: &isDirectory) else {
                failures.append(.init(path: given, error: "no such file or folder"))
                continue
            }
            let absolute = URL(fileURLWithPath: given).standardizedFileURL.path
            if !isDirectory.boolValue {
                if seen.insert(absolute).inserted { files.append(SourceFile(path: given, absolutePath: absolute)) }
                continue
            }
            guard let enumerator = fm.enumerator(at: URL(fileURLWithPath: absolute),
                                                 includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey],
                                                 options: [.skipsHiddenFiles, .skipsPackageDescendants],
                                                 errorHandler: { url, error in
                                                     failures.append(.init(path: url.path, error: DocumentReader.describeError(error)))
                                                     return true
                                                 }) else {
                failures.append(.init(path: given, error: "cannot list folder"))
                continue
            }
            var found: [SourceFile] = []
            let base = given.hasSuffix("/") ? String(given.dropLast()) : given
            for case let url as URL in enumerator {
                let values = try? url.resourceValues(forKeys: [.isRegularFileKey])
                guard values?.isRegularFile == true else { continue }
                let abs = url.standardizedFileURL.path
                guard abs.hasPrefix(absolute) else { continue }
                var relative = String(abs.dropFirst(absolute.count))
                if relative.hasPrefix("/") { relative.removeFirst() }
                guard DocumentFormat(path: abs) != nil else {
                    skipped += 1
                    continue
                }
                let shown = base == "." ? relative : (base.isEmpty ? "/" : base + "/") + relative
                if seen.insert(abs).inserted { found.append(SourceFile(path: shown, absolutePath: abs)) }
            }
            files += found.sorted { $0.path < $1.path }
        }
        return (files, skipped, failures)
    }

    // MARK: - Indexing

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
    public func index(paths: [String], prune: Bool = false, force: Bool = false, waitForLock: Bool = false) throws -> IndexSummary {
        let started = Date()
        var summary = IndexSummary()
        let discovery = PaperIndexer.discover(paths)
        summary.skipped = discovery.skipped
        for failure in discovery.failures { fail(&summary, failure) }

        let db = try Database(path: databasePath, mode: .createOrOpen, waitForLock: waitForLock)
        let existing = try PaperIndexer.sourceRecords(in: db)
        let run = (Int(try db.metadata("run:last")) ?? 0) + 1
        summary.run = run
        let timestamp = now().timeIntervalSince1970

        // Decide what needs reading: size and time first.
        var toRead: [(SourceFile, SourceRecord?, Int, Double)] = []
        for (index, file) in discovery.files.enumerated() {
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.absolutePath)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let previous = existing[SourceRecord.key(forAbsolutePath: file.absolutePath)]
            if !force, let previous, previous.size == size, previous.modified == modified {
                summary.unchanged += 1
                progress?(index + 1, discovery.files.count, file.path)
                continue
            }
            toRead.append((file, previous, size, modified))
        }

        let indexer = try Indexer(language: Schema.language)
        try indexer.setSpellingDatabase(db)
        var pendingDocuments = 0
        var pendingBytes = 0
        var done = summary.unchanged
        let reader = self.reader
        // Read and parse in parallel, write in order, batch by batch.
        let batchSize = 64
        var start = 0
        while start < toRead.count {
            let batch = Array(toRead[start..<min(toRead.count, start + batchSize)])
            start += batchSize
            let results: [Result<Prepared?, IndexSummary.Failure>] = parallelMap(batch) { entry in
                let (file, previous, size, modified) = entry
                do {
                    let source = try reader.read(path: file.absolutePath)
                    let hash = StableHash.hex(source.hash)
                    if !force, let previous, previous.hash == hash {
                        return .success(nil)  // touched, not changed
                    }
                    return .success(PaperIndexer.prepare(file: file, source: source, size: size, modified: modified,
                                                         indexedAt: timestamp, run: run))
                } catch {
                    return .failure(IndexSummary.Failure(path: file.path, error: String(describing: error)))
                }
            }
            for (entry, result) in zip(batch, results) {
                let (file, previous, size, modified) = entry
                done += 1
                progress?(done, discovery.files.count, file.path)
                switch result {
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
                    try write(prepared, to: db, indexer: indexer)
                    if previous == nil { summary.added += 1 } else { summary.updated += 1 }
                    summary.items += prepared.source.items
                    pendingDocuments += prepared.items.count + 1
                    pendingBytes += prepared.textBytes
                }
                if pendingDocuments >= commitEveryDocuments || pendingBytes >= commitEveryBytes {
                    try db.commit()
                    pendingDocuments = 0
                    pendingBytes = 0
                }
            }
        }

        if prune {
            let roots = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            for record in existing.values {
                let underRoot = roots.contains { record.absolutePath == $0 || record.absolutePath.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
                guard underRoot, !FileManager.default.fileExists(atPath: record.absolutePath) else { continue }
                try db.deleteDocuments(term: Schema.term(Schema.source, record.key))
                summary.removed += 1
            }
        }
        try db.setMetadata("run:last", String(run))
        try db.setMetadata("run:\(run)", String(timestamp))
        try db.commit()
        try db.close()
        summary.seconds = (Date().timeIntervalSince(started) * 1000).rounded() / 1000
        return summary
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
    static func prepare(file: SourceFile, source: SourceText, size: Int, modified: Double, indexedAt: Double, run: Int) -> Prepared {
        let paper = CouncilPaper.parse(source.text)
        let m = paper.metadata
        let key = SourceRecord.key(forAbsolutePath: file.absolutePath)
        var provenance: [String: String] = [:]
        func note<T>(_ name: String, _ e: Extracted<T>) {
            provenance[name] = e.value == nil ? "not found" : "\(e.source) (confidence \(e.confidence))"
        }
        note("council", m.council)
        note("committee", m.committee)
        note("date", m.date)
        note("kind", m.kind)
        let record = SourceRecord(
            path: file.path, absolutePath: file.absolutePath, title: paper.title,
            council: m.council.value, committee: m.committee.value, date: m.date.value?.iso, kind: m.kind.value?.rawValue,
            portfolios: paper.portfolios, items: paper.items.filter { !$0.isFrontMatter }.count,
            format: source.format.rawValue, size: size, modified: modified, hash: StableHash.hex(source.hash),
            indexedAt: indexedAt, run: run, provenance: provenance)
        let items = paper.items.map { item in
            ItemRecord(id: "\(key)-\(item.ordinal)", sourceKey: key, path: file.path, title: item.title, number: item.number,
                       agendaNumber: item.agendaNumber, council: record.council, committee: record.committee, date: record.date,
                       kind: record.kind, portfolios: item.portfolios, isFrontMatter: item.isFrontMatter, line: item.line,
                       ordinal: item.ordinal, text: item.text)
        }
        let context = [record.council, record.committee].compactMap { $0 }.joined(separator: " ")
        return Prepared(file: file, source: record, items: items, searchContext: context, textBytes: source.text.utf8.count)
    }

    /// Replace everything indexed from one file.
    private func write(_ prepared: Prepared, to db: Database, indexer: Indexer) throws {
        try db.deleteDocuments(term: Schema.term(Schema.source, prepared.source.key))
        try writeSource(prepared.source, to: db)
        for item in prepared.items {
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
        try doc.addBooleanTerm(Schema.term(Schema.run, String(source.run)))
        try doc.addValue(String(Int(source.indexedAt)), slot: Schema.run.slot!)
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
