import CouncilDocuments
import Foundation
import Xapian

/// Errors of the index and search service, with messages for people.
public enum CouncilError: Error, CustomStringConvertible, Equatable {
    /// There is no index at the path.
    case indexNotFound(String)
    /// Another process is writing the index.
    case indexLocked(String)
    /// The query could not be understood.
    case badQuery(String)
    /// No item or paper has this id.
    case notFound(String)
    /// Xapian failed.
    case database(XapianError)
    /// The index is not in a shape this operation can use.
    case badIndex(String)
    /// A file system operation failed.
    case io(String)

    public var description: String {
        switch self {
        case .indexNotFound(let path):
            "no index at \(path); create one with: council index --db \(path) [PATH ...]"
        case .indexLocked(let lock):
            "another council index run is writing this index (it holds the lock \(lock)); try again later, or pass --wait to wait for it"
        case .badQuery(let message): message
        case .notFound(let id): "nothing with id \(id) in the index"
        case .database(let error): error.description
        case .badIndex(let message): message
        case .io(let message): message
        }
    }

    /// Map Xapian's errors on opening `path` to the service's.
    public static func opening(_ error: Error, path: String) -> Error {
        guard let x = error as? XapianError else { return error }
        switch x.code {
        case .databaseNotFound, .databaseOpening where !FileManager.default.fileExists(atPath: path): return CouncilError.indexNotFound(path)
        case .databaseLocked: return CouncilError.indexLocked((path as NSString).appendingPathComponent("flintlock"))
        default: return CouncilError.database(x)
        }
    }
}

/// The order of results.
public enum ResultOrder: String, Sendable, CaseIterable {
    case relevance, newest, oldest
}

/// Showing only the best hit per meeting or per paper.
public enum Collapse: String, Sendable, CaseIterable {
    case none, meeting, document
}

/// A search to run.
public struct SearchRequest: Sendable {
    /// The query: words, "phrases", AND/OR/NOT, wildcards and filters.
    public var query: String
    /// Further filter expressions ANDed with the query (the REPL's filters).
    public var filters: [String] = []
    public var offset = 0
    public var limit = 10
    public var sort: ResultOrder = .relevance
    public var collapse: Collapse = .none
    /// About how many bytes of text a snippet shows.
    public var snippetLength = 240

    public init(query: String, filters: [String] = [], offset: Int = 0, limit: Int = 10, sort: ResultOrder = .relevance, collapse: Collapse = .none) {
        self.query = query
        self.filters = filters
        self.offset = offset
        self.limit = limit
        self.sort = sort
        self.collapse = collapse
    }
}

/// A value of a facet and how many matching items have it.
public struct FacetValue: Sendable, Equatable {
    public var value: String
    public var count: Int
}

/// Facet counts over the whole match set.
public struct Facets: Sendable, Equatable {
    public var council: [FacetValue] = []
    public var committee: [FacetValue] = []
    public var portfolio: [FacetValue] = []
    public var kind: [FacetValue] = []
    public var year: [FacetValue] = []

    /// The facets by name, in display order.
    public var all: [(name: String, values: [FacetValue])] {
        [("council", council), ("committee", committee), ("portfolio", portfolio), ("kind", kind), ("year", year)]
    }
}

/// One item found.
public struct Hit: Sendable, Equatable {
    public var rank: Int
    public var id: String
    public var score: Double
    public var title: String
    public var council: String?
    public var committee: String?
    /// ISO date of the meeting.
    public var date: String?
    public var kind: String?
    public var portfolios: [String]
    /// The source file, as given to `council index`.
    public var path: String
    /// 1-based line of the source where the item starts.
    public var line: Int
    /// The item's number in its paper ("12", "117").
    public var item: String?
    /// Text around the matches, HTML-escaped, matches in <b>...</b>.
    public var snippet: String
    /// Other hits collapsed into this one (with --by).
    public var collapsed: Int

}

