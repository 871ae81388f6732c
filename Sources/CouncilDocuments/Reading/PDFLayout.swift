/// pdftotext's `-layout` output made into the text the segmenter reads.
///
/// Layout mode, not pdftotext's default reading-order mode: reading order
/// breaks what the segmenter needs most. It puts an agenda line's number,
/// title and page reference ("5." … "Title" … "(Pages 7 - 16)") in separate
/// blocks when they are far apart, and reads a table column by column, so
/// a row's cells never meet. Layout mode keeps every printed line whole, at
/// its place on the page; what it does not do — take two columns of prose
/// one after the other — is done here (`unweaveColumns`).
///
/// Steps: split pages at form feeds; remove page furniture (page numbers,
/// running headers and footers, blank-page notices); unweave two-column
/// pages; make wide gaps table-cell tabs; join the pages.
enum PDFLayout {
    static func text(fromLayout layout: String) -> String {
        var pages = layout.split(separator: "\u{0C}", omittingEmptySubsequences: false).map { page in
            page.split(separator: "\n", omittingEmptySubsequences: false).map { PDFLayout.trimTrailing(Substring($0)) }
        }
        // pdftotext ends every page with a form feed: nothing follows the last.
        if pages.count > 1, let last = pages.last, last.allSatisfy(\.isEmpty) { pages.removeLast() }
        PageFurniture.remove(from: &pages)
        let lines = pages.map { page in unweaveColumns(page).map(cells) }
        return join(lines)
    }

    // MARK: - Columns

    /// Gaps of this many spaces or more separate table cells and columns.
    static let cellGap = 3

    /// A page's lines with two columns of prose, printed side by side, put
    /// one after the other: the left column, then the right. Lines that
    /// cross the gutter (a heading over both columns) stay where they are,
    /// between the column blocks above and below them.
    ///
    /// A page has two columns when one position starts the second run of
    /// text on several lines, and text starts there on at least 5 lines
    /// and 40% of the lines from the first such line to the last, and both
    /// sides read as prose: several words a side, one run of text a side,
    /// the left side filling its column. Tables fail that test — short
    /// cells, several of them — and so do agenda lines ("5." then a title),
    /// which keeps their rows whole.
    static func unweaveColumns(_ lines: [String]) -> [String] {
        let rows = lines.map { Array($0) }
        let runs = rows.map { segments($0, gap: cellGap) }
        // Where second runs of text start, by votes of the lines.
        var votes: [Int: Int] = [:]
        for r in runs {
            for run in r.dropFirst() { votes[run.start, default: 0] += 1 }
        }
        var best: (position: Int, support: Int)? = nil
        for position in votes.keys.sorted() {
            let support = (votes[position - 1] ?? 0) + (votes[position] ?? 0) + (votes[position + 1] ?? 0)
            if best == nil || support > best!.support { best = (position, support) }
        }
        guard let position = best?.position else { return lines }

        // The lines with text in the right column (two-sided, or right
        // only), and whether both sides read as prose.
        var rightLines = 0, twoSided = 0, leftWords = 0, rightWords = 0, leftRuns = 0, rightRuns = 0
        var fill = 0.0
        var split = Int.max
        var firstRow = Int.max, lastRow = -1
        for (index, (row, r)) in zip(rows, runs).enumerated() {
            guard let k = r.indices.first(where: { abs(r[$0].start - position) <= 1 }) else { continue }
            rightLines += 1
            firstRow = min(firstRow, index)
            lastRow = index
            split = min(split, r[k].start)
            rightWords += words(row, from: r[k].start, to: r[r.count - 1].end)
            rightRuns += r.count - k
            guard k > 0 else { continue }
            twoSided += 1
            leftWords += words(row, from: r[0].start, to: r[k - 1].end)
            leftRuns += k
            fill += Double(r[k - 1].end) / Double(r[k].start)
        }
        guard twoSided >= 3, rightLines >= 5 else { return lines }
        let band = runs[firstRow...lastRow].filter { !$0.isEmpty }.count
        let sides = Double(twoSided), rights = Double(rightLines)
        guard rightLines * 5 >= band * 2, Double(leftWords) / sides >= 4, Double(rightWords) / rights >= 4,
              Double(leftRuns) / sides <= 1.5, Double(rightRuns) / rights <= 1.5, fill / sides >= 0.6 else { return lines }

        // Unweave: runs of lines that keep to their column are split at the
        // gutter; a line across it ends the band.
        let boundary = split - 1
        var out: [String] = []
        var left: [String] = []
        var right: [String] = []
        func flush() {
            guard !left.isEmpty || !right.isEmpty else { return }
            out += columnLines(left, beside: right)
            out.append("")
            out += columnLines(right, beside: left)
            left = []
            right = []
        }
        for row in rows {
            let crosses = segments(row, gap: 2).contains { $0.start < boundary && $0.end > boundary }
            if crosses {
                flush()
                out.append(String(row))
            } else {
                left.append(trimTrailing(Substring(String(row.prefix(boundary)))))
                right.append(row.count > boundary ? trimTrailing(Substring(String(row[boundary...]))) : "")
            }
        }
        flush()
        return out
    }

