import CouncilDocuments
import Foundation

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
    /// Only items whose text arrived in a run after this one (alerts).
    public var afterRun: Int? = nil
    /// Only items whose text arrived at or after this time (seconds since 1970).
    public var indexedSince: Double? = nil

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
    /// One hit per meeting or paper, or every item.
    public var collapse: Collapse = .none
    /// Things to know: filter values that matched nothing, shards that did
    /// not answer.
    public var warnings: [String]
    /// How the query was understood.
    public var interpretation: Interpretation?
    /// Shards of a sharded index left out because they did not answer, as
    /// their stub lines write them; the results are from the others.
    public var missingShards: [String] = []
}

/// How a query was understood, for `--explain` and `:explain`.
public struct Interpretation: Sendable, Equatable {
    /// A filter as typed and what it selected.
    public struct Filter: Sendable, Equatable {
        public var field: String
        public var value: String
        /// In words: "Adult Social Care", "1 Jan 2017 to 30 Jun 2017", "no such value".
        public var meaning: String
    }

    /// A word searched for and the form the index matches it by.
    public struct Word: Sendable, Equatable {
        public var word: String
        /// The English stem also matched ("foster" for "fostering"), if any.
        public var stem: String?
        /// Searched in titles only.
        public var titleOnly: Bool
    }

    public var query: String
    /// The query after synonyms were applied.
    public var expandedQuery: String
    public var synonyms: [Synonyms.Expansion] = []
    public var filters: [Filter] = []
    public var words: [Word] = []
    public var phrases: [String] = []
    public var wildcards: [String] = []
    public var suggestion: String?
    public var sort: ResultOrder = .relevance
    public var collapse: Collapse = .none
    /// Xapian's own description of the final query.
    public var xapianQuery = ""
}
