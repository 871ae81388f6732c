import CouncilDocuments
import Foundation
import Xapian

/// What a sharded index routes each paper by.
public enum ShardKey: String, Sendable, CaseIterable {
    /// One shard per council ("oxfordshire-county-council"), and
    /// "unknown-council" for papers whose council was not found.
    case council
    /// One shard per year of the meeting ("2017"), and "unknown-year".
    case year

    /// The shard a paper belongs in, by its extracted metadata.
    public func shard(for record: SourceRecord) -> String {
        switch self {
        case .council:
            let slug = record.council.map(ShardKey.slug) ?? ""
            return slug.isEmpty ? "unknown-council" : slug
        case .year:
            guard let date = record.date, date.count >= 4, let year = Int(date.prefix(4)) else { return "unknown-year" }
            return String(year)
        }
    }

    /// A file name for a council: its normalized words joined by "-"
    /// ("Vale of Glamorgan Council" -> "vale-of-glamorgan-council").
    static func slug(_ name: String) -> String {
        var out = ""
        for scalar in NameKey.normalize(name).unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9": out.unicodeScalars.append(scalar)
            case " ": if !out.isEmpty && !out.hasSuffix("-") { out.append("-") }
            default: break
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.utf8.count > 96 { out = String(out.prefix(80)) + "-" + String(StableHash.hex(name).prefix(8)) }
        return out
    }
}

/// Builds and updates a sharded index: one council index per council (or
/// per year) under `PATH.d/shards/`, and a Xapian stub file at PATH listing
/// them, which `SearchService` searches as one (see `IndexLocation` for the
/// layout).
///
/// Each paper is read, its metadata extracted, and written to the shard its
/// council (or year) names; papers whose council is unknown go to a shard
/// of their own. A paper whose council changed since it was indexed is
/// removed from its old shard, and that removal committed, before it is
/// written to the new one: killed in between, the paper is missing until
/// the next run adds it, never in two shards. Papers found in more than one
/// shard, or in the wrong one (a shard indexed on its own), are re-read and
/// put right.
///
/// Each shard is an ordinary council index with its own writer's lock,
/// so it can also be indexed, pruned and rebuilt on its own. One run writes
/// a set at a time (the set's own lock); every shard it writes records the
/// same run number, one more than any shard's, so saved searches over the
/// set see what each run brought. The stub is rewritten atomically whenever
/// a shard is added; lines it did not write (`remote` shards added by hand)
/// are kept.
public final class ShardedIndexer: PaperIndexing {
    public let setPath: String
    /// How to route papers; nil: as the existing set records.
    public var shardBy: ShardKey?
    public var reader = DocumentReader()
    /// Commit each shard after this many documents or bytes of text.
    public var commitEveryDocuments = 2_000
    public var commitEveryBytes = 32 * 1_048_576
    /// At most this many shards are open for writing at once (each holds
    /// files open); the least recently written is committed and closed first.
    public var maxOpenShards = 16
    /// The clock, for tests.
    public var now: @Sendable () -> Date = { Date() }
    /// Called for each file handled: (files done, files in all, path).
    public var progress: ((Int, Int, String) -> Void)?
    /// Called for each failure as it happens.
    public var onFailure: ((IndexSummary.Failure) -> Void)?

    public init(setPath: String, shardBy: ShardKey? = nil) {
        self.setPath = setPath
        self.shardBy = shardBy
    }

    /// Where a paper is now: a shard and its record there.
    private typealias Placement = (shard: String, record: SourceRecord)

    private struct Pending: Sendable {
        let file: SourceFile
        let size: Int
        let modified: Double
        /// The shards holding it, with their records.
        let previous: [String]
        let previousRecords: [SourceRecord]
        /// Its one record in its right shard, when that is where it is.
        let settled: Bool
        /// Its side-car metadata override, if any.
        let override: MetadataOverride?
    }

