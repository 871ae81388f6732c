import Foundation

/// Metadata that a scraper or a person knows for a paper, written beside it,
/// which wins over what the extractor reads in the text.
///
/// Two places are read, the more specific winning field by field:
///
///   - a side-car file named after the paper plus `.meta.json`
///     (`paper.pdf.meta.json`): one JSON object;
///   - a manifest per folder, `council.meta.json`: a JSON object with
///     optional `"defaults"` (fields for every paper in the folder) and
///     `"papers"` (an object from file name to fields).
///
/// Fields (every one optional; others, such as `"url"`, are kept as notes):
/// `council`, `committee`, `date` (`YYYY-MM-DD`), `kind` (`agenda`,
/// `minutes`, `report`, `decisions`), `title`, `portfolios` (a list: the
/// portfolios of every item, for papers that are one report) and `url`.
/// A JSON `null` says "unknown": the field is null whatever the text says.
public struct MetadataOverride: Sendable, Equatable {
    /// A field's value as the override gives it: absent (extraction
    /// decides), null (unknown), or a value.
    public enum Field<Value: Sendable & Equatable>: Sendable, Equatable {
        case absent
        case null(source: String)
        case value(Value, source: String)

        var isAbsent: Bool { if case .absent = self { true } else { false } }
    }

    public var council: Field<String> = .absent
    public var committee: Field<String> = .absent
    public var date: Field<CalendarDate> = .absent
    public var kind: Field<DocumentKind> = .absent
    public var title: Field<String> = .absent
    public var portfolios: Field<[String]> = .absent
    /// Where the paper was published, when the override says.
    public var url: String?
    /// The files read, for messages and change detection.
    public var files: [String] = []
    /// A hash of the override files' bytes: a change re-reads the paper.
    public var hash: String = ""

    public init() {}

    public var isEmpty: Bool {
        council.isAbsent && committee.isAbsent && date.isAbsent && kind.isAbsent && title.isAbsent && portfolios.isAbsent && url == nil
    }

    /// The name of a folder's manifest.
    public static let manifestName = "council.meta.json"
    /// The suffix of a paper's side-car file.
    public static let sideCarSuffix = ".meta.json"

    /// Whether a file name is an override file rather than a paper.
    public static func isOverrideFile(_ name: String) -> Bool {
        name == manifestName || name.hasSuffix(sideCarSuffix)
    }

    /// A bad override file: which file, and what is wrong.
    public struct Invalid: Error, CustomStringConvertible, Equatable, Sendable {
        public var file: String
        public var problem: String
        public var description: String { "\(file): \(problem)" }
    }

    // MARK: - Reading

    /// The override for the paper at `path`, from its side-car file and its
    /// folder's manifest; nil when there is neither.
    public static func forPaper(at path: String) throws(Invalid) -> MetadataOverride? {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        var result = MetadataOverride()
        var hashes: [String] = []
        let manifestPath = (folder.isEmpty ? "." : folder) + "/" + manifestName
        if let data = try read(manifestPath) {
            let object = try parseObject(data, file: manifestPath)
            if let defaults = object["defaults"] {
                guard let fields = defaults as? [String: Any] else { throw Invalid(file: manifestPath, problem: "\"defaults\" must be an object") }
                try result.merge(fields, file: manifestPath)
            }
            if let papers = object["papers"] {
                guard let byName = papers as? [String: Any] else { throw Invalid(file: manifestPath, problem: "\"papers\" must be an object from file name to fields") }
                if let entry = byName[name] {
                    guard let fields = entry as? [String: Any] else { throw Invalid(file: manifestPath, problem: "the entry for \(name) must be an object") }
                    try result.merge(fields, file: manifestPath)
                }
            }
            for key in object.keys where key != "defaults" && key != "papers" {
                throw Invalid(file: manifestPath, problem: "unknown key \"\(key)\" (a manifest has \"defaults\" and \"papers\")")
            }
            result.files.append(manifestPath)
            hashes.append(fingerprint(manifestPath, data))
        }
        let sideCarPath = path + sideCarSuffix
        if let data = try read(sideCarPath) {
            try result.merge(try parseObject(data, file: sideCarPath), file: sideCarPath)
            result.files.append(sideCarPath)
            hashes.append(fingerprint(sideCarPath, data))
        }
        guard !result.files.isEmpty else { return nil }
        result.hash = hashes.joined(separator: "+")
        return result
    }

