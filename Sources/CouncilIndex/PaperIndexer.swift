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
    /// For a sharded index: papers moved to another shard (their council or
    /// year changed), and the shards it has now.
    public var moved = 0
    public var shards: [String] = []
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
/// What `council index` drives: one index (`PaperIndexer`) or a set of
/// shards (`ShardedIndexer`).
public protocol PaperIndexing: AnyObject {
    var reader: DocumentReader { get set }
    var commitEveryDocuments: Int { get set }
    var commitEveryBytes: Int { get set }
    var progress: ((Int, Int, String) -> Void)? { get set }
    var onFailure: ((IndexSummary.Failure) -> Void)? { get set }
    func index(paths: [String], prune: Bool, force: Bool, waitForLock: Bool, rebuild: Bool) throws -> IndexSummary
}

public final class PaperIndexer: PaperIndexing {
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

    /// Threads reading and parsing papers (the writer is one more).
    public var workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

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
        if location.isShardSet {
            throw CouncilError.badIndex("\(databasePath) is a sharded index (by \(location.shardKeyName ?? "?")): index it as a whole with ShardedIndexer, or one of its shards in \(location.shardsDirectory)/")
        }
        let lock = try location.lockForWriting(wait: waitForLock)
        // A shard of a sharded index numbers its runs after the set's, so
        // that saved searches over the set see its new items.
        let floor = location.enclosingSet?.lastRunOfShards() ?? 0
        let writer = try IndexWriter(location: location, lock: lock, rebuild: rebuild, waitForLock: waitForLock,
                                     runFloor: floor, timestamp: now().timeIntervalSince1970,
                                     commitEveryDocuments: commitEveryDocuments, commitEveryBytes: commitEveryBytes)
        let existing = writer.existing
        let run = writer.run
        summary.run = run
        let timestamp = writer.timestamp

        let discovery = Discovery(paths: paths)
        note(discovery, in: &summary)

        // Decide what needs reading: size and time first, and whether the
        // side-car files that override extraction changed.
        var toRead: [(SourceFile, SourceRecord?, Int, Double, MetadataOverride?)] = []
        var handled = 0
        for file in discovery.files {
            let (size, modified) = PaperIndexer.sizeAndTime(file.absolutePath)
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
            // Read before and found not to be a paper, and unchanged since:
            // passed over again without reading.
            if !force, !rebuild, previous == nil,
               let reason = try writer.notAPaper(key: SourceRecord.key(forAbsolutePath: file.absolutePath), size: size,
                                                 modified: modified, overrideHash: override?.hash ?? "") {
                summary.skipped += 1
                summary.skippedFiles.append(SkippedFile(path: file.path, reason: reason))
                handled += 1
                progress?(handled, discovery.files.count, file.path)
                continue
            }
            toRead.append((file, previous, size, modified, override))
        }

