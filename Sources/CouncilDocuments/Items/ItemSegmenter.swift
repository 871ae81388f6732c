/// Splits a council paper into its items: agenda items, minutes, decisions.
///
/// Two strategies, tried in order:
///
/// 1. **Numbered items.** Item numbers are found wherever papers put them:
///    "12. Help to Live at Home (Pages 79 - 94)" (agenda lists), "1798." on
///    its own line above the title (ModernGov pages), "117 The Cabinet
///    considered ..." under a heading (minutes), "46/17 APOLOGIES ...". The
///    longest run of consecutive numbers is the item sequence; numbered
///    paragraphs inside items do not form such a run because they restart
///    or lack headings.
/// 2. **Headings.** Without a numbered sequence, headings (Markdown, bold,
///    capitals) that are followed by text start items, as in decision
///    summaries.
///
/// What precedes the first item is front matter. In agenda packs, the
/// papers after the agenda list (reports, earlier minutes, guidance notes)
/// are matched to the agenda item they belong to by their titles and added
/// to it; what matches no item goes with the front matter.
public struct ItemSegmenter: Sendable {
    public init() {}

    /// A part of the paper: lines [start, end) with the title and number.
    struct Span {
        var start: Int       // first line of the item (its title line)
        var bodyStart: Int   // first line of its text
        var end: Int         // one past the last line
        var number: String?
        var agendaNumber: String?
        var title: String
        var extraText: [String] = []  // attachments added to the item
    }

    /// A numbered line that may start an item.
    struct Candidate {
        let line: Int
        let number: Int
        let label: String        // "12", "46/17", "1798"
        let title: String        // the title to use
        let start: Int           // first line of the item
        let bodyStart: Int
        let agendaNumber: String?
    }

    /// Split `lines` (of a paper whose metadata is `metadata`) into items.
    /// The first item returned is the front matter (ordinal 0) when there
    /// is any text before the first item.
    public func segment(_ lines: [TextLine], metadata: MeetingMetadata) -> [Item] {
        let view = LineView(lines)
        let breaks = hardBreaks(view, committee: metadata.committee.value)
        var spans: [Span]
        if let numbered = numberedSpans(view, breaks: breaks, kind: metadata.kind.value) {
            spans = numbered
        } else {
            spans = headingSpans(view)
        }
        var frontLines: [Int] = []
        if spans.isEmpty {
            // No structure: the whole paper is one item.
            let all = Span(start: 0, bodyStart: 0, end: lines.count, number: nil, title: "")
            spans = [all]
        }
        // Front matter: before the first item.
        frontLines += Array(0..<spans[0].start)
        // After the last item: attachments in agenda packs.
        let tailStart = spans[spans.count - 1].end
        if tailStart < lines.count {
            let attachments = splitAttachments(view, from: tailStart, breaks: breaks)
            for attachment in attachments {
                if let target = matchAttachment(attachment, to: spans, view: view) {
                    spans[target].extraText.append(text(view, attachment.lines))
                } else {
                    frontLines += attachment.lines
                }
            }
        }
        var items: [Item] = []
        let frontText = text(view, frontLines)
        if !frontText.isEmpty {
            items.append(Item(ordinal: 0, title: "", text: frontText, isFrontMatter: true, line: 1))
        }
        for (index, span) in spans.enumerated() {
            // A body never runs backwards, whatever the spans found; the next
            // item may start on this one's number line ("Title" above "12"
            // above "Next title"): then this item has no text of its own.
            var body = text(view, Array(span.bodyStart..<max(span.bodyStart, min(span.end, lines.count))))
            for extra in span.extraText where !extra.isEmpty {
                body += (body.isEmpty ? "" : "\n\n") + extra
            }
            var title = span.title
            if let number = span.number, !title.isEmpty { title = "\(number). \(title)" }
            items.append(Item(ordinal: index + 1, number: span.number, agendaNumber: span.agendaNumber,
                              title: title, text: body, line: (lines.indices.contains(span.start) ? lines[span.start].number : 0) + 1))
        }
        return items
    }

