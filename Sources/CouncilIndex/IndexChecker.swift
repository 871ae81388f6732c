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

    public var isHealthy: Bool { problems.isEmpty && xapianErrors.values.allSatisfy { $0 == 0 } }
}

extension CheckReport: JSONRepresentable {
    public var json: JSONValue {
        .object([
            ("healthy", .bool(isHealthy)), ("papers", .int(papers)), ("items", .int(items)),
            ("xapian_errors", .object(xapianErrors.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("problems", .strings(problems)), ("warnings", .strings(warnings)),
        ])
    }
}

/// Verifies an index: Xapian's consistency check on each database folder,
/// then this project's invariants — every item has its paper's record,
/// every paper record its items, ids are unique, and each item carries the
/// facet terms and values its metadata calls for.
public struct IndexChecker {
    public let path: String
    /// Stop listing problems after this many (the count is still exact).
    public var maxProblems = 50

    public init(path: String) {
        self.path = path
    }

    public func run() throws -> CheckReport {
        var report = CheckReport()
        let location = IndexLocation(path: path)
        let folders: [String]
        switch location.state {
        case .missing: throw CouncilError.indexNotFound(path)
        case .directory: folders = [path]
        case .stub(let entries): folders = entries
        }
        for folder in folders {
            do {
                report.xapianErrors[folder] = try Database.checkConsistency(path: folder).errors
            } catch {
                report.problems.append("\(folder): \(error)")
                report.xapianErrors[folder] = 1
            }
        }
        let db: Database
        do {
            db = try Database(path: path)
        } catch {
            report.problems.append("cannot open \(path): \(error)")
            return report
        }
        var problemCount = 0
        func problem(_ text: String) {
            problemCount += 1
            if report.problems.count < maxProblems { report.problems.append(text) }
        }

        // Papers.
        var sources: [String: SourceRecord] = [:]
        for id in try db.postings(Schema.term(Schema.type, Schema.sourceType)) {
            guard let record = SourceRecord(data: try db.document(id).data()) else {
                problem("document \(id) is typed as a paper record but its data cannot be read")
                continue
            }
            if sources[record.key] != nil { problem("paper \(record.path) has more than one record") }
            sources[record.key] = record
        }
        report.papers = sources.count

        // Items.
        var itemsPerSource: [String: Int] = [:]
        var seenIDs = Set<String>()
        let itemIDs = try db.postings(Schema.term(Schema.type, Schema.itemType))
        report.items = itemIDs.count
        for docid in itemIDs {
            let doc = try db.document(docid)
            guard let item = ItemRecord(data: try doc.data()) else {
                problem("document \(docid) is typed as an item but its data cannot be read")
                continue
            }
            if !seenIDs.insert(item.id).inserted { problem("item id \(item.id) is used by more than one document") }
            guard let source = sources[item.sourceKey] else {
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
        var gone = 0
        for (key, record) in sources.sorted(by: { $0.value.path < $1.value.path }) {
            let found = itemsPerSource[key, default: 0]
            if found != record.items { problem("paper \(record.path) should have \(record.items) items but has \(found)") }
            if !FileManager.default.fileExists(atPath: record.absolutePath) { gone += 1 }
        }
        if gone > 0 {
            report.warnings.append("\(gone) indexed paper\(gone == 1 ? "'s file is" : "s' files are") gone; council index --prune removes them")
        }
        if problemCount > report.problems.count {
            report.problems.append("… and \(problemCount - report.problems.count) more problems")
        }
        return report
    }
}
