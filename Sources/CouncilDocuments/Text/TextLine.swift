import Foundation

/// One line of a council paper with the markup taken off and the features
/// that segmentation and extraction look at.
public struct TextLine: Sendable, Equatable {
    /// Zero-based line number in the source text (after splitting glued
    /// headings, several lines may share a number).
    public let number: Int
    /// The line without markup: no `#`, `**`, `<u>`, link syntax; white
    /// space collapsed.
    public let text: String
    /// Markdown heading level (1–6), or 0.
    public let headingLevel: Int
    /// The whole line was bold (`**...**`), or all of it after an item
    /// number ("5. **Title**").
    public let isBold: Bool
    /// The number of table cells when the line is a table row (cells
    /// separated by tabs or `|`), else 1.
    public let cells: Int

    public var isBlank: Bool { text.isEmpty }

    public init(number: Int, text: String, headingLevel: Int = 0, isBold: Bool = false, cells: Int = 1) {
        self.number = number
        self.text = text
        self.headingLevel = headingLevel
        self.isBold = isBold
        self.cells = cells
    }
}

/// Splitting text into `TextLine`s.
public enum TextLines {
    /// Split `text` into lines, strip Markdown and HTML-ish markup, and split
    /// headings that a converter glued onto the previous text
    /// ("Noted**Fostering Plan**", "**9 FEBRUARY 2017****REPORT OF ...**").
    public static func split(_ text: String) -> [TextLine] {
        var result: [TextLine] = []
        result.reserveCapacity(text.utf8.count / 40)
        var number = 0
        // Split on the newline byte (a "\r\n" is one Character, so a split
        // on Characters would not see it), then drop the "\r".
        for rawLine in text.utf8.split(separator: 10, omittingEmptySubsequences: false) {
            var line = Substring(rawLine)
            if line.utf8.last == 13 { line = Substring(line.utf8.dropLast()) }
            for piece in unglue(line) {
                let cleaned = clean(piece, number: number)
                if cleaned.text.utf8.count >= Reflow.minimumLength, cleaned.cells == 1, let pieces = Reflow.pieces(cleaned) {
                    result += pieces
                } else {
                    result.append(cleaned)
                }
            }
            number += 1
        }
        return result
    }

    /// Pieces of a line that holds glued bold headings.
    static func unglue(_ line: Substring) -> [Substring] {
        guard line.includes("**") else { return [line] }
        var pieces: [Substring] = []
        var rest = line
        // "8****th**": two bold runs within a word ("**Tuesday 8****th**
        // **May**"), joined.
        if rest.includes("****") {
            var joined = ""
            var remaining = rest
            while let range = remaining.range(of: "****") {
                let next = remaining[range.upperBound...].first
                joined += remaining[..<range.lowerBound]
                if let next, next.isLowercase { remaining = remaining[range.upperBound...] } else { joined += "****"; remaining = remaining[range.upperBound...] }
            }
            joined += remaining
            if joined.utf8.count != rest.utf8.count { rest = Substring(joined) }
        }
        // "**A****B**": split between the bold runs.
        while let range = rest.range(of: "****") {
            let left = rest[rest.startIndex..<rest.index(range.lowerBound, offsetBy: 2)]
            pieces.append(left)
            rest = rest[rest.index(range.lowerBound, offsetBy: 2)...]
        }
        // "Noted**Heading**": a bold run glued to a word before it.
        let trimmed = rest.trimmingTrailingSpaces()
        if trimmed.hasSuffix("**"), trimmed.count > 4 {
            let inner = trimmed.dropLast(2)
            if let open = inner.range(of: "**", options: .backwards) {
                let before = inner[inner.startIndex..<open.lowerBound]
                let heading = inner[open.upperBound...]
                if let last = before.last, !last.isWhitespace, last != "*",
                   !before.includes("**"), heading.count >= 3, heading.first?.isUppercase == true {
                    pieces.append(before)
                    pieces.append(trimmed[open.lowerBound...])
                    return pieces
                }
            }
        }
        pieces.append(rest)
        return pieces
    }

