import CouncilDocuments
import CouncilIndex
import Foundation

/// What each fuzz target feeds its input to. Every target must return for
/// any input (thrown errors are fine; traps, hangs and crashes are bugs).
enum FuzzTarget: String, CaseIterable {
    /// Bytes as a paper's text: lines, metadata, items, portfolios.
    case extractor
    /// Bytes as a file: encoding detection, Markdown front matter, then the extractor.
    case reader
    /// Bytes as a query string, run against an index of Corpus/.
    case query
    /// Bytes as an HTML page (libxml2's HTML parser), then the extractor.
    case html
    /// Bytes as a Word document (a zip of XML parts), then the extractor.
    case docx
    /// Bytes as pdftotext's layout output: page furniture, columns, then
    /// the extractor.
    case pdflayout

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .extractor:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = CouncilPaper.parse(text)
        case .reader:
            let data = Data(bytes)
            for format in [DocumentFormat.text, .markdown] {
                if let source = try? DocumentReader().decode(data, format: format) {
                    _ = CouncilPaper.parse(source)
                }
            }
        case .html, .docx:
            if let source = try? DocumentReader().decode(Data(bytes), format: self == .html ? .html : .docx) {
                _ = CouncilPaper.parse(source)
            }
        case .pdflayout:
            _ = CouncilPaper.parse(DocumentReader.pdfText(fromLayout: String(decoding: bytes, as: UTF8.self)))
        case .query:
            let query = String(decoding: bytes, as: UTF8.self)
            guard let service = FuzzState.service else { return }
            _ = try? service.search(SearchRequest(query: query, limit: 5))
            _ = try? service.search(SearchRequest(query: "care", filters: [query], limit: 1))
        }
    }
}

enum FuzzState {
    nonisolated(unsafe) static var target: FuzzTarget = .extractor
    nonisolated(unsafe) static var service: SearchService?

    /// Choose the target ($COUNCIL_FUZZ_TARGET) and, for queries, build an
    /// index of the papers in $COUNCIL_FUZZ_CORPUS (default Corpus/).
    static func setUp() {
        let env = ProcessInfo.processInfo.environment
        target = env["COUNCIL_FUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:)) ?? .extractor
        guard target == .query else { return }
        let corpus = env["COUNCIL_FUZZ_CORPUS"] ?? "Corpus"
        let db = NSTemporaryDirectory() + "council-fuzz-index-\(getpid())"
        do {
            _ = try PaperIndexer(databasePath: db).index(paths: [corpus])
            service = try SearchService(path: db)
        } catch {
            FileHandle.standardError.write(Data("council-fuzz: cannot index \(corpus): \(error)\n".utf8))
            exit(1)
        }
    }
}
