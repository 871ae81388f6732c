import CouncilDocuments
import Foundation
import Xapian

/// Runs searches over an index: parsing the query language, filtering,
/// ranking with BM25, counting facets over the whole match set and
/// highlighting snippets. One service per thread (Xapian handles are not
/// thread-safe).
///
/// The index may be sharded: a stub file listing databases here and on
/// other hosts (`remote HOST:PORT`), searched as one with the statistics of
/// them all, so ranks, counts, facets and collapsing are those of a single
/// index. Each shard is opened on its own; one that does not answer is left
/// out with a warning (`shardWarnings`), or is an error with a strict
/// policy. Document ids interleave across shards, so everything here finds
/// documents by their unique id terms (`Q…`) and reads them through the
/// same combined database that gave their ids.
public final class SearchService {
    public let databasePath: String
    public let policy: ShardPolicy
    private var opened: ShardedDatabase
    var database: Database { opened.database }
    /// Builds queries: the parser, filters, synonyms, spelling.
    private var builder: QueryBuilder!
    /// When shards that did not answer were last tried.
    private var lastAttempt = Date()
    /// The day relative dates (`date:last-year`) count from.
    public var today: CalendarDate {
        didSet { builder.today = today }
    }

    /// Open the index at `path` (a database folder or a stub file).
    public init(path: String, today: CalendarDate? = nil, policy: ShardPolicy = ShardPolicy()) throws {
        self.databasePath = path
        self.policy = policy
        opened = try ShardedDatabase.open(path, policy: policy)
        let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: Date())
        self.today = today ?? CalendarDate(year: now.year!, month: now.month!, day: now.day!)!
        builder = try makeBuilder()
    }

    private func makeBuilder() throws -> QueryBuilder {
        let builder = try QueryBuilder(database: database, indexPath: databasePath, today: today)
        builder.remoteShards = opened.remoteShards
        return builder
    }

    // MARK: - Shards

    /// The shards that did not answer, each in a sentence; empty when every
    /// shard is searched.
    public var shardWarnings: [String] {
        opened.failures.isEmpty ? [] : opened.failures.map { "\($0); results are from the other \(opened.shards.count) of \(opened.entries.count) shards" }
    }

    /// The shards left out, as their stubs write them.
    public var missingShards: [String] { opened.failures.map(\.entry.description) }

    /// The databases searched: how many shards, and how many on other hosts.
    public var shardCount: (all: Int, remote: Int, missing: Int) {
        (opened.entries.count, opened.entries.filter(\.isRemote).count, opened.failures.count)
    }

    /// Open every shard again (those that failed are tried again).
    private func openShards() throws {
        opened = try ShardedDatabase.open(databasePath, policy: policy)
        lastAttempt = Date()
        builder = try makeBuilder()
    }

    /// Run `body`; when a remote shard stops answering, open the shards
    /// again (leaving out those that do not answer now, or failing with a
    /// strict policy) and run it once more. A writer's commit under a read
    /// (`databaseModified`) is handled the same way.
    func resilient<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as XapianError where error.code == .databaseModified {
            try reopen()
            return try body()
        } catch let error as XapianError where error.code == .network || error.code == .networkTimeout {
            guard opened.hasRemoteShards || opened.entries.count > 1 else { throw error }
            try openShards()
            return try body()
        }
    }

    /// Load the latest committed state of the index: the latest commit of
    /// the same databases, or the new versions a rebuild switched stubs to.
    /// Shards that did not answer are tried again, and remote ones
    /// reconnected, at most as often as the policy says.
    public func reopen() throws {
        let entries = try ShardedDatabase.entries(databasePath)
        let now = Date()
        let retry = !opened.failures.isEmpty && now.timeIntervalSince(lastAttempt) >= policy.retryInterval
        let reconnect = opened.hasRemoteShards && now.timeIntervalSince(opened.openedAt) >= policy.reconnectInterval
        if entries != opened.entries || retry || reconnect {
            try openShards()
            return
        }
        do {
            // The facet values cached for filters stay right while the
            // index is unchanged (they cost a pass over every item).
            if try database.reopen() { builder.forgetCachedValues() }
        } catch let error as XapianError where error.code == .network || error.code == .networkTimeout {
            try openShards()
        }
    }

    // MARK: - Searching

    /// Run a search.
    public func search(_ request: SearchRequest) throws -> SearchResponse {
        try resilient { try runSearch(request) }
    }

    /// The Xapian query `request` is run as, serialised
    /// (`Xapian::Query::serialise`): for replaying it natively in benchmarks.
    public func serialisedQuery(_ request: SearchRequest) throws -> [UInt8] {
        try builder.build(request).query.serialised()
    }

    /// How `request` would be understood, without running it.
    public func explain(_ request: SearchRequest) throws -> Interpretation {
        try resilient { try builder.build(request).interpretation }
    }

    /// The facet slots, in the order `runSearch` reads them back.
    private static let facetSlots: [UInt32] = [Schema.council.slot!, Schema.committee.slot!, Schema.kind.slot!, Schema.year.slot!] + Schema.portfolio.slots

    private func runSearch(_ request: SearchRequest) throws -> SearchResponse {
        let built = try builder.build(request)
        return try execute(built.query, request: request, sort: built.interpretation.sort, interpretation: built.interpretation,
                           warnings: built.warnings)
    }

    /// Run a built query and read back hits, facets and snippets.
    func execute(_ query: Query, request: SearchRequest, sort: ResultOrder, interpretation: Interpretation?,
                 warnings: [String], lengthNormalisation: Double? = nil) throws -> SearchResponse {
        var options = SearchOptions()
        options.bm25B = lengthNormalisation
        options.offset = max(0, request.offset)
        options.limit = max(0, request.limit)
        options.stemmingLanguage = Schema.language
        switch sort {
        case .relevance: options.sort = .relevance
        case .newest: options.sort = .value(slot: Schema.date.slot!, descending: true)
        case .oldest: options.sort = .value(slot: Schema.date.slot!, descending: false)
        }
        switch request.collapse {
        case .none: break
        case .meeting: options.collapseSlot = Schema.meetingSlot
        case .document: options.collapseSlot = Schema.source.slot!
        }
        options.facetSlots = SearchService.facetSlots
        options.checkAtLeast = try database.documentCount()
        let mset = try database.search(query, options: options)

        var hits: [Hit] = []
        let window = SnippetWindow(queryTerms: mset.count > 0 ? (try? query.terms()) ?? [] : [])
        for index in 0..<mset.count {
            let hit = try mset.hit(index)
            guard let record = ItemRecord(data: try mset.data(index)) else { continue }
            let text = record.text.isEmpty ? record.title : window.excerpt(of: record.text)
            let snippet = try mset.snippet(of: text, length: request.snippetLength, highlight: ("<b>", "</b>"), omit: "…") ?? ""
            hits.append(Hit(rank: options.offset + index + 1, id: record.id, score: (hit.weight * 1000).rounded() / 1000,
                            title: record.title, council: record.council, committee: record.committee, date: record.date,
                            kind: record.kind, portfolios: record.portfolios, path: record.path, line: record.line,
                            item: record.number, snippet: snippet, collapsed: hit.collapsed))
        }
        func counts(_ slots: Range<Int>) throws -> [FacetValue] {
            try SearchService.mergedFacet(slots.flatMap { try mset.facet($0) }.map { FacetValue(value: $0.value, count: $0.count) })
        }
        var facets = Facets()
        facets.council = try counts(0..<1)
        facets.committee = try counts(1..<2)
        facets.kind = try counts(2..<3)
        facets.year = try counts(3..<4).sorted { $0.value > $1.value }
        facets.portfolio = try counts(4..<SearchService.facetSlots.count)
        return SearchResponse(query: request.query, total: mset.matches.estimated, offset: options.offset, hits: hits, facets: facets,
                              suggestion: interpretation?.suggestion, sort: sort, collapse: request.collapse,
                              warnings: warnings + shardWarnings, interpretation: interpretation, missingShards: missingShards)
    }

    /// Facet values that filter alike ("Limerick City & County Council",
    /// "Limerick City and County Council") counted as one, under the form
    /// most items carry; most frequent first.
    static func mergedFacet(_ values: [FacetValue]) -> [FacetValue] {
        var groups: [String: (total: Int, best: FacetValue)] = [:]
        var order: [String] = []
        for value in values {
            let key = NameKey.normalize(value.value)
            if let group = groups[key] {
                let better = value.count > group.best.count || (value.count == group.best.count && value.value < group.best.value)
                groups[key] = (group.total + value.count, better ? value : group.best)
            } else {
                groups[key] = (value.count, value)
                order.append(key)
            }
        }
        return order.map { FacetValue(value: groups[$0]!.best.value, count: groups[$0]!.total) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
    }

    // MARK: - More like this

    /// Items like item `id`: its most characteristic terms (Xapian's
    /// relevance feedback) searched for, the item itself left out.
    public func similar(to id: String, request: SearchRequest = SearchRequest(query: "")) throws -> SearchResponse {
        try resilient { try runSimilar(to: id, request: request) }
    }

    private func runSimilar(to id: String, request: SearchRequest) throws -> SearchResponse {
        let docids = try database.postings(Schema.term(Schema.id, id))
        guard let docid = docids.first else { throw CouncilError.notFound(id) }
        // The item's most characteristic words: stems (not their unstemmed
        // twins), no numbers, weighted by how characteristic they are.
        let candidates = try database.expand(documents: [docid], count: 60,
                                             skippingPrefixes: Schema.booleanPrefixes + [Schema.title.prefix, "Z" + Schema.title.prefix])
        let stems = Set(candidates.map(\.term).filter { $0.hasPrefix("Z") }.map { String($0.dropFirst()) })
        var chosen: [(term: String, weight: Double)] = []
        for candidate in candidates where chosen.count < 20 {
            let word = candidate.term.hasPrefix("Z") ? String(candidate.term.dropFirst()) : candidate.term
            if word.contains(where: \.isNumber) || word.count < 3 { continue }
            if !candidate.term.hasPrefix("Z") {
                let stem = (try? Stemmer.stem(word, language: Schema.language)) ?? word
                if stems.contains(stem) { continue }
            }
            chosen.append(candidate)
        }
        let terms = chosen.map(\.term)
        guard !chosen.isEmpty else { throw CouncilError.badQuery("item \(id) has no words to compare") }
        let top = chosen[0].weight
        var parts = [try Query.combine(.or, try chosen.map { try Query.term($0.term).scaled(by: max(0.1, $0.weight / top)) })]
        for filter in request.filters where !filter.trimmed.isEmpty {
            parts.append(try builder.build(SearchRequest(query: filter)).query)
        }
        parts.append(try Query.term(Schema.term(Schema.type, Schema.itemType), boolean: true))
        let filtered = try Query.combine(.filter, parts)
        let query = try Query.combine(.andNot, [filtered, try Query.term(Schema.term(Schema.id, id), boolean: true)])
        var interpretation = Interpretation(query: "similar to \(id)", expandedQuery: "")
        interpretation.words = terms.map { Interpretation.Word(word: $0.hasPrefix("Z") ? String($0.dropFirst()) + "…" : $0, stem: nil, titleOnly: false) }
        // Many words ORed favour long items; normalise for length more.
        var response = try execute(query, request: request, sort: .relevance, interpretation: interpretation, warnings: [],
                                   lengthNormalisation: 0.9)
        // The words typed before do not take part.
        response.query = ""
        return response
    }

    /// The full text of item `itemID` with the matches of `query`
    /// highlighted (HTML-escaped, in <b></b>), or nil when the query has no
    /// words to highlight.
    public func highlightedText(itemID: String, query: String) throws -> String? {
        guard QueryBuilder.hasFreeText(query) else { return nil }
        return try resilient { try runHighlight(itemID: itemID, query: query) }
    }

    private func runHighlight(itemID: String, query: String) throws -> String? {
        let record = try item(id: itemID)
        let built = try builder.build(SearchRequest(query: query))
        let only = try Query.combine(.filter, [built.query, try Query.term(Schema.term(Schema.id, itemID), boolean: true)])
        var options = SearchOptions()
        options.limit = 1
        options.stemmingLanguage = Schema.language
        let mset = try database.search(only, options: options)
        guard mset.count > 0 else { return nil }
        return try mset.snippet(of: record.text, length: record.text.utf8.count + 64, highlight: ("<b>", "</b>"), omit: "")
    }

    // MARK: - Values and records

    /// Display values of a facet field present in the index, for completion.
    public func displayValues(_ field: Schema.Field) throws -> [String] {
        try resilient { try runDisplayValues(field) }
    }

    private func runDisplayValues(_ field: Schema.Field) throws -> [String] {
        guard let slot = field.slot else { return try builder.knownValues(field) }
        var options = SearchOptions()
        options.limit = 0
        options.facetSlots = field.name == Schema.portfolio.name ? Schema.portfolio.slots : [slot]
        options.checkAtLeast = try database.documentCount()
        let mset = try database.search(try Query.term(Schema.term(Schema.type, Schema.itemType), boolean: true), options: options)
        var values = Set<String>()
        for index in options.facetSlots.indices { for v in try mset.facet(index) { values.insert(v.value) } }
        return values.sorted()
    }

    /// Plain words of the index starting with `prefix`, with how many
    /// documents contain each (for completion).
    public func terms(startingWith prefix: String, limit: Int) throws -> [(term: String, frequency: Int)] {
        guard let first = prefix.unicodeScalars.first, CharacterSet.lowercaseLetters.contains(first) || CharacterSet.decimalDigits.contains(first) else { return [] }
        return try resilient { try database.terms(withPrefix: prefix, limit: limit) }
    }

    /// The item with id `id`.
    public func item(id: String) throws -> ItemRecord {
        try resilient {
            // The id term, not a document id: ids interleave across shards.
            let ids = try database.postings(Schema.term(Schema.id, id))
            guard let first = ids.first, let record = ItemRecord(data: try database.document(first).data()) else {
                throw CouncilError.notFound(id)
            }
            return record
        }
    }

    /// The items of the paper with source key `key`, in reading order.
    public func items(ofSource key: String) throws -> [ItemRecord] {
        try resilient {
            try database.postings(Schema.term(Schema.source, key)).compactMap { ItemRecord(data: try database.document($0).data()) }
                .sorted { $0.ordinal < $1.ordinal }
        }
    }

    /// Every indexed source file, by path.
    public func sources() throws -> [SourceRecord] {
        try resilient { try PaperIndexer.sourceRecords(in: database).values.sorted { $0.path < $1.path } }
    }

    /// The number of items in the index.
    public func itemCount() throws -> Int {
        try resilient { try database.termFrequency(Schema.term(Schema.type, Schema.itemType)) }
    }

    /// The last indexing run and when it happened (seconds since 1970).
    /// Over shards, the latest of any shard: a sharded index's runs share
    /// their numbers (`ShardedIndexer`), so this is the set's last run.
    public func lastRun() throws -> (run: Int, time: Double) {
        try resilient {
            var best = (run: 0, time: 0.0)
            for shard in opened.shards {
                let run = Int(try shard.database.metadata("run:last")) ?? 0
                if run > best.run || (run == best.run && best.time == 0) {
                    best = (run, Double(try shard.database.metadata("run:\(run)")) ?? best.time)
                }
            }
            return best
        }
    }

    /// Whether a query has words to rank by, not only filters.
    public static func hasFreeText(_ query: String) -> Bool { QueryBuilder.hasFreeText(query) }
}

@available(*, unavailable)
extension SearchService: Sendable {}