    /// Strip markup from one line.
    static func clean(_ raw: Substring, number: Int) -> TextLine {
        var s = raw.trimmingSpaces()
        var level = 0
        while s.first == "#" {
            level += 1
            s = s.dropFirst()
        }
        if level > 0 {
            if level > 6 || !(s.isEmpty || s.first == " ") {
                // "#TO BE ADDED#" and the like: not a heading.
                s = raw.trimmingSpaces()
                level = 0
            } else {
                s = s.trimmingSpaces()
            }
        }
        var bold = isWhollyBold(s)
        if !bold, let first = s.first, first.isNumber {
            // "5. **Title**": bold after the item number.
            let afterNumber = s.drop(while: { $0.isNumber || $0 == "." || $0 == ")" || $0 == "/" }).trimmingSpaces()
            bold = afterNumber.count < s.count && isWhollyBold(afterNumber)
        }
        var cells = 1
        if s.utf8.contains(9) {
            cells = s.split(separator: "\t", omittingEmptySubsequences: true).filter { !$0.trimmingSpaces().isEmpty }.count
        } else if s.hasPrefix("|") && s.dropFirst().contains("|") {
            cells = max(1, s.split(separator: "|", omittingEmptySubsequences: true).filter { !$0.trimmingSpaces().isEmpty }.count)
        }
        var text = String(s)
        if text.utf8.contains(where: { $0 == 42 || $0 == 95 }) { text = stripEmphasis(text) }
        if text.utf8.contains(60) { text = stripTags(text) }
        if text.includes("](") { text = stripLinks(text) }
        if text.utf8.contains(92) { text.removeAll { $0 == "\\" } }
        text = collapseSpaces(text)
        text = joinSpacedLetters(text)
        return TextLine(number: number, text: text, headingLevel: level, isBold: bold && !text.isEmpty, cells: cells)
    }

    /// A heading set in spaced letters, as PDFs give them ("A g e n d a",
    /// "M I N U T E S"), as its word: a line of four or more single letters.
    static func joinSpacedLetters(_ text: String) -> String {
        guard text.utf8.count >= 7, text.utf8.count <= 60, text.utf8.contains(32) else { return text }
        let pieces = text.split(separator: " ")
        guard pieces.count >= 4, pieces.allSatisfy({ $0.count == 1 && $0.first!.isLetter }) else { return text }
        return pieces.joined()
    }

    static func isWhollyBold(_ s: Substring) -> Bool {
        let t = s.trimmingSpaces()
        guard t.hasPrefix("**"), t.hasSuffix("**"), t.count > 4 else { return false }
        // No bold run closes before the end: "**A** and **B**" is not wholly bold.
        return !t.dropFirst(2).dropLast(2).includes("**")
    }

