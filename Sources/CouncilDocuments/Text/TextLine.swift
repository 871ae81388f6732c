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
                result.append(clean(piece, number: number))
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
        return TextLine(number: number, text: text, headingLevel: level, isBold: bold && !text.isEmpty, cells: cells)
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