    /// One column's lines of a band. A row empty on both sides is a
    /// paragraph break. A row empty on this side only is one too when the
    /// columns keep to the same rows; when their lines interleave (the
    /// columns' line spacing differs, so many rows have text on one side
    /// only), it takes two such rows in a row to make a break.
    static func columnLines(_ side: [String], beside other: [String]) -> [String] {
        let empty = side.map { $0.allSatisfy(\.isWhitespace) }
        let otherEmpty = other.map { $0.allSatisfy(\.isWhitespace) }
        let nonBlank = zip(empty, otherEmpty).filter { !($0 && $1) }.count
        let oneSided = zip(empty, otherEmpty).filter { $0 != $1 }.count
        let interleaved = oneSided * 4 >= nonBlank
        var result: [String] = []
        for i in side.indices {
            if !empty[i] {
                result.append(side[i])
            } else if otherEmpty[i] || !interleaved {
                result.append("")
            } else if (i > 0 && empty[i - 1]) || (i + 1 < side.count && empty[i + 1]) {
                result.append("")
            }
        }
        return result
    }

    /// Runs of text in a line separated by `gap` or more spaces, as
    /// [start, end) character positions.
    static func segments(_ row: [Character], gap: Int) -> [(start: Int, end: Int)] {
        var result: [(start: Int, end: Int)] = []
        var start: Int? = nil
        var end = 0
        var spaces = 0
        for (i, c) in row.enumerated() {
            if c == " " {
                spaces += 1
                if spaces >= gap, let s = start {
                    result.append((s, end))
                    start = nil
                }
            } else {
                if start == nil { start = i }
                spaces = 0
                end = i + 1
            }
        }
        if let s = start { result.append((s, end)) }
        return result
    }

    static func words(_ row: [Character], from start: Int, to end: Int) -> Int {
        String(row[start..<end]).split(separator: " ").count
    }

    // MARK: - Cells and pages

    /// A line with wide gaps as tab-separated cells (`TableCells.join`
    /// keeps "5." and "(Pages 7 - 16)" with their title); indentation goes.
    static func cells(_ line: String) -> String {
        let row = Array(line)
        let runs = segments(row, gap: cellGap)
        if runs.count <= 1 { return runs.first.map { String(row[$0.start..<$0.end]) } ?? "" }
        return TableCells.join(runs.map { String(row[$0.start..<$0.end]) })
    }

