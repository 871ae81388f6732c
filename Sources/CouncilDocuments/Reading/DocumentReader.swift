import Foundation

/// The formats papers come in.
public enum DocumentFormat: String, Sendable, CaseIterable, Codable {
    case text, markdown

    /// The format a file name's extension says, or nil for files that are
    /// not read.
    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        default: return nil
        }
    }

    /// File extensions read, for discovery.
    public static var extensions: Set<String> { ["txt", "text", "md", "markdown"] }
}

/// A paper's text as read from its file.
public struct SourceText: Sendable {
    public var text: String
    public var format: DocumentFormat
    /// The file's bytes, for change detection.
    public var size: Int
    /// FNV-1a hash of the bytes.
    public var hash: UInt64
    /// Fields of a Markdown file's YAML front matter (evidence, not truth).
    public var frontMatter: [String: String]
    /// The text encoding found ("UTF-8", "Windows-1252").
    public var encoding: String
}

/// Why a file was not read.
public enum ReadError: Error, CustomStringConvertible, Equatable, Sendable {
    case unsupportedFormat(String)
    case binary
    case tooLarge(Int, limit: Int)
    case unreadable(String)
    case empty
    case notRegularFile

    public var description: String {
        switch self {
        case .unsupportedFormat(let ext): "unsupported file type “.\(ext)”"
        case .binary: "binary content, not text"
        case .tooLarge(let size, let limit): "file is \(size / 1_048_576) MB, over the \(limit / 1_048_576) MB limit"
        case .unreadable(let why): "cannot read: \(why)"
        case .empty: "no text"
        case .notRegularFile: "not a regular file"
        }
    }
}

/// Reads papers from files: plain text (UTF-8, or Windows-1252 as councils'
/// older systems write it) and Markdown with optional YAML front matter.
public struct DocumentReader: Sendable {
    /// Files larger than this are refused.
    public var maxBytes: Int

    public init(maxBytes: Int = 64 * 1_048_576) {
        self.maxBytes = maxBytes
    }

    public func read(path: String) throws(ReadError) -> SourceText {
        guard let format = DocumentFormat(path: path) else {
            throw .unsupportedFormat((path as NSString).pathExtension)
        }
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let type = attributes[.type] as? FileAttributeType, type != .typeRegular { throw ReadError.notRegularFile }
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            if size > maxBytes { throw ReadError.tooLarge(size, limit: maxBytes) }
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch let error as ReadError {
            throw error
        } catch {
            throw .unreadable(DocumentReader.describe(error))
        }
        return try decode(data, format: format)
    }

    /// Decode file bytes.
    public func decode(_ data: Data, format: DocumentFormat) throws(ReadError) -> SourceText {
        if data.count > maxBytes { throw .tooLarge(data.count, limit: maxBytes) }
        let hash = data.withUnsafeBytes { StableHashing.fnv1a($0) }
        let (text, encoding) = try DocumentReader.decodeText(data)
        var body = text
        var frontMatter: [String: String] = [:]
        if format == .markdown {
            (frontMatter, body) = DocumentReader.splitFrontMatter(text)
        }
        if body.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) { throw .empty }
        return SourceText(text: body, format: format, size: data.count, hash: hash, frontMatter: frontMatter, encoding: encoding)
    }

    /// UTF-8 (with or without a byte order mark) when valid, else
    /// Windows-1252; binary content is refused.
    static func decodeText(_ data: Data) throws(ReadError) -> (String, String) {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let encoding: String.Encoding = bytes[0] == 0xFF ? .utf16LittleEndian : .utf16BigEndian
            if let s = String(data: Data(bytes.dropFirst(2)), encoding: encoding) { return (s, "UTF-16") }
            throw .binary
        }
        // Binary: NUL bytes, or many control characters, in the first 8 KB.
        let sample = bytes.prefix(8192)
        var controls = 0
        for b in sample {
            if b == 0 { throw .binary }
            if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C { controls += 1 }
        }
        if !sample.isEmpty && controls * 20 > sample.count { throw .binary }
        if let s = String(validating: bytes, as: UTF8.self) { return (s, "UTF-8") }
        return (String(bytes.map { windows1252[Int($0)] }.map(Character.init)), "Windows-1252")
    }

    /// Split YAML front matter ("---" lines around `key: value` pairs) from
    /// a Markdown text.
    static func splitFrontMatter(_ text: String) -> ([String: String], String) {
        guard text.hasPrefix("---\n") || text.hasPrefix("---\r\n") else { return ([:], text) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var fields: [String: String] = [:]
        for (index, raw) in lines.enumerated().dropFirst() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line == "---" || line == "..." {
                let rest = lines[(index + 1)...].joined(separator: "\n")
                return (fields, rest)
            }
            if index > 200 { break }
            if let colon = line.firstIndex(of: ":"), !line.hasPrefix(" "), !line.hasPrefix("-") {
                let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if value.count >= 2, let f = value.first, let l = value.last, (f == "\"" && l == "\"") || (f == "'" && l == "'") {
                    value = String(value.dropFirst().dropLast())
                }
                if !key.isEmpty && !value.isEmpty { fields[key] = value }
            }
        }
        // No closing line: not front matter.
        return ([:], text)
    }

    static func describe(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let message = strerror(Int32(underlying.code)) {
            return String(cString: message).lowercased()
        }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileReadNoPermissionError: return "permission denied"
            case NSFileReadNoSuchFileError: return "no such file"
            default: break
            }
        }
        return ns.localizedDescription
    }
}

/// FNV-1a over bytes (the same hash as the index's StableHash).
public enum StableHashing {
    public static func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return hash
    }
}

/// Windows-1252 to Unicode.
private let windows1252: [Unicode.Scalar] = (0..<256).map { byte -> Unicode.Scalar in
    let high: [UInt32] = [0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
                          0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178]
    if (0x80..<0xA0).contains(byte) { return Unicode.Scalar(high[byte - 0x80])! }
    return Unicode.Scalar(UInt32(byte))!
}
