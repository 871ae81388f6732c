import CXapian

/// A Xapian query tree. Immutable once built.
public final class Query {
    let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        cx_query_destroy(handle)
    }

    /// How subqueries combine.
    public enum Operator: Sendable {
        case and, or, andNot, filter, andMaybe, synonym

        var raw: cx_query_op_t {
            switch self {
            case .and: CX_QUERY_AND
            case .or: CX_QUERY_OR
            case .andNot: CX_QUERY_AND_NOT
            case .filter: CX_QUERY_FILTER
            case .andMaybe: CX_QUERY_AND_MAYBE
            case .synonym: CX_QUERY_SYNONYM
            }
        }
    }

    private static func make(_ body: (UnsafeMutablePointer<OpaquePointer?>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> cx_status_t) throws -> Query {
        var pointer: OpaquePointer? = nil
        try checked { body(&pointer, $0) }
        guard let pointer else { throw XapianError(code: .internalError, message: "no query handle") }
        return Query(handle: pointer)
    }

    /// Matches every document, with weight 0.
    public static func matchAll() throws -> Query {
        try make { cx_query_new_match_all($0, $1) }
    }

    /// Matches nothing.
    public static func matchNothing() throws -> Query {
        try make { cx_query_new_match_nothing($0, $1) }
    }

    /// Documents indexed by `term`; a boolean term contributes no weight.
    public static func term(_ term: String, boolean: Bool = false) throws -> Query {
        try make { out, message in
            term.withCString { cx_query_new_term($0, strlen($0), boolean ? 1 : 0, out, message) }
        }
    }

    /// Documents whose value in `slot` lies between `lower` and `upper`
    /// inclusive, in byte order; nil bounds are open.
    public static func valueRange(slot: UInt32, from lower: String?, to upper: String?) throws -> Query {
        let lo = lower ?? "", hi = upper ?? ""
        return try make { out, message in
            lo.withCString { l in
                hi.withCString { h in
                    cx_query_new_value_range(slot, l, strlen(l), h, strlen(h), out, message)
                }
            }
        }
    }

    /// Combine `subqueries` with `op`; for `.andNot` and `.filter` the first
    /// is the left side.
    public static func combine(_ op: Operator, _ subqueries: [Query]) throws -> Query {
        let handles: [OpaquePointer?] = subqueries.map { $0.handle }
        return try handles.withUnsafeBufferPointer { buffer throws in
            try make { cx_query_combine(op.raw, buffer.baseAddress, buffer.count, $0, $1) }
        }
    }

    /// How terms are held together by position.
    public enum Proximity: Sendable {
        /// In order, within the window.
        case phrase
        /// In any order, within the window.
        case near

        var raw: cx_query_op_t { self == .phrase ? CX_QUERY_PHRASE : CX_QUERY_NEAR }
    }

    /// Term queries held together by position within `window` positions
    /// (0: as many as there are terms).
    public static func positional(_ proximity: Proximity, _ terms: [Query], window: Int = 0) throws -> Query {
        let handles: [OpaquePointer?] = terms.map { $0.handle }
        return try handles.withUnsafeBufferPointer { buffer throws in
            try make { cx_query_combine_window(proximity.raw, buffer.baseAddress, buffer.count, UInt32(clamping: window), $0, $1) }
        }
    }

    /// This query with its weights multiplied by `factor` (0: boolean).
    public func scaled(by factor: Double) throws -> Query {
        try Query.make { cx_query_scale(handle, factor, $0, $1) }
    }

    /// Whether the query matches nothing by construction.
    public var isEmpty: Bool { cx_query_is_empty(handle) != 0 }

    /// The distinct terms of the query, in query order.
    public func terms() throws -> [String] {
        var list: OpaquePointer? = nil
        try checked { cx_query_terms(handle, &list, $0) }
        return takeStrings(list).map(\.value)
    }

    /// The query in Xapian's serialised form (`Xapian::Query::serialise`),
    /// for replaying the same query in native code (benchmarks).
    public func serialised() throws -> [UInt8] {
        var bytes: UnsafeMutablePointer<CChar>? = nil
        var length = 0
        try checked { cx_query_serialise(handle, &bytes, &length, $0) }
        return takeBytes(bytes, length: length)
    }

    /// Xapian's description of the query, for debugging and `--explain`.
    public func describe() throws -> String {
        var text: UnsafeMutablePointer<CChar>? = nil
        try checked { cx_query_describe(handle, &text, $0) }
        return takeString(text)
    }
}

@available(*, unavailable)
extension Query: Sendable {}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