/// The outcome of a search: the page of hits and facet counts.
public struct SearchResponse: Sendable, Equatable {
    public var query: String
    /// The number of matching items (exact).
    public var total: Int
    public var offset: Int
    public var hits: [Hit]
    public var facets: Facets
    /// A spelling correction of the query, when a word is not in the index.
    public var suggestion: String?
    /// How the results are ordered.
    public var sort: ResultOrder
    /// Things to know: filter values that matched nothing.
    public var warnings: [String]

}

/// Runs searches over an index: parsing the query language, filtering,
/// ranking with BM25, counting facets over the whole match set and
/// highlighting snippets. One service per thread (Xapian handles are not
/// thread-safe).
public final class SearchService {
    public let databasePath: String
    private(set) var database: Database
    private var parser: QueryParser!
    /// The databases the stub named when it was opened.
    private var openedEntries: [String]
    private var facetTerms: [String: [String]] = [:]
    private var warnings: [String] = []
    /// The day relative dates (`date:last-year`) count from.
    public var today: CalendarDate

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
        parser = try makeParser()
    }

    private func makeParser() throws -> QueryParser {
        let parser = try QueryParser(language: Schema.language, database: database)
        try parser.addPrefix(Schema.title.name, prefix: Schema.title.prefix)
        try parser.setMaxWildcardExpansion(1000)
        for field in [Schema.council, Schema.committee, Schema.portfolio, Schema.person] {
            try parser.addFilter(field.name) { [unowned self] value in try self.facetFilter(field, value) }
        }
        try parser.addFilter(Schema.kind.name) { value in
            guard let kind = DocumentKind(loose: value) else {
                throw CouncilError.badQuery("kind: expects agenda, minutes, report or decisions, not “\(value)”")
            }
            return try Query.term(Schema.term(Schema.kind, kind.rawValue), boolean: true)
        }
        for name in [Schema.date.name, Schema.year.name] {
            try parser.addFilter(name) { [unowned self] value in
                let range: DateFilter
                do {
                    range = try DateFilter(parsing: value, today: self.today)
                } catch {
                    throw CouncilError.badQuery(String(describing: error))
                }
                return try Query.valueRange(slot: Schema.date.slot!, from: range.from?.compact, to: range.to?.compact)
            }
        }
        try parser.addFilter(Schema.item.name) { value in
            try Query.term(Schema.term(Schema.item, value), boolean: true)
        }
        try parser.addFilter(Schema.decision.name) { value in
            switch NameKey.normalize(value) {
            case "yes", "true", "1", "y": return try Query.term(Schema.term(Schema.decision, "yes"), boolean: true)
            case "no", "false", "0", "n":
                return try Query.combine(.andNot, [try Query.matchAll(), try Query.term(Schema.term(Schema.decision, "yes"), boolean: true)])
            default: throw CouncilError.badQuery("decision: expects yes or no, not “\(value)”")
            }
        }
        return parser
    }

    /// A filter on a facet field: the values whose normalized form equals
    /// the one typed; else those that start with it ("oxfordshire" finds
    /// "Oxfordshire County Council"); else those containing it as words.
    func facetFilter(_ field: Schema.Field, _ value: String) throws -> Query {
        let key = NameKey.normalize(value)
        guard !key.isEmpty else { throw CouncilError.badQuery("\(field.name): needs a value") }
        let values = try knownValues(field)
        var matches = values.filter { $0 == key }
        if matches.isEmpty { matches = values.filter { $0.hasPrefix(key + " ") } }
        if matches.isEmpty { matches = values.filter { (" " + $0 + " ").contains(" " + key + " ") } }
        if matches.isEmpty {
            let words = Set(key.split(separator: " "))
            matches = values.filter { words.isSubset(of: Set($0.split(separator: " "))) }
        }
        guard !matches.isEmpty else {
            warnings.append("no \(field.name) matches “\(value)”")
            // Not Query.matchNothing(): the parser drops empty subqueries,
            // which would turn the filter off. A term no document has.
            return try Query.term(field.prefix + "\u{1}none", boolean: true)
        }
        let terms = try matches.map { try Query.term(field.prefix + $0, boolean: true) }
        return terms.count == 1 ? terms[0] : try Query.combine(.or, terms).scaled(by: 0)
    }

    /// The normalized values of a facet field present in the index.
    func knownValues(_ field: Schema.Field) throws -> [String] {
        if let cached = facetTerms[field.prefix] { return cached }
        let values = try database.terms(withPrefix: field.prefix).map { String($0.term.dropFirst(field.prefix.count)) }
        facetTerms[field.prefix] = values
        return values
    }

    /// Display values of a facet field present in the index, for completion.
    public func displayValues(_ field: Schema.Field) throws -> [String] {
        guard let slot = field.slot else { return try knownValues(field) }
        var options = SearchOptions()
        options.limit = 0
        options.facetSlots = field.name == Schema.portfolio.name ? Schema.portfolio.slots : [slot]
        options.checkAtLeast = try database.documentCount()
        let mset = try database.search(try Query.term(Schema.term(Schema.type, Schema.itemType), boolean: true), options: options)
        var values = Set<String>()
        for index in options.facetSlots.indices { for v in try mset.facet(index) { values.insert(v.value) } }
        return values.sorted()
    }

    /// Whether a query has words to rank by, not only filters.
    public static func hasFreeText(_ query: String) -> Bool {
        let filterNames = Set(Schema.filters.map(\.name))
        var chars = Substring(query)
        while !chars.isEmpty {
            chars = chars.drop(while: { $0.isWhitespace || "()+-".contains($0) })
            guard !chars.isEmpty else { break }
            // A token: up to white space, keeping quoted parts together.
            var token = ""
            var inQuote = false
            while let c = chars.first, inQuote || !c.isWhitespace {
                if c == "\"" { inQuote.toggle() }
                token.append(c)
                chars = chars.dropFirst()
                if !inQuote && (c == ")") { break }
            }
            token = token.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
            if ["AND", "OR", "NOT", "XOR", "NEAR", "ADJ"].contains(token) { continue }
            if let colon = token.firstIndex(of: ":"), filterNames.contains(token[..<colon].lowercased()) { continue }
            if token.contains(where: { $0.isLetter || $0.isNumber }) { return true }
        }
        return false
    }

    // MARK: - Spelling

    /// The query with each word that is not in the index replaced by the
    /// index's spelling suggestion, or nil when every word is known (or no
    /// suggestion exists). Xapian 1.4's parser would also "correct" words
    /// that are in the index ("care" to "are"), so the check is done here.
    func spellingSuggestion(for query: String) throws -> String? {
        var result = ""
        var changed = false
        var i = query.startIndex
        var inFilterValue = false
        while i < query.endIndex {
            let c = query[i]
            guard c.isLetter else {
                if c == " " { inFilterValue = false }
                result.append(c)
                i = query.index(after: i)
                continue
            }
            var j = i
            while j < query.endIndex, query[j].isLetter || query[j].isNumber || query[j] == "'" || query[j] == "’" { j = query.index(after: j) }
            let word = String(query[i..<j])
            let next = j < query.endIndex ? query[j] : " "
            // Skip field names, filter values, operators and wildcards.
            let skip = next == ":" || inFilterValue || next == "*" || ["AND", "OR", "NOT", "XOR", "NEAR", "ADJ"].contains(word)
                || word.count < 3
            if next == ":" {
                inFilterValue = true
                // A quoted value runs to its closing quote.
                var k = query.index(after: j)
                if k < query.endIndex, query[k] == "\"" {
                    k = query.index(after: k)
                    while k < query.endIndex, query[k] != "\"" { k = query.index(after: k) }
                    if k < query.endIndex { k = query.index(after: k) }
                    result += query[i..<k]
                    i = k
                    inFilterValue = false
                    continue
                }
            }
            if !skip, try database.termFrequency(word.lowercased()) == 0,
               let suggestion = try database.spellingSuggestion(for: word.lowercased()), suggestion != word.lowercased() {
                result += suggestion
                changed = true
            } else {
                result += word
            }
            i = j
        }
        return changed ? result : nil
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
            parser = try makeParser()
        } else {
            try database.reopen()
        }
        facetTerms = [:]
    }

    private static func entries(_ path: String) -> [String] {
        if case .stub(let entries) = IndexLocation(path: path).state { return entries }
        return []
    }

    private func parse(_ text: String) throws -> QueryParser.Parsed {
        do {
            return try parser.parse(text, features: [.boolean, .phrase, .loveHate, .wildcard, .pureNot])
        } catch let error as XapianError where error.code == .querySyntax || error.code == .wildcard {
            throw CouncilError.badQuery("cannot parse query “\(text)”: \(error.message)")
        }
    }

    private func runSearch(_ request: SearchRequest) throws -> SearchResponse {
        warnings = []
        let itemsOnly = try Query.term(Schema.term(Schema.type, Schema.itemType), boolean: true)
        var parts: [Query] = []
        var suggestion: String? = nil
        let trimmed = request.query.trimmed
        if trimmed.isEmpty {
            parts.append(itemsOnly)
        } else {
            let parsed = try parse(trimmed)
            parts.append(parsed.query.isEmpty ? try Query.matchAll() : parsed.query)
            suggestion = try spellingSuggestion(for: trimmed)
        }
        for filter in request.filters where !filter.trimmed.isEmpty {
            parts.append(try parse(filter.trimmed).query)
        }
        parts.append(itemsOnly)
        let query = try Query.combine(.filter, parts)

        let freeText = SearchService.hasFreeText(request.query)
        var sort = request.sort
        if sort == .relevance && !freeText { sort = .newest }
        var options = SearchOptions()
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
        let facetSlots: [UInt32] = [Schema.council.slot!, Schema.committee.slot!, Schema.kind.slot!, Schema.year.slot!] + Schema.portfolio.slots
        options.facetSlots = facetSlots
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
        func counts(_ i: Int) throws -> [FacetValue] { try mset.facet(i).map { FacetValue(value: $0.value, count: $0.count) } }
        var facets = Facets()
        facets.council = try counts(0)
        facets.committee = try counts(1)
        facets.kind = try counts(2)
        facets.year = try counts(3).sorted { $0.value > $1.value }
        var portfolioCounts: [String: Int] = [:]
        for i in 4..<facetSlots.count {
            for v in try mset.facet(i) { portfolioCounts[v.value, default: 0] += v.count }
        }
        facets.portfolio = portfolioCounts.map { FacetValue(value: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
        let total = mset.matches.estimated
        return SearchResponse(query: request.query, total: total, offset: options.offset, hits: hits, facets: facets,
                              suggestion: suggestion, sort: sort, warnings: warnings)
    }

    /// The full text of item `itemID` with the matches of `query`
    /// highlighted (HTML-escaped, in <b></b>), or nil when the query has no
    /// words to highlight.
    public func highlightedText(itemID: String, query: String) throws -> String? {
        guard SearchService.hasFreeText(query) else { return nil }
        let record = try item(id: itemID)
        let parsed = try parse(query.trimmed)
        let only = try Query.combine(.filter, [parsed.query, try Query.term(Schema.term(Schema.id, itemID), boolean: true)])
        var options = SearchOptions()
        options.limit = 1
        options.stemmingLanguage = Schema.language
        let mset = try database.search(only, options: options)
        guard mset.count > 0 else { return nil }
        return try mset.snippet(of: record.text, length: record.text.utf8.count + 64, highlight: ("<b>", "</b>"), omit: "")
    }

    // MARK: - Records

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
}

@available(*, unavailable)
extension SearchService: Sendable {}
