// MARK: - Kind

extension MetadataExtractor {
    struct KindCue {
        let phrase: String
        let kind: DocumentKind
        let weight: Double
        /// Count only on a heading-like or short line that the word is.
        let headingOnly: Bool
        /// At most this many occurrences count.
        let cap: Int

        init(_ phrase: String, _ kind: DocumentKind, _ weight: Double, headingOnly: Bool = false, cap: Int = 1) {
            self.phrase = phrase
            self.kind = kind
            self.weight = weight
            self.headingOnly = headingOnly
            self.cap = cap
        }
    }

    /// What each kind of paper says of itself. Phrases are lower case and
    /// found anywhere in the running text (across line breaks), weighed by
    /// how near the top they stand.
    static let kindCues: [KindCue] = [
        // Decision summaries and records of decision.
        KindCue("summary of decisions", .decisions, 6),
        KindCue("record of decision", .decisions, 6),
        KindCue("record of the decision", .decisions, 5),
        KindCue("decision record", .decisions, 5),
        KindCue("decision notice", .decisions, 5),
        KindCue("decisions taken", .decisions, 4),
        KindCue("decision sheet", .decisions, 5),
        KindCue("decisions list", .decisions, 5),
        KindCue("list of decisions", .decisions, 5),
        KindCue("schedule of decisions", .decisions, 5),
        KindCue("decisions made by", .decisions, 4),
        KindCue("executive decision", .decisions, 3),
        KindCue("individual cabinet member decision", .decisions, 4),
        KindCue("decisions", .decisions, 3, headingOnly: true),
        // ModernGov's decision records: "Decision details", "Decision Maker:
        // Cabinet", "Decision status: Recommendations Approved".
        KindCue("decision details", .decisions, 4, headingOnly: true),
        KindCue("decision maker:", .decisions, 4),
        KindCue("decision-maker:", .decisions, 4),
        KindCue("decision taker:", .decisions, 4),
        KindCue("decided at meeting:", .decisions, 4),
        KindCue("decision status:", .decisions, 3),
        KindCue("date of decision:", .decisions, 3),
        KindCue("decision published:", .decisions, 3),
        KindCue("decision taken by:", .decisions, 4),
        KindCue("decision made by:", .decisions, 4),
        KindCue("reasons for the decision", .decisions, 1.5),
        KindCue("reason for the decision", .decisions, 1.5),
        // Minutes.
        KindCue("minutes of a meeting", .minutes, 5),
        KindCue("minutes of the meeting", .minutes, 4),
        KindCue("minutes of meeting", .minutes, 4),
        KindCue("minutes of proceedings", .minutes, 5),
        KindCue("minutes of the proceedings", .minutes, 5),
        KindCue("minutes", .minutes, 3, headingOnly: true),
        KindCue("minutes:", .minutes, 1, cap: 4),
        KindCue("present:", .minutes, 1.5),
        KindCue("members present", .minutes, 1.5),
        KindCue("present in the chair", .minutes, 2),
        KindCue("in the chair", .minutes, 1),
        KindCue("were present", .minutes, 1),
        KindCue("apologies for absence were", .minutes, 1),
        KindCue("apologies were received", .minutes, 1),
        KindCue("was held", .minutes, 1.5),
        KindCue("called to order", .minutes, 2),
        KindCue("the meeting closed", .minutes, 1.5),
        KindCue("meeting ended at", .minutes, 1),
        KindCue("meeting concluded", .minutes, 1),
        KindCue("resolved", .minutes, 0.5, cap: 4),
        KindCue("it was agreed", .minutes, 0.5, cap: 2),
        KindCue("confirmed and signed", .minutes, 1),
        KindCue("proposed by", .minutes, 0.5, cap: 2),
        // A minute's own narrative, in the past tense.
        KindCue("it was noted", .minutes, 0.75, cap: 2),
        KindCue("was considered", .minutes, 0.5, cap: 2),
        KindCue("consideration was given", .minutes, 1),
        KindCue("presented a report", .minutes, 1),
        KindCue("introduced the report", .minutes, 1),
        KindCue("submitted a report", .minutes, 1),
        KindCue("members noted", .minutes, 0.75),
        KindCue("minute 1 refers", .minutes, 1.5),
        KindCue("– minutes –", .minutes, 4),
        KindCue("- minutes -", .minutes, 4),
        KindCue("seconded by", .minutes, 0.5, cap: 2),
        // Agendas, summonses, notices of meetings.
        KindCue("notice of a meeting", .agenda, 5),
        KindCue("notice of meeting", .agenda, 5),
        KindCue("notice of the meeting", .agenda, 4),
        KindCue("notice is hereby given", .agenda, 3),
        KindCue("summons", .agenda, 4),
        KindCue("you are requested to attend", .agenda, 4),
        KindCue("you are hereby summoned", .agenda, 4),
        KindCue("you are summoned", .agenda, 4),
        KindCue("are invited to attend", .agenda, 3),
        KindCue("your attendance", .agenda, 2),
        KindCue("has called a", .agenda, 3),
        KindCue("to be held", .agenda, 2),
        KindCue("will be held", .agenda, 2),
        KindCue("will take place", .agenda, 1.5),
        KindCue("business to be transacted", .agenda, 3),
        KindCue("set out hereunder", .agenda, 2),
        KindCue("appended agenda", .agenda, 3),
        KindCue("attached agenda", .agenda, 2),
        KindCue("agenda is as set out", .agenda, 3),
        KindCue("refer to the agenda", .agenda, 3),
        KindCue("agenda", .agenda, 3, headingOnly: true),
        KindCue("agenda pack", .agenda, 3),
        KindCue("supplementary agenda", .agenda, 3),
        KindCue("supplementary item", .agenda, 2),
        KindCue("(pages ", .agenda, 0.75, cap: 4),
        KindCue("(page ", .agenda, 0.75, cap: 4),
        KindCue("agenda published", .agenda, 2),
        KindCue("venue:", .agenda, 1.5),
        // Officer and cabinet member reports.
        KindCue("purpose of report", .report, 4),
        KindCue("purpose of this report", .report, 4),
        KindCue("decision report", .report, 6, headingOnly: true),
        KindCue("report to the cabinet", .report, 3),
        KindCue("responsible cabinet member", .report, 3),
        KindCue("report title:", .report, 3),
        KindCue("report of:", .report, 3),
        KindCue("report from:", .report, 3),
        KindCue("purpose of the report", .report, 4),
        KindCue("summary of report", .report, 3),
        KindCue("report of the director", .report, 3),
        KindCue("report by the director", .report, 3),
        KindCue("report by director", .report, 3),
        KindCue("report of the cabinet member", .report, 3),
        KindCue("report by the cabinet member", .report, 3),
        KindCue("report of the portfolio holder", .report, 3),
        KindCue("report of the chief", .report, 3),
        KindCue("report by the chief", .report, 3),
        KindCue("report of the head of", .report, 3),
        KindCue("report author", .report, 3),
        KindCue("report to:", .report, 2),
        KindCue("executive summary", .report, 2),
        KindCue("wards affected", .report, 3),
        KindCue("division(s):", .report, 3),
        KindCue("divisions affected", .report, 3),
        KindCue("electoral division", .report, 2),
        KindCue("key decision:", .report, 2),
        KindCue("classification:", .report, 1),
        KindCue("recommendation(s)", .report, 1.5),
        KindCue("recommendations", .report, 1, headingOnly: true),
        KindCue("background papers", .report, 1),
        KindCue("financial implications", .report, 1),
        KindCue("legal implications", .report, 1),
        KindCue("equality implications", .report, 1),
        KindCue("this report", .report, 0.5, cap: 2),
    ]

