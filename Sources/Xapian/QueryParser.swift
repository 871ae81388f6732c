import CXapian

/// Parses a user's query string into a `Query` (Xapian's QueryParser):
/// words, "phrases", AND/OR/NOT, wildcards, and `field:value` filters whose
/// values a Swift closure turns into queries.
public final class QueryParser {
    /// Turns the value of one `field:value` filter into a query, or throws
    /// an error whose description is shown to the user.
    public typealias FilterHandler = (String) throws -> Query

    /// Parsing features.
    public struct Features: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let boolean = Features(rawValue: UInt32(CX_PARSE_BOOLEAN))
        public static let phrase = Features(rawValue: UInt32(CX_PARSE_PHRASE))
        public static let loveHate = Features(rawValue: UInt32(CX_PARSE_LOVEHATE))
        public static let booleanAnyCase = Features(rawValue: UInt32(CX_PARSE_BOOLEAN_ANY_CASE))
        public static let wildcard = Features(rawValue: UInt32(CX_PARSE_WILDCARD))
        public static let pureNot = Features(rawValue: UInt32(CX_PARSE_PURE_NOT))
        public static let partial = Features(rawValue: UInt32(CX_PARSE_PARTIAL))
        public static let spellingCorrection = Features(rawValue: UInt32(CX_PARSE_SPELLING))
        public static let synonym = Features(rawValue: UInt32(CX_PARSE_SYNONYM))
        public static let autoSynonyms = Features(rawValue: UInt32(CX_PARSE_AUTO_SYNONYMS))
        public static let autoMultiwordSynonyms = Features(rawValue: UInt32(CX_PARSE_AUTO_MULTIWORD_SYNONYMS))
    }

    /// The outcome of parsing.
    public struct Parsed {
        public let query: Query
        /// The query string with misspelt words corrected, when spelling
        /// correction was asked for and found something.
        public let correctedQuery: String?
    }

    private final class HandlerBox {
        let handler: FilterHandler
        init(_ handler: @escaping FilterHandler) { self.handler = handler }
    }

    let handle: OpaquePointer
    private let database: Database?
    private var handlers: [HandlerBox] = []

    /// A parser stemming with `language`, consulting `database` for
    /// spelling, synonyms and wildcard expansion.
    public init(language: String = "english", database: Database? = nil) throws {
        var pointer: OpaquePointer? = nil
        try checked { cx_parser_new(language, database?.handle, &pointer, $0) }
        guard let pointer else { throw XapianError(code: .internalError, message: "no parser handle") }
        self.handle = pointer
        self.database = database
    }

    deinit {
        cx_parser_destroy(handle)
    }

    /// `field:words` searches text indexed with `prefix`.
    public func addPrefix(_ field: String, prefix: String) throws {
        try checked { cx_parser_add_prefix(handle, field, prefix, $0) }
    }

    /// `field:value` (or `field:"a value"`) is a filter built by `handler`.
    /// Filters on one field are ORed together, on different fields ANDed.
    public func addFilter(_ field: String, handler: @escaping FilterHandler) throws {
        let box = HandlerBox(handler)
        handlers.append(box)
        let context = Unmanaged.passUnretained(box).toOpaque()
        try checked { cx_parser_add_filter(handle, field, filterTrampoline, context, $0) }
    }

    /// Leave these words out of free text (not of phrases).
    public func setStopwords(_ words: [String]) throws {
        let copies = words.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer<CChar>($0) }
        try pointers.withUnsafeBufferPointer { buffer in
            try checked { cx_parser_set_stopwords(handle, buffer.baseAddress, buffer.count, $0) }
        }
    }

    /// Expand a wildcard to at most `limit` of the most frequent terms.
    public func setMaxWildcardExpansion(_ limit: Int) throws {
        try checked { cx_parser_set_max_wildcard_expansion(handle, UInt32(clamping: limit), $0) }
    }

    /// Parse `text`. Throws `.querySyntax` with a readable message for a
    /// malformed query or a filter value its handler rejects.
    public func parse(_ text: String, features: Features) throws -> Parsed {
        var query: OpaquePointer? = nil
        var corrected: UnsafeMutablePointer<CChar>? = nil
        var text = text
        try text.withUTF8 { buffer throws in
            try buffer.withMemoryRebound(to: CChar.self) { chars throws in
                try checked { cx_parser_parse(handle, chars.baseAddress, chars.count, features.rawValue, &query, &corrected, $0) }
            }
        }
        guard let query else { throw XapianError(code: .internalError, message: "no query handle") }
        let correction = takeString(corrected)
        return Parsed(query: Query(handle: query), correctedQuery: correction.isEmpty ? nil : correction)
    }

    fileprivate static func runHandler(_ context: UnsafeMutableRawPointer?, _ value: String,
                                       _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> OpaquePointer? {
        guard let context else { return nil }
        let box = Unmanaged<HandlerBox>.fromOpaque(context).takeUnretainedValue()
        do {
            let query = try box.handler(value)
            // The parser takes ownership of what the callback returns, so
            // hand it a handle of its own.
            var copy: OpaquePointer? = nil
            try checked { cx_query_copy(query.handle, &copy, $0) }
            return copy
        } catch {
            errorOut?.pointee = strdup((error as? XapianError)?.message ?? String(describing: error))
            return nil
        }
    }
}

@available(*, unavailable)
extension QueryParser: Sendable {}

private let filterTrampoline: cx_field_callback_t = { context, value, length, error in
    let text: String
    if let value {
        text = value.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    } else {
        text = ""
    }
    return QueryParser.runHandler(context, text, error)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
