import CouncilDocuments
import Foundation
import Xapian

/// What `council check` found.
public struct CheckReport: Sendable {
    /// Problems Xapian's own consistency check reported, per database folder.
    public var xapianErrors: [String: Int] = [:]
    /// Broken invariants of this project's schema.
    public var problems: [String] = []
    /// Things worth knowing that are not damage (papers whose files are gone).
    public var warnings: [String] = []
    public var items = 0
    public var papers = 0
    /// Per shard of a sharded index (empty for an index of one database).
    public var shards: [ShardCheck] = []

    public var isHealthy: Bool { problems.isEmpty && xapianErrors.values.allSatisfy { $0 == 0 } }
}

/// What `council check` found in one shard.
public struct ShardCheck: Sendable, Equatable {
    /// The shard's name (a set's shard) or its stub line.
    public var shard: String
    public var remote: Bool
    public var papers = 0
    public var items = 0
    /// Whether it could be opened and read.
    public var answered = true
}

extension CheckReport: JSONRepresentable {
    public var json: JSONValue {
        .object([
            ("healthy", .bool(isHealthy)), ("papers", .int(papers)), ("items", .int(items)),
            ("xapian_errors", .object(xapianErrors.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("problems", .strings(problems)), ("warnings", .strings(warnings)),
        ] + (shards.isEmpty ? [] : [("shards", .array(shards.map { shard in
            .object([("shard", .string(shard.shard)), ("remote", .bool(shard.remote)), ("answered", .bool(shard.answered)),
                     ("papers", .int(shard.papers)), ("items", .int(shard.items))])
        }))]))
    }
}

/// Verifies an index: Xapian's consistency check on each database folder,
/// then this project's invariants — every item has its paper's record,
/// every paper record its items, ids are unique, and each item carries the
/// facet terms and values its metadata calls for.
///
/// A sharded index is checked shard by shard, each opened on its own (a
/// remote shard through its server, whose host runs Xapian's structural
/// check), and across shards: no paper or item is in two shards, and in a
/// set made by `council index --shard-by` each paper is in the shard its
/// council (or year) names.
public struct IndexChecker {
    public let path: String
    /// Stop listing problems after this many (the count is still exact).
    public var maxProblems = 50
    /// How long to wait for remote shards.
    public var policy = ShardPolicy()

    public init(path: String) {
        self.path = path
    }

    /// Problems, counted exactly, listed up to a bound.
    private final class Problems {
        let limit: Int
        var count = 0
        var listed: [String] = []
        init(limit: Int) { self.limit = limit }
        func add(_ text: String) {
            count += 1
            if listed.count < limit { listed.append(text) }
        }
    }

    /// What one database holds, for checks across shards.
    private struct Contents {
        var sources: [String: SourceRecord] = [:]
        var itemIDs: [String] = []
        var gone = 0
    }

    public func run() throws -> CheckReport {
        var report = CheckReport()
        let entries = try ShardedDatabase.entries(path)
        let problems = Problems(limit: maxProblems)
        if entries.count <= 1 {
            // An index of one database, as it always was.
            let folders = entries.compactMap { entry -> String? in
                if case .local(let folder) = entry.kind { return folder }
                return nil
            }
            for folder in folders { xapianCheck(folder, into: &report) }
            let db: Database
            do {
                db = try entries.first.map { try open($0) } ?? Database(path: path)
            } catch {
                report.problems.append("cannot open \(path): \(error)")
                return report
            }
            let contents = try checkInvariants(db, label: nil, problems: problems)
            report.papers = contents.sources.count
            report.items = contents.itemIDs.count
            noteGone(contents.gone, in: &report)
        } else {
            try checkShards(entries, into: &report, problems: problems)
        }
        report.problems += problems.listed
        if problems.count > problems.listed.count {
            report.problems.append("… and \(problems.count - problems.listed.count) more problems")
        }
        return report
    }

    private func checkShards(_ entries: [ShardEntry], into report: inout CheckReport, problems: Problems) throws {
        let set = IndexLocation(path: path)
        let key = set.shardKeyName.flatMap(ShardKey.init(rawValue:))
        let shardsFolder = URL(fileURLWithPath: set.shardsDirectory).standardizedFileURL.path + "/"
        var paperShards: [String: [String]] = [:]
        var itemShards: [String: [String]] = [:]
        var papersByKey: [String: SourceRecord] = [:]
        var gone = 0
        for entry in entries {
            // The set's own shards by name; other databases as written.
            var name = entry.description
            var ownShard: String? = nil
            if case .local(let folder) = entry.kind {
                let standard = URL(fileURLWithPath: folder).standardizedFileURL.path
                if standard.hasPrefix(shardsFolder), let first = standard.dropFirst(shardsFolder.count).split(separator: "/").first {
                    let shardName = first.hasSuffix(".d") ? String(first.dropLast(2)) : String(first)
                    name = shardName
                    ownShard = shardName
                }
                xapianCheck(folder, into: &report)
            }
            var shard = ShardCheck(shard: name, remote: entry.isRemote)
            let db: Database
            do {
                db = try open(entry)
            } catch {
                shard.answered = false
                report.shards.append(shard)
                problems.add("shard \(name) cannot be read: \(error)")
                continue
            }
            if entry.isRemote {
                report.warnings.append("shard \(name) is remote: Xapian's consistency check of its files runs on its host (council check --db PATH there)")
            }
            let contents = try checkInvariants(db, label: name, problems: problems)
            shard.papers = contents.sources.count
            shard.items = contents.itemIDs.count
            report.shards.append(shard)
            gone += contents.gone
            for (paper, record) in contents.sources {
                paperShards[paper, default: []].append(name)
                papersByKey[paper] = record
                if let key, let ownShard, key.shard(for: record) != ownShard {
                    report.warnings.append("paper \(record.path) is in shard \(ownShard) but its \(key.rawValue) routes it to \(key.shard(for: record)); council index --db \(path) moves it")
                }
            }
            for id in contents.itemIDs { itemShards[id, default: []].append(name) }
        }
        for (paper, shards) in paperShards.sorted(by: { $0.key < $1.key }) where shards.count > 1 {
            problems.add("paper \(papersByKey[paper]?.path ?? paper) is in more than one shard (\(shards.joined(separator: ", "))); council index --db \(path) keeps one")
        }
        for (id, shards) in itemShards.sorted(by: { $0.key < $1.key }) where shards.count > 1 && paperShards[String(id.split(separator: "-").first ?? "")]?.count ?? 0 <= 1 {
            problems.add("item id \(id) is used in more than one shard (\(shards.joined(separator: ", ")))")
        }
        report.papers = paperShards.count
        report.items = Set(itemShards.keys).count
        noteGone(gone, in: &report)
    }

    private func open(_ entry: ShardEntry) throws -> Database {
        switch entry.kind {
        case .local(let folder): return try Database(path: folder)
        case .tcp(let host, let port): return try Database.remote(host: host, port: port, timeout: policy.timeout, connectTimeout: policy.timeout)
        case .program(let name, let arguments): return try Database.remote(program: name, arguments: arguments, timeout: policy.timeout)
        }
    }

    private func xapianCheck(_ folder: String, into report: inout CheckReport) {
        do {
            report.xapianErrors[folder] = try Database.checkConsistency(path: folder).errors
        } catch {
            report.problems.append("\(folder): \(error)")
            report.xapianErrors[folder] = 1
        }
    }

    private func noteGone(_ gone: Int, in report: inout CheckReport) {
        if gone > 0 {
            report.warnings.append("\(gone) indexed paper\(gone == 1 ? "'s file is" : "s' files are") gone; council index --prune removes them")
        }
    }

    /// This project's invariants over one database.
    private func checkInvariants(_ db: Database, label: String?, problems: Problems) throws -> Contents {
        let at = label.map { " (shard \($0))" } ?? ""
        func problem(_ text: String) { problems.add(text + at) }
        var contents = Contents()

        // Papers.
        for id in try db.postings(Schema.term(Schema.type, Schema.sourceType)) {
            guard let record = SourceRecord(data: try db.document(id).data()) else {
                problem("document \(id) is typed as a paper record but its data cannot be read")
                continue
            }
            if contents.sources[record.key] != nil { problem("paper \(record.path) has more than one record") }
            contents.sources[record.key] = record
        }

        // Items.
        var itemsPerSource: [String: Int] = [:]
        var seenIDs = Set<String>()
        let itemIDs = try db.postings(Schema.term(Schema.type, Schema.itemType))
        for docid in itemIDs {
            let doc = try db.document(docid)
            guard let item = ItemRecord(data: try doc.data()) else {
                problem("document \(docid) is typed as an item but its data cannot be read")
                continue
            }
            contents.itemIDs.append(item.id)
            if !seenIDs.insert(item.id).inserted { problem("item id \(item.id) is used by more than one document") }
            guard let source = contents.sources[item.sourceKey] else {
                problem("item \(item.id) (\(item.title)) has no paper record")
                continue
            }
            if !item.isFrontMatter { itemsPerSource[item.sourceKey, default: 0] += 1 }
            let terms = Set(try doc.terms().map(\.term))
            func expect(_ field: Schema.Field, _ value: String?) throws {
                guard let value else { return }
                if !terms.contains(Schema.term(field, value)) { problem("item \(item.id) lacks its \(field.name) term for “\(value)”") }
                if let slot = field.slot, try doc.value(slot).isEmpty { problem("item \(item.id) lacks its \(field.name) value") }
            }
            try expect(Schema.council, item.council)
            try expect(Schema.committee, item.committee)
            try expect(Schema.kind, item.kind)
            if let iso = item.date, let date = CalendarDate(iso: iso) {
                if !terms.contains(Schema.date.prefix + date.compact) { problem("item \(item.id) lacks its date term") }
                if try doc.value(Schema.date.slot!) != date.compact { problem("item \(item.id) has a date value that is not its date") }
            }
            for portfolio in item.portfolios where !terms.contains(Schema.term(Schema.portfolio, portfolio)) {
                problem("item \(item.id) lacks its portfolio term for “\(portfolio)”")
            }
            if item.council != source.council || item.date != source.date || item.kind != source.kind {
                problem("item \(item.id) disagrees with its paper's metadata")
            }
        }
        for (key, record) in contents.sources.sorted(by: { $0.value.path < $1.value.path }) {
            let found = itemsPerSource[key, default: 0]
            if found != record.items { problem("paper \(record.path) should have \(record.items) items but has \(found)") }
            if !FileManager.default.fileExists(atPath: record.absolutePath) { contents.gone += 1 }
        }
        return contents
    }
}
