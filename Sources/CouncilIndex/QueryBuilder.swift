import CouncilDocuments
import Foundation
import Xapian

/// Turns a search request into a Xapian query: synonyms applied, the query
/// language parsed (words, phrases, AND/OR/NOT, wildcards, filters),
/// filter values resolved against the index, spelling checked, and a
/// record kept of how it was all understood.
final class QueryBuilder {
    let database: Database
    let indexPath: String
    var today: CalendarDate
    private var parser: QueryParser!
    private var facetTerms: [String: [String]] = [:]
    private var displayNames: [String: [String: String]] = [:]
    /// What the filter callbacks saw during the current parse.
    private var filters: [Interpretation.Filter] = []
    private var warnings: [String] = []
    /// Saved searches being expanded, to refuse cycles.
    private var expanding: [String] = []
    /// The remote shards of `database`: Xapian 1.4's remote protocol does
    /// not carry spelling tables, so their words are looked at directly.
    var remoteShards: [Database] = []

    init(database: Database, indexPath: String, today: CalendarDate) throws {
        self.database = database
        self.indexPath = indexPath
        self.today = today
        parser = try makeParser()
    }

    func forgetCachedValues() {
        facetTerms = [:]
        displayNames = [:]
    }

    /// A query and how it was understood.
    struct Built {
        let query: Query
        let interpretation: Interpretation
        let warnings: [String]
    }