    /// The pages as one text: blank lines collapsed; pages separated by a
    /// blank line, unless a sentence runs on from one page to the next.
    static func join(_ pages: [[String]]) -> String {
        var out: [String] = []
        for page in pages {
            var lines: [String] = []
            for line in page {
                if line.isEmpty && (lines.isEmpty || lines.last!.isEmpty) { continue }
                lines.append(line)
            }
            while lines.last?.isEmpty == true { lines.removeLast() }
            guard let first = lines.first else { continue }
            if let last = out.last {
                let runsOn = last.last.map { $0.isLetter || $0 == "," } == true && first.first?.isLowercase == true
                if !runsOn { out.append("") }
            }
            out += lines
        }
        return out.isEmpty ? "" : out.joined(separator: "\n") + "\n"
    }

    static func trimTrailing(_ s: Substring) -> String {
        var s = s
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}

// MARK: - Page furniture

/// Page numbers, running headers and footers, and blank-page notices.
///
/// Only the top and bottom of a page (its first and last three non-blank
/// lines) are looked at, except for the blank-page notice:
///
/// - A standalone page number ("12", "Page 3", "Page 3 of 20", "3 of 20",
///   "- 4 -", "iv") goes. A bare number goes only when numbers in the same
///   place follow the pages (page index + a constant offset, on two pages
///   or more): a bare "117" at the top of one page may be a minute number.
/// - A running header or footer is a line that repeats, in the same zone,
///   on at least 3 pages (2 in papers of up to 4 pages), and on at least
///   half the pages from its first appearance to its last — dense, as
///   furniture is; a report heading that opens each of five papers in a
///   100-page pack is not. Lines compare without case, spacing and digits,
///   so "Cabinet – 26 May 2015 – Page 7" repeats; lines that differ only in
///   their numbers must differ as page numbers do, and then two pages are
///   enough ("Chapter 3: Utilities 6", "… 7").
/// - Footers go everywhere. A header stays on the first page of each run
///   of pages that carry it: there it reads as the paper's heading (often
///   naming the committee and date, evidence for the metadata), and it
///   marks where a paper starts within a pack.
/// - "This page is intentionally left blank" goes wherever it is.
enum PageFurniture {
    static let zone = 3

    struct ZoneLine {
        let page: Int
        let line: Int
        let top: Bool
        /// Trimmed, white space collapsed.
        let text: String
    }

    static func remove(from pages: inout [[String]]) {
        var removed: [Set<Int>] = pages.map { _ in [] }
        var zoneLines: [ZoneLine] = []
        for (p, page) in pages.enumerated() {
            let nonBlank = page.indices.filter { !page[$0].allSatisfy(\.isWhitespace) }
            let topCount = min(zone, (nonBlank.count + 1) / 2)
            let bottomCount = min(zone, nonBlank.count / 2)
            for i in nonBlank.prefix(topCount) { zoneLines.append(ZoneLine(page: p, line: i, top: true, text: collapse(page[i]))) }
            for i in nonBlank.suffix(bottomCount) { zoneLines.append(ZoneLine(page: p, line: i, top: false, text: collapse(page[i]))) }
            for i in nonBlank where isBlankPageNotice(collapse(page[i])) { removed[p].insert(i) }
        }

        // Page numbers.
        var bare: [(ZoneLine, Int)] = []
        for z in zoneLines {
            if isPageNumber(z.text) {
                removed[z.page].insert(z.line)
            } else if z.text.count <= 4, z.text.allSatisfy(\.isASCIIDigit), let n = Int(z.text) {
                bare.append((z, n))
            }
        }
        var offsets: [Int: Set<Int>] = [:]
        for (z, n) in bare { offsets[n - z.page, default: []].insert(z.page) }
        for (z, n) in bare where (offsets[n - z.page]?.count ?? 0) >= 2 { removed[z.page].insert(z.line) }

        // Running headers and footers.
        let threshold = pages.count <= 4 ? 2 : 3
        var groups: [String: [ZoneLine]] = [:]
        for z in zoneLines where !removed[z.page].contains(z.line) && !z.text.isEmpty {
            groups[(z.top ? "t|" : "b|") + mask(z.text), default: []].append(z)
        }
        for occurrences in groups.values {
            let pagesWith = Array(Set(occurrences.map(\.page))).sorted()
            guard pagesWith.count >= 2, pagesWith.count * 2 >= pagesWith.last! - pagesWith.first! + 1 else { continue }
            if Set(occurrences.map(\.text)).count > 1 {
                // Lines that differ as page numbers do are furniture from
                // their second page on.
                guard numbersFollowPages(occurrences) else { continue }
            } else if pagesWith.count < threshold {
                continue
            }
            var previousPage: Int? = nil
            for z in occurrences.sorted(by: { ($0.page, $0.line) < ($1.page, $1.line) }) {
                let startsRun = previousPage.map { z.page - $0 > 2 } ?? true
                previousPage = z.page
                if z.top && startsRun { continue }
                removed[z.page].insert(z.line)
            }
        }

        for p in pages.indices where !removed[p].isEmpty {
            for i in removed[p] { pages[p][i] = "" }
        }
    }