    /// Index `paths` into the set, as `PaperIndexer.index` does into one
    /// index: unchanged papers skipped, `prune` removing papers whose files
    /// under `paths` are gone, `force` reading everything, `rebuild`
    /// building every shard afresh from `paths` (each shard switched
    /// atomically to its new version).
    public func index(paths: [String], prune: Bool = false, force: Bool = false, waitForLock: Bool = false,
                      rebuild: Bool = false) throws -> IndexSummary {
        let started = Date()
        var summary = IndexSummary()
        let set = IndexLocation(path: setPath)
        let setLock = try set.lockForWriting(wait: waitForLock)
        defer { withExtendedLifetime(setLock) {} }
        let key = try prepareSet(set)

        // What the shards hold now, and the set's last run.
        var located: [String: [Placement]] = [:]
        var lastRun = 0
        var oldLive: [String: String] = [:]
        var shardNames = Set(set.shardNames())
        for name in shardNames.sorted() {
            let shard = IndexLocation(path: set.shardPath(name))
            do {
                let db = try Database(path: shard.path)
                lastRun = max(lastRun, Int(try db.metadata("run:last")) ?? 0)
                for (paper, record) in try PaperIndexer.sourceRecords(in: db) { located[paper, default: []].append((name, record)) }
                if let live = try shard.liveDatabase() { oldLive[name] = live }
            } catch {
                throw CouncilError.badIndex("shard \(name) of \(setPath) cannot be read (\(error)); fix it (council check --db \(shard.path)) or move \(shard.path) aside")
            }
        }
        let run = lastRun + 1
        summary.run = run
        let timestamp = now().timeIntervalSince1970
        try writeStub(set, key: key, shards: shardNames)

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

        // Decide what needs reading: a paper in its one right shard, with
        // the same size, time and metadata override, is skipped.
        var toRead: [Pending] = []
        var handled = 0
        for file in discovery.files {
            let (size, modified) = PaperIndexer.sizeAndTime(file.absolutePath)
            let previous = located[SourceRecord.key(forAbsolutePath: file.absolutePath)] ?? []
            let settled = previous.count == 1 && key.shard(for: previous[0].record) == previous[0].shard
            let override: MetadataOverride?
            do {
                override = try MetadataOverride.forPaper(at: file.absolutePath)
            } catch {
                fail(&summary, IndexSummary.Failure(path: file.path, error: "bad metadata override: \(error)"))
                handled += 1
                progress?(handled, discovery.files.count, file.path)
                continue
            }
            if !force, !rebuild, settled, previous[0].record.size == size, previous[0].record.modified == modified,
               previous[0].record.overrideHash == (override?.hash ?? "") {
                summary.unchanged += 1
                handled += 1
                progress?(handled, discovery.files.count, file.path)
                continue
            }
            toRead.append(Pending(file: file, size: size, modified: modified, previous: previous.map(\.shard),
                                  previousRecords: previous.map(\.record), settled: settled, override: override))
        }

        // Writers, opened as shards are first written, at most
        // maxOpenShards at a time.
        var writers: [String: IndexWriter] = [:]
        var recent: [String] = []
        var finished = Set<String>()
        func writer(_ name: String) throws -> IndexWriter {
            if let open = writers[name] {
                recent.removeAll { $0 == name }
                recent.append(name)
                return open
            }
            if writers.count >= max(1, maxOpenShards), let oldest = recent.first {
                recent.removeFirst()
                try writers.removeValue(forKey: oldest)?.finish()
                finished.insert(oldest)
            }
            let shard = IndexLocation(path: set.shardPath(name))
            let lock = try shard.lockForWriting(wait: waitForLock)
            let opened = try IndexWriter(location: shard, lock: lock, rebuild: rebuild && !finished.contains(name), waitForLock: waitForLock,
                                         run: run, timestamp: timestamp, commitEveryDocuments: commitEveryDocuments,
                                         commitEveryBytes: commitEveryBytes, knownRecords: [:])
            writers[name] = opened
            recent.append(name)
            if !shardNames.contains(name) {
                // A new shard is listed at once, so its papers are searchable
                // as soon as they are committed.
                shardNames.insert(name)
                try writeStub(set, key: key, shards: shardNames)
            }
            return opened
        }
        /// What paper `paper`'s items looked like in shard `name` before a rebuild.
        func earlierBeforeRebuild(_ paper: String, in name: String) throws -> [String: EarlierItem]? {
            guard let live = oldLive[name], let old = try? Database(path: live) else { return nil }
            var earlier: [String: EarlierItem] = [:]
            for docid in try old.postings(Schema.term(Schema.source, paper)) {
                if let item = ItemRecord.storedHash(try old.document(docid).data()) {
                    earlier[item.id] = EarlierItem(hash: item.hash, run: item.run, indexed: item.indexed)
                }
            }
            return earlier
        }

        do {
            var done = handled
            let reader = self.reader
            let batchSize = 64
            var start = 0
            while start < toRead.count {
                let batch = Array(toRead[start..<min(toRead.count, start + batchSize)])
                start += batchSize
                let results: [Result<PaperIndexer.Prepared?, IndexSummary.Failure>] = parallelMap(batch) { entry in
                    let unchangedIf = force || rebuild || !entry.settled ? nil : entry.previousRecords.first
                    return PaperIndexer.read(entry.file, reader: reader, size: entry.size, modified: entry.modified,
                                             override: entry.override, unlessSameAs: unchangedIf, indexedAt: timestamp, run: run)
                }
                for (entry, result) in zip(batch, results) {
                    done += 1
                    progress?(done, discovery.files.count, entry.file.path)
                    let paper = SourceRecord.key(forAbsolutePath: entry.file.absolutePath)
                    switch result {
                    case .failure(let failure) where failure.error.hasPrefix("not a paper"):
                        // Read, but not a paper (an index of links): passed over
                        // like other files that are not papers; what an earlier
                        // run indexed from it goes.
                        summary.skipped += 1
                        summary.skippedFiles.append(SkippedFile(path: failure.path, reason: failure.error))
                        if !rebuild && !entry.previous.isEmpty {
                            for shard in entry.previous { try writer(shard).remove(sourceKey: paper) }
                            summary.removed += 1
                        }
                    case .failure(let failure):
                        fail(&summary, failure)
                    case .success(nil):
                        // Same content, new time, in its right shard.
                        guard var record = entry.previousRecords.first, let shard = entry.previous.first else { break }
                        record.size = entry.size
                        record.modified = entry.modified
                        record.path = entry.file.path
                        let w = try writer(shard)
                        try w.touch(record)
                        try w.commitIfDue()
                        summary.unchanged += 1
                    case .success(let prepared?):
                        let target = key.shard(for: prepared.source)
                        let elsewhere = entry.previous.filter { $0 != target }
                        var earlier: [String: EarlierItem]? = nil
                        if rebuild {
                            // What its items looked like in the version being
                            // replaced: the new shard's (read by the writer
                            // while it rebuilds), else the shard it came from.
                            let from = entry.previous.contains(target) ? target : entry.previous.first
                            if let from, from != target || writers[target]?.previousVersion == nil {
                                earlier = try earlierBeforeRebuild(paper, in: from)
                            }
                        } else {
                            // Out of the shards it leaves first, committed, then
                            // into its own: never in two shards at once.
                            for old in elsewhere {
                                let w = try writer(old)
                                if earlier == nil && !entry.previous.contains(target) { earlier = try w.earlierItems(ofSource: paper) }
                                try w.remove(sourceKey: paper)
                                try w.commit()
                            }
                        }
                        let w = try writer(target)
                        try w.write(prepared, earlier: earlier)
                        if entry.previous.isEmpty { summary.added += 1 } else { summary.updated += 1 }
                        if !entry.previous.isEmpty && !entry.previous.contains(target) { summary.moved += 1 }
                        summary.items += prepared.source.items
                        try w.commitIfDue()
                    }
                }
            }
            if prune && !rebuild {
                for (paper, places) in located.sorted(by: { $0.key < $1.key }) where PaperIndexer.isGone(places[0].record, under: paths) {
                    for place in places { try writer(place.shard).remove(sourceKey: paper) }
                    summary.removed += 1
                }
            }
            if rebuild {
                // Every shard is rebuilt, also those no paper went to now.
                for name in shardNames.sorted() where writers[name] == nil && !finished.contains(name) { _ = try writer(name) }
            }
            for name in recent { try writers[name]?.finish() }
            writers.removeAll()
            try writeStub(set, key: key, shards: shardNames)
        } catch {
            // Each shard is left as it was at its last commit.
            for writer in writers.values { writer.abandon() }
            throw PaperIndexer.describe(error, writing: setPath)
        }
        summary.rebuilt = rebuild
        summary.shards = shardNames.sorted()
        summary.seconds = (Date().timeIntervalSince(started) * 1000).rounded() / 1000
        return summary
    }

