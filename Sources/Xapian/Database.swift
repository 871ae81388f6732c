import CXapian

/// A Xapian database: a directory, or a stub database file listing shards
/// (`auto PATH`, `remote HOST:PORT`), opened for reading or writing; a
/// remote database served by `xapian-tcpsrv` or `xapian-progsrv`; or
/// several of these searched as one.
///
/// Not thread-safe: use a handle from one thread at a time (it is not
/// `Sendable`); open one handle per task to work in parallel.
public final class Database {
    /// How to open a database.
    public enum OpenMode: Sendable {
        /// Read the database at its current revision.
        case readOnly
        /// Write, creating the database when there is none.
        case createOrOpen
        /// Write into a new, empty database, replacing any that exists.
        case createOrOverwrite
        /// Write into an existing database.
        case writeExisting

        var raw: UInt32 {
            switch self {
            case .readOnly: CX_OPEN_READ_ONLY.rawValue
            case .createOrOpen: CX_OPEN_CREATE_OR_OPEN.rawValue
            case .createOrOverwrite: CX_OPEN_CREATE_OR_OVERWRITE.rawValue
            case .writeExisting: CX_OPEN_WRITE_EXISTING.rawValue
            }
        }
    }

    let handle: OpaquePointer
    /// The path the database was opened from.
    public let path: String
    /// Whether the handle may write.
    public let isWritable: Bool

    /// Open the database at `path`.
    ///
    /// A writable open takes Xapian's write lock: it fails with
    /// `.databaseLocked` when another writer holds it, or waits for it when
    /// `waitForLock` is true.
    public init(path: String, mode: OpenMode = .readOnly, waitForLock: Bool = false) throws {
        var pointer: OpaquePointer? = nil
        var raw = mode.raw
        if waitForLock && mode != .readOnly { raw |= CX_OPEN_WAIT_FOR_LOCK.rawValue }
        try checked { cx_database_open(path, raw, &pointer, $0) }
        guard let pointer else { throw XapianError(code: .internalError, message: "no database handle") }
        self.handle = pointer
        self.path = path
        self.isWritable = mode != .readOnly
    }

    private init(handle: OpaquePointer, path: String) {
        self.handle = handle
        self.path = path
        self.isWritable = false
    }

    deinit {
        cx_database_destroy(handle)
    }

    // MARK: - Remote databases and shards

    /// Open for reading the database that `xapian-tcpsrv` serves at
    /// `host`:`port`. `connectTimeout` bounds the connection and `timeout`
    /// every later operation, in seconds (0: wait for ever), so a server
    /// that does not answer fails with `.network` or `.networkTimeout`
    /// instead of hanging.
    public static func remote(host: String, port: Int, timeout: Double = 10, connectTimeout: Double = 10) throws -> Database {
        var pointer: OpaquePointer? = nil
        guard (1...65535).contains(port) else { throw XapianError(code: .invalidArgument, message: "port must be 1 to 65535, not \(port)") }
        try checked {
            cx_database_open_remote(host, UInt32(port), milliseconds(timeout), milliseconds(connectTimeout), &pointer, $0)
        }
        guard let pointer else { throw XapianError(code: .internalError, message: "no database handle") }
        return Database(handle: pointer, path: "remote \(host):\(port)")
    }

    /// Open for reading the database that `program` serves on its standard
    /// input and output (`xapian-progsrv PATH`, or `ssh HOST xapian-progsrv
    /// PATH`), `arguments` separated by spaces. `timeout` bounds every
    /// operation, the greeting included, in seconds (0: wait for ever).
    public static func remote(program: String, arguments: String, timeout: Double = 10) throws -> Database {
        var pointer: OpaquePointer? = nil
        try checked { cx_database_open_remote_program(program, arguments, milliseconds(timeout), &pointer, $0) }
        guard let pointer else { throw XapianError(code: .internalError, message: "no database handle") }
        return Database(handle: pointer, path: "remote :\(program) \(arguments)")
    }