    /// The text of `indices`, paragraphs separated by one blank line.
    func text(_ view: LineView, _ indices: [Int]) -> String {
        var out = ""
        var pendingBreak = false
        for i in indices {
            let line = view.lines[i]
            if line.isBlank || ItemSegmenter.isNoise(line.text) {
                pendingBreak = !out.isEmpty
                continue
            }
            if !out.isEmpty { out += pendingBreak ? "\n\n" : "\n" }
            pendingBreak = false
            out += line.text
        }
        return out
    }

    /// Lines that carry nothing: page furniture and separators.
    static func isNoise(_ text: String) -> Bool {
        if text == "---" || text == "***" || text == "___" || text.allSatisfy({ $0 == "-" || $0 == "_" || $0 == "=" || $0 == "*" }) && text.count >= 3 { return true }
        let lower = text.lowercased()
        if lower == "this page is intentionally left blank" || lower == "page intentionally left blank" { return true }
        if lower.hasPrefix("page ") && lower.dropFirst(5).allSatisfy({ $0.isNumber || $0 == " " || $0 == "o" || $0 == "f" }) { return true }
        return false
    }
}

// MARK: - Line classification

extension ItemSegmenter {
    /// Headings that are steps within an item, not items.
    static let proceduralTitles: Set<String> = [
        "noted", "resolved", "resolution", "resolutions", "agreed", "approved", "decision", "decisions", "decision made",
        "reason for decision", "reasons for decision", "reason for decisions", "reasons for decisions", "reasons for the decision",
        "recommendation", "recommendations", "recommended", "present", "apologies", "members attending", "officers attending",
        "in attendance", "also present", "additional documents", "media", "carried", "lost", "motion",
        "amendment", "options considered", "alternative options considered", "background", "introduction",
        "summary", "purpose", "purpose of report", "the cabinet is recommended to", "declarations", "noted and agreed",
        "action", "actions", "outcome", "comments", "discussion", "response", "documents", "attachments", "appendices",
    ]

    /// Headings of document structure, never item titles.
    static let structuralTitles: Set<String> = [
        "agenda", "items", "item", "no item", "business", "order of business", "contents", "agenda items", "part i", "part ii",
        "part 1", "part 2", "part a", "part b", "public items", "exempt items", "open session", "closed session",
    ]

    /// Back-matter headings: contact details, background papers, guidance.
    static let backMatterTitles: Set<String> = [
        "contact points", "contact point", "contact officer", "contact officers", "contact details", "contact",
        "background papers", "further information", "specific contact points for this report",
        "county council contact points", "list of disclosable pecuniary interests", "guidance note",
        "notes", "membership", "councillors", "distribution", "circulation",
    ]

    /// A leading item number: "12.", "12", "116a", "46/17", "- 113", "Item 5",
    /// "Agenda Item 5:". Returns the number, its label and the rest.
    static func leadingNumber(_ text: String) -> (number: Int, label: String, letter: Bool, rest: Substring)? {
        var s = Substring(text)
        if s.hasPrefix("- ") || s.hasPrefix("• ") || s.hasPrefix("· ") { s = s.dropFirst(2) }
        let lower = s.lowercased()
        if lower.hasPrefix("agenda item ") { s = s.dropFirst(12) } else if lower.hasPrefix("item ") { s = s.dropFirst(5) }
        let digits = s.prefix(while: \.isNumber)
        guard !digits.isEmpty, digits.count <= 4, let n = Int(digits), n > 0 else { return nil }
        var rest = s.dropFirst(digits.count)
        var label = String(digits)
        var letter = false
        if let c = rest.first, c.isLowercase, c.isLetter, rest.dropFirst().first.map({ !$0.isLetter }) ?? true {
            label.append(c)
            letter = true
            rest = rest.dropFirst()
        }
        if rest.first == "/" {
            let year = rest.dropFirst().prefix(while: \.isNumber)
            guard year.count == 2 || year.count == 4 else { return nil }
            label += "/" + year
            rest = rest.dropFirst(1 + year.count)
        }
        if rest.first == "." || rest.first == ")" || rest.first == ":" {
            // "10.10" is a time, "2.5" a paragraph number: not item numbers.
            if let next = rest.dropFirst().first, next.isNumber { return nil }
            rest = rest.dropFirst()
        }
        if let first = rest.first, !first.isWhitespace { return nil }
        rest = rest.trimmingSpaces()
        // "2017 was a good year": a year, not an item.
        if digits.count == 4 && (1900...2100).contains(n) && !rest.isEmpty && !label.contains("/") && !text.contains(".") { return nil }
        if rest.hasPrefix("%") || rest.lowercased().hasPrefix("am") || rest.lowercased().hasPrefix("pm") { return nil }
        return (n, label, letter, rest)
    }