    private static func read(_ path: String) throws(Invalid) -> Data? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw Invalid(file: path, problem: "not a regular file") }
        guard info.st_size <= 4 * 1_048_576 else { throw Invalid(file: path, problem: "over 4 MB: not a metadata file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw Invalid(file: path, problem: "cannot read it") }
        return data
    }

    private static func parseObject(_ data: Data, file: String) throws(Invalid) -> [String: Any] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw Invalid(file: file, problem: "not valid JSON" + (detail.map { " (\($0))" } ?? ""))
        }
        guard let object = value as? [String: Any] else { throw Invalid(file: file, problem: "must hold a JSON object") }
        return object
    }

    /// Take the fields of `object` (from `file`) over the ones set so far.
    mutating func merge(_ object: [String: Any], file: String) throws(Invalid) {
        let source = "override (\((file as NSString).lastPathComponent))"
        func string(_ key: String) throws(Invalid) -> Field<String>? {
            guard let raw = object[key] else { return nil }
            if raw is NSNull { return .null(source: source) }
            guard let text = raw as? String else { throw Invalid(file: file, problem: "\"\(key)\" must be a string or null") }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? .null(source: source) : .value(trimmed, source: source)
        }
        if let v = try string("council") { council = v }
        if let v = try string("committee") { committee = v }
        if let v = try string("title") { title = v }
        if let v = try string("date") {
            switch v {
            case .value(let text, _):
                guard let parsed = CalendarDate(iso: text.prefix(10)), text.count == 10 || text.dropFirst(10).first == "T" else {
                    throw Invalid(file: file, problem: "\"date\" must be YYYY-MM-DD, not “\(text)”")
                }
                date = .value(parsed, source: source)
            case .null(let s): date = .null(source: s)
            case .absent: break
            }
        }
        if let v = try string("kind") {
            switch v {
            case .value(let text, _):
                guard let parsed = DocumentKind(loose: text) else {
                    throw Invalid(file: file, problem: "\"kind\" must be agenda, minutes, report or decisions, not “\(text)”")
                }
                kind = .value(parsed, source: source)
            case .null(let s): kind = .null(source: s)
            case .absent: break
            }
        }
        if let raw = object["portfolios"] {
            if raw is NSNull {
                portfolios = .null(source: source)
            } else if let list = raw as? [Any], list.allSatisfy({ $0 is String }) {
                let names = list.compactMap { ($0 as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                portfolios = .value(names, source: source)
            } else if let one = raw as? String {
                let name = one.trimmingCharacters(in: .whitespacesAndNewlines)
                portfolios = .value(name.isEmpty ? [] : [name], source: source)
            } else {
                throw Invalid(file: file, problem: "\"portfolios\" must be a list of strings")
            }
        }
        if let raw = object["url"] {
            if let text = raw as? String { url = text } else if !(raw is NSNull) {
                throw Invalid(file: file, problem: "\"url\" must be a string")
            }
        }
    }

    // MARK: - Applying

    /// `metadata` with the override's fields put over it, at full
    /// confidence and with the override file as their source. A council
    /// named as in the gazetteer takes its official name and code.
    public func apply(to metadata: MeetingMetadata, gazetteer: Gazetteer) -> MeetingMetadata {
        var m = metadata
        switch council {
        case .absent: break
        case .null(let source):
            m.council = Extracted(value: nil, confidence: 1, source: source)
            m.councilCode = nil
        case .value(let name, let source):
            let known = gazetteer.councils(named: NameKey.normalize(name))
            let current = known.filter { c in m.date.value.map { c.existed(on: $0) } ?? true }
            if let match = (current.first ?? known.first) {
                m.council = Extracted(value: match.name, confidence: 1, source: source)
                m.councilCode = match.code
            } else {
                m.council = Extracted(value: name, confidence: 1, source: source)
                m.councilCode = nil
            }
        }
        func put<T>(_ field: Field<T>, _ target: inout Extracted<T>) {
            switch field {
            case .absent: break
            case .null(let source): target = Extracted(value: nil, confidence: 1, source: source)
            case .value(let v, let source): target = Extracted(value: v, confidence: 1, source: source)
            }
        }
        put(committee, &m.committee)
        put(date, &m.date)
        put(kind, &m.kind)
        return m
    }
}

extension MetadataOverride {
    /// A hash of a file's name and bytes.
    static func fingerprint(_ path: String, _ data: Data) -> String {
        (path as NSString).lastPathComponent + ":" + String(data.withUnsafeBytes { StableHashing.fnv1a($0) }, radix: 16)
    }
}
