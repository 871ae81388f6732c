import CouncilDocuments

/// A stable 64-bit hash (FNV-1a) for ids and over-long terms.
public enum StableHash {
    public static func value(_ s: String) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in s.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return hash
    }

    public static func value(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0xcbf29ce484222325) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return hash
    }

    /// 16 lower-case hex digits.
    public static func hex(_ s: String) -> String { hex(value(s)) }

    public static func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Document data stored with each Xapian document: `field=value` lines
/// (as Omega does), values escaped so they stay on one line.
struct RecordData {
    private(set) var fields: [(String, String)] = []

    init() {}

    mutating func add(_ key: String, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        fields.append((key, value))
    }

    func encoded() -> [UInt8] {
        var out = ""
        for (key, value) in fields {
            out += key
            out += "="
            out += RecordData.escape(value)
            out += "\n"
        }
        return Array(out.utf8)
    }

    /// Parse `field=value` lines byte by byte (a record holds an item's
    /// whole text, and is decoded for every hit shown).
    init(decoding bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { b in
            let n = b.count
            var start = 0
            while start < n {
                var end = start
                while end < n && b[end] != 10 { end += 1 }
                var eq = start
                while eq < end && b[eq] != 61 { eq += 1 }
                if eq < end {
                    let key = String(decoding: UnsafeBufferPointer(rebasing: b[start..<eq]), as: UTF8.self)
                    fields.append((key, RecordData.unescape(UnsafeBufferPointer(rebasing: b[(eq + 1)..<end]))))
                }
                start = end + 1
            }
        }
    }

    func first(_ key: String) -> String? { fields.first { $0.0 == key }?.1 }
    func all(_ key: String) -> [String] { fields.filter { $0.0 == key }.map(\.1) }

