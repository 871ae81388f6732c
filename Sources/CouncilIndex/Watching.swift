import CouncilDocuments
import Foundation

/// What a saved search found since it was last run.
public struct WatchReport: Sendable {
    public var search: SavedSearch
    /// The run after which hits count as new, or the time given with --since.
    public var sinceRun: Int?
    public var sinceTime: Double?
    public var response: SearchResponse
}

extension SearchService {
    /// Run saved searches (all, or those named) over what arrived since each
    /// was last run (or since `since`), and remember where each got to
    /// unless `remember` is false.
    public func runWatches(named names: [String] = [], since: Double? = nil, limit: Int = 100,
                           remember: Bool = true) throws -> [WatchReport] {
        let store = WatchStore(indexPath: databasePath)
        let all = try store.all()
        let wanted = names.map(NameKey.normalize)
        for name in wanted where !all.contains(where: { NameKey.normalize($0.name) == name }) {
            throw CouncilError.notFound("saved search “\(name)”")
        }
        let chosen = wanted.isEmpty ? all : all.filter { wanted.contains(NameKey.normalize($0.name)) }
        try reopen()
        let (current, _) = try lastRun()
        var reports: [WatchReport] = []
        for search in chosen {
            var request = SearchRequest(query: search.query, limit: limit, sort: .newest)
            if let since { request.indexedSince = since } else { request.afterRun = search.lastRun }
            let response = try self.search(request)
            reports.append(WatchReport(search: search, sinceRun: since == nil ? search.lastRun : nil, sinceTime: since, response: response))
        }
        if remember {
            let now = Date().timeIntervalSince1970
            try store.update { searches in
                for index in searches.indices where chosen.contains(where: { $0.name == searches[index].name }) {
                    searches[index].lastRun = max(searches[index].lastRun, current)
                    searches[index].lastChecked = now
                }
            }
        }
        return reports
    }

    /// Save a search under `name`; hits arrive from the next indexing run on.
    @discardableResult
    public func saveSearch(name: String, query: String) throws -> SavedSearch {
        try WatchStore.validate(name: name)
        // The query must parse, and must not refer to itself.
        _ = try explain(SearchRequest(query: query))
        if query.lowercased().contains("saved:\(name.lowercased())") {
            throw CouncilError.badQuery("a saved search cannot refer to itself")
        }
        let (current, _) = try lastRun()
        let saved = SavedSearch(name: name, query: query, created: Date().timeIntervalSince1970, lastRun: current, lastChecked: 0)
        try WatchStore(indexPath: databasePath).update { searches in
            if let index = searches.firstIndex(where: { NameKey.normalize($0.name) == NameKey.normalize(name) }) {
                searches[index].query = query
            } else {
                searches.append(saved)
            }
        }
        return saved
    }

    /// Forget the saved search `name`.
    public func removeSearch(name: String) throws {
        let removed = try WatchStore(indexPath: databasePath).update { searches -> Bool in
            let before = searches.count
            searches.removeAll { NameKey.normalize($0.name) == NameKey.normalize(name) }
            return searches.count < before
        }
        if !removed { throw CouncilError.notFound("saved search “\(name)”") }
    }
}

/// Freshness of the index per council and committee.
public struct SourceStats: Sendable, Equatable {
    public var council: String?
    public var committee: String?
    public var papers: Int
    public var items: Int
    /// The newest meeting date (ISO).
    public var newestMeeting: String?
    /// When its papers were last indexed (seconds since 1970).
    public var lastIndexed: Double
}

extension SearchService {
    public func stats() throws -> [SourceStats] {
        var groups: [String: SourceStats] = [:]
        for record in try sources() {
            // Names that filter alike are one group ("&" or "and").
            let key = NameKey.normalize(record.council ?? "") + "\u{1}" + NameKey.normalize(record.committee ?? "")
            var entry = groups[key] ?? SourceStats(council: record.council, committee: record.committee, papers: 0, items: 0,
                                                   newestMeeting: nil, lastIndexed: 0)
            entry.papers += 1
            entry.items += record.items
            if let date = record.date, date > (entry.newestMeeting ?? "") { entry.newestMeeting = date }
            entry.lastIndexed = max(entry.lastIndexed, record.indexedAt)
            groups[key] = entry
        }
        return groups.values.sorted {
            ($0.council ?? "~", $0.committee ?? "~") < ($1.council ?? "~", $1.committee ?? "~")
        }
    }
}