    /// The items most meetings open with, written in sentence case after
    /// their number ("16 Apologies", "17 Minutes of the previous meeting",
    /// "18 Declarations of interest").
    static let standingItems: [String] = [
        "apologies", "minutes", "declarations of interest", "declaration of interest", "declarations of interests",
        "disclosures of interest", "public participation", "public questions", "questions from", "petitions",
        "chairman's announcements", "chair's announcements", "announcements", "urgent business", "urgent items",
        "exclusion of the public", "exclusion of press and public", "exempt information", "matters arising",
        "date of next meeting", "forward plan", "work programme",
    ]

    /// Verbs that open an agenda item's wording after "To".
    static let agendaVerbs: Set<String> = [
        "receive", "confirm", "approve", "consider", "note", "agree", "elect", "appoint", "discuss", "resolve", "adopt", "sign",
        "review", "accept", "authorise", "authorize", "ratify", "determine", "endorse", "welcome", "declare", "record",
        "report", "answer", "hear", "co-opt", "nominate", "set", "fix", "close", "exclude",
    ]

    static func isStandingItemTitle(_ text: String) -> Bool {
        let lower = text.lowercased().trimmed
        guard text.count <= 70, !lower.hasSuffix("."), !lower.hasSuffix(":"), let first = text.first, first.isUppercase else { return false }
        return standingItems.contains { lower.hasPrefix($0) }
    }

    /// Whether `text` reads as a title: short, capitalised, not a sentence.
    static func isTitleLike(_ text: String, line: TextLine? = nil) -> Bool {
        let count = text.count
        guard count >= 2, count <= 240 else { return false }
        guard let first = text.first, first.isUppercase || first.isNumber || first == "'" || first == "‘" || first == "\"" || first == "“" else { return false }
        if text.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" || $0 == " " }) { return false }
        let stripped = cleanTitle(text).title
        guard !stripped.isEmpty else { return false }
        if let last = stripped.last, ",;".contains(last) { return false }
        if stripped.hasSuffix(":") { return false }
        let words = Words.split(stripped)
        guard !words.isEmpty, words.count <= 36 else { return false }
        // Table rows are not titles: several cells, or several figures.
        if let line, line.cells >= 3 { return false }
        var figures = 0
        for w in stripped.split(separator: " ") where w.count >= 3 && w.allSatisfy({ $0.isNumber || $0 == "," || $0 == "." || $0 == "%" || $0 == "£" }) && w.contains(where: \.isNumber) {
            if w.count == 4, let year = Int(w), (1900...2100).contains(year) { continue }
            figures += 1
        }
        if figures >= 2 { return false }
        if stripped.contains("#") { return false }
        // Agenda items as councils word them: "To receive any apologies", "To
        // confirm the minutes of the meeting held on 13 January 2020".
        if words.count <= 24, words.count >= 2, words[0] == "To", agendaVerbs.contains(words[1].lowercased()) { return true }
        if stripped.hasSuffix(".") && !(line?.isBold ?? false) {
            // A sentence, unless it is a short capitalised phrase ("Petitions.").
            if words.count > 6 || Words.capitalisedShare(stripped) < 0.99 { return false }
        }
        if line?.isBold == true || (line?.headingLevel ?? 0) > 0 || Words.isUpperCase(stripped) { return true }
        return Words.capitalisedShare(stripped) >= 0.5
    }

