/// Word-level helpers shared by extraction and segmentation.
public enum Words {
    /// The words of `s`: runs of letters and digits, keeping inner
    /// apostrophes and hyphens ("Children's", "co-opted").
    public static func split(_ s: some StringProtocol) -> [Substring] {
        var words: [Substring] = []
        let str = Substring(s)
        let scalars = str.unicodeScalars
        var start: Substring.Index? = nil
        var i = scalars.startIndex
        // Letters and digits; ASCII is decided without Unicode tables.
        @inline(__always) func isWordScalar(_ u: Unicode.Scalar) -> Bool {
            let v = u.value
            if v < 128 { return (v >= 97 && v <= 122) || (v >= 65 && v <= 90) || (v >= 48 && v <= 57) }
            return u.properties.isAlphabetic || u.properties.numericType != nil
        }
        while i < scalars.endIndex {
            let u = scalars[i]
            if isWordScalar(u) {
                if start == nil { start = i }
            } else if start != nil, u == "'" || u == "’" || u == "-" {
                let next = scalars.index(after: i)
                if next < scalars.endIndex, isWordScalar(scalars[next]) {
                    // keep going: inner apostrophe or hyphen
                } else {
                    words.append(str[start!..<i])
                    start = nil
                }
            } else if !(u.properties.generalCategory == .nonspacingMark && start != nil) {
                if let s0 = start { words.append(str[s0..<i]) }
                start = nil
            }
            i = scalars.index(after: i)
        }
        if let s0 = start { words.append(str[s0..<str.endIndex]) }
        return words
    }

    /// A letter or digit, deciding ASCII characters without Unicode tables.
    @inline(__always)
    public static func isLetterOrDigit(_ c: Character) -> Bool {
        if let a = c.asciiValue { return (a >= 97 && a <= 122) || (a >= 65 && a <= 90) || (a >= 48 && a <= 57) }
        return c.isLetter || c.isNumber
    }

    @inline(__always)
    public static func isLetter(_ c: Character) -> Bool {
        if let a = c.asciiValue { return (a >= 97 && a <= 122) || (a >= 65 && a <= 90) }
        return c.isLetter
    }

    /// `s` with ASCII letters lower-cased and every other byte as it is, so
    /// that UTF-8 offsets in the result are offsets in `s`.
    public static func asciiLowercased(_ s: String) -> String {
        var s = s
        return s.withUTF8 { bytes in
            guard bytes.contains(where: { $0 >= 65 && $0 <= 90 }) else { return String(decoding: bytes, as: UTF8.self) }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                for (i, b) in bytes.enumerated() { out[i] = b >= 65 && b <= 90 ? b + 32 : b }
                return bytes.count
            }
        }
    }

    /// Function words that do not carry a title's meaning.
    public static let stopwords: Set<String> = [
        "a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with", "from", "or", "as", "is",
        "be", "are", "this", "that", "its", "into", "&",
    ]

    /// Lower-case content words of `s` (no stopwords).
    public static func contentWords(_ s: some StringProtocol) -> [String] {
        split(s).map { $0.lowercased() }.filter { !stopwords.contains($0) }
    }

    /// Words that may stand in lower case inside a Title Case heading.
    static let minorTitleWords: Set<String> = [
        "a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with", "from", "or", "vs", "v",
        "into", "upon", "under", "over", "per", "via", "its", "their", "our", "as", "not", "no",
    ]

    /// The share of words (0...1) that start with an upper-case letter or a
    /// digit, ignoring minor words.
    public static func capitalisedShare(_ s: some StringProtocol) -> Double {
        var total = 0, capitalised = 0
        for w in split(s) {
            let lower = w.lowercased()
            if minorTitleWords.contains(lower) { continue }
            total += 1
            if let f = w.first, f.isUppercase || f.isNumber { capitalised += 1 }
        }
        return total == 0 ? 0 : Double(capitalised) / Double(total)
    }

    /// Whether every letter of `s` is upper case (and it has some).
    public static func isUpperCase(_ s: some StringProtocol) -> Bool {
        var letters = 0
        for c in s where c.isLetter {
            if c.isLowercase { return false }
            letters += 1
        }
        return letters >= 2
    }

    /// Title Case for an upper-case heading ("PERFORMANCE SCRUTINY COMMITTEE"
    /// becomes "Performance Scrutiny Committee"), keeping minor words lower
    /// case except at the start and short acronyms as they are.
    public static func titleCased(_ s: String) -> String {
        var out: [String] = []
        let parts = s.split(separator: " ", omittingEmptySubsequences: true)
        for (index, part) in parts.enumerated() {
            let lower = part.lowercased()
            if index > 0 && minorTitleWords.contains(lower) {
                out.append(lower)
            } else if part.count <= 3 && part.allSatisfy({ $0.isUppercase || $0.isNumber }) && !commonShortWords.contains(lower) {
                out.append(String(part))  // acronym: LEP, SEN, ICT
            } else {
                var word = ""
                var capitaliseNext = true
                for c in lower {
                    if capitaliseNext && c.isLetter {
                        word += c.uppercased()
                        capitaliseNext = false
                    } else {
                        word.append(c)
                    }
                    if c == "-" || c == "(" || c == "/" { capitaliseNext = true }
                }
                out.append(word)
            }
        }
        return out.joined(separator: " ")
    }

    private static let commonShortWords: Set<String> = [
        "sub", "new", "key", "all", "one", "two", "day", "way", "age", "art", "pay", "tax", "bus", "car", "law", "map",
        "end", "out", "off", "use", "hub", "fee", "job", "who", "why", "how", "low", "old", "top", "red", "net", "aid",
    ]
}