    /// A read-only database searching `shards` as one, with the statistics
    /// of them all: ranks, counts and facets are those of a single database
    /// holding every document. Document ids interleave across the shards,
    /// so ids from the combined database are only meaningful to it.
    public static func combining(_ shards: [Database], path: String) throws -> Database {
        var pointer: OpaquePointer? = nil
        let handles: [OpaquePointer?] = shards.map { $0.handle }
        try withExtendedLifetime(shards) {
            try handles.withUnsafeBufferPointer { buffer throws in
                try checked { cx_database_combine(buffer.baseAddress, buffer.count, &pointer, $0) }
            }
        }
        guard let pointer else { throw XapianError(code: .internalError, message: "no database handle") }
        return Database(handle: pointer, path: path)
    }

    /// How many databases this handle searches, and how many are remote
    /// (opened with `remote(host:port:)` or `remote(program:arguments:)`).
    public var shardCount: (all: Int, remote: Int) {
        var all = 0, remote = 0
        _ = cx_database_shards(handle, &all, &remote, nil)
        return (all, remote)
    }

    /// Load the latest committed revision; returns whether anything changed.
    @discardableResult
    public func reopen() throws -> Bool {
        var changed: Int32 = 0
        try checked { cx_database_reopen(handle, &changed, $0) }
        return changed != 0
    }

    /// Close the database now. A writable database commits pending changes
    /// (outside a transaction) and releases its lock.
    public func close() throws {
        try checked { cx_database_close(handle, $0) }
    }

    // MARK: - Statistics

    /// The number of documents.
    public func documentCount() throws -> Int {
        var count: UInt32 = 0
        try checked { cx_database_stats(handle, &count, nil, nil, $0) }
        return Int(count)
    }

    /// The highest document id used.
    public func lastDocumentID() throws -> UInt32 {
        var last: UInt32 = 0
        try checked { cx_database_stats(handle, nil, &last, nil, $0) }
        return last
    }

    /// The committed revision (0 for a database of several shards).
    public func revision() throws -> UInt64 {
        var revision: UInt64 = 0
        try checked { cx_database_stats(handle, nil, nil, &revision, $0) }
        return revision
    }

    /// The number of documents indexed by `term`.
    public func termFrequency(_ term: String) throws -> Int {
        var frequency: UInt32 = 0
        try checked { message in
            term.withCString { cx_database_term_frequency(handle, $0, strlen($0), &frequency, message) }
        }
        return Int(frequency)
    }

    /// Every term starting with `prefix`, in byte order, with its document
    /// frequency; at most `limit` when given.
    public func terms(withPrefix prefix: String, limit: Int = 0) throws -> [(term: String, frequency: Int)] {
        var list: OpaquePointer? = nil
        try checked { message in
            prefix.withCString { cx_database_terms_with_prefix(handle, $0, strlen($0), limit, &list, message) }
        }
        return takeStrings(list).map { ($0.value, $0.frequency) }
    }

    /// The ids of the documents indexed by `term`, ascending.
    public func postings(_ term: String, limit: Int = 0) throws -> [UInt32] {
        var ids: UnsafeMutablePointer<UInt32>? = nil
        var count = 0
        try checked { message in
            term.withCString { cx_database_postings(handle, $0, strlen($0), limit, &ids, &count, message) }
        }
        guard let ids else { return [] }
        defer { cx_free(ids) }
        return Array(UnsafeBufferPointer(start: ids, count: count))
    }

    /// The document with id `id`.
    public func document(_ id: UInt32) throws -> Document {
        var pointer: OpaquePointer? = nil
        try checked { cx_database_get_document(handle, id, &pointer, $0) }
        guard let pointer else { throw XapianError(code: .internalError, message: "no document handle") }
        return Document(handle: pointer)
    }