    /// A title without page references and file decorations; the agenda
    /// item number if the title carried one.
    static func cleanTitle(_ raw: String) -> (title: String, agendaNumber: String?) {
        var title = raw
        var agendaNumber: String? = nil
        // ModernGov: "Title (Agenda Item 4) pdf icon PDF 159 KB"
        if let r = title.range(of: " pdf icon", options: .caseInsensitive) { title = String(title[..<r.lowerBound]) }
        if let r = title.range(of: " PDF ", options: []), title[r.upperBound...].hasSuffix("KB") || title[r.upperBound...].hasSuffix("MB") {
            title = String(title[..<r.lowerBound])
        }
        for _ in 0..<3 {
            let t = title.trimmed
            guard t.hasSuffix(")"), let open = t.range(of: "(", options: .backwards) else { break }
            let inner = t[open.upperBound..<t.index(before: t.endIndex)].lowercased()
            if inner.hasPrefix("agenda item") {
                agendaNumber = String(inner.dropFirst(11).trimmingCharacters(in: .whitespaces))
                title = String(t[..<open.lowerBound])
            } else if inner.hasPrefix("pages") || inner.hasPrefix("page ") || inner.hasPrefix("pp") {
                title = String(t[..<open.lowerBound])
            } else {
                break
            }
        }
        title = title.trimmed
        // An agenda list's page column: "Minutes Page 5", "Report Pages 9 - 18".
        let words = title.split(separator: " ")
        if words.count >= 3 {
            var k = words.count - 1
            while k > 0, words[k].allSatisfy({ $0.isNumber || $0 == "-" || $0 == "–" }) { k -= 1 }
            if k < words.count - 1, k >= 1, ["page", "pages", "pp", "pp."].contains(words[k].lowercased()) {
                title = words[..<k].joined(separator: " ")
            }
        }
        while let last = title.last, last == "-" || last == "–" || last == ":" { title = String(title.dropLast()).trimmed }
        if Words.isUpperCase(title) && title.count > 4 { title = Words.titleCased(title) }
        return (title, agendaNumber)
    }

    static func titleKey(_ text: String) -> String {
        NameKey.normalize(cleanTitle(text).title)
    }

    static func isProcedural(_ text: String) -> Bool {
        let key = titleKey(text)
        return proceduralTitles.contains(key) || key.hasPrefix("resolved") || key.hasPrefix("reason for decision") || key.hasPrefix("reasons for decision")
    }

    static func isStructural(_ text: String) -> Bool {
        structuralTitles.contains(titleKey(text)) || titleKey(text).hasPrefix("agenda and minutes") || titleKey(text).hasPrefix("agendas meetings and minutes")
    }

    /// Item details that follow an agenda title: not a new heading.
    static func isItemDetail(_ text: String) -> Bool {
        let lower = text.lowercased()
        for prefix in ["cabinet member", "report by", "report of", "report from", "contact officer", "contact:", "forward plan",
                       "lead member", "portfolio holder", "portfolio:", "lead officer", "responsible officer", "executive member",
                       "decision maker", "key decision", "wards affected", "ward(s)", "division(s)", "(pages", "presented by",
                       "officer:", "time:", "lead cabinet member"] where lower.hasPrefix(prefix) {
            return true
        }
        return false
    }
}

// MARK: - Numbered items