    /// "Page 3", "Page 3 of 20", "3 of 20", "- 4 -", "– 4 –", and the
    /// lower-case Roman numbers of front matter ("iv").
    static func isPageNumber(_ text: String) -> Bool {
        if text.count <= 6, !text.isEmpty, text.allSatisfy({ "ivxl".contains($0) }), DocxWriter.roman(romanValue(text)) == text {
            return true
        }
        let lower = text.lowercased()
        let dashes: Set<Character> = ["-", "–", "—"]
        if let first = lower.first, let last = lower.last, dashes.contains(first), dashes.contains(last), lower.count >= 3 {
            let inner = lower.dropFirst().dropLast().trimmingSpaces()
            return !inner.isEmpty && inner.count <= 4 && inner.allSatisfy(\.isASCIIDigit)
        }
        var words = lower.split(separator: " ")
        if words.first == "page" { words.removeFirst() }
        func isNumber(_ w: Substring) -> Bool { !w.isEmpty && w.count <= 4 && w.allSatisfy(\.isASCIIDigit) }
        switch words.count {
        case 1: return lower.hasPrefix("page") && isNumber(words[0])
        case 3: return isNumber(words[0]) && (words[1] == "of" || words[1] == "/") && isNumber(words[2])
        default: return false
        }
    }

    /// The value of a lower-case Roman number, or 0.
    static func romanValue(_ text: String) -> Int {
        let values: [Character: Int] = ["i": 1, "v": 5, "x": 10, "l": 50]
        var total = 0
        let digits = text.compactMap { values[$0] }
        guard digits.count == text.count else { return 0 }
        for (index, value) in digits.enumerated() {
            total += index + 1 < digits.count && digits[index + 1] > value ? -value : value
        }
        return total
    }

    static func isBlankPageNotice(_ text: String) -> Bool {
        text.count <= 60 && text.lowercased().contains("intentionally left blank")
    }

    /// Lower case, digits runs as "#".
    static func mask(_ text: String) -> String {
        var out = ""
        var inDigits = false
        for c in text.lowercased() {
            if c.isASCIIDigit {
                if !inDigits { out.append("#") }
                inDigits = true
            } else {
                out.append(c)
                inDigits = false
            }
        }
        return out
    }

    /// Whether, among lines that differ only in their numbers, one of the
    /// numbers is the page number: page index + the same offset on each.
    static func numbersFollowPages(_ occurrences: [ZoneLine]) -> Bool {
        let numbers = occurrences.map { numbersIn($0.text) }
        guard let count = numbers.first?.count, count > 0, numbers.allSatisfy({ $0.count == count }) else { return false }
        for position in 0..<count {
            let offsets = Set(zip(occurrences, numbers).map { $1[position] - $0.page })
            if offsets.count == 1 { return true }
        }
        return false
    }

    static func numbersIn(_ text: String) -> [Int] {
        text.split(whereSeparator: { !$0.isASCIIDigit }).compactMap { Int($0.prefix(9)) }
    }

    static func collapse(_ line: String) -> String {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