    // MARK: - Metadata, spelling, synonyms

    /// User metadata stored under `key` ("" when unset).
    public func metadata(_ key: String) throws -> String {
        var value: UnsafeMutablePointer<CChar>? = nil
        var length = 0
        try checked { cx_database_get_metadata(handle, key, &value, &length, $0) }
        return takeString(value, length: length)
    }

    /// Every metadata key starting with `prefix`.
    public func metadataKeys(withPrefix prefix: String = "") throws -> [String] {
        var list: OpaquePointer? = nil
        try checked { cx_database_metadata_keys(handle, prefix, &list, $0) }
        return takeStrings(list).map(\.value)
    }

    /// Store metadata under `key`; an empty value deletes the key.
    public func setMetadata(_ key: String, _ value: String) throws {
        try checked { message in
            value.withCString { cx_database_set_metadata(handle, key, $0, strlen($0), message) }
        }
    }

    /// A spelling correction for `word`, or nil when the spelling table has
    /// none within `maxEditDistance` edits.
    public func spellingSuggestion(for word: String, maxEditDistance: Int = 2) throws -> String? {
        var suggestion: UnsafeMutablePointer<CChar>? = nil
        try checked { cx_database_spelling_suggestion(handle, word, UInt32(maxEditDistance), &suggestion, $0) }
        let text = takeString(suggestion)
        return text.isEmpty ? nil : text
    }

    /// The synonyms recorded for `term`.
    public func synonyms(of term: String) throws -> [String] {
        var list: OpaquePointer? = nil
        try checked { cx_database_synonyms(handle, term, &list, $0) }
        return takeStrings(list).map(\.value)
    }

    /// Record `synonym` as a synonym of `term`.
    public func addSynonym(_ synonym: String, for term: String) throws {
        try checked { cx_database_add_synonym(handle, term, synonym, $0) }
    }

    /// Forget every synonym.
    public func clearSynonyms() throws {
        try checked { cx_database_clear_synonyms(handle, $0) }
    }

    /// Record the spelling data of `document`, built by an `Indexer`
    /// without a spelling database (on another thread, say): the same data
    /// as indexing its unprefixed text with `setSpellingDatabase(self)`.
    public func addSpellings(of document: Document) throws {
        try checked { cx_database_add_spellings(handle, document.handle, $0) }
    }

    // MARK: - Writing

    /// Replace the documents indexed by the unique term `idTerm` with
    /// `document`, adding it when there is none; returns its id.
    @discardableResult
    public func replaceDocument(idTerm: String, with document: Document) throws -> UInt32 {
        var id: UInt32 = 0
        try checked { message in
            idTerm.withCString { cx_database_replace_document(handle, $0, strlen($0), document.handle, &id, message) }
        }
        return id
    }

    /// Delete every document indexed by `term`.
    public func deleteDocuments(term: String) throws {
        try checked { message in
            term.withCString { cx_database_delete_documents(handle, $0, strlen($0), message) }
        }
    }

    /// Delete the document with id `id`.
    public func deleteDocument(_ id: UInt32) throws {
        try checked { cx_database_delete_document(handle, id, $0) }
    }

    /// Make the changes so far durable and visible to new readers.
    public func commit() throws {
        try checked { cx_database_commit(handle, $0) }
    }

    /// Begin a transaction: the changes until `commitTransaction()` are
    /// committed atomically as a whole (after the changes before it), or
    /// not at all; no automatic flush happens inside it.
    public func beginTransaction() throws {
        try checked { cx_database_begin_transaction(handle, 1, $0) }
    }

    /// Commit the current transaction.
    public func commitTransaction() throws {
        try checked { cx_database_commit_transaction(handle, $0) }
    }

    /// Abandon the current transaction's changes.
    public func cancelTransaction() throws {
        try checked { cx_database_cancel_transaction(handle, $0) }
    }