extension ItemSegmenter {
    func candidates(_ view: LineView) -> [Candidate] {
        var result: [Candidate] = []
        for i in view.nonBlank {
            let line = view.lines[i]
            guard let (number, label, letter, rest) = ItemSegmenter.leadingNumber(line.text), !letter else { continue }
            let previous = view.previousNonBlank(i)
            let previousTitle: String? = previous.flatMap { p in
                let text = view.lines[p].text
                guard ItemSegmenter.leadingNumber(text) == nil, ItemSegmenter.isTitleLike(text, line: view.lines[p]),
                      !ItemSegmenter.isProcedural(text), !ItemSegmenter.isStructural(text), !ItemSegmenter.isItemDetail(text),
                      DateFinder.find(in: text).isEmpty || text.count > 40 else { return nil }
                return text
            }
            if rest.isEmpty {
                // "1798." alone: the title is on the next line.
                guard let next = view.nextNonBlank(i), next - i <= 3 else { continue }
                let text = view.lines[next].text
                guard ItemSegmenter.leadingNumber(text) == nil, ItemSegmenter.isTitleLike(text, line: view.lines[next]) else { continue }
                let cleaned = ItemSegmenter.cleanTitle(text)
                result.append(Candidate(line: i, number: number, label: label, title: cleaned.title, start: i,
                                        bodyStart: next + 1, agendaNumber: cleaned.agendaNumber))
                continue
            }
            let restText = String(rest)
            // "9 FEBRUARY 2017" is a date, not item 9.
            if let firstWord = Words.split(restText).first, Months.number(firstWord) != nil { continue }
            let restIsTitle = (ItemSegmenter.isTitleLike(restText, line: line) || ItemSegmenter.isStandingItemTitle(restText))
                && (!ItemSegmenter.isProcedural(restText) || ItemSegmenter.isStandingItemTitle(restText))
            let previousIsMarked = previous.map { view.isHeading($0) } ?? false
            if let previousTitle, let p = previous, !restIsTitle || previousIsMarked {
                // "Heading" above "117 The Cabinet considered ..." (or above
                // "114 Public Speaking"): the heading is the title.
                let cleaned = ItemSegmenter.cleanTitle(previousTitle)
                result.append(Candidate(line: i, number: number, label: label, title: cleaned.title, start: p,
                                        bodyStart: i, agendaNumber: cleaned.agendaNumber))
            } else if restIsTitle {
                let cleaned = ItemSegmenter.cleanTitle(restText)
                result.append(Candidate(line: i, number: number, label: label, title: cleaned.title, start: i,
                                        bodyStart: i + 1, agendaNumber: cleaned.agendaNumber))
            }
        }
        return result
    }

    /// The item spans of the longest run of consecutive item numbers, or
    /// nil when there is no such run.
    func numberedSpans(_ view: LineView, breaks: [Int], kind: DocumentKind?) -> [Span]? {
        let cands = candidates(view)
        guard cands.count >= 2 else { return nil }
        // Longest chain where each number follows the previous one (a gap of
        // one number is tolerated at a cost), never across a hard break.
        // A sequence that starts near the top of the paper is more likely
        // the paper's own than one inside an appendix.
        var score = cands.map { view.rank[$0.line] < view.topLimit ? 2.5 : 1.0 }
        var length = [Int](repeating: 1, count: cands.count)
        var back = [Int](repeating: -1, count: cands.count)
        for i in cands.indices {
            for j in stride(from: i - 1, through: 0, by: -1) {
                let step = cands[i].number - cands[j].number
                guard step == 1 || step == 2 else { continue }
                guard cands[i].line > cands[j].line else { continue }
                if breaks.contains(where: { $0 > cands[j].line && $0 <= cands[i].start }) { continue }
                let s = score[j] + (step == 1 ? 1 : 0.4)
                if s > score[i] {
                    score[i] = s
                    back[i] = j
                    length[i] = length[j] + 1
                }
            }
        }
        guard let end = score.indices.max(by: { score[$0] < score[$1] || score[$0] == score[$1] && $0 > $1 }), length[end] >= 2 else { return nil }
        if ProcessInfo.processInfo.environment["COUNCIL_DEBUG_SEGMENTS"] != nil {
            for c in cands { print("candidate line \(view.lines[c.line].number + 1) #\(c.label) \(c.title) score \(score[cands.firstIndex { $0.line == c.line }!])") }
            print("breaks: \(breaks.map { view.lines[$0].number + 1 })")
        }
        var chain: [Candidate] = []
        var k = end
        while k >= 0 {
            chain.append(cands[k])
            k = back[k]
        }
        chain.reverse()
        // Two items only make a sequence when their numbers follow on.
        if chain.count == 2 && chain[1].number != chain[0].number + 1 { return nil }
        var spans: [Span] = []
        for (index, c) in chain.enumerated() {
            // The next item's heading may sit on this item's title line (a
            // bare number above a title): the item then has no body.
            let next = index + 1 < chain.count ? chain[index + 1].start : lastItemEnd(view, after: c, breaks: breaks, kind: kind)
            let end = max(next, c.bodyStart)
            spans.append(Span(start: c.start, bodyStart: c.bodyStart, end: end, number: c.label, agendaNumber: c.agendaNumber, title: c.title))
        }
        return spans
    }