    func build(_ request: SearchRequest) throws -> Built {
        filters = []
        warnings = []
        let itemsOnly = try Query.term(Schema.term(Schema.type, Schema.itemType), boolean: true)
        let trimmed = request.query.trimmed
        var interpretation = Interpretation(query: request.query, expandedQuery: trimmed)
        var parts: [Query] = []
        if trimmed.isEmpty {
            parts.append(itemsOnly)
        } else {
            let expanded = Synonyms.standard.expand(trimmed)
            interpretation.expandedQuery = expanded.query
            interpretation.synonyms = expanded.expansions
            let parsed = try parse(expanded.query)
            parts.append(parsed.query.isEmpty ? try Query.matchAll()
                         : try QueryBuilder.frontMatterWeighed(try QueryBuilder.withProximity(parsed.query, typed: trimmed)))
            interpretation.suggestion = try spellingSuggestion(for: trimmed)
            describeTerms(of: parsed.query, typed: expanded.query, into: &interpretation)
        }
        for filter in request.filters where !filter.trimmed.isEmpty {
            parts.append(try parse(Synonyms.standard.expand(filter.trimmed).query).query)
        }
        if let run = request.afterRun {
            parts.append(try Query.valueRange(slot: Schema.run.slot!, from: Schema.sortable(run + 1), to: nil))
            filters.append(.init(field: "arrived", value: "after run \(run)", meaning: "items new or changed since indexing run \(run)"))
        }
        if let since = request.indexedSince {
            parts.append(try Query.valueRange(slot: Schema.indexedSlot, from: Schema.sortable(Int(since)), to: nil))
            let date = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: since))
            filters.append(.init(field: "arrived", value: "since \(date)", meaning: "items indexed since \(date)"))
        }
        parts.append(itemsOnly)
        let query = try Query.combine(.filter, parts)
        interpretation.filters = filters
        interpretation.sort = request.sort == .relevance && !QueryBuilder.hasFreeText(request.query) ? .newest : request.sort
        interpretation.collapse = request.collapse
        interpretation.xapianQuery = (try? query.describe()) ?? ""
        return Built(query: query, interpretation: interpretation, warnings: warnings)
    }

    private func parse(_ text: String) throws -> QueryParser.Parsed {
        do {
            return try parser.parse(text, features: [.boolean, .phrase, .loveHate, .wildcard, .pureNot])
        } catch let error as XapianError where error.code == .querySyntax || error.code == .wildcard {
            throw CouncilError.badQuery("cannot parse query “\(text)”: \(error.message)")
        }
    }

    // MARK: - The parser and its filters

    private func makeParser() throws -> QueryParser {
        let parser = try QueryParser(language: Schema.language, database: database)
        try parser.addPrefix(Schema.title.name, prefix: Schema.title.prefix)
        try parser.setStopwords(Stopwords.english)
        try parser.setMaxWildcardExpansion(1000)
        for field in [Schema.council, Schema.committee, Schema.portfolio, Schema.person] {
            try parser.addFilter(field.name) { [unowned self] value in try self.facetFilter(field, value) }
        }
        try parser.addFilter(Schema.kind.name) { [unowned self] value in
            guard let kind = DocumentKind(loose: value) else {
                throw CouncilError.badQuery("kind: expects agenda, minutes, report or decisions, not “\(value)”")
            }
            self.filters.append(.init(field: "kind", value: value, meaning: kind.rawValue))
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
                let meaning: String
                switch (range.from, range.to) {
                case let (f?, t?) where f == t: meaning = "on \(f.longForm)"
                case let (f?, t?): meaning = "from \(f.longForm) to \(t.longForm)"
                case let (f?, nil): meaning = "on or after \(f.longForm)"
                case let (nil, t?): meaning = "on or before \(t.longForm)"
                default: meaning = "any date"
                }
                self.filters.append(.init(field: "date", value: value, meaning: meaning))
                return try Query.valueRange(slot: Schema.date.slot!, from: range.from?.compact, to: range.to?.compact)
            }
        }
        try parser.addFilter(Schema.item.name) { [unowned self] value in
            self.filters.append(.init(field: "item", value: value, meaning: "item number \(value)"))
            return try Query.term(Schema.term(Schema.item, value), boolean: true)
        }
        try parser.addFilter(Schema.decision.name) { [unowned self] value in
            let yes = try Query.term(Schema.term(Schema.decision, "yes"), boolean: true)
            switch NameKey.normalize(value) {
            case "yes", "true", "1", "y":
                self.filters.append(.init(field: "decision", value: value, meaning: "items with a resolution or recommendation"))
                return yes
            case "no", "false", "0", "n":
                self.filters.append(.init(field: "decision", value: value, meaning: "items without a resolution or recommendation"))
                return try Query.combine(.andNot, [try Query.term(Schema.term(Schema.type, Schema.itemType), boolean: true), yes])
            default: throw CouncilError.badQuery("decision: expects yes or no, not “\(value)”")
            }
        }
        try parser.addFilter("saved") { [unowned self] value in try self.savedSearch(value) }
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
            filters.append(.init(field: field.name, value: value, meaning: "no such \(field.name) in the index, so nothing matches"))
            // Not Query.matchNothing(): the parser drops empty subqueries,
            // which would turn the filter off. A term no document has.
            return try Query.term(field.prefix + "\u{1}none", boolean: true)
        }
        let shown = matches.map { displayName(field, key: $0) }
        filters.append(.init(field: field.name, value: value, meaning: shown.joined(separator: " or ")))
        let terms = try matches.map { try Query.term(field.prefix + $0, boolean: true) }
        return terms.count == 1 ? terms[0] : try Query.combine(.or, terms).scaled(by: 0)
    }

    /// The display form of a normalized facet value ("adult social care"
    /// -> "Adult Social Care"), from the values stored in the index.
    private func displayName(_ field: Schema.Field, key: String) -> String {
        if displayNames[field.prefix] == nil {
            var names: [String: String] = [:]
            var options = SearchOptions()
            options.limit = 0
            options.facetSlots = field.slots
            options.checkAtLeast = (try? database.documentCount()) ?? 0
            if !field.slots.isEmpty, let q = try? Query.term(Schema.term(Schema.type, Schema.itemType), boolean: true),
               let mset = try? database.search(q, options: options) {
                for i in field.slots.indices {
                    for v in (try? mset.facet(i)) ?? [] { names[NameKey.normalize(v.value)] = v.value }
                }
            }
            displayNames[field.prefix] = names
        }
        return displayNames[field.prefix]?[key] ?? key
    }

    /// The normalized values of a facet field present in the index.
    func knownValues(_ field: Schema.Field) throws -> [String] {
        if let cached = facetTerms[field.prefix] { return cached }
        let values = try database.terms(withPrefix: field.prefix).map { String($0.term.dropFirst(field.prefix.count)) }
        facetTerms[field.prefix] = values
        return values
    }

    /// `saved:NAME`: the saved search's own query, filters and all.
    private func savedSearch(_ name: String) throws -> Query {
        guard let saved = try WatchStore(indexPath: indexPath).search(named: name) else {
            throw CouncilError.badQuery("saved: no saved search called “\(name)” (council watch list shows them)")
        }
        guard !expanding.contains(saved.name) else {
            throw CouncilError.badQuery("saved: “\(name)” refers to itself")
        }
        expanding.append(saved.name)
        defer { expanding.removeLast() }
        // A parser of its own: the current one is in the middle of a parse.
        let nested = try QueryBuilder(database: database, indexPath: indexPath, today: today)
        nested.expanding = expanding
        nested.remoteShards = remoteShards
        let built = try nested.build(SearchRequest(query: saved.query))
        filters.append(.init(field: "saved", value: name, meaning: "the saved search “\(saved.name)”: \(saved.query)"))
        warnings += built.warnings
        return try built.query.scaled(by: 0)
    }

    // MARK: - Ranking

    /// How much the words typed side by side count again where they stand
    /// side by side in an item ("home care" in "home care providers").
    static let proximityBoost = 1.0
    /// How much the words typed count again where they are in an item's
    /// title.
    static let titleBoost = 1.0

    /// `query` ranking higher, without changing what matches, the items
    /// where words typed side by side ("home care") stand side by side and
    /// the items whose titles have the words typed (the title's terms
    /// weigh as BM25 weighs them).
    static func withProximity(_ query: Query, typed: String) throws -> Query {
        var boosts: [Query] = []
        let pairs = adjacentWordPairs(typed)
        if proximityBoost > 0, !pairs.isEmpty {
            let phrases = try pairs.map { try Query.positional(.phrase, [try Query.term($0.0), try Query.term($0.1)], window: 2) }
            boosts.append(try (phrases.count == 1 ? phrases[0] : try Query.combine(.or, phrases)).scaled(by: proximityBoost))
        }
        if titleBoost > 0 {
            var words: [String] = []
            for token in QueryTokens(typed).items where token.isWord {
                for w in token.lower.split(separator: "-").map(String.init) where !Stopwords.set.contains(w) && !words.contains(w) { words.append(w) }
            }
            let terms = try words.map { w -> Query in
                let stem = (try? Stemmer.stem(w, language: Schema.language)) ?? w
                return try Query.term("Z" + Schema.title.prefix + stem)
            }
            if !terms.isEmpty { boosts.append(try Query.combine(.or, terms).scaled(by: titleBoost)) }
        }
        guard !boosts.isEmpty else { return query }
        return try Query.combine(.andMaybe, [query] + boosts)
    }

    /// How much a meeting's front matter (notices, membership, the list of
    /// items) weighs against its items: it names every item's subject, so
    /// at full weight it would outrank the items themselves.
    static let frontMatterWeight = 0.5

    /// `query` with the front matter's weights scaled down (the same items
    /// match).
    static func frontMatterWeighed(_ query: Query) throws -> Query {
        guard frontMatterWeight < 1 else { return query }
        let front = try Query.term(Schema.term(Schema.front, "yes"), boolean: true)
        return try Query.combine(.or, [try Query.combine(.andNot, [query, front]),
                                       try Query.combine(.filter, [query, front]).scaled(by: frontMatterWeight)])
    }

    /// Pairs of plain words typed side by side, as indexed (lower case),
    /// stop words left out; words in phrases, filters and wildcards are not
    /// paired.
    static func adjacentWordPairs(_ typed: String) -> [(String, String)] {
        var pairs: [(String, String)] = []
        var previous: String? = nil
        for token in QueryTokens(typed).items {
            guard token.isWord else { previous = nil; continue }
            let parts = token.lower.replacingOccurrences(of: "’", with: "'").split(separator: "-").map(String.init)
            for (n, word) in parts.enumerated() {
                let joined = n > 0 || token.adjacentToPrevious
                if Stopwords.set.contains(word) { previous = nil; continue }
                if let previous, joined, previous != word { pairs.append((previous, word)) }
                previous = word
            }
        }
        return pairs
    }

    // MARK: - Understanding

    /// Record the words (with their stems), phrases and wildcards typed.
    private func describeTerms(of query: Query, typed: String, into interpretation: inout Interpretation) {
        var seen = Set<String>()
        let tokens = QueryTokens(typed)
        for (index, token) in tokens.items.enumerated() {
            // `title:word` searches titles only.
            let titleOnly = index > 0 && tokens.items[index - 1].text.lowercased() == Schema.title.name
                && typed[tokens.items[index - 1].range.upperBound...].hasPrefix(":")
            guard token.isWord || titleOnly else { continue }
            let word = token.lower
            guard seen.insert(word).inserted else { continue }
            let stem = try? Stemmer.stem(word, language: Schema.language)
            interpretation.words.append(.init(word: word, stem: stem == word ? nil : stem, titleOnly: titleOnly))
        }
        // Phrases and wildcards as typed.
        var inQuote = false
        var current = ""
        for c in typed {
            if c == "\"" {
                if inQuote, !current.isEmpty { interpretation.phrases.append(current) }
                current = ""
                inQuote.toggle()
            } else if inQuote {
                current.append(c)
            }
        }
        for word in typed.split(separator: " ") where word.hasSuffix("*") && !word.contains(":") {
            interpretation.wildcards.append(String(word))
        }
    }

    /// Whether a query has words to rank by, not only filters.
    static func hasFreeText(_ query: String) -> Bool {
        let filterNames = Set(Schema.filters.map(\.name) + ["saved"])
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
               let suggestion = try correction(of: word.lowercased()), suggestion != word.lowercased() {
                result += suggestion
                changed = true
            } else {
                result += word
            }
            i = j
        }
        return changed ? result : nil
    }

    /// The spelling correction of `word`: Xapian's, from the spelling
    /// tables of the local shards; with remote shards, whose tables Xapian
    /// 1.4 cannot read, also their words starting with the same letter,
    /// choosing the fewest edits (at most 2), then the most frequent word
    /// in the whole index, then the first alphabetically.
    func correction(of word: String) throws -> String? {
        let local = try database.spellingSuggestion(for: word)
        guard !remoteShards.isEmpty, let first = word.first else { return local }
        var candidates = Set<String>()
        if let local { candidates.insert(local) }
        let length = word.count
        for shard in remoteShards {
            for (term, _) in try shard.terms(withPrefix: String(first)) where abs(term.count - length) <= 2 && term != word {
                candidates.insert(term)
            }
        }
        var best: (word: String, edits: Int, frequency: Int)? = nil
        for candidate in candidates.sorted() {
            let edits = Spelling.editDistance(word, candidate, limit: 2)
            guard edits <= 2 else { continue }
            if let b = best, edits > b.edits { continue }
            let frequency = try database.termFrequency(candidate)
            if let b = best, edits == b.edits, frequency <= b.frequency { continue }
            best = (candidate, edits, frequency)
        }
        return best?.word ?? local
    }
}

/// Edit distances for spelling corrections.
enum Spelling {
    /// The optimal string alignment distance between `a` and `b`
    /// (insertions, deletions, substitutions and transpositions of
    /// neighbours each count 1), or `limit + 1` once it exceeds `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > limit { return limit + 1 }
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var before = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            var rowBest = current[0]
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d = min(d, before[j - 2] + 1) }
                current[j] = d
                rowBest = min(rowBest, d)
            }
            if rowBest > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return min(previous[y.count], limit + 1)
    }
}

@available(*, unavailable)
extension QueryBuilder: Sendable {}