    /// Remove `**`, `__` and single `*` / `_` emphasis markers, keeping list
    /// bullets ("* item") and intra-word underscores.
    static func stripEmphasis(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "*" {
                // A bullet: "* " at the start.
                if out.allSatisfy(\.isWhitespace) && i + 1 < chars.count && chars[i + 1] == " " && (i + 2 >= chars.count || chars[i + 2] != "*") {
                    out.append("-")
                }
                i += 1
                continue
            }
            if c == "_" {
                let prevIsWord = i > 0 && (chars[i - 1].isLetter || chars[i - 1].isNumber)
                let nextIsWord = i + 1 < chars.count && (chars[i + 1].isLetter || chars[i + 1].isNumber)
                if prevIsWord && nextIsWord {
                    out.append(c)
                }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// Remove `<u>`, `</u>`, `<small>`, `<br>` and similar tags; keep
    /// `<http://...>` autolinks as their address.
    static func stripTags(_ s: String) -> String {
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "<", let close = s[i...].firstIndex(of: ">") {
                let inner = s[s.index(after: i)..<close]
                if inner.hasPrefix("http") || inner.contains("@") {
                    out += inner
                    i = s.index(after: close)
                    continue
                }
                let name = inner.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter })
                if !name.isEmpty && inner.count < 60 {
                    out += " "
                    i = s.index(after: close)
                    continue
                }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }

    /// `[text](url)` becomes `text`; `[text](mailto:a@b)` becomes `text`.
    static func stripLinks(_ s: String) -> String {
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "[", let closeBracket = s[i...].firstIndex(of: "]"),
               s.index(after: closeBracket) < s.endIndex, s[s.index(after: closeBracket)] == "(",
               let closeParen = s[closeBracket...].firstIndex(of: ")") {
                let label = s[s.index(after: i)..<closeBracket]
                let target = s[s.index(closeBracket, offsetBy: 2)..<closeParen]
                if label.isEmpty || label.hasPrefix("!") {
                    out += target
                } else {
                    out += label
                }
                i = s.index(after: closeParen)
                continue
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }

    /// Collapse runs of white space (tabs and non-breaking spaces too) into
    /// one space and trim.
    public static func collapseSpaces(_ s: String) -> String {
        if !needsCollapsing(s) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\u{00A0}" || scalar == "\u{2009}" || scalar == "\u{200B}" || scalar == "\u{FEFF}" || scalar == "\u{000B}" || scalar == "\u{000C}" {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.unicodeScalars.append(" ")
                pendingSpace = false
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

extension TextLines {
    /// Whether `collapseSpaces` would change `s`: a byte scan for runs of
    /// spaces, spaces at the ends, tabs and the Unicode spaces it folds.
    static func needsCollapsing(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { b in
            let n = b.count
            if n == 0 { return false }
            if b[0] == 32 || b[n - 1] == 32 { return true }
            var i = 0
            while i < n {
                switch b[i] {
                case 9, 11, 12: return true
                case 32: if i + 1 < n && b[i + 1] == 32 { return true }
                case 0xC2: if i + 1 < n && b[i + 1] == 0xA0 { return true }
                case 0xE2: if i + 2 < n && b[i + 1] == 0x80 && (b[i + 2] == 0x89 || b[i + 2] == 0x8B) { return true }
                case 0xEF: if i + 2 < n && b[i + 1] == 0xBB && b[i + 2] == 0xBF { return true }
                default: break
                }
                i += 1
            }
            return false
        }
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }

    func trimmingTrailingSpaces() -> Substring {
        var s = self
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}

extension String {
    /// The string without leading and trailing white space.
    public var trimmed: String { String(Substring(self).trimmingSpaces()) }
}

/// Minutes that a website or an export flattened into one paragraph
/// ("STOKE FERRY PARISH COUNCIL Draft ... Minutes of the Ordinary Meeting
/// held on ... Present: Cllr ... 204/20 Openness and Transparency Notice The
/// Chair read the notice. 205/20 ...") read again as the lines they were:
/// the heading in capitals, "Present:" and the like, each numbered item and
/// each sentence on a line of its own, all with the paragraph's line
/// number. Ordinary long paragraphs are left alone: only a paragraph with
/// the marks of a whole meeting's record in it (its capital heading,
/// "Present:", numbered items) is split.
enum Reflow {
    static let minimumLength = 600

    /// Words after which a full stop does not end a sentence.
    static let abbreviations: Set<String> = [
        "cllr", "cllrs", "mr", "mrs", "ms", "dr", "st", "no", "nos", "rev", "revd", "prof", "co", "ltd", "inc", "approx", "vs",
        "cf", "eg", "ie", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ref",
        "tel", "para", "paras", "fig", "vol", "pp", "p", "cttee", "dept", "est", "mt", "gov", "uk", "am", "pm", "a.m", "p.m",
    ]

    /// Marks that start a part of a meeting's record.
    static let sectionMarks = ["present:", "present -", "present –", "in attendance:", "also present:", "apologies:", "absent:",
                               "date:", "time:", "venue:", "place:"]

    static func pieces(_ line: TextLine) -> [TextLine]? {
        let words = line.text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 60 else { return nil }
        var cuts = Set<Int>()  // word indices that start a piece
        // The heading in capitals at the start: "STOKE FERRY PARISH COUNCIL".
        var capitals = 0
        while capitals < words.count, isCapitalWord(words[capitals]) { capitals += 1 }
        let hasHeading = capitals >= 2 && capitals < words.count && words.prefix(capitals).map(\.count).reduce(0, +) >= 8
        if hasHeading { cuts.insert(capitals) }
        // "Present:", "Apologies:" after the start.
        var sections = 0
        for index in words.indices.dropFirst() {
            let lower = words[index].lowercased()
            let pair = index + 1 < words.count ? lower + " " + words[index + 1].lowercased() : lower
            if sectionMarks.contains(where: { lower == $0 || pair == $0 || (lower + ":") == $0 && words[index].first?.isUppercase == true && isColonAfter(words, index) }) {
                cuts.insert(index)
                sections += 1
            }
        }
        // Numbered items: "204/20", "15/12/4", "Cou/285/07-08", or "5." after
        // a sentence's end, each followed by a capitalised word.
        var numbered = 0
        for index in words.indices where index + 1 < words.count {
            let w = words[index]
            guard words[index + 1].first?.isUppercase == true || words[index + 1].first?.isNumber == true else { continue }
            if isMinuteNumber(w) {
                cuts.insert(index)
                numbered += 1
            } else if w.count <= 4, w.hasSuffix("."), w.dropLast().allSatisfy(\.isNumber), !w.dropLast().isEmpty,
                      index > 0, endsSentence(words[index - 1]) {
                cuts.insert(index)
                numbered += 1
            }
        }
        guard hasHeading || sections > 0 || numbered >= 2 else { return nil }
        // Sentences.
        for index in words.indices.dropFirst() where endsSentence(words[index - 1]) {
            if let f = words[index].first, f.isUppercase || f.isNumber || f == "(" { cuts.insert(index) }
        }
        guard cuts.count >= 2 else { return nil }
        var result: [TextLine] = []
        var start = 0
        for cut in cuts.sorted() + [words.count] where cut > start {
            let text = words[start..<cut].joined(separator: " ")
            result.append(TextLine(number: line.number, text: text, headingLevel: 0, isBold: false, cells: 1))
            start = cut
        }
        return result
    }

    /// "STOKE", "PARISH", "COUNCIL", "&": a word of a heading in capitals.
    static func isCapitalWord(_ w: Substring) -> Bool {
        let letters = w.filter(\.isLetter)
        if letters.isEmpty { return w == "&" || w == "-" || w == "–" }
        return letters.allSatisfy(\.isUppercase) && !(letters.count == 1 && w.count == 1 && w != "A")
    }

    static func isColonAfter(_ words: [Substring], _ index: Int) -> Bool {
        index + 1 < words.count && words[index + 1].hasPrefix(":")
    }

    /// "204/20", "15/12/4", "Cou/285/07-08", "C048/23": a minute's number.
    static func isMinuteNumber(_ w: Substring) -> Bool {
        let parts = w.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.count <= 3, w.count <= 14 else { return false }
        let digits = parts.filter { !$0.isEmpty && $0.allSatisfy { $0.isNumber || $0 == "-" } && $0.first!.isNumber }
        // Not a date: "7/10/2020".
        if parts.count == 3, let last = parts.last, last.count == 4, last.allSatisfy(\.isNumber) { return false }
        guard digits.count >= 2 || parts.count == 3 && digits.count == 2 else { return false }
        return parts.allSatisfy { p in !p.isEmpty && p.count <= 5 && (p.allSatisfy { $0.isNumber || $0 == "-" } || p.allSatisfy(\.isLetter) || p.first!.isLetter && p.dropFirst().allSatisfy(\.isNumber)) }
    }

    /// Whether a word ends a sentence: a full stop (not of an abbreviation
    /// or an initial), "?" or "!", maybe inside a closing bracket or quote.
    static func endsSentence(_ w: Substring) -> Bool {
        var t = w
        while let last = t.last, ")”\"’'".contains(last) { t = t.dropLast() }
        guard let last = t.last, ".?!".contains(last) else { return false }
        if last != "." { return true }
        let body = t.dropLast().trimmingCharacters(in: CharacterSet(charactersIn: "(“\"‘'"))
        if body.isEmpty { return false }
        if body.count == 1, body.first!.isLetter { return false }  // "P. Morgan"
        if abbreviations.contains(body.lowercased()) { return false }
        if body.contains("."), body.count <= 6 { return false }  // "e.g", "a.m"
        return true
    }
}