        do {
            var done = handled
            let reader = self.reader
            let toRead = toRead
            // Read, parse and turn into Xapian documents on every core; write
            // here, in order, as each paper is ready.
            try OrderedPipeline.run(count: toRead.count, workers: workerCount, window: 4 * workerCount + 4,
                                    makeState: { try? Indexer(language: Schema.language) },
                                    work: { indexer, index -> Handoff<(Result<Prepared?, IndexSummary.Failure>, [Document])> in
                let (file, previous, size, modified, override) = toRead[index]
                let result = PaperIndexer.read(file, reader: reader, size: size, modified: modified, override: override,
                                               unlessSameAs: force ? nil : previous, indexedAt: timestamp, run: run)
                guard case .success(let prepared?) = result, let indexer else { return Handoff((result, [])) }
                do {
                    let documents = try prepared.items.map {
                        try IndexWriter.document(for: $0, context: prepared.searchContext, indexer: indexer)
                    }
                    try indexer.detachDocument()
                    return Handoff((result, documents))
                } catch {
                    // Built again by the writer, which reports what fails.
                    try? indexer.detachDocument()
                    return Handoff((result, []))
                }
            }, consume: { index, handoff in
                let (file, previous, size, modified, override) = toRead[index]
                let (result, documents) = handoff.value
                done += 1
                progress?(done, discovery.files.count, file.path)
                switch result {
                case .failure(let failure) where failure.error.hasPrefix("not a paper"):
                    // Read, but not a paper (an index of links): passed over
                    // like other files that are not papers; what an earlier
                    // run indexed from it goes.
                    summary.skipped += 1
                    summary.skippedFiles.append(SkippedFile(path: failure.path, reason: failure.error))
                    if let previous {
                        try writer.remove(sourceKey: previous.key)
                        summary.removed += 1
                    }
                    try writer.rememberNotAPaper(key: SourceRecord.key(forAbsolutePath: file.absolutePath), size: size,
                                                 modified: modified, overrideHash: override?.hash ?? "", reason: failure.error)
                case .failure(let failure):
                    fail(&summary, failure)
                case .success(nil):
                    // Same content, new time: remember the new time so the
                    // next run skips it without reading.
                    if var record = previous {
                        record.size = size
                        record.modified = modified
                        record.path = file.path
                        try writer.touch(record)
                    }
                    summary.unchanged += 1
                case .success(let prepared?):
                    try writer.write(prepared, documents: documents)
                    if previous == nil { summary.added += 1 } else { summary.updated += 1 }
                    summary.items += prepared.source.items
                }
                try writer.commitIfDue()
            })
            if prune {
                for record in existing.values where PaperIndexer.isGone(record, under: paths) {
                    try writer.remove(sourceKey: record.key)
                    summary.removed += 1
                }
            }
            summary.rebuilt = try writer.finish()
        } catch {
            // Leave the index as it was at its last commit.
            writer.abandon()
            throw PaperIndexer.describe(error, writing: databasePath)
        }
        summary.seconds = (Date().timeIntervalSince(started) * 1000).rounded() / 1000
        return summary
    }

    /// Count what discovery passed over: other file types are skipped,
    /// missing paths and unwalkable folders are failures.
    func note(_ discovery: Discovery, in summary: inout IndexSummary) {
        for missing in discovery.missing { fail(&summary, IndexSummary.Failure(path: missing.path, error: missing.reason)) }
        for skip in discovery.skipped {
            if skip.reason.hasPrefix("not a paper") {
                summary.skipped += 1
                summary.skippedFiles.append(skip)
            } else {
                fail(&summary, IndexSummary.Failure(path: skip.path, error: skip.reason))
            }
        }
    }

    /// The size and modification time of a file (-1 and 0 when it cannot
    /// be statted).
    static func sizeAndTime(_ path: String) -> (Int, Double) {
        var info = stat()
        guard stat(path, &info) == 0 else { return (-1, 0) }
        return (Int(info.st_size), Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
    }

    /// Whether an indexed paper under one of `paths` has lost its file.
    static func isGone(_ record: SourceRecord, under paths: [String]) -> Bool {
        let roots = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let underRoot = roots.contains { record.absolutePath == $0 || record.absolutePath.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
        return underRoot && !FileManager.default.fileExists(atPath: record.absolutePath)
    }

    /// Read and parse one paper (with its metadata override); nil when its
    /// content and override are those of `previous` (touched, not changed).
    static func read(_ file: SourceFile, reader: DocumentReader, size: Int, modified: Double, override: MetadataOverride?,
                     unlessSameAs previous: SourceRecord?, indexedAt: Double, run: Int) -> Result<Prepared?, IndexSummary.Failure> {
        do {
            let source = try reader.read(path: file.absolutePath)
            if let previous, previous.hash == StableHash.hex(source.hash), previous.overrideHash == (override?.hash ?? "") {
                return .success(nil)
            }
            return .success(prepare(file: file, source: source, size: size, modified: modified, indexedAt: indexedAt, run: run,
                                    override: override))
        } catch {
            return .failure(IndexSummary.Failure(path: file.path, error: String(describing: error)))
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
        let paper = CouncilPaper.parse(source, override: override)
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
