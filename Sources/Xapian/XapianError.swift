import CXapian

/// An error reported by Xapian through the C shim: a code to match on and
/// the library's own message.
///
///     do {
///         let db = try Database(path: path)
///     } catch let error as XapianError where error.code == .databaseNotFound {
///         ...
///     }
public struct XapianError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What kind of failure this is (one per `cx_status_t`).
    public enum Code: Int32, Sendable, CaseIterable {
        case outOfMemory = 1
        case invalidArgument
        case databaseNotFound
        case databaseOpening
        case databaseVersion
        case databaseLocked
        case databaseModified
        case databaseCorrupt
        case databaseCreate
        case databaseError
        case readOnly
        case documentNotFound
        case querySyntax
        case wildcard
        case network
        case invalidOperation
        case unimplemented
        case xapianError
        case internalError
        /// A remote database did not answer within its timeout (a case of
        /// `network` with its own code).
        case networkTimeout

        /// The shim's short description of the code ("database is locked").
        public var summary: String {
            String(cString: cx_status_to_string(cx_status_t(UInt32(rawValue))))
        }
    }

    public var code: Code
    /// The message from Xapian, or the code's summary when there is none.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String {
        message.isEmpty || message == code.summary ? code.summary : "\(code.summary): \(message)"
    }
}

/// The one place where a C status becomes a thrown Swift error (GRDB's
/// `checkBindingSuccess`, swift-nio's `syscall`): run `body`, which calls
/// the shim with an out-parameter for the message, and throw on failure.
@inline(__always)
func checked(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> cx_status_t) throws {
    var message: UnsafeMutablePointer<CChar>? = nil
    let status = body(&message)
    guard status != CX_STATUS_SUCCESS else { return }
    let text = message.map { String(cString: $0) } ?? ""
    cx_free(message)
    let code = XapianError.Code(rawValue: Int32(status.rawValue)) ?? .internalError
    throw XapianError(code: code, message: text)
}

/// The version of the Xapian library in use ("1.4.22").
public var xapianVersion: String { String(cString: cx_xapian_version()) }

// MARK: - Helpers shared by the wrapper

/// Take ownership of a malloc'd buffer from the shim and decode it as UTF-8
/// (invalid bytes are repaired).
func takeString(_ pointer: UnsafeMutablePointer<CChar>?, length: Int? = nil) -> String {
    guard let pointer else { return "" }
    defer { cx_free(pointer) }
    let count = length ?? strlen(pointer)
    return pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
        String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
    }
}

/// Take ownership of a malloc'd byte buffer from the shim.
func takeBytes(_ pointer: UnsafeMutablePointer<CChar>?, length: Int) -> [UInt8] {
    guard let pointer else { return [] }
    defer { cx_free(pointer) }
    return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
        Array(UnsafeBufferPointer(start: $0, count: length))
    }
}

/// Copy a shim string list into Swift and destroy it.
func takeStrings(_ list: OpaquePointer?) -> [(value: String, frequency: Int)] {
    guard let list else { return [] }
    defer { cx_strings_destroy(list) }
    let count = cx_strings_count(list)
    var result: [(String, Int)] = []
    result.reserveCapacity(count)
    for index in 0..<count {
        var length = 0
        var frequency: UInt32 = 0
        guard let bytes = cx_strings_get(list, index, &length, &frequency) else { continue }
        let value = bytes.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
        result.append((value, Int(frequency)))
    }
    return result
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
