import Foundation

/// The formats papers come in.
public enum DocumentFormat: String, Sendable, CaseIterable, Codable {
    case text, markdown
    /// PDF, read through poppler's pdftotext in a separate process.
    case pdf
    /// HTML pages (ModernGov "Agenda and minutes" pages and the like).
    case html
    /// Word documents (Office Open XML).
    case docx

    /// The format a file name's extension says, or nil for files that are
    /// not read.
    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        case "pdf": self = .pdf
        case "html", "htm": self = .html
        case "docx": self = .docx
        default: return nil
        }
    }

    /// File extensions read, for discovery.
    public static var extensions: Set<String> { ["txt", "text", "md", "markdown", "pdf", "html", "htm", "docx"] }

    /// What a file of this format is called in messages, with its article:
    /// "a PDF", "an HTML page".
    public var withArticle: String {
        (self == .html ? "an " : "a ") + noun
    }

    /// What a file of this format is called in messages.
    public var noun: String {
        switch self {
        case .text: "text file"
        case .markdown: "Markdown file"
        case .pdf: "PDF"
        case .html: "HTML page"
        case .docx: "Word document"
        }
    }
}

/// A paper's text as read from its file.
public struct SourceText: Sendable {
    /// The text in the Markdown-ish form the segmenter reads: paragraphs
    /// separated by blank lines, "#" headings, "**bold**" lines, "- " list
    /// items, table rows as tab-separated cells.
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
    /// The links of an HTML page or Word document, in order, without
    /// repeats: their text and their address as written (absolute or
    /// relative).
    public var links: [Link] = []

    /// A link: its text and where it points.
    public struct Link: Sendable, Equatable, Hashable {
        public var text: String
        public var url: String

        public init(text: String, url: String) {
            self.text = text
            self.url = url
        }
    }
}

/// Why a file was not read.
public enum ReadError: Error, CustomStringConvertible, Equatable, Sendable {
    case unsupportedFormat(String)
    case binary
    case tooLarge(Int, limit: Int)
    case unreadable(String)
    case empty
    case notRegularFile
    /// Readable, but not a council paper: a page that is an index of links
    /// (a scraper's or a website's listing). Skipped, not failed.
    case notAPaper(String)
    /// The content is not what the extension says ("not a PDF").
    case notFormat(DocumentFormat, String)
    /// A file of its format, but broken.
    case damaged(DocumentFormat, String)
    /// An encrypted PDF whose text cannot be taken out.
    case encrypted(String)
    /// A PDF without a text layer: scanned pages.
    case noTextLayer
    /// The external reader program is not installed.
    case readerMissing(program: String, package: String)
    /// The external reader ran past its time limit and was killed.
    case readerTimedOut(program: String, seconds: Double)
    /// The external reader was killed by a signal that did not come from us.
    case readerCrashed(program: String, signal: Int32)
    /// The external reader hit its memory limit.
    case readerOutOfMemory(program: String, limit: Int)
    /// The external reader wrote more text than the limit, and was killed.
    case readerOutputTooLarge(program: String, limit: Int)
    /// The external reader failed for another reason.
    case readerFailed(program: String, status: Int32, message: String)

    public var description: String {
        switch self {
        case .unsupportedFormat(let ext):
            "unsupported file type “.\(ext)” (papers are read from .txt, .md, .pdf, .html, .htm and .docx files)"
        case .binary: "binary content, not text"
        case .tooLarge(let size, let limit): "file is \(size / 1_048_576) MB, over the \(limit / 1_048_576) MB limit"
        case .unreadable(let why): "cannot read: \(why)"
        case .empty: "no text"
        case .notRegularFile: "not a regular file"
        case .notAPaper(let why): "not a paper (\(why))"
        case .notFormat(let format, let why): "not \(format.withArticle): \(why)"
        case .damaged(let format, let why): "damaged \(format.noun): \(why)"
        case .encrypted(let why): "encrypted PDF: \(why)"
        case .noTextLayer: "no text in the PDF (scanned pages need OCR first)"
        case .readerMissing(let program, let package):
            "\(program) is not installed (install the Debian package \(package): apt-get install \(package))"
        case .readerTimedOut(let program, let seconds):
            "\(program) did not finish within \(ReadError.seconds(seconds)) s and was stopped"
        case .readerCrashed(let program, let signal):
            "\(program) crashed with signal \(signal)" + (Subprocess.signalName(signal).map { " (\($0))" } ?? "")
        case .readerOutOfMemory(let program, let limit):
            "\(program) ran out of memory (limit \(limit / 1_048_576) MB)"
        case .readerOutputTooLarge(let program, let limit):
            "\(program) wrote over \(limit / 1_048_576) MB of text and was stopped"
        case .readerFailed(let program, let status, let message):
            "\(program) failed with exit status \(status)" + (message.isEmpty ? "" : ": \(message)")
        }
    }

