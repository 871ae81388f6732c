/// Finds cabinet portfolios named in text, as the portfolio's own title:
///
/// - "Cabinet Member: Finance" → Finance
/// - "report by the Cabinet Member for Safeguarding" → Safeguarding
/// - "Cabinet Member with Responsibility for Children and Families" →
///   Children and Families
/// - "Deputy Leader and Cabinet Member for Health and Care" → Health and Care
/// - "Portfolio Holder for Housing", "Housing and Planning Portfolio Holder",
///   "Executive Member for ...", "Lead Member for ...", "Cabinet Member -
///   Education, Employment & Skills" → the portfolio
///
/// Line breaks inside a paragraph are read as spaces, so "Cabinet Member
/// for\nChildren and Families" is found; a blank line ends a title.
public struct PortfolioExtractor: Sendable {
    public init() {}

    /// A portfolio named in the text.
    public struct Mention: Sendable, Equatable {
        public let portfolio: String
        /// The mention says the item falls under the portfolio: a
        /// "Cabinet Member: X" header, a report by or response of the
        /// member, the member introducing the item, a decision naming them.
        public let isStrong: Bool
        /// Character offset of the mention in the text searched.
        public let offset: Int
    }

    /// How far into an item (in characters) the member presenting it is
    /// looked for.
    static let presenterWindow = 1500

    /// Portfolios that are roles, not subjects, and never a portfolio on
    /// their own.
    static let notPortfolios: Set<String> = ["all", "none", "n a", "na", "tbc", "various", "all cabinet members", "cabinet"]

    /// Words that end a portfolio title when they follow it.
    static let stopWords: Set<String> = [
        "introduced", "explained", "said", "stated", "confirmed", "pointed", "presented", "reported", "outlined", "moved",
        "seconded", "regarding", "concerning", "about", "on", "to", "in", "will", "would", "was", "is", "has", "had", "who",
        "which", "that", "be", "been", "were", "are", "at", "by", "from", "as", "also", "if", "when", "following",
        "advised", "noted", "agreed", "welcomed", "thanked", "responded", "replied", "added", "commented", "highlighted",
        "asked", "made", "gave", "provided", "set", "sought", "proposed", "informed", "updated", "indicated", "emphasised",
        "emphasized", "expressed", "took", "clarified", "mentioned", "acknowledged", "wished", "summarised", "summarized",
        "tabled", "invited", "requested", "recommended", "considered", "approved", "after", "before", "prior", "with",
        "within", "under", "into", "upon", "so", "but", "not", "may", "should", "could", "can", "shall", "must",
        "did", "does", "do", "being", "having", "where", "while", "whilst", "forward", "plan", "ref", "contact", "tel",
        "report", "reports", "detailing", "setting", "seeking", "updating", "providing", "for",
        "decision", "decisions", "decided", "meeting", "meetings", "item", "items", "portfolio",
    ]

    /// First words of what follows "Cabinet Member" that are not a subject:
    /// "Cabinet Member Updates", "Cabinet Member Statement", "Cabinet Member
    /// Decision(s)".
    static let notSubjects: Set<String> = [
        "update", "updates", "statement", "statements", "decision", "decisions", "report", "reports", "briefing", "briefings",
        "question", "questions", "meeting", "meetings", "response", "responses", "delegated", "portfolio", "portfolios",
        "member", "members", "cabinet", "for",
    ]