    func kind(_ view: LineView, _ flow: Flow) -> Extracted<DocumentKind> {
        var tally = Tally<DocumentKind>()
        for cue in MetadataExtractor.kindCues {
            if cue.headingOnly {
                // The whole heading is the word ("AGENDA", "Minutes"), or a
                // short heading naming it ("Agenda and minutes", "Draft
                // minutes"), near the top.
                var count = 0
                for i in view.nonBlank where view.rank[i] < view.headLimit && !view.isRepeat[i] {
                    let lower = view.lower[i]
                    guard lower.utf8.count <= 60, lower.includes(cue.phrase), view.isHeading(i) || lower.utf8.count <= 40 else { continue }
                    // "MINUTES", "Draft Minutes", "Supplementary Agenda"; not
                    // "Matters arising from the Minutes".
                    let words = Words.split(lower)
                    if cue.kind == .agenda, words.first == "agenda", words.contains("and") && (words.last == "minutes" || words.last == "decisions") { continue }
                    // "Agenda item 12": an item's heading on a minutes page.
                    if words.count > 1, words[0] == Substring(cue.phrase), words[1] == "item" || words[1] == "items" { continue }
                    guard words.count <= 6, words.first == Substring(cue.phrase)
                            || words.count > 1 && words[1] == Substring(cue.phrase) && words[0].first?.isLetter == true else { continue }
                    tally.add(cue.kind, cue.weight * MetadataExtractor.kindWeight(view, i), "“\(cue.phrase)” heading (line \(view.lines[i].number + 1))")
                    count += 1
                    if count >= cue.cap { break }
                }
                continue
            }
            var counted = 0
            for offset in flow.lower.utf8Offsets(of: cue.phrase, limit: cue.cap * 3) where counted < cue.cap {
                // Whole words only: "resolved", not "unresolved".
                if offset > 0, let before = flow.lower.utf8.dropFirst(offset - 1).first, MetadataExtractor.isWordByte(before) { continue }
                // "To confirm the minutes of the meeting held on ...": other
                // minutes, named in an agenda.
                if cue.kind == .minutes, cue.phrase.hasPrefix("minutes") {
                    let context = flow.lowerBefore(offset, 40)
                    if MetadataExtractor.approvalWords.contains(where: { context.includes($0) }) || context.includes("to note") || context.includes("draft") && offset > 300 { continue }
                }
                let i = flow.line(at: offset)
                let phrase = cue.phrase.trimmingCharacters(in: CharacterSet(charactersIn: " :("))
                tally.add(cue.kind, cue.weight * MetadataExtractor.kindWeight(view, i), "“\(phrase)” (line \(view.lines[i].number + 1))")
                counted += 1
            }
        }
        // A page carrying a meeting's agenda with its later papers (ModernGov's
        // "Agenda and minutes", "Agenda, decisions and minutes", "Agenda and
        // decisions"): the last named is what the page holds now, and the
        // page's template title ("Agenda for Cabinet on ...") says nothing.
        var combined = false
        for i in view.nonBlank.prefix(30) where !view.isRepeat[i] && view.lower[i].utf8.count <= 50 {
            let words = Words.split(view.lower[i])
            guard words.first == "agenda", words.count <= 5, let last = words.last, words.contains("and") else { continue }
            let kind: DocumentKind? = last == "minutes" ? .minutes : last == "decisions" ? .decisions : nil
            guard let kind else { continue }
            tally.add(kind, 6 * MetadataExtractor.kindWeight(view, i), "“\(view.lines[i].text)” heading (line \(view.lines[i].number + 1))")
            combined = true
        }
        // The paper's title: "MINUTES OF THE PARISH COUNCIL MEETING ...",
        // "Agenda for the meeting of ...".
        for i in view.nonBlank.prefix(12) where !view.isRepeat[i] {
            if combined && view.lower[i].hasPrefix("agenda") { continue }
            let lower = view.lower[i]
            for (prefix, kind) in [("minutes of", DocumentKind.minutes), ("draft minutes", .minutes), ("unconfirmed minutes", .minutes),
                                   ("agenda for", .agenda), ("agenda of", .agenda), ("record of decisions", .decisions)] where lower.hasPrefix(prefix) {
                tally.add(kind, 4 * MetadataExtractor.kindWeight(view, i), "title “\(view.lines[i].text.prefix(40))” (line \(view.lines[i].number + 1))")
            }
        }
        guard let best = tally.best, best.score >= 3 else { return .unknown }
        return Extracted(value: best.key,
                         confidence: MetadataExtractor.confidence(score: best.score, runnerUp: best.runnerUp, full: 10),
                         source: tally.source(for: best.key))
    }

    /// How much a cue on line `i` says of the paper's kind: what a paper
    /// says of itself in its opening lines counts most; the papers attached
    /// to an agenda (reports, earlier minutes) come later.
    static func kindWeight(_ view: LineView, _ i: Int) -> Double {
        let r = view.rank[i]
        if r < 12 { return 2.0 }
        if r < 30 { return 1.3 }
        if r < view.headLimit { return 0.8 }
        return 0.4
    }

    /// A letter or digit byte (any byte of a multi-byte character counts).
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b >= 128
    }
}

#if canImport(Foundation)
import Foundation
#endif
