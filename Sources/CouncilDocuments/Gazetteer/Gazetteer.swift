/// A UK local authority, current or abolished.
public struct Council: Sendable, Hashable {
    /// mySociety's three-letter register code ("OXF").
    public let code: String
    /// The official name ("Oxfordshire County Council").
    public let name: String
    /// The area the council governs ("Oxfordshire").
    public let areaName: String
    /// mySociety's type code: CTY county, UA unitary, NMD district, MD
    /// metropolitan district, LBO London borough, SCO Scottish, WPA Welsh,
    /// NID Northern Irish, COMB combined authority...
    public let type: String
    public let nation: String
    /// First and last day of existence, where known.
    public let start: CalendarDate?
    public let end: CalendarDate?
    /// Codes of the councils that replaced it.
    public let replacedBy: [String]
    /// Web domains ("oxfordshire.gov.uk").
    public let domains: [String]
    /// Other spellings of its name.
    public let otherNames: [String]

    /// Whether the council existed on `date`.
    public func existed(on date: CalendarDate) -> Bool {
        if let start, date < start { return false }
        if let end, date > end { return false }
        return true
    }

    /// A county-level council: one that "County Hall" and "County
    /// Councillor" point to.
    public var isCountyLevel: Bool { ["CTY", "UA", "SCO", "WPA"].contains(type) }
}

/// Every UK local authority, with indexes to find them by name, area, and
/// web or e-mail domain. Built once from the data derived from mySociety
/// and alphagov (see `GazetteerData.swift` and NOTICE.md).
public struct Gazetteer: Sendable {
    public let councils: [Council]
    private let byName: [String: [Int]]
    private let byArea: [String: [Int]]
    private let byDomain: [String: [Int]]
    /// The longest name or area, in words.
    public let maxNameWords: Int

    /// The gazetteer compiled into this program.
    public static let uk = Gazetteer(tsv: embeddedTSV)

    public init(tsv: String) {
        var councils: [Council] = []
        for line in tsv.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 11 else { continue }
            let name = f[1]
            councils.append(Council(
                code: f[0], name: name, areaName: Gazetteer.areaName(of: name),
                type: f[3], nation: f[4],
                start: CalendarDate(iso: f[5]), end: CalendarDate(iso: f[6]),
                replacedBy: f[7].split(separator: ",").map(String.init),
                domains: f[9].split(separator: ",").map(String.init),
                otherNames: f[10].split(separator: "|").map(String.init).filter { !$0.isEmpty } + [f[2]]
            ))
        }
        var byName: [String: [Int]] = [:], byArea: [String: [Int]] = [:], byDomain: [String: [Int]] = [:]
        var maxWords = 1
        func add(_ key: String, _ index: Int, to table: inout [String: [Int]]) {
            guard !key.isEmpty else { return }
            if !(table[key]?.contains(index) ?? false) { table[key, default: []].append(index) }
            maxWords = max(maxWords, key.split(separator: " ").count)
        }
        for (index, council) in councils.enumerated() {
            add(NameKey.normalize(council.name), index, to: &byName)
            add(NameKey.normalize(council.areaName), index, to: &byArea)
            for other in council.otherNames {
                let key = NameKey.normalize(other)
                if Gazetteer.councilSuffixes.contains(where: { key.hasSuffix($0) }) {
                    add(key, index, to: &byName)
                } else if key.split(separator: " ").count >= 1 && key.count >= 4 {
                    add(key, index, to: &byArea)
                }
            }
            for domain in council.domains { add(domain.lowercased(), index, to: &byDomain) }
        }
        self.councils = councils
        self.byName = byName
        self.byArea = byArea
        self.byDomain = byDomain
        self.maxNameWords = maxWords
    }

    static let councilSuffixes = ["council", "authority", "corporation"]

    /// "Oxfordshire County Council" -> "Oxfordshire"; "London Borough of
    /// Camden" -> "Camden"; "City of Edinburgh Council" -> "Edinburgh".
    static func areaName(of name: String) -> String {
        var s = name
        for prefix in ["London Borough of ", "Royal Borough of ", "City and County of ", "City of ", "County of ", "Council of the ", "Borough of "] {
            if s.hasPrefix(prefix) { s = String(s.dropFirst(prefix.count)) }
        }
        for suffix in [" Metropolitan Borough Council", " Royal Borough Council", " City and District Council",
                       " County Borough Council", " Borough Council", " District Council", " County Council",
                       " City Council", " Combined Authority", " Council"] {
            if s.hasSuffix(suffix) {
                s = String(s.dropLast(suffix.count))
                break
            }
        }
        return s
    }

    /// Councils whose official name or a variant of it has this normalized
    /// key ("oxfordshire county council").
    public func councils(named key: String) -> [Council] {
        (byName[key] ?? []).map { councils[$0] }
    }

    /// Councils governing the area with this normalized key ("oxfordshire").
    public func councils(forArea key: String) -> [Council] {
        (byArea[key] ?? []).map { councils[$0] }
    }

    /// Councils using the web or e-mail domain `host`, or a parent of it
    /// ("intranet.oxfordshire.gov.uk" finds oxfordshire.gov.uk).
    public func councils(forDomain host: String) -> [Council] {
        var h = Substring(host.lowercased())
        while true {
            if let hits = byDomain[String(h)] { return hits.map { councils[$0] } }
            guard let dot = h.firstIndex(of: "."), h[h.index(after: dot)...].contains(".") else { return [] }
            h = h[h.index(after: dot)...]
            if h == "gov.uk" { return [] }
        }
    }

    /// The council with register code `code`.
    public func council(code: String) -> Council? {
        councils.first { $0.code == code }
    }
}