    /// Portfolio mentions in `text`.
    public func mentions(in text: String) -> [Mention] {
        // Only text naming a member, a portfolio or a lead has portfolios.
        guard text.includesASCIICaseInsensitive("member") || text.includesASCIICaseInsensitive("portfolio")
                || text.includesASCIICaseInsensitive("lead for") || text.includesASCIICaseInsensitive("leader") else { return [] }
        // Paragraph-aware flattening: a single newline becomes a soft break
        // "⏎" that a title may continue across, a blank line a hard stop "¶".
        // (Byte by byte: a newline byte is never part of another character.)
        var flat = ""
        flat.reserveCapacity(text.utf8.count + text.utf8.count / 16)
        var newlines = 0
        var runStart = text.utf8.startIndex
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            if utf8[index] == 10 {
                if newlines == 0 { flat += text[runStart..<index] }
                newlines += 1
                index = utf8.index(after: index)
                runStart = index
                continue
            }
            if newlines > 0 {
                flat += newlines > 1 ? " ¶ " : " ⏎ "
                newlines = 0
            }
            index = utf8.index(after: index)
        }
        if newlines == 0 { flat += text[runStart..<utf8.endIndex] }
        let tokens = PortfolioExtractor.tokenize(flat)
        var result: [Mention] = []
        let lowers = tokens.map { $0.text.utf8.allSatisfy({ $0 < 0x80 }) ? Words.asciiLowercased(String($0.text)) : $0.text.lowercased() }
        var previousEnd: Int? = nil
        var i = 0
        while i < tokens.count {
            let t = lowers[i]
            // "Apologies were received from Councillor Wells (Portfolio Holder
            // for ...)": a member who was not there, not the item's.
            func afterApologies() -> Bool { lowers[max(0, i - 14)..<i].contains(where: { $0.hasPrefix("apolog") }) }
            // "... Portfolio Holder": the title comes before.
            if t == "portfolio", i + 1 < tokens.count, lowers[i + 1] == "holder" || lowers[i + 1] == "holders", !afterApologies() {
                if i + 2 < tokens.count, lowers[i + 2] == "for" {
                    if let (title, end) = title(tokens, lowers, from: i + 3) {
                        result.append(Mention(portfolio: title, isStrong: true, offset: tokens[i].offset))
                        i = end
                        continue
                    }
                } else if i + 2 < tokens.count, tokens[i + 2].text == "(", let (title, end) = title(tokens, lowers, from: i + 3),
                          end < tokens.count, tokens[end].text == ")" {
                    // "the Portfolio Holder (Children and Family Services) proposed".
                    result.append(Mention(portfolio: title, isStrong: true, offset: tokens[i].offset))
                    i = end
                    continue
                } else if let title = titleBefore(tokens, lowers, before: i) {
                    result.append(Mention(portfolio: title, isStrong: true, offset: tokens[i].offset))
                }
                i += 2
                continue
            }
            // "Report of the Leader (of the Council)", "the Leader's report":
            // the Leader's own portfolio.
            let leaderReport = i >= 3 && lowers[i - 1] == "the" && ["of", "by", "from"].contains(lowers[i - 2])
                && ["report", "reports", "statement", "update"].contains(lowers[i - 3])
            // "report by Mr Paul Carter, Leader".
            let namedLeader = i >= 2 && tokens[i - 1].text == "," && lowers[max(0, i - 7)..<(i - 1)].contains("report")
                && lowers[max(0, i - 7)..<(i - 1)].contains("by")
            // "Leader's Update", "Leader's Report" as a heading.
            let leaders = tokens[i].text.hasSuffix("'s") || tokens[i].text.hasSuffix("’s")
            if t.hasPrefix("leader"), t == "leader" && (leaderReport || namedLeader) && !(i + 1 < tokens.count && lowers[i + 1] == "and")
                || leaders && t.count == 8 && i + 1 < tokens.count && ["update", "report", "statement"].contains(lowers[i + 1]) {
                result.append(Mention(portfolio: "Leader", isStrong: true, offset: tokens[i].offset))
                i += 1
                continue
            }
            // "Cabinet Member", "Executive Member", "Lead Member", "Policy Lead",
            // "Mayoral Lead", "Cabinet Lead", "Lead Cabinet Member", "Portfolio:".
            var afterRole: Int? = nil
            if (t == "cabinet" || t == "executive" || t == "lead") && i + 1 < tokens.count && lowers[i + 1] == "member" {
                afterRole = i + 2
            } else if (t == "policy" || t == "mayoral" || t == "cabinet") && i + 1 < tokens.count && lowers[i + 1] == "lead" {
                afterRole = i + 2
            } else if t == "portfolio" && i + 1 < tokens.count && tokens[i + 1].text == ":" {
                afterRole = i + 1
            }
            guard var j = afterRole else {
                i += 1
                continue
            }
            // Lead Member *of* a select committee is scrutiny, not a portfolio.
            var strongByForm = false
            if j < tokens.count && lowers[j] == "with" && j + 2 < tokens.count && (lowers[j + 1] == "responsibility" || lowers[j + 1] == "portfolio") {
                j += 2
                strongByForm = true
                if j < tokens.count && lowers[j] == "for" { j += 1 }
            } else if j < tokens.count && (lowers[j] == "for") {
                j += 1
            } else if j < tokens.count && (tokens[j].text == ":" || tokens[j].text == "-" || tokens[j].text == "–") {
                j += 1
                strongByForm = true
            } else if j < tokens.count, tokens[j].text.first?.isUppercase == true, !["The", "THE"].contains(tokens[j].text), t == "cabinet" {
                // "Cabinet Member Health, Housing and Wellbeing"
            } else {
                i = j
                continue
            }
            guard let (title, end) = title(tokens, lowers, from: j) else {
                i = j
                continue
            }
            // "PORTFOLIO: Applicants will be notified ...": a sentence, not a
            // portfolio's title.
            if t == "portfolio", end < tokens.count, tokens[end].text.first?.isLowercase == true {
                i = end
                continue
            }
            // "a joint report by the Cabinet Member for A and the Cabinet
            // Member for B": B shares A's standing.
            let joined = previousEnd.map { i - $0 <= 3 } ?? false
            // "Apologies were received from Councillor Wells (Portfolio Holder
            // for ...)": a member who was not there, not the item's.
            if afterApologies() {
                previousEnd = end
                i = end
                continue
            }
            let strong = strongByForm || isStrongContext(lowers, roleStart: i, end: end) || joined && (result.last?.isStrong ?? false)
            result.append(Mention(portfolio: title, isStrong: strong, offset: tokens[i].offset))
            previousEnd = end
            i = end
        }
        return result
    }

    /// Portfolios an item falls under: the strong mentions, or, when there
    /// is none, the first mention (the member who presented the item).
    public func portfolios(ofItem text: String) -> [String] {
        portfolios(of: mentions(in: text))
    }

    /// The portfolios an item falls under, from its mentions.
    public func portfolios(of all: [Mention]) -> [String] {
        guard !all.isEmpty else { return [] }
        var chosen = all.filter(\.isStrong)
        if chosen.isEmpty {
            // The member who presented the item is named early; a list of
            // several members is a list, not a presenter.
            let first = all[0]
            let crowd = all.filter { abs($0.offset - first.offset) < 400 }.count
            guard first.offset < PortfolioExtractor.presenterWindow, crowd < 3 else { return [] }
            chosen = [first]
        }
        return PortfolioExtractor.unique(chosen.map(\.portfolio))
    }

    /// Every portfolio named in `text`, in order of first appearance.
    public func allPortfolios(in text: String) -> [String] {
        PortfolioExtractor.unique(mentions(in: text).map(\.portfolio))
    }

    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for name in names where seen.insert(NameKey.normalize(name)).inserted {
            result.append(name)
        }
        return result
    }

    /// The member is introducing the item, reporting, or named in a decision.
    func isStrongContext(_ lowers: [String], roleStart: Int, end: Int) -> Bool {
        let before = lowers[max(0, roleStart - 6)..<roleStart].joined(separator: " ")
        for phrase in ["report by", "report of", "report from", "reports by", "reports of", "report to", "joint report", "from:", "from :",
                       "response of", "responses of", "authorised the", "authorise the", "authorized the", "conclusions of", "on behalf of",
                       "decision of", "decision by", "decisions of", "delegated to", "delegate to", "consultation with the", "approval of",
                       "introduced by", "presented by", "sponsor", "responsible", "liaison with"] where before.contains(phrase) {
            return true
        }
        let after = lowers[end..<min(lowers.count, end + 3)].joined(separator: " ")
        for verb in ["introduced", "presented", "moved", "outlined", "explained", "reported", "gave", "summarised", "set out"] where after.hasPrefix(verb) || after.contains(" " + verb) && after.hasPrefix(")") {
            return true
        }
        return false
    }

    struct Token {
        let text: Substring
        let offset: Int
    }

    /// Words (with inner apostrophes and hyphens) and punctuation marks, each
    /// with its offset in scalars. A walk over the UTF-8 bytes: ASCII is
    /// classified directly, other scalars by their Unicode properties.
    static func tokenize(_ s: String) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(s.utf8.count / 5)
        let utf8 = s.utf8
        var start: String.Index? = nil
        var startOffset = 0
        var offset = 0
        var i = utf8.startIndex
        /// The scalar at `i` and the index after it.
        func scalar(at i: String.Index) -> (Unicode.Scalar, String.Index) {
            let b = utf8[i]
            if b < 0x80 { return (Unicode.Scalar(b), utf8.index(after: i)) }
            let scalars = s.unicodeScalars
            return (scalars[i], scalars.index(after: i))
        }
        func isLetterOrDigit(_ c: Unicode.Scalar) -> Bool {
            if c.isASCII {
                let a = c.value
                return (a >= 97 && a <= 122) || (a >= 65 && a <= 90) || (a >= 48 && a <= 57)
            }
            return c.properties.isAlphabetic || c.properties.numericType != nil
        }
        func isLetter(_ c: Unicode.Scalar) -> Bool {
            if c.isASCII {
                let a = c.value
                return (a >= 97 && a <= 122) || (a >= 65 && a <= 90)
            }
            return c.properties.isAlphabetic
        }
        while i < utf8.endIndex {
            let (c, next) = scalar(at: i)
            var wordChar = isLetterOrDigit(c)
            if !wordChar, start != nil, c == "'" || c == "’" || c == "-", next < utf8.endIndex {
                wordChar = isLetter(scalar(at: next).0)
            }
            if wordChar {
                if start == nil {
                    start = i
                    startOffset = offset
                }
            } else {
                if let st = start {
                    tokens.append(Token(text: s[st..<i], offset: startOffset))
                    start = nil
                }
                if !(c == " " || c == "\n" || c == "\t" || (!c.isASCII && c.properties.isWhitespace)) {
                    tokens.append(Token(text: s[i..<next], offset: offset))
                }
            }
            i = next
            offset += 1
        }
        if let st = start { tokens.append(Token(text: s[st..<s.endIndex], offset: startOffset)) }
        return tokens
    }

    /// A title from `start`: capitalised words joined by "and", "&", ",",
    /// "of", "the", ending before a lower-case word, a verb, punctuation
    /// that ends a phrase, or another role ("and the Cabinet Member for").
    func title(_ tokens: [Token], _ lowers: [String], from start: Int) -> (String, Int)? {
        var words: [Substring] = []
        var i = start
        var lastContent = -1
        while i < tokens.count {
            let text = tokens[i].text
            let lower = lowers[i]
            if text == "⏎" {
                // A line break continues a title that is visibly unfinished
                // ("for", "and", "," at the end of the line), or when the
                // next line goes on with the sentence ("Environment
                // regarding ..."), not in a table ("Nick Carter ...").
                let last = words.last.map { $0.lowercased() }
                let unfinished = words.isEmpty || last == "and" || last == "&" || last == "," || last == "of" || last == "the"
                let next = i + 1 < tokens.count ? tokens[i + 1].text : ""
                let afterNext = i + 2 < tokens.count ? tokens[i + 2].text : ""
                // A next line that is a label ("Key decision: Yes") is not
                // the title going on.
                let isLabel = tokens[(i + 1)..<min(tokens.count, i + 5)].contains { $0.text == ":" }
                let sentenceGoesOn = !isLabel && next.first?.isUppercase == true && (afterNext.first?.isLowercase == true || [".", ",", ";", ")"].contains(afterNext))
                if unfinished || sentenceGoesOn || lowers.indices.contains(i + 1) && (lowers[i + 1] == "and" || next == "&") {
                    i += 1
                    continue
                }
                break
            }
            if text == "¶" || text == "(" || text == ")" || text == "." || text == ";" || text == ":" || text == "[" || text == "|" { break }
            if text == "," {
                // A comma continues a list of subjects ("Economy, Education,
                // Learning and Skills") only before a capitalised word.
                if i + 1 < tokens.count, tokens[i + 1].text.first?.isUppercase == true, !PortfolioExtractor.roleWords.contains(lowers[i + 1]) {
                    words.append(text)
                    i += 1
                    continue
                }
                break
            }
            if text == "&" || lower == "and" || lower == "of" || lower == "the" || lower == "for" && !words.isEmpty && false {
                // Connector: continues only if a capitalised subject follows
                // and it is not the start of another role.
                var k = i + 1
                if k < tokens.count, lowers[k] == "the" { k += 1 }
                guard k < tokens.count, tokens[k].text.first?.isUppercase == true, !PortfolioExtractor.roleWords.contains(lowers[k]) else { break }
                if lower == "and" && k + 1 < tokens.count && lowers[k] == "cabinet" && lowers[k + 1] == "member" { break }
                // "... for Finance and Lynda McMullan, Director of Finance": a
                // person with an officer's title, not more of the portfolio.
                if lower == "and" || text == "&", k + 3 < tokens.count, tokens[k + 1].text.first?.isUppercase == true,
                   tokens[k + 2].text == ",", PortfolioExtractor.officerWords.contains(lowers[k + 3]) { break }
                words.append(text)
                i += 1
                continue
            }
            if text == "-" || text == "–" || text == "/" {
                if words.isEmpty { i += 1; continue }
                guard i + 1 < tokens.count, tokens[i + 1].text.first?.isUppercase == true else { break }
                words.append(text)
                i += 1
                continue
            }
            guard let first = text.first, first.isUppercase || first.isNumber && !words.isEmpty else { break }
            if PortfolioExtractor.stopWords.contains(lower) && !words.isEmpty { break }
            if PortfolioExtractor.roleWords.contains(lower) && !words.isEmpty
                && !words.allSatisfy({ PortfolioExtractor.roleWords.contains($0.lowercased()) }) { break }
            if words.isEmpty && PortfolioExtractor.honorifics.contains(lower) { return nil }
            words.append(text)
            lastContent = words.count - 1
            i += 1
            if words.count > 16 { break }
        }
        guard lastContent >= 0 else { return nil }
        words = Array(words[0...lastContent])
        // "the Communities and Benefits Portfolio": the title itself.
        while let first = words.first, ["the", "The", "THE"].contains(first) { words.removeFirst() }
        if words.count > 1, let last = words.last, last.lowercased() == "portfolio" { words.removeLast() }
        guard let firstWord = words.first, !PortfolioExtractor.notSubjects.contains(firstWord.lowercased()) else { return nil }
        var title = ""
        for w in words {
            if w == "," { title += ","; continue }
            title += title.isEmpty ? String(w) : " " + w
        }
        if Words.isUpperCase(title) && title.count > 3 { title = Words.titleCased(title) }
        let key = NameKey.normalize(title)
        guard !key.isEmpty, !PortfolioExtractor.notPortfolios.contains(key), key.count >= 3 else { return nil }
        return (title, i)
    }

    static let honorifics: Set<String> = ["councillor", "cllr", "mr", "mrs", "ms", "miss", "dr", "professor", "sir", "dame", "lord", "lady"]

    /// Words that begin another role, ending the title before them.
    static let roleWords: Set<String> = ["cabinet", "leader", "deputy", "chairman", "chair", "vice", "councillor", "cllr", "mayor", "director", "portfolio",
                                         "executive", "lead", "member"]

    /// Officers' titles: "and Lynda McMullan, Director of Finance" ends a
    /// portfolio's title before the officer's name.
    static let officerWords: Set<String> = ["director", "head", "chief", "corporate", "interim", "officer", "manager", "strategic",
                                            "executive", "assistant", "service", "monitoring", "section"]

    /// "Housing and Planning Portfolio Holder": the capitalised words before.
    func titleBefore(_ tokens: [Token], _ lowers: [String], before end: Int) -> String? {
        var start = end
        while start > 0 {
            let t = tokens[start - 1].text
            let lower = lowers[start - 1]
            if t.first?.isUppercase == true && !["Deputy", "The", "Council", "Councillor", "Cllr"].contains(String(t)) || lower == "and" || t == "&" || t == "," {
                start -= 1
            } else {
                break
            }
            if end - start > 12 { break }
        }
        while start < end, ["and", "&", ","].contains(lowers[start]) { start += 1 }
        guard start < end else { return nil }
        var title = ""
        for t in tokens[start..<end] {
            if t.text == "," { title += ","; continue }
            title += title.isEmpty ? String(t.text) : " " + t.text
        }
        let key = NameKey.normalize(title)
        guard !key.isEmpty, !PortfolioExtractor.notPortfolios.contains(key) else { return nil }
        return title
    }
}

#if canImport(Foundation)
import Foundation
#endif
