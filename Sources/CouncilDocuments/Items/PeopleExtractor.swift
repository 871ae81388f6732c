/// Finds the people named in an item: councillors ("Councillor Liz
/// Brighthouse", "Cllr Steve Butler", "Cllrs Hilary Cox and Peter Wharf",
/// "Councillors Browne, Collins and Foley"), officers and others with a
/// title ("Mr Dyson", "Dr Jane Smith"), movers and seconders ("Proposed by:
/// Councillor Foley"), and contacts ("Contact: Shaun Bennett, ...").
/// Names are returned as written, without their titles.
public struct PeopleExtractor: Sendable {
    public init() {}

    static let singleTitles: Set<String> = ["councillor", "cllr", "mr", "mrs", "ms", "miss", "dr", "professor", "prof", "sir", "dame", "lord", "lady", "alderman"]
    static let pluralTitles: Set<String> = ["councillors", "cllrs"]
    /// Capitalised words that are not names.
    static let notNames: Set<String> = [
        "the", "council", "county", "city", "district", "borough", "parish", "town", "cabinet", "member", "members",
        "leader", "deputy", "chairman", "chair", "vice", "mayor", "director", "officer", "for", "and", "of", "with",
        "responsibility", "report", "group", "committee", "present", "apologies", "in", "on", "at", "to", "from",
    ]

    public func people(in text: String) -> [String] {
        var names: [String] = []
        var seen = Set<String>()
        func add(_ words: [Substring]) {
            guard !words.isEmpty, words.count <= 4 else { return }
            let name = words.joined(separator: " ")
            let key = NameKey.normalize(name)
            guard key.count >= 2, seen.insert(key).inserted else { return }
            names.append(name)
        }
        for line in text.split(separator: "\n") where PeopleExtractor.mayName(line) {
            let tokens = PeopleExtractor.tokens(line)
            var i = 0
            while i < tokens.count {
                let lower = tokens[i].lowercased().trimmingTrailingDots()
                if PeopleExtractor.singleTitles.contains(lower) {
                    let (name, next) = PeopleExtractor.name(tokens, from: i + 1)
                    add(name)
                    i = max(next, i + 1)
                    continue
                }
                if PeopleExtractor.pluralTitles.contains(lower) {
                    // "Councillors Browne, Collins, Foley and Scanlan"
                    var j = i + 1
                    while j < tokens.count {
                        let (name, next) = PeopleExtractor.name(tokens, from: j)
                        guard !name.isEmpty else { break }
                        add(name)
                        j = next
                        if j < tokens.count, tokens[j] == "," || tokens[j].lowercased() == "and" { j += 1 } else { break }
                    }
                    i = max(j, i + 1)
                    continue
                }
                if lower == "contact" || lower == "contact officer", i + 1 < tokens.count, tokens[i + 1] == ":" {
                    let (name, next) = PeopleExtractor.name(tokens, from: i + 2)
                    if name.count >= 2 { add(name) }
                    i = max(next, i + 2)
                    continue
                }
                i += 1
            }
        }
        return names
    }

    /// The words that can introduce a name, as their first eight ASCII
    /// bytes lower-cased and packed into an integer.
    static let introducerKeys: Set<UInt64> = Set((singleTitles.union(pluralTitles).union(["contact"])).map { packed(Array($0.utf8)) })

    static func packed<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var key: UInt64 = 0
        for (n, b) in bytes.prefix(8).enumerated() { key |= UInt64(b >= 65 && b <= 90 ? b + 32 : b) << (8 * UInt64(n)) }
        return key
    }

    /// Whether a line has a word that may introduce a name: a byte scan
    /// that lets most lines skip tokenizing (it may answer yes wrongly,
    /// "Councillorship", never no wrongly).
    static func mayName(_ line: Substring) -> Bool {
        var line = line
        return line.withUTF8 { bytes in
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                let isLetter = (b | 0x20) >= 97 && (b | 0x20) <= 122
                if !isLetter { i += 1; continue }
                let start = i
                while i < n, (bytes[i] | 0x20) >= 97 && (bytes[i] | 0x20) <= 122 { i += 1 }
                // Titles are 2 to 11 letters; a word glued to what came
                // before (a non-ASCII letter) still counts.
                let length = i - start
                if length >= 2 && length <= 11 && introducerKeys.contains(packed(bytes[start..<i])) { return true }
            }
            return false
        }
    }

    /// A name of capitalised words and initials from `start`.
    static func name(_ tokens: [Substring], from start: Int) -> ([Substring], Int) {
        var words: [Substring] = []
        var i = start
        while i < tokens.count, words.count < 4 {
            let t = tokens[i]
            guard let first = t.first, first.isUppercase else { break }
            let bare = t.lowercased().trimmingTrailingDots()
            if notNames.contains(bare) || singleTitles.contains(bare) { break }
            // ALL-CAPS words longer than initials are headings, not names.
            if t.count > 3 && t.allSatisfy({ $0.isUppercase || !$0.isLetter }) && !t.contains(".") { break }
            words.append(t)
            i += 1
        }
        return (words, i)
    }

    /// Words (keeping initials' dots, apostrophes and hyphens) and
    /// punctuation as separate tokens.
    static func tokens(_ line: Substring) -> [Substring] {
        var result: [Substring] = []
        var start: Substring.Index? = nil
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            let isWordChar = c.isLetter || c.isNumber || ((c == "'" || c == "’" || c == "-" || c == ".") && start != nil)
            if isWordChar {
                if start == nil { start = i }
            } else {
                if let s = start { result.append(line[s..<i]) }
                start = nil
                if c == "," || c == ":" || c == ";" || c == "(" || c == ")" { result.append(line[i...i]) }
            }
            i = line.index(after: i)
        }
        if let s = start { result.append(line[s..<line.endIndex]) }
        // A trailing dot ends a sentence unless the word is an initial.
        return result.map { t in t.hasSuffix(".") && t.count > 2 ? t.dropLast() : t }
    }
}

extension String {
    func trimmingTrailingDots() -> String {
        var s = self
        while s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