    /// Where the last item ends: at a hard break, or, in an agenda, at the
    /// first heading that is not one of the item's own details.
    func lastItemEnd(_ view: LineView, after c: Candidate, breaks: [Int], kind: DocumentKind?) -> Int {
        var end = view.lines.count
        if let b = breaks.first(where: { $0 > c.bodyStart }) { end = b }
        guard kind == .agenda else { return end }
        var seen = 0
        var i = c.bodyStart
        while i < end {
            let line = view.lines[i]
            if !line.isBlank {
                seen += 1
                if seen >= 2, ItemSegmenter.leadingNumber(line.text) == nil, ItemSegmenter.isTitleLike(line.text, line: line),
                   !ItemSegmenter.isItemDetail(line.text), !ItemSegmenter.isProcedural(line.text),
                   Words.split(line.text).count >= 2 || view.isHeading(i) {
                    return i
                }
            }
            i += 1
        }
        return end
    }
}

// MARK: - Attachments

extension ItemSegmenter {
    struct Attachment {
        var lines: [Int]
    }

    /// Lines where a new paper starts inside a pack: a blank page, a
    /// report's "Division(s)" or "Wards affected" line, "Agenda Item N", or
    /// a running header naming the committee.
    func hardBreaks(_ view: LineView, committee: String?) -> [Int] {
        let committeeKey = committee.map(NameKey.normalize)
        var result: [Int] = []
        for i in view.nonBlank {
            let text = view.lines[i].text
            let lower = Words.asciiLowercased(text)
            var isBreak = false
            if lower.includes("intentionally left blank") || lower.hasPrefix("division(s)") || lower.hasPrefix("divisions affected")
                || lower.hasPrefix("wards affected") || lower.hasPrefix("ward(s) affected") {
                isBreak = true
            } else if lower.hasPrefix("agenda item "), text.count <= 16, lower.dropFirst(12).first?.isNumber == true {
                isBreak = true
            } else if let committeeKey, committeeKey.count >= 5, text.utf8.count <= 120, view.rank[i] > 10,
                      lower.includes(String(committeeKey.prefix(while: { $0 != " " }))), text.count <= 90 {
                let key = NameKey.normalize(text)
                if key.hasPrefix(committeeKey) {
                    let rest = key.dropFirst(committeeKey.count).trimmingCharacters(in: .whitespaces)
                    if rest.isEmpty || !DateFinder.find(in: text).isEmpty && rest.split(separator: " ").count <= 4 {
                        isBreak = Words.isUpperCase(text) || view.isHeading(i) || !rest.isEmpty
                    }
                }
            }
            if isBreak {
                // Adjacent break lines ("Division(s)" then the header) are one.
                if let last = result.last, view.rank[i] - view.rank[last] <= 2 { continue }
                result.append(i)
            }
        }
        return result
    }

    func splitAttachments(_ view: LineView, from start: Int, breaks: [Int]) -> [Attachment] {
        var result: [Attachment] = []
        var current: [Int] = []
        let breakSet = Set(breaks)
        for i in start..<view.lines.count {
            if breakSet.contains(i) && !current.isEmpty {
                result.append(Attachment(lines: current))
                current = []
            }
            current.append(i)
        }
        if !current.isEmpty { result.append(Attachment(lines: current)) }
        return result
    }