    /// The set's routing key; a new set is created (its folders, its
    /// `sharding` file and an empty stub).
    private func prepareSet(_ set: IndexLocation) throws -> ShardKey {
        let recorded = set.shardKeyName.map { name -> ShardKey? in ShardKey(rawValue: name) }
        if case .some(nil) = recorded {
            throw CouncilError.badIndex("\(set.shardingFile) names “\(set.shardKeyName ?? "")”, not council or year")
        }
        switch set.state {
        case .directory:
            throw CouncilError.badIndex("\(setPath) is a plain Xapian database folder, not a sharded index; shard into a new path")
        case .stub where recorded == nil:
            throw CouncilError.badIndex("\(setPath) is an index of one database, not a sharded one; build the shards at a new path with council index --shard-by")
        case .stub, .missing:
            break
        }
        if let recorded = recorded ?? nil {
            if let shardBy, shardBy != recorded {
                throw CouncilError.badIndex("\(setPath) is sharded by \(recorded.rawValue), not by \(shardBy.rawValue)")
            }
            if set.state == .missing { try writeStub(set, key: recorded, shards: []) }
            return recorded
        }
        guard let shardBy else { throw CouncilError.indexNotFound(setPath) }
        do {
            try FileManager.default.createDirectory(atPath: set.shardsDirectory, withIntermediateDirectories: true)
        } catch {
            throw CouncilError.io("cannot create \(set.shardsDirectory): \((error as NSError).localizedDescription)")
        }
        try StubFile.replace(set.shardingFile, with: shardBy.rawValue + "\n")
        try writeStub(set, key: shardBy, shards: [])
        return shardBy
    }