/// Keys that make names comparable regardless of case and punctuation:
/// "Children, Education & Families" and "children education and families"
/// have the same key.
public enum NameKey {
    /// Lower case, `&` as "and", apostrophes dropped, other punctuation as
    /// space, white space collapsed.
    public static func normalize(_ s: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        func emit(_ c: Character) {
            if pendingSpace && !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.append(c)
        }
        for c in s {
            if c == "&" || c == "+" {
                pendingSpace = true
                emit("a"); out.append("n"); out.append("d")
                pendingSpace = true
            } else if c == "'" || c == "’" || c == "‘" {
                continue
            } else if c.isLetter || c.isNumber {
                for l in c.lowercased() { emit(l) }
            } else {
                pendingSpace = true
            }
        }
        return foldDiacritics(out)
    }

    /// "Ó Caomhánaigh" and "O Caomhanaigh" compare equal.
    static func foldDiacritics(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value > 0x7F }) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.decomposedScalars() where !(0x0300...0x036F).contains(scalar.value) {
            out.append(scalar)
        }
        return String(out)
    }
}

extension String {
    /// Canonical decomposition (NFD) of the string's scalars.
    func decomposedScalars() -> [Unicode.Scalar] {
        // Swift's String does not expose NFD directly; decompose the
        // common Latin-1 and Latin Extended-A letters by table.
        var result: [Unicode.Scalar] = []
        for scalar in unicodeScalars {
            if let base = latinBase[scalar] {
                result.append(base)
            } else {
                result.append(scalar)
            }
        }
        return result
    }
}

private let latinBase: [Unicode.Scalar: Unicode.Scalar] = {
    let pairs: [(String, Character)] = [
        ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđ", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"), ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"), ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"), ("śŝşš", "s"), ("ţťŧ", "t"), ("ùúûüũūŭůűų", "u"), ("ŵ", "w"), ("ýÿŷ", "y"), ("źżž", "z"),
    ]
    var table: [Unicode.Scalar: Unicode.Scalar] = [:]
    for (accented, base) in pairs {
        for c in accented { table[c.unicodeScalars.first!] = base.unicodeScalars.first! }
    }
    return table
}()