    /// "60", "0.5".
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }
}

/// Reads papers from files: plain text (UTF-8, or Windows-1252 as councils'
/// older systems write it), Markdown with optional YAML front matter, PDF
/// (through poppler's pdftotext, run as a separate process with time and
/// memory limits), HTML pages and Word documents (through libxml2).
public struct DocumentReader: Sendable {
    /// Files larger than this are refused.
    public var maxBytes: Int
    /// The pdftotext program (Debian: poppler-utils): a path, or a name
    /// looked up on PATH.
    public var pdftotextPath: String
    /// How long pdftotext may run on one file, in seconds, before it is
    /// killed.
    public var pdfTimeLimit: Double
    /// The address space pdftotext may use, in bytes.
    public var pdfMemoryLimit: Int

    public init(maxBytes: Int = 64 * 1_048_576, pdftotextPath: String = "pdftotext",
                pdfTimeLimit: Double = 60, pdfMemoryLimit: Int = 1024 * 1_048_576) {
        self.maxBytes = maxBytes
        self.pdftotextPath = pdftotextPath
        self.pdfTimeLimit = pdfTimeLimit
        self.pdfMemoryLimit = pdfMemoryLimit
    }

    /// The most text a converter may produce, or a Word document's XML may
    /// expand to: far more than any paper, far less than a zip bomb.
    var maxExpandedBytes: Int { max(maxBytes, 16 * 1_048_576) * 4 }

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
        return try decode(data, format: format, path: path)
    }

    /// Decode file bytes. A PDF is written to a temporary file for
    /// pdftotext.
    public func decode(_ data: Data, format: DocumentFormat) throws(ReadError) -> SourceText {
        try decode(data, format: format, path: nil)
    }

    /// Decode file bytes; `path`, when given, holds the same bytes.
    func decode(_ data: Data, format: DocumentFormat, path: String?) throws(ReadError) -> SourceText {
        if data.count > maxBytes { throw .tooLarge(data.count, limit: maxBytes) }
        let hash = data.withUnsafeBytes { StableHashing.fnv1a($0) }
        var source = SourceText(text: "", format: format, size: data.count, hash: hash, frontMatter: [:], encoding: "UTF-8")
        switch format {
        case .text, .markdown:
            let (text, encoding) = try DocumentReader.decodeText(data)
            source.text = text
            source.encoding = encoding
            if format == .markdown {
                (source.frontMatter, source.text) = DocumentReader.splitFrontMatter(text)
                if let links = DocumentReader.linkIndex(source.text) {
                    throw .notAPaper("an index of \(links) links with few words of its own")
                }
            }
        case .pdf:
            source.text = try readPDF(data, path: path)
        case .html:
            let page = try HTMLReader.read(data)
            source.text = page.text
            source.links = page.links
            source.encoding = page.encoding
        case .docx:
            let document = try DocxReader(maxExpandedBytes: maxExpandedBytes).read(data)
            source.text = document.text
            source.links = document.links
        }
        if source.text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            throw format == .pdf ? .noTextLayer : .empty
        }
        return source
    }

    /// The number of links when Markdown `text` is an index of links (a
    /// listing page: at least two links, at most 60 words of its own per
    /// link, and a quarter or more of its characters in link targets);
    /// nil for anything else. Papers rarely hold more than the odd link.
    static func linkIndex(_ text: String) -> Int? {
        var links = 0
        var targetBytes = 0
        var outside = ""
        outside.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let open = rest.range(of: "](") {
            guard let close = rest[open.upperBound...].firstIndex(of: ")") else { break }
            links += 1
            targetBytes += rest[open.upperBound..<close].utf8.count
            outside += rest[..<open.lowerBound]
            outside += " "
            rest = rest[rest.index(after: close)...]
        }
        guard links >= 2 else { return nil }
        outside += rest
        let words = outside.split(whereSeparator: { $0.isWhitespace }).count
        guard words <= 60 * links, targetBytes * 4 >= text.utf8.count else { return nil }
        return links
    }

    /// The text the indexer reads from pdftotext's `-layout` output: page
    /// furniture removed, columns unwoven, pages joined (for tools and
    /// fuzzing; `read(path:)` does this for PDFs).
    public static func pdfText(fromLayout layout: String) -> String {
        PDFLayout.text(fromLayout: layout)
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
                // Blank lines where the front matter was keep the body's line
                // numbers those of the file.
                let rest = String(repeating: "\n", count: index + 1) + lines[(index + 1)...].joined(separator: "\n")
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