    /// Rewrite the set's stub to list `shards`, keeping the lines it did not
    /// write (remote shards, other databases), unless it already says so.
    private func writeStub(_ set: IndexLocation, key: ShardKey, shards: Set<String>) throws {
        let header = "# council index --shard-by \(key.rawValue): one shard per \(key.rawValue), listed by council index; other lines (remote shards) are kept"
        let current = (try? String(contentsOfFile: set.path, encoding: .utf8)) ?? ""
        let base = (set.path as NSString).deletingLastPathComponent
        let shardsFolder = URL(fileURLWithPath: set.shardsDirectory).standardizedFileURL.path + "/"
        var kept: [String] = []
        for line in current.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("# council index --shard-by") { continue }
            if line.hasPrefix("auto ") {
                let target = String(line.dropFirst(5))
                let resolved = target.hasPrefix("/") ? target : (base.isEmpty ? target : (base as NSString).appendingPathComponent(target))
                if URL(fileURLWithPath: resolved).standardizedFileURL.path.hasPrefix(shardsFolder) { continue }
            }
            kept.append(line)
        }
        let prefix = (set.path as NSString).lastPathComponent + ".d/shards/"
        let lines = [header] + shards.sorted().map { "auto " + prefix + $0 } + kept
        let contents = lines.joined(separator: "\n") + "\n"
        guard contents != current else { return }
        try StubFile.replace(set.path, with: contents)
    }

    private func fail(_ summary: inout IndexSummary, _ failure: IndexSummary.Failure) {
        summary.failed += 1
        summary.failures.append(failure)
        onFailure?(failure)
    }
}

@available(*, unavailable)
extension ShardedIndexer: Sendable {}
