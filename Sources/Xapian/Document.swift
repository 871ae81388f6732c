import CXapian

/// A Xapian document: opaque data, value slots and terms. Build one to
/// index, or read one back from a `Database`.
public final class Document {
    let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    /// An empty document.
    public init() throws {
        var pointer: OpaquePointer? = nil
        try checked { cx_document_new(&pointer, $0) }
        guard let pointer else { throw XapianError(code: .internalError, message: "no document handle") }
        self.handle = pointer
    }

    deinit {
        cx_document_destroy(handle)
    }

    /// The document data (stored, not searched).
    public func data() throws -> [UInt8] {
        var pointer: UnsafeMutablePointer<CChar>? = nil
        var length = 0
        try checked { cx_document_get_data(handle, &pointer, &length, $0) }
        return takeBytes(pointer, length: length)
    }

    /// Set the document data.
    public func setData(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { buffer throws in
            try buffer.withMemoryRebound(to: CChar.self) { chars throws in
                try checked { cx_document_set_data(handle, chars.baseAddress, chars.count, $0) }
            }
        }
    }

    /// The value in `slot` ("" when unset).
    public func value(_ slot: UInt32) throws -> String {
        var pointer: UnsafeMutablePointer<CChar>? = nil
        var length = 0
        try checked { cx_document_get_value(handle, slot, &pointer, &length, $0) }
        return takeString(pointer, length: length)
    }

    /// Set the value in `slot` (used for sorting, collapsing, ranges, facets).
    public func addValue(_ value: String, slot: UInt32) throws {
        try checked { message in
            value.withCString { cx_document_add_value(handle, slot, $0, strlen($0), message) }
        }
    }

    /// Add a boolean term (no positions, no weight): ids and filters.
    public func addBooleanTerm(_ term: String) throws {
        try checked { message in
            term.withCString { cx_document_add_term(handle, $0, strlen($0), 0, message) }
        }
    }

    /// Add a term with within-document frequency `wdf`, without positions.
    public func addTerm(_ term: String, wdf: UInt32 = 1) throws {
        try checked { message in
            term.withCString { cx_document_add_term(handle, $0, strlen($0), Swift.max(wdf, 1), message) }
        }
    }

    /// The document's terms starting with `prefix` ("" for all), with wdf.
    public func terms(withPrefix prefix: String = "") throws -> [(term: String, wdf: Int)] {
        var list: OpaquePointer? = nil
        try checked { cx_document_terms(handle, prefix, &list, $0) }
        return takeStrings(list).map { ($0.value, $0.frequency) }
    }
}

@available(*, unavailable)
extension Document: Sendable {}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