    /// Backslash and newline escaped, carriage returns dropped: byte by
    /// byte (a "\r\n" is one Character, so a Character loop would miss it).
    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 10 || $0 == 92 || $0 == 13 }) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case 92: out += [92, 92]
            case 10: out += [92, 110]
            case 13: break
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `\\` and `\n` undone: a backslash takes the next byte as it is,
    /// except `n` for a newline.
    static func unescape(_ b: UnsafeBufferPointer<UInt8>) -> String {
        guard b.contains(92) else { return String(decoding: b, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var escaping = false
        for byte in b {
            if escaping {
                out.append(byte == 110 ? 10 : byte)
                escaping = false
            } else if byte == 92 {
                escaping = true
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// One indexed source file, as `council list` shows it.
public struct SourceRecord: Sendable, Equatable {
    /// The path as it was given to `council index`.
    public var path: String
    /// The absolute path used to recognise the file again.
    public var absolutePath: String
    public var title: String
    public var council: String?
    public var committee: String?
    /// ISO date of the meeting.
    public var date: String?
    public var kind: String?
    public var portfolios: [String]
    /// Number of items, not counting the front matter.
    public var items: Int
    public var format: String
    public var size: Int
    /// Modification time, seconds since 1970.
    public var modified: Double
    /// Content hash (FNV-1a of the bytes).
    public var hash: String
    /// When it was indexed (seconds since 1970) and by which run.
    public var indexedAt: Double
    public var run: Int
    /// Where each metadata field came from, with its confidence.
    public var provenance: [String: String]
    /// The fingerprint of the side-car files whose fields won over
    /// extraction (empty when there are none): a change re-reads the paper.
    public var overrideHash = ""
    /// Where the paper was published, when a side-car file says.
    public var url: String?

    /// The key that identifies the file in the index.
    public var key: String { SourceRecord.key(forAbsolutePath: absolutePath) }

    public static func key(forAbsolutePath path: String) -> String { StableHash.hex(path) }

    func data() -> [UInt8] {
        var r = RecordData()
        r.add("type", Schema.sourceType)
        r.add("path", path)
        r.add("abspath", absolutePath)
        r.add("title", title)
        r.add("council", council)
        r.add("committee", committee)
        r.add("date", date)
        r.add("kind", kind)
        for p in portfolios { r.add("portfolio", p) }
        r.add("items", String(items))
        r.add("format", format)
        r.add("size", String(size))
        r.add("modified", String(modified))
        r.add("hash", hash)
        r.add("indexed", String(indexedAt))
        r.add("run", String(run))
        for (field, note) in provenance.sorted(by: { $0.key < $1.key }) { r.add("provenance." + field, note) }
        if !overrideHash.isEmpty { r.add("override", overrideHash) }
        r.add("url", url)
        return r.encoded()
    }

    init(path: String, absolutePath: String, title: String, council: String?, committee: String?, date: String?, kind: String?,
         portfolios: [String], items: Int, format: String, size: Int, modified: Double, hash: String, indexedAt: Double,
         run: Int, provenance: [String: String]) {
        self.path = path
        self.absolutePath = absolutePath
        self.title = title
        self.council = council
        self.committee = committee
        self.date = date
        self.kind = kind
        self.portfolios = portfolios
        self.items = items
        self.format = format
        self.size = size
        self.modified = modified
        self.hash = hash
        self.indexedAt = indexedAt
        self.run = run
        self.provenance = provenance
    }

    init?(data bytes: [UInt8]) {
        let r = RecordData(decoding: bytes)
        guard r.first("type") == Schema.sourceType, let path = r.first("path"), let abs = r.first("abspath") else { return nil }
        self.path = path
        self.absolutePath = abs
        self.title = r.first("title") ?? ""
        self.council = r.first("council")
        self.committee = r.first("committee")
        self.date = r.first("date")
        self.kind = r.first("kind")
        self.portfolios = r.all("portfolio")
        self.items = Int(r.first("items") ?? "") ?? 0
        self.format = r.first("format") ?? ""
        self.size = Int(r.first("size") ?? "") ?? 0
        self.modified = Double(r.first("modified") ?? "") ?? 0
        self.hash = r.first("hash") ?? ""
        self.indexedAt = Double(r.first("indexed") ?? "") ?? 0
        self.run = Int(r.first("run") ?? "") ?? 0
        var provenance: [String: String] = [:]
        for (key, value) in r.fields where key.hasPrefix("provenance.") {
            provenance[String(key.dropFirst(11))] = value
        }
        self.provenance = provenance
        self.overrideHash = r.first("override") ?? ""
        self.url = r.first("url")
    }
}

/// One indexed item, as search results show it.
public struct ItemRecord: Sendable, Equatable {
    public var id: String
    public var sourceKey: String
    public var path: String
    public var title: String
    public var number: String?
    public var agendaNumber: String?
    public var council: String?
    public var committee: String?
    public var date: String?
    public var kind: String?
    public var portfolios: [String]
    public var isFrontMatter: Bool
    /// 1-based line in the source where the item starts.
    public var line: Int
    public var ordinal: Int
    public var text: String
    /// The item has a resolution, recommendation or decision.
    public var hasDecision = false
    /// People named in the item (movers, presenters, those present).
    public var people: [String] = []
    /// The indexing run in which this text first arrived, and when.
    public var run = 0
    public var indexedAt = 0.0
    /// FNV-1a of the title and text, to tell changed items from unchanged.
    public var contentHash: String { StableHash.hex(title + "\u{1}" + text) }

    func data() -> [UInt8] {
        var r = RecordData()
        r.add("type", Schema.itemType)
        r.add("id", id)
        r.add("source", sourceKey)
        r.add("path", path)
        r.add("title", title)
        r.add("number", number)
        r.add("agenda", agendaNumber)
        r.add("council", council)
        r.add("committee", committee)
        r.add("date", date)
        r.add("kind", kind)
        for p in portfolios { r.add("portfolio", p) }
        if isFrontMatter { r.add("front", "1") }
        r.add("line", String(line))
        r.add("ordinal", String(ordinal))
        if hasDecision { r.add("decision", "1") }
        for person in people { r.add("person", person) }
        r.add("run", String(run))
        r.add("indexed", String(indexedAt))
        r.add("hash", contentHash)
        r.add("text", text)
        return r.encoded()
    }

    init(id: String, sourceKey: String, path: String, title: String, number: String?, agendaNumber: String?, council: String?,
         committee: String?, date: String?, kind: String?, portfolios: [String], isFrontMatter: Bool, line: Int, ordinal: Int, text: String) {
        self.id = id
        self.sourceKey = sourceKey
        self.path = path
        self.title = title
        self.number = number
        self.agendaNumber = agendaNumber
        self.council = council
        self.committee = committee
        self.date = date
        self.kind = kind
        self.portfolios = portfolios
        self.isFrontMatter = isFrontMatter
        self.line = line
        self.ordinal = ordinal
        self.text = text
    }

    init?(data bytes: [UInt8]) {
        let r = RecordData(decoding: bytes)
        guard r.first("type") == Schema.itemType, let id = r.first("id") else { return nil }
        self.id = id
        self.sourceKey = r.first("source") ?? ""
        self.path = r.first("path") ?? ""
        self.title = r.first("title") ?? ""
        self.number = r.first("number")
        self.agendaNumber = r.first("agenda")
        self.council = r.first("council")
        self.committee = r.first("committee")
        self.date = r.first("date")
        self.kind = r.first("kind")
        self.portfolios = r.all("portfolio")
        self.isFrontMatter = r.first("front") == "1"
        self.line = Int(r.first("line") ?? "") ?? 1
        self.ordinal = Int(r.first("ordinal") ?? "") ?? 0
        self.text = r.first("text") ?? ""
        self.hasDecision = r.first("decision") == "1"
        self.people = r.all("person")
        self.run = Int(r.first("run") ?? "") ?? 0
        self.indexedAt = Double(r.first("indexed") ?? "") ?? 0
    }

    /// The stored content hash, without recomputing it.
    static func storedHash(_ bytes: [UInt8]) -> (id: String, hash: String, run: Int, indexed: Double)? {
        let r = RecordData(decoding: bytes)
        guard let id = r.first("id"), let hash = r.first("hash") else { return nil }
        return (id, hash, Int(r.first("run") ?? "") ?? 0, Double(r.first("indexed") ?? "") ?? 0)
    }
}
