import CXapian

/// How to rank and page a search.
public struct SearchOptions: Sendable {
    /// The order of results.
    public enum Sort: Sendable, Equatable {
        /// BM25 relevance, best first.
        case relevance
        /// By the value in `slot` (byte order), then relevance.
        case value(slot: UInt32, descending: Bool)
    }

    public var offset = 0
    public var limit = 10
    public var sort: Sort = .relevance
    /// Keep only the best hit per distinct value of this slot.
    public var collapseSlot: UInt32? = nil
    /// Value slots whose values are counted over the whole match set.
    public var facetSlots: [UInt32] = []
    /// Consider at least this many matches; the match count and facet counts
    /// are exact when it is at least the database's document count.
    public var checkAtLeast = 0
    /// BM25 parameters (nil: Xapian's defaults, k1 = 1, b = 0.5).
    public var bm25K1: Double? = nil
    public var bm25B: Double? = nil
    /// The index's stemming language, so snippets highlight stemmed matches.
    public var stemmingLanguage = "english"

    public init() {}
}

/// One page of search results (Xapian's MSet), with facet counts.
public final class MatchSet {
    let handle: OpaquePointer
    private let facetCount: Int

    init(handle: OpaquePointer, facetCount: Int) {
        self.handle = handle
        self.facetCount = facetCount
    }

    deinit {
        cx_mset_destroy(handle)
    }

    /// One hit on the page.
    public struct Hit: Sendable {
        public let documentID: UInt32
        public let weight: Double
        public let percent: Int
        /// How many other documents were collapsed into this one.
        public let collapsed: Int
    }

    /// The number of hits on this page.
    public var count: Int { cx_mset_size(handle) }

    /// The estimated number of matches, with lower and upper bounds (equal
    /// when the count is exact).
    public var matches: (estimated: Int, lower: Int, upper: Int) {
        var estimated: UInt32 = 0, lower: UInt32 = 0, upper: UInt32 = 0
        cx_mset_matches(handle, &estimated, &lower, &upper)
        return (Int(estimated), Int(lower), Int(upper))
    }

    /// Hit number `index` on the page.
    public func hit(_ index: Int) throws -> Hit {
        var id: UInt32 = 0, weight = 0.0, percent: Int32 = 0, collapsed: UInt32 = 0
        try checked { cx_mset_hit(handle, index, &id, &weight, &percent, &collapsed, $0) }
        return Hit(documentID: id, weight: weight, percent: Int(percent), collapsed: Int(collapsed))
    }

    /// The stored data of hit `index`.
    public func data(_ index: Int) throws -> [UInt8] {
        var pointer: UnsafeMutablePointer<CChar>? = nil
        var length = 0
        try checked { cx_mset_hit_data(handle, index, &pointer, &length, $0) }
        return takeBytes(pointer, length: length)
    }

    /// The value in `slot` of hit `index`.
    public func value(_ index: Int, slot: UInt32) throws -> String {
        var pointer: UnsafeMutablePointer<CChar>? = nil
        var length = 0
        try checked { cx_mset_hit_value(handle, index, slot, &pointer, &length, $0) }
        return takeString(pointer, length: length)
    }

    /// About `length` bytes of `text` around the query's matches,
    /// HTML-escaped, matches wrapped in `highlight`, `omit` where cut; nil
    /// when `requireMatch` and the text has no match.
    public func snippet(of text: String, length: Int = 200, highlight: (String, String) = ("<b>", "</b>"),
                        omit: String = "…", requireMatch: Bool = false) throws -> String? {
        var pointer: UnsafeMutablePointer<CChar>? = nil
        var text = text
        try text.withUTF8 { buffer throws in
            try buffer.withMemoryRebound(to: CChar.self) { chars throws in
                try checked {
                    cx_mset_snippet(handle, chars.baseAddress, chars.count, length, highlight.0, highlight.1,
                                    omit, requireMatch ? 1 : 0, &pointer, $0)
                }
            }
        }
        let result = takeString(pointer)
        return requireMatch && result.isEmpty ? nil : result
    }

    /// The counts of facet number `index` (a position in
    /// `SearchOptions.facetSlots`): distinct values, most frequent first.
    public func facet(_ index: Int) throws -> [(value: String, count: Int)] {
        guard index < facetCount else { return [] }
        var list: OpaquePointer? = nil
        try checked { cx_mset_facet(handle, index, &list, $0) }
        return takeStrings(list).map { ($0.value, $0.frequency) }
    }
}

@available(*, unavailable)
extension MatchSet: Sendable {}
