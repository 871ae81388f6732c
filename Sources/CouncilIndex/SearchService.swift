import CouncilDocuments
import Foundation
import Xapian

/// Runs searches over an index: parsing the query language, filtering,
/// ranking with BM25, counting facets over the whole match set and
/// highlighting snippets. One service per thread (Xapian handles are not
/// thread-safe).
public final class SearchService {
    public let databasePath: String
    private(set) var database: Database
    /// Builds queries: the parser, filters, synonyms, spelling.
    private var builder: QueryBuilder!
    /// The databases the stub named when it was opened.
    private var openedEntries: [String]
    /// The day relative dates (`date:last-year`) count from.
    public var today: CalendarDate {
        didSet { builder.today = today }
    }

    /// Open the index at `path` (a database folder or a stub file).
    public init(path: String, today: CalendarDate? = nil) throws {
        self.databasePath = path
        do {
            database = try Database(path: path)
        } catch {
            throw CouncilError.opening(error, path: path)
        }
        openedEntries = SearchService.entries(path)
        let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: Date())
        self.today = today ?? CalendarDate(year: now.year!, month: now.month!, day: now.day!)!
        builder = try QueryBuilder(database: database, indexPath: path, today: self.today)
    }

    /// Load the latest committed state of the index: the latest commit of
    /// the same database, or the new version a rebuild switched the stub to.
    public func reopen() throws {
        let entries = SearchService.entries(databasePath)
        if entries != openedEntries, !entries.isEmpty {
            do {
                database = try Database(path: databasePath)
            } catch {
                throw CouncilError.opening(error, path: databasePath)
            }
            openedEntries = entries
            builder = try QueryBuilder(database: database, indexPath: databasePath, today: today)
        } else {
            try database.reopen()
            builder.forgetCachedValues()
        }
    }

    private static func entries(_ path: String) -> [String] {
        if case .stub(let entries) = IndexLocation(path: path).state { return entries }
        return []
    }

    // MARK: - Searching

    /// Run a search.
    public func search(_ request: SearchRequest) throws -> SearchResponse {
        do {
            return try runSearch(request)
        } catch let error as XapianError where error.code == .databaseModified {
            // A writer committed while we read: reopen and try once more.
            try reopen()
            return try runSearch(request)
        }
    }

    /// How `request` would be understood, without running it.
    public func explain(_ request: SearchRequest) throws -> Interpretation {
        try builder.build(request).interpretation
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
        for index in 0..<mset.count {
            let hit = try mset.hit(index)
            guard let record = ItemRecord(data: try mset.data(index)) else { continue }
            let text = record.text.isEmpty ? record.title : record.text
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
                              suggestion: interpretation?.suggestion, sort: sort, collapse: request.collapse, warnings: warnings,
                              interpretation: interpretation)
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
        return try database.terms(withPrefix: prefix, limit: limit)
    }

    /// The item with id `id`.
    public func item(id: String) throws -> ItemRecord {
        let ids = try database.postings(Schema.term(Schema.id, id))
        guard let first = ids.first, let record = ItemRecord(data: try database.document(first).data()) else {
            throw CouncilError.notFound(id)
        }
        return record
    }

    /// The items of the paper with source key `key`, in reading order.
    public func items(ofSource key: String) throws -> [ItemRecord] {
        try database.postings(Schema.term(Schema.source, key)).compactMap { ItemRecord(data: try database.document($0).data()) }
            .sorted { $0.ordinal < $1.ordinal }
    }

    /// Every indexed source file, by path.
    public func sources() throws -> [SourceRecord] {
        try PaperIndexer.sourceRecords(in: database).values.sorted { $0.path < $1.path }
    }

    /// The number of items in the index.
    public func itemCount() throws -> Int {
        try database.termFrequency(Schema.term(Schema.type, Schema.itemType))
    }

    /// The last indexing run and when it happened (seconds since 1970).
    public func lastRun() throws -> (run: Int, time: Double) {
        let run = Int(try database.metadata("run:last")) ?? 0
        return (run, Double(try database.metadata("run:\(run)")) ?? 0)
    }

    /// Whether a query has words to rank by, not only filters.
    public static func hasFreeText(_ query: String) -> Bool { QueryBuilder.hasFreeText(query) }
}

@available(*, unavailable)
extension SearchService: Sendable {}
