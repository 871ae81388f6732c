import CXapian

/// Turns text into positional terms and stems (Xapian's TermGenerator with
/// the STEM_SOME strategy), writing them into a document.
public final class Indexer {
    let handle: OpaquePointer
    // Kept alive while Xapian refers to them.
    private var document: Document?
    private var spellingDatabase: Database?

    /// An indexer stemming with `language` ("english", or "none").
    public init(language: String = "english") throws {
        var pointer: OpaquePointer? = nil
        try checked { cx_indexer_new(language, &pointer, $0) }
        guard let pointer else { throw XapianError(code: .internalError, message: "no indexer handle") }
        self.handle = pointer
    }

    deinit {
        cx_indexer_destroy(handle)
    }

    /// Record spelling data for unprefixed text in `database` (writable), or
    /// stop with nil.
    public func setSpellingDatabase(_ database: Database?) throws {
        try checked { cx_indexer_set_spelling_database(handle, database?.handle, $0) }
        spellingDatabase = database
    }

    /// Index into `document` from position 0.
    public func setDocument(_ document: Document) throws {
        try checked { cx_indexer_set_document(handle, document.handle, $0) }
        self.document = document
    }

    /// Let go of the current document, so it can be handed to another
    /// thread (Xapian counts references without locks).
    public func detachDocument() throws {
        try checked { cx_indexer_detach_document(handle, $0) }
        document = nil
    }

    /// Index `text` with `prefix` ("" for the default field), adding
    /// `wdfIncrement` per occurrence.
    public func index(_ text: String, prefix: String = "", wdfIncrement: UInt32 = 1) throws {
        var text = text
        try text.withUTF8 { buffer throws in
            try buffer.withMemoryRebound(to: CChar.self) { chars throws in
                try checked { cx_indexer_index_text(handle, chars.baseAddress, chars.count, wdfIncrement, prefix, $0) }
            }
        }
    }

    /// Leave a gap of `delta` positions so phrases do not match across it.
    public func increasePosition(by delta: UInt32 = 100) throws {
        try checked { cx_indexer_increase_position(handle, delta, $0) }
    }
}

@available(*, unavailable)
extension Indexer: Sendable {}

/// Xapian's stemmers.
public enum Stemmer {
    /// The stem of `word` in `language`, as indexing and parsing compute it.
    public static func stem(_ word: String, language: String = "english") throws -> String {
        var pointer: UnsafeMutablePointer<CChar>? = nil
        try checked { cx_stem_word(language, word, &pointer, $0) }
        return takeString(pointer)
    }
}