    /// Run `body` in a Xapian transaction: its changes are committed
    /// atomically, after the changes before it (a flushed transaction), or
    /// abandoned when it throws.
    public func inTransaction<T>(_ body: () throws -> T) throws -> T {
        try checked { cx_database_begin_transaction(handle, 1, $0) }
        let result: T
        do {
            result = try body()
        } catch {
            var ignored: UnsafeMutablePointer<CChar>? = nil
            _ = cx_database_cancel_transaction(handle, &ignored)
            cx_free(ignored)
            throw error
        }
        try checked { cx_database_commit_transaction(handle, $0) }
        return result
    }

    /// Write a compacted copy of the database to `destination` (a path that
    /// must not exist yet), as `xapian-compact` does.
    public func compact(to destination: String) throws {
        try checked { cx_database_compact(handle, destination, $0) }
    }

    /// Run Xapian's consistency check on the database directory at `path`;
    /// returns the number of problems found and the checker's report.
    public static func checkConsistency(path: String) throws -> (errors: Int, report: String) {
        var errors = 0
        var report: UnsafeMutablePointer<CChar>? = nil
        try checked { cx_database_check(path, &errors, &report, $0) }
        return (errors, takeString(report))
    }

    // MARK: - Searching

    /// Run `query` and return one page of results with facet counts.
    public func search(_ query: Query, options: SearchOptions = SearchOptions()) throws -> MatchSet {
        var mset: OpaquePointer? = nil
        var raw = cx_search_options_t()
        cx_search_options_init(&raw)
        raw.offset = UInt32(clamping: options.offset)
        raw.limit = UInt32(clamping: options.limit)
        switch options.sort {
        case .relevance:
            raw.sort = CX_SORT_RELEVANCE
        case .value(let slot, let descending):
            raw.sort = descending ? CX_SORT_VALUE_DESCENDING : CX_SORT_VALUE_ASCENDING
            raw.sort_slot = slot
        }
        raw.collapse_slot = options.collapseSlot ?? CX_NO_SLOT
        raw.check_at_least = UInt32(clamping: options.checkAtLeast)
        if let k1 = options.bm25K1 { raw.bm25_k1 = k1 }
        if let b = options.bm25B { raw.bm25_b = b }
        let slots = options.facetSlots
        try options.stemmingLanguage.withCString { language throws in
            raw.language = language
            try slots.withUnsafeBufferPointer { buffer throws in
                raw.facet_slots = buffer.baseAddress
                raw.facet_slot_count = buffer.count
                try checked { cx_database_search(handle, query.handle, &raw, &mset, $0) }
            }
        }
        guard let mset else { throw XapianError(code: .internalError, message: "no result handle") }
        return MatchSet(handle: mset, facetCount: slots.count)
    }

    /// The `count` terms that best characterise the documents `ids`
    /// (relevance feedback), best first with their weights, skipping terms
    /// with any of `skippingPrefixes`.
    public func expand(documents ids: [UInt32], count: Int, skippingPrefixes: [String] = []) throws -> [(term: String, weight: Double)] {
        var list: OpaquePointer? = nil
        let cStrings = skippingPrefixes.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
        try ids.withUnsafeBufferPointer { idBuffer throws in
            try pointers.withUnsafeBufferPointer { prefixBuffer throws in
                try checked {
                    cx_database_expand(handle, idBuffer.baseAddress, idBuffer.count, count,
                                       prefixBuffer.baseAddress, prefixBuffer.count, &list, $0)
                }
            }
        }
        return takeStrings(list).map { ($0.value, Double($0.frequency) / 1000) }
    }
}

@available(*, unavailable)
extension Database: Sendable {}

/// Seconds as the shim's milliseconds, clamped.
private func milliseconds(_ seconds: Double) -> UInt32 {
    guard seconds.isFinite, seconds > 0 else { return 0 }
    return UInt32(clamping: Int((seconds * 1000).rounded(.up)))
}


#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