extension SourceStats: JSONRepresentable {
    public var json: JSONValue {
        .object([
            ("council", .from(council)), ("committee", .from(committee)), ("papers", .int(papers)), ("items", .int(items)),
            ("newest_meeting", .from(newestMeeting)),
            ("last_indexed", .string(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: lastIndexed)))),
        ])
    }
}

extension SavedSearch: JSONRepresentable {
    public var json: JSONValue {
        .object([
            ("name", .string(name)), ("query", .string(query)), ("last_run", .int(lastRun)),
            ("last_checked", lastChecked > 0 ? .string(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: lastChecked))) : .null),
        ])
    }
}

extension WatchReport: JSONRepresentable {
    /// One JSON Lines record per new hit, ready for a mailer or chat hook.
    public var jsonLines: [JSONValue] {
        response.hits.map { hit in
            var fields: [(String, JSONValue)] = [("search", .string(search.name)), ("query", .string(search.query))]
            if case .object(let hitFields) = hit.json { fields += hitFields }
            return .object(fields)
        }
    }

    public var json: JSONValue {
        .object([
            ("search", .string(search.name)), ("query", .string(search.query)), ("new", .int(response.total)),
            ("hits", .array(response.hits.map(\.json))),
        ])
    }
}

extension Interpretation: JSONRepresentable {
    public var json: JSONValue {
        .object([
            ("query", .string(query)), ("expanded_query", .string(expandedQuery)),
            ("words", .array(words.map { .object([("word", .string($0.word)), ("stem", .from($0.stem)), ("title_only", .bool($0.titleOnly))]) })),
            ("phrases", .strings(phrases)), ("wildcards", .strings(wildcards)),
            ("synonyms", .array(synonyms.map { .object([("matched", .string($0.matched)), ("also", .strings($0.alternatives))]) })),
            ("filters", .array(filters.map { .object([("field", .string($0.field)), ("value", .string($0.value)), ("meaning", .string($0.meaning))]) })),
            ("suggestion", .from(suggestion)), ("sort", .string(sort.rawValue)), ("by", .string(collapse.rawValue)),
            ("xapian", .string(xapianQuery)),
        ])
    }

    /// The interpretation in words a person can read.
    public var sentences: [String] {
        var out: [String] = []
        if words.isEmpty && phrases.isEmpty && wildcards.isEmpty {
            out.append("No words to rank by: every item passing the filters is listed, \(sort == .newest ? "newest first" : sort.rawValue).")
        } else {
            let plain = words.filter { !$0.titleOnly }.map { w in w.stem.map { "“\(w.word)” (also “\($0)…”)" } ?? "“\(w.word)”" }
            if !plain.isEmpty { out.append("Words: " + plain.joined(separator: ", ") + ". Items with more of them, and rarer ones, rank higher (BM25); words in titles count more.") }
            let titled = words.filter(\.titleOnly).map { "“\($0.word)”" }
            if !titled.isEmpty { out.append("In titles only: " + titled.joined(separator: ", ") + ".") }
            if !phrases.isEmpty { out.append("Exact phrases: " + phrases.map { "“\($0)”" }.joined(separator: ", ") + ".") }
            if !wildcards.isEmpty { out.append("Words beginning: " + wildcards.map { "“\($0.dropLast())…”" }.joined(separator: ", ") + ".") }
            if sort != .relevance { out.append("Ordered \(sort == .newest ? "newest first" : "oldest first").") }
        }
        for s in synonyms { out.append("“\(s.matched)” also searched as " + s.alternatives.map { "“\($0)”" }.joined(separator: ", ") + ".") }
        for f in filters { out.append("Filter \(f.field): \(f.value) — \(f.meaning).") }
        if collapse != .none { out.append("One hit per \(collapse.rawValue).") }
        if let suggestion { out.append("Not in the index: did you mean “\(suggestion)”? (The query was run as typed.)") }
        return out
    }
}