    /// The item an attachment belongs to, by the words of its first lines
    /// against the items' titles.
    func matchAttachment(_ attachment: Attachment, to spans: [Span], view: LineView) -> Int? {
        var head: [String] = []
        var headTitle: [String]? = nil
        var taken = 0
        var explicitItem: String? = nil
        for i in attachment.lines where !view.lines[i].isBlank {
            let text = view.lines[i].text
            let lower = Words.asciiLowercased(text)
            if lower.hasPrefix("agenda item") {
                let rest = lower.dropFirst(11).trimmingCharacters(in: .whitespaces)
                if !rest.isEmpty { explicitItem = rest }
                continue
            }
            if lower.hasPrefix("division") || lower.hasPrefix("ward") || lower.includes("intentionally left blank") { continue }
            taken += 1
            let words = Words.contentWords(text).filter { !$0.allSatisfy(\.isNumber) }
            head += words
            if headTitle == nil, ItemSegmenter.isTitleLike(text, line: view.lines[i]), DateFinder.find(in: text).isEmpty, words.count >= 1 {
                headTitle = words
            }
            if taken >= 8 { break }
        }
        if let explicitItem, let index = spans.firstIndex(where: { $0.number == explicitItem }) { return index }
        let headSet = Set(head)
        var best: (index: Int, score: Double, tie: Double)? = nil
        for (index, span) in spans.enumerated() {
            let titleWords = Set(Words.contentWords(span.title).filter { !$0.allSatisfy(\.isNumber) })
            guard !titleWords.isEmpty else { continue }
            let overlap = titleWords.intersection(headSet).count
            guard overlap >= min(2, titleWords.count) else { continue }
            let s1 = Double(overlap) / Double(titleWords.count)
            var s2 = 0.0
            if let headTitle, !headTitle.isEmpty {
                let h = Set(headTitle)
                s2 = Double(h.intersection(titleWords).count) / Double(h.count)
            }
            let score = max(s1, s2)
            guard score >= 0.6 else { continue }
            if best == nil || score > best!.score || score == best!.score && s1 + s2 > best!.tie {
                best = (index, score, s1 + s2)
            }
        }
        return best?.index
    }
}

// MARK: - Headings

extension ItemSegmenter {
    /// Items started by headings followed by text.
    func headingSpans(_ view: LineView) -> [Span] {
        // Heading lines.
        var isHeading = [Bool](repeating: false, count: view.lines.count)
        for i in view.nonBlank {
            let line = view.lines[i]
            let text = line.text
            guard !ItemSegmenter.isNoise(text), !ItemSegmenter.isProcedural(text) else { continue }
            let marked = line.headingLevel > 0 || line.isBold || Words.isUpperCase(text) && Words.split(text).count <= 14
            if marked && ItemSegmenter.isTitleLike(text, line: line) { isHeading[i] = true }
        }
        // Groups of consecutive headings; a group followed by enough text
        // starts an item titled by its last heading.
        var spans: [Span] = []
        var i = 0
        let lines = view.lines
        while i < lines.count {
            guard isHeading[i] else {
                i += 1
                continue
            }
            var group: [Int] = [i]
            var j = i + 1
            while j < lines.count, lines[j].isBlank || isHeading[j] || ItemSegmenter.isNoise(lines[j].text) {
                if isHeading[j] { group.append(j) }
                j += 1
            }
            // Text up to the next heading.
            var k = j
            var words = 0
            while k < lines.count, !isHeading[k] {
                words += Words.split(lines[k].text).count
                k += 1
            }
            let titleLine = group.last!
            let title = ItemSegmenter.cleanTitle(lines[titleLine].text).title
            let isBack = ItemSegmenter.backMatterTitles.contains(NameKey.normalize(title))
            if words >= 8 && !isBack && DateFinder.find(in: title).isEmpty {
                // Headings above the title (a signature, the paper's own
                // heading) stay with what comes before.
                if !spans.isEmpty { spans[spans.count - 1].end = titleLine }
                spans.append(Span(start: titleLine, bodyStart: titleLine + 1, end: k, number: nil, title: title))
            } else if !spans.isEmpty && !isBack {
                // A heading without text (a signature, a label) stays with
                // the item before it.
                spans[spans.count - 1].end = k
            } else if !spans.isEmpty && isBack {
                // Back matter ends the items.
                break
            }
            i = k
        }
        return spans
    }
}

#if canImport(Foundation)
import Foundation
#endif
