import CouncilDocuments

/// The synonyms and abbreviations of local government (`Synonyms.txt`),
/// applied to queries before they are parsed.
public struct Synonyms: Sendable {
    /// One form of a group: its words and whether its case must match.
    struct Form: Sendable, Hashable {
        let words: [String]       // lower case
        let exactCase: String?    // the form as written, when case matters
        var text: String { words.joined(separator: " ") }
    }

    let groups: [[Form]]
    /// Forms by their first word (lower case).
    private let byFirstWord: [String: [(group: Int, form: Form)]]

    /// The table compiled into this program.
    public static let standard = Synonyms(table: String(decoding: PackageResources.Synonyms_txt, as: UTF8.self))

    public init(table: String) {
        var groups: [[Form]] = []
        for line in table.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            var forms: [Form] = []
            for raw in trimmed.split(separator: "|") {
                var text = raw.trimmingCharacters(in: .whitespaces)
                var exact: String? = nil
                if text.hasPrefix("=") {
                    text.removeFirst()
                    exact = text
                }
                let words = Words.split(text).map { $0.lowercased() }
                if !words.isEmpty { forms.append(Form(words: words, exactCase: exact)) }
            }
            if forms.count >= 2 { groups.append(forms) }
        }
        var index: [String: [(Int, Form)]] = [:]
        for (g, forms) in groups.enumerated() {
            for form in forms { index[form.words[0], default: []].append((g, form)) }
        }
        self.groups = groups
        self.byFirstWord = index.mapValues { $0.sorted { $0.1.words.count > $1.1.words.count } }
    }

    /// A synonym applied to a query.
    public struct Expansion: Sendable, Equatable {
        /// What the user typed.
        public let matched: String
        /// The other forms searched as well.
        public let alternatives: [String]
    }

    /// The query with each synonym group member (outside quotes, filters
    /// and operators) replaced by an OR of the group's forms.
    public func expand(_ query: String) -> (query: String, expansions: [Expansion]) {
        let tokens = QueryTokens(query)
        var output = ""
        var expansions: [Expansion] = []
        var i = 0
        var cursor = query.startIndex
        while i < tokens.items.count {
            let token = tokens.items[i]
            guard token.isWord else {
                i += 1
                continue
            }
            // The longest form starting here.
            var matchedLength = 0
            var matchedGroup = -1
            for (group, form) in byFirstWord[token.lower] ?? [] {
                guard i + form.words.count <= tokens.items.count else { continue }
                var ok = true
                for (k, word) in form.words.enumerated() {
                    let t = tokens.items[i + k]
                    if !t.isWord || t.lower != word || (k > 0 && !t.adjacentToPrevious) { ok = false; break }
                }
                if ok, let exact = form.exactCase, form.words.count == 1, token.text != exact { ok = false }
                if ok && form.words.count > matchedLength {
                    matchedLength = form.words.count
                    matchedGroup = group
                }
            }
            guard matchedGroup >= 0 else {
                i += 1
                continue
            }
            let first = tokens.items[i], last = tokens.items[i + matchedLength - 1]
            let typed = String(query[first.range.lowerBound..<last.range.upperBound])
            let others = groups[matchedGroup].filter { $0.text != typed.lowercased() }.map(\.text)
            let alternatives = Array(NSOrderedSetLike(others))
            output += query[cursor..<first.range.lowerBound]
            let quotedTyped = matchedLength > 1 ? "\"\(typed)\"" : typed
            output += "(" + ([quotedTyped] + alternatives.map { $0.contains(" ") ? "\"\($0)\"" : $0 }).joined(separator: " OR ") + ")"
            cursor = last.range.upperBound
            expansions.append(Expansion(matched: typed, alternatives: alternatives))
            i += matchedLength
        }
        output += query[cursor...]
        return (expansions.isEmpty ? query : output, expansions)
    }
}

/// Unique elements in order.
private func NSOrderedSetLike(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}

/// The words of a query with what they are: plain words that may be
/// rewritten, or parts of phrases, filters and operators that may not.
struct QueryTokens {
    struct Token {
        let text: String
        let lower: String
        let range: Range<String.Index>
        /// A plain word: not in quotes, not a filter, not an operator.
        let isWord: Bool
        /// Only spaces separate it from the token before.
        let adjacentToPrevious: Bool
    }

    var items: [Token] = []

    init(_ query: String) {
        var i = query.startIndex
        var inQuotes = false
        var inFilterValue = false
        var previousEnd: String.Index? = nil
        while i < query.endIndex {
            let c = query[i]
            if c == "\"" {
                inQuotes.toggle()
                if !inQuotes { inFilterValue = false }
                i = query.index(after: i)
                previousEnd = nil
                continue
            }
            if c.isWhitespace {
                if !inQuotes { inFilterValue = false }
                i = query.index(after: i)
                continue
            }
            guard c.isLetter || c.isNumber else {
                i = query.index(after: i)
                previousEnd = nil
                continue
            }
            var j = i
            while j < query.endIndex, query[j].isLetter || query[j].isNumber || query[j] == "'" || query[j] == "’" || query[j] == "-" {
                j = query.index(after: j)
            }
            let text = String(query[i..<j])
            let next = j < query.endIndex ? query[j] : " "
            let before = i > query.startIndex ? query[query.index(before: i)] : " "
            let isField = next == ":"
            let isOperator = ["AND", "OR", "NOT", "XOR", "NEAR", "ADJ"].contains(text)
            // Words marked + or - (must, must not) and wildcards keep their meaning.
            let isWord = !inQuotes && !inFilterValue && !isField && !isOperator && next != "*" && before != "+" && before != "-"
            let adjacent = previousEnd.map { query[$0..<i].allSatisfy { $0 == " " } } ?? false
            items.append(Token(text: text, lower: text.lowercased(), range: i..<j, isWord: isWord, adjacentToPrevious: adjacent))
            if isField { inFilterValue = true }
            previousEnd = j
            i = j
        }
    }
}
