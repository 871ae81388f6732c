/// Finds a paper's council, committee, meeting date and kind from its text.
///
/// Each field is decided by evidence gathered from several places (headings,
/// notices, "Minutes of a meeting of ...", e-mail and web domains,
/// addresses, names checked against the UK gazetteer), each piece weighed
/// by how strong a signal it is and how near the top of the paper it
/// stands. A field whose best evidence is weak stays nil.
public struct MetadataExtractor: Sendable {
    public let gazetteer: Gazetteer

    public init(gazetteer: Gazetteer = .uk) {
        self.gazetteer = gazetteer
    }

    /// The evidence for one field value.
    struct Tally<Key: Hashable> {
        var scores: [Key: Double] = [:]
        var notes: [Key: [String]] = [:]
        var order: [Key] = []

        mutating func add(_ key: Key, _ score: Double, _ note: String) {
            if scores[key] == nil { order.append(key) }
            scores[key, default: 0] += score
            if !(notes[key]?.contains(note) ?? false) { notes[key, default: []].append(note) }
        }

        /// The best key, its score and the runner-up's score.
        var best: (key: Key, score: Double, runnerUp: Double)? {
            var bestKey: Key? = nil
            var bestScore = -Double.infinity, second = 0.0
            for key in order {
                let s = scores[key]!
                if s > bestScore {
                    if bestKey != nil { second = max(second, bestScore) }
                    bestKey = key
                    bestScore = s
                } else {
                    second = max(second, s)
                }
            }
            guard let bestKey else { return nil }
            return (bestKey, bestScore, second)
        }

        func source(for key: Key) -> String {
            (notes[key] ?? []).prefix(3).joined(separator: "; ")
        }
    }

    /// Confidence from the winning score and its margin over the runner-up.
    static func confidence(score: Double, runnerUp: Double, full: Double) -> Double {
        guard score > 0 else { return 0 }
        let strength = min(1, score / full)
        let margin = (score - max(runnerUp, 0)) / score
        return (strength * (0.5 + 0.5 * margin) * 100).rounded() / 100
    }

    /// Extract the meeting metadata of `lines`.
    public func extract(_ lines: [TextLine]) -> MeetingMetadata {
        let view = LineView(lines)
        var metadata = MeetingMetadata()
        metadata.kind = kind(view)
        metadata.date = date(view)
        metadata.committee = committee(view)
        let (council, code) = council(view, date: metadata.date.value)
        metadata.council = council
        metadata.councilCode = code
        return metadata
    }
}

/// Lines with their rank among non-blank lines, and where "the top" ends.
struct LineView {
    let lines: [TextLine]
    /// rank[i]: how many non-blank lines come before line i.
    let rank: [Int]
    let nonBlank: [Int]
    /// Lines whose rank is below this are "near the top".
    let topLimit: Int

    init(_ lines: [TextLine]) {
        self.lines = lines
        var rank: [Int] = []
        var nonBlank: [Int] = []
        rank.reserveCapacity(lines.count)
        for (i, line) in lines.enumerated() {
            rank.append(nonBlank.count)
            if !line.isBlank { nonBlank.append(i) }
        }
        self.rank = rank
        self.nonBlank = nonBlank
        self.topLimit = min(150, max(60, nonBlank.count / 10))
    }

    /// How much a signal on line `i` counts by its position.
    func positionWeight(_ i: Int) -> Double {
        let r = rank[i]
        if r < 12 { return 2.0 }
        if r < topLimit { return 1.4 }
        return 0.5
    }

    /// The previous non-blank line before `i`, if any.
    func previousNonBlank(_ i: Int) -> Int? {
        var j = i - 1
        while j >= 0 {
            if !lines[j].isBlank { return j }
            j -= 1
        }
        return nil
    }

    func nextNonBlank(_ i: Int) -> Int? {
        var j = i + 1
        while j < lines.count {
            if !lines[j].isBlank { return j }
            j += 1
        }
        return nil
    }

    /// Whether line `i` looks like a heading (marked up, or a short line in
    /// capitals).
    func isHeading(_ i: Int) -> Bool {
        let l = lines[i]
        if l.headingLevel > 0 || l.isBold { return true }
        return l.text.count <= 80 && Words.isUpperCase(l.text)
    }
}

// MARK: - Kind

extension MetadataExtractor {
    struct KindCue {
        let phrase: String
        let kind: DocumentKind
        let weight: Double
        /// Count only on a heading-like or short line.
        let headingOnly: Bool
        /// At most this many occurrences count.
        let cap: Int
    }

    static let kindCues: [KindCue] = [
        KindCue(phrase: "summary of decisions", kind: .decisions, weight: 6, headingOnly: false, cap: 1),
        KindCue(phrase: "record of decision", kind: .decisions, weight: 6, headingOnly: false, cap: 1),
        KindCue(phrase: "record of the decision", kind: .decisions, weight: 5, headingOnly: false, cap: 1),
        KindCue(phrase: "decision notice", kind: .decisions, weight: 5, headingOnly: false, cap: 1),
        KindCue(phrase: "decisions taken", kind: .decisions, weight: 4, headingOnly: false, cap: 1),
        KindCue(phrase: "decision sheet", kind: .decisions, weight: 5, headingOnly: false, cap: 1),
        KindCue(phrase: "decisions list", kind: .decisions, weight: 5, headingOnly: false, cap: 1),
        KindCue(phrase: "list of decisions", kind: .decisions, weight: 5, headingOnly: false, cap: 1),
        KindCue(phrase: "executive decision", kind: .decisions, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "individual cabinet member decision", kind: .decisions, weight: 4, headingOnly: false, cap: 1),
        KindCue(phrase: "minutes of a meeting", kind: .minutes, weight: 5, headingOnly: false, cap: 1),
        KindCue(phrase: "minutes of the meeting", kind: .minutes, weight: 4, headingOnly: false, cap: 1),
        KindCue(phrase: "minutes of proceedings", kind: .minutes, weight: 5, headingOnly: false, cap: 1),
        KindCue(phrase: "minutes of the proceedings", kind: .minutes, weight: 5, headingOnly: false, cap: 1),
        KindCue(phrase: "minutes", kind: .minutes, weight: 3, headingOnly: true, cap: 1),
        KindCue(phrase: "minutes:", kind: .minutes, weight: 1, headingOnly: false, cap: 4),
        KindCue(phrase: "present:", kind: .minutes, weight: 1.5, headingOnly: false, cap: 1),
        KindCue(phrase: "members present", kind: .minutes, weight: 1.5, headingOnly: false, cap: 1),
        KindCue(phrase: "in the chair", kind: .minutes, weight: 1, headingOnly: false, cap: 1),
        KindCue(phrase: "apologies for absence were", kind: .minutes, weight: 1, headingOnly: false, cap: 1),
        KindCue(phrase: "resolved", kind: .minutes, weight: 0.5, headingOnly: false, cap: 4),
        KindCue(phrase: "confirmed and signed", kind: .minutes, weight: 1, headingOnly: false, cap: 1),
        KindCue(phrase: "proposed by", kind: .minutes, weight: 0.5, headingOnly: false, cap: 2),
        KindCue(phrase: "notice of a meeting", kind: .agenda, weight: 5, headingOnly: false, cap: 1),
        KindCue(phrase: "notice of meeting", kind: .agenda, weight: 5, headingOnly: false, cap: 1),
        KindCue(phrase: "summons", kind: .agenda, weight: 4, headingOnly: false, cap: 1),
        KindCue(phrase: "you are requested to attend", kind: .agenda, weight: 4, headingOnly: false, cap: 1),
        KindCue(phrase: "you are hereby summoned", kind: .agenda, weight: 4, headingOnly: false, cap: 1),
        KindCue(phrase: "you are summoned", kind: .agenda, weight: 4, headingOnly: false, cap: 1),
        KindCue(phrase: "are invited to attend", kind: .agenda, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "agenda", kind: .agenda, weight: 3, headingOnly: true, cap: 1),
        KindCue(phrase: "agenda pack", kind: .agenda, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "supplementary agenda", kind: .agenda, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "business to be transacted", kind: .agenda, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "(pages ", kind: .agenda, weight: 0.75, headingOnly: false, cap: 4),
        KindCue(phrase: "purpose of report", kind: .report, weight: 4, headingOnly: false, cap: 1),
        KindCue(phrase: "purpose of the report", kind: .report, weight: 4, headingOnly: false, cap: 1),
        KindCue(phrase: "report of the director", kind: .report, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "report by the director", kind: .report, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "report by director", kind: .report, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "report of the cabinet member", kind: .report, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "report by the cabinet member", kind: .report, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "report of the chief", kind: .report, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "report by the chief", kind: .report, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "report of the head of", kind: .report, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "report author", kind: .report, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "executive summary", kind: .report, weight: 2, headingOnly: false, cap: 1),
        KindCue(phrase: "wards affected", kind: .report, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "division(s):", kind: .report, weight: 3, headingOnly: false, cap: 1),
        KindCue(phrase: "key decision:", kind: .report, weight: 2, headingOnly: false, cap: 1),
        KindCue(phrase: "recommendation(s)", kind: .report, weight: 1.5, headingOnly: false, cap: 1),
        KindCue(phrase: "recommendations", kind: .report, weight: 1, headingOnly: true, cap: 1),
        KindCue(phrase: "background papers", kind: .report, weight: 1, headingOnly: false, cap: 1),
        KindCue(phrase: "financial implications", kind: .report, weight: 1, headingOnly: false, cap: 1),
        KindCue(phrase: "legal implications", kind: .report, weight: 1, headingOnly: false, cap: 1),
    ]

    func kind(_ view: LineView) -> Extracted<DocumentKind> {
        var tally = Tally<DocumentKind>()
        var counts: [Int: Int] = [:]
        for i in view.nonBlank {
            let line = view.lines[i]
            let lower = line.text.lowercased()
            let weight = view.positionWeight(i)
            let headingLike = view.isHeading(i) || line.text.count <= 40
            for (index, cue) in MetadataExtractor.kindCues.enumerated() where lower.contains(cue.phrase) {
                if cue.headingOnly {
                    guard headingLike else { continue }
                    // The whole heading is the word ("AGENDA", "Minutes"), or
                    // a short heading naming it ("Agenda and minutes").
                    let words = Words.split(lower)
                    guard words.count <= 6, words.contains(where: { $0 == cue.phrase }) else { continue }
                }
                guard counts[index, default: 0] < cue.cap else { continue }
                counts[index, default: 0] += 1
                tally.add(cue.kind, cue.weight * weight, "“\(cue.phrase.trimmingCharacters(in: CharacterSet(charactersIn: " :")))” (line \(line.number + 1))")
            }
        }
        guard let best = tally.best, best.score >= 3 else { return .unknown }
        return Extracted(value: best.key,
                         confidence: MetadataExtractor.confidence(score: best.score, runnerUp: best.runnerUp, full: 10),
                         source: tally.source(for: best.key))
    }
}

// MARK: - Date

extension MetadataExtractor {
    func date(_ view: LineView) -> Extracted<CalendarDate> {
        var tally = Tally<CalendarDate>()
        var bestByDate: [CalendarDate: Double] = [:]
        func add(_ date: CalendarDate, _ score: Double, _ note: String) {
            // The best mention counts whole; further mentions add a little.
            if score <= 0 {
                tally.add(date, score, note)
                return
            }
            let previous = bestByDate[date] ?? 0
            if score > previous {
                tally.add(date, score - previous + previous * 0.25, note)
                bestByDate[date] = score
            } else {
                tally.add(date, score * 0.25, note)
            }
        }
        for i in view.nonBlank {
            let line = view.lines[i]
            let mentions = DateFinder.find(in: line.text, lineNumber: i)
            guard !mentions.isEmpty else { continue }
            let chars = Array(line.text)
            let previousText = view.previousNonBlank(i).map { view.lines[$0].text } ?? ""
            for mention in mentions {
                let before = (previousText + " " + String(chars[0..<mention.start])).lowercased()
                let after = String(chars[mention.end...]).lowercased()
                let near = String(before.suffix(90)) + " # " + String(after.prefix(50))
                var score = 1.0
                var reasons: [String] = []
                if mention.hasWeekday { score += 2; reasons.append("weekday") }
                if MetadataExtractor.hasTime(after.prefix(40)) { score += 2; reasons.append("time") }
                let trimmedBefore = before.trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
                if trimmedBefore.hasSuffix(" on") || trimmedBefore.hasSuffix(" on the") || trimmedBefore.hasSuffix(" held") {
                    if before.suffix(160).contains("held") || before.suffix(160).contains("meeting") {
                        score += 3
                        reasons.append("“held on”")
                    }
                }
                if near.contains("date of meeting") || near.contains("meeting date") || trimmedBefore.hasSuffix("date:") && !near.contains("publication") {
                    score += 3
                    reasons.append("“date of meeting”")
                }
                if view.isHeading(i) && line.text.count <= 70 {
                    score += 2
                    reasons.append("heading")
                }
                let rank = view.rank[i]
                if rank < 12 { score += 2 } else if rank < view.topLimit { score += 1 }
                // Dates that are not the meeting's own.
                for (phrase, penalty) in MetadataExtractor.negativeDateContexts where near.contains(phrase) {
                    score -= penalty
                    reasons.append("“\(phrase)”")
                    break
                }
                if (before.suffix(90).contains("minutes of") || before.suffix(60).contains("meeting of") || before.suffix(60).contains("meeting held on")),
                   MetadataExtractor.approvalWords.contains(where: { near.contains($0) || line.text.lowercased().contains($0) }) {
                    score -= 6
                    reasons.append("earlier minutes")
                }
                add(mention.date, score, "“\(String(chars[mention.start..<mention.end]))” (line \(line.number + 1)\(reasons.isEmpty ? "" : ", " + reasons.joined(separator: ", ")))")
                // ModernGov: "... working day before the meeting (in this case
                // 27 September 2017)": the meeting is the next working day.
                if before.suffix(120).contains("before the meeting") && before.suffix(25).contains("in this case") {
                    add(mention.date.nextWorkingDay, 5, "working day after “\(String(chars[mention.start..<mention.end]))” (line \(line.number + 1), a deadline “before the meeting”)")
                }
            }
        }
        guard let best = tally.best, best.score >= 3 else { return .unknown }
        return Extracted(value: best.key,
                         confidence: MetadataExtractor.confidence(score: best.score, runnerUp: best.runnerUp, full: 8),
                         source: tally.source(for: best.key))
    }

    static let negativeDateContexts: [(String, Double)] = [
        ("next meeting", 8), ("future meeting", 6), ("publication date", 6), ("date of publication", 6), ("published", 5),
        ("despatch", 6), ("dispatch", 6), ("date of issue", 6), ("issued on", 6), ("circulated on", 5),
        ("no later than", 6), ("not later than", 6), ("deadline", 6), ("closing date", 6), ("received by", 4),
        ("submitted by", 4), ("previous meeting", 5), ("last meeting", 5), ("call-in", 4), ("call in", 3),
        ("come into force", 4), ("implemented", 3), ("effective from", 3), ("date of signing", 6), ("dated", 3),
        ("expiry", 4), ("printed", 4), ("updated", 3), ("date of decision", 0), ("born", 6),
    ]

    static let approvalWords = ["confirm", "approve", "signed", "agreed", "adopt", "accuracy", "correct record", "circulated"]

    /// "at 2.00 pm", "10.00 am", "9.15 a.m.", "commencing at", "at 10am".
    static func hasTime(_ s: Substring) -> Bool {
        if s.contains("commencing") || s.contains("o'clock") || s.contains("noon") { return true }
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            if chars[i].isNumber {
                var j = i
                while j < chars.count, chars[j].isNumber || chars[j] == "." || chars[j] == ":" { j += 1 }
                while j < chars.count, chars[j] == " " { j += 1 }
                let rest = String(chars[j..<min(chars.count, j + 4)])
                if rest.hasPrefix("am") || rest.hasPrefix("pm") || rest.hasPrefix("a.m") || rest.hasPrefix("p.m") { return true }
                i = j
            } else {
                i += 1
            }
        }
        return false
    }
}

// MARK: - Committee

extension MetadataExtractor {
    static let committeeWords: Set<String> = [
        "committee", "sub-committee", "subcommittee", "cabinet", "council", "panel", "board", "forum", "executive",
        "commission", "assembly", "partnership", "group", "conference", "meeting",
    ]

    /// Words that only refer back to a body named elsewhere ("the
    /// Committee considered").
    static let genericBodies: Set<String> = [
        "committee", "sub committee", "subcommittee", "panel", "board", "meeting", "group", "members", "forum",
        "partnership", "commission", "chairman", "chair", "leader", "mayor", "officers", "officer", "report",
    ]

    static let fullCouncilNames: Set<String> = [
        "council", "full council", "county council", "city council", "district council", "borough council",
        "council meeting", "annual council", "annual council meeting", "extraordinary council", "ordinary council",
        "the council", "meeting of the council", "annual meeting of the council", "ordinary meeting of the council",
        "extraordinary meeting of the council", "special council", "town council", "parish council",
        "county council meeting", "full council meeting", "meeting of council", "council assembly",
    ]

    /// A clean committee name from the start of `phrase`, or nil when it
    /// does not name one.
    func committeeName(_ phrase: some StringProtocol) -> String? {
        var words: [Substring] = []
        let stops: Set<String> = ["held", "to", "on", "at", "in", "will", "which", "is", "was", "scheduled", "for",
                                  "commencing", "starting", "date", "dated", "has", "have", "considered", "received",
                                  "noted", "agreed", "resolved", "approved", "were", "are", "be", "meeting", "taking"]
        for raw in phrase.split(separator: " ", omittingEmptySubsequences: true) {
            var w = raw
            var stopAfter = false
            if let last = w.last, ",.;:(".contains(last) || last == "–" {
                w = w.dropLast()
                stopAfter = true
            }
            if w.first == "(" { break }
            let lower = w.lowercased()
            if words.isEmpty && (lower == "the" || lower == "a" || lower == "an") { if stopAfter { break } else { continue } }
            if !words.isEmpty && stops.contains(lower) { break }
            if w == "-" || w == "–" || w == "|" { break }
            if DateFinder.find(in: String(w)).isEmpty == false || w.allSatisfy(\.isNumber) && !words.isEmpty { break }
            if !w.isEmpty { words.append(Substring(w)) }
            if stopAfter || words.count > 14 { break }
        }
        while let last = words.last, ["and", "of", "the", "&"].contains(last.lowercased()) { words.removeLast() }
        guard !words.isEmpty, words.count <= 14 else { return nil }
        let joined = words.joined(separator: " ")
        let key = NameKey.normalize(joined)
        guard !key.isEmpty else { return nil }
        let keyWords = key.split(separator: " ").map(String.init)
        guard keyWords.contains(where: { MetadataExtractor.committeeWords.contains($0) || $0.hasSuffix("committee") }) else { return nil }
        if MetadataExtractor.genericBodies.contains(key) { return nil }
        if MetadataExtractor.fullCouncilNames.contains(key) { return "Council" }
        // "Oxfordshire County Council" names the council: a meeting of it is
        // a full Council meeting.
        if key.hasSuffix(" council") && (!gazetteer.councils(named: key).isEmpty || key.hasSuffix(" county council")
            || key.hasSuffix(" city council") || key.hasSuffix(" district council") || key.hasSuffix(" borough council")
            || key.hasSuffix(" parish council") || key.hasSuffix(" town council")) {
            return "Council"
        }
        if key == "cabinet" || key == "the cabinet" || key == "cabinet meeting" { return "Cabinet" }
        var name = joined
        if Words.isUpperCase(name) { name = Words.titleCased(name) }
        if name.lowercased().hasSuffix(" meeting") { name = String(name.dropLast(8)) }
        return name.trimmed
    }

    func committee(_ view: LineView) -> Extracted<String> {
        var tally = Tally<String>()
        var names: [String: String] = [:]
        func add(_ name: String?, _ score: Double, _ note: String) {
            guard let name else { return }
            let key = NameKey.normalize(name)
            tally.add(key, score, note)
            names[key] = names[key] ?? name
        }
        var firstHeadingSeen = false
        var bodyMentions = 0.0
        for i in view.nonBlank {
            let line = view.lines[i]
            let text = line.text
            let lower = text.lowercased()
            let weight = view.positionWeight(i)
            let where_ = "line \(line.number + 1)"
            // "Notice of a Meeting of the Cabinet", "Meeting of the X to be held".
            if let r = lower.range(of: "meeting of ") {
                let offset = lower.distance(from: lower.startIndex, to: r.upperBound)
                var phrase = String(text.dropFirst(offset))
                // Upper-case notices broken over lines continue on the next.
                if Words.isUpperCase(text), let j = view.nextNonBlank(i), Words.isUpperCase(view.lines[j].text), j - i <= 3 {
                    phrase += " " + view.lines[j].text
                    if let k = view.nextNonBlank(j), Words.isUpperCase(view.lines[k].text), k - j <= 3 { phrase += " " + view.lines[k].text }
                }
                let previousMinutes = lower.contains("minutes of") && MetadataExtractor.approvalWords.contains { lower.contains($0) }
                if !previousMinutes && !lower.contains("next meeting") {
                    add(committeeName(phrase), 5 * weight / 2, "“meeting of …” (\(where_))")
                }
            } else if lower.hasPrefix("notice of") && lower.contains("meeting"), let j = view.nextNonBlank(i) {
                add(committeeName(view.lines[j].text), 5 * weight / 2, "notice of meeting (\(where_))")
            }
            // "MINUTES of the meeting held on ...", "Minutes of a meeting held at":
            // the body is named by the heading above.
            if (lower.hasPrefix("minutes of a meeting held") || lower.hasPrefix("minutes of the meeting held")
                || lower.hasPrefix("minutes of meeting held")), let j = view.previousNonBlank(i), i - j <= 4 {
                add(committeeName(view.lines[j].text), 4 * weight / 2, "heading above the minutes (line \(view.lines[j].number + 1))")
            }
            // "To: Members of the Cabinet".
            for prefix in ["to: members of the ", "to: all members of the ", "to the members of the ", "to: members of ", "to all members of the "] where lower.hasPrefix(prefix) {
                add(committeeName(text.dropFirst(prefix.count)), 3 * weight / 2, "addressed to its members (\(where_))")
            }
            // A heading near the top that is a committee's name.
            if view.rank[i] < 15 && view.isHeading(i) || view.rank[i] < 6 && text.count <= 60 {
                if !lower.hasPrefix("report") && !lower.hasPrefix("to:") && !lower.contains("meeting of"), let name = committeeName(text),
                   NameKey.normalize(name).split(separator: " ").count >= Words.split(text).count - 2 {
                    add(name, firstHeadingSeen ? 2.5 : 4, "heading (\(where_))")
                    firstHeadingSeen = true
                }
            }
            // "The Cabinet considered ...": weak, capped.
            if bodyMentions < 3.6, lower.hasPrefix("the ") {
                for verb in [" considered", " received", " noted", " agreed", " resolved", " approved", " has noted", " has approved", " has considered"] {
                    if let r = lower.range(of: verb) {
                        // Offsets in the lower-cased line may not match the
                        // line's own ("The noted ..." has no subject at all).
                        let end = lower.distance(from: lower.startIndex, to: r.lowerBound)
                        guard end > 4, end <= text.count else { break }
                        let subject = text[text.index(text.startIndex, offsetBy: 4)..<text.index(text.startIndex, offsetBy: end)]
                        if subject.split(separator: " ").count <= 5, let name = committeeName(subject) {
                            add(name, 0.9, "“The \(subject)\(verb) …” in the text")
                            bodyMentions += 0.9
                        }
                        break
                    }
                }
            }
        }
        guard let best = tally.best, best.score >= 2.5, let name = names[best.key] else { return .unknown }
        return Extracted(value: name,
                         confidence: MetadataExtractor.confidence(score: best.score, runnerUp: best.runnerUp, full: 7),
                         source: tally.source(for: best.key))
    }
}

// MARK: - Council

extension MetadataExtractor {
    /// A council named by the paper.
    enum CouncilKey: Hashable {
        case gazetteer(String)  // code
        case text(String)       // normalized name of a council outside the gazetteer
    }

    static let councilQualifiers: Set<String> = [
        "county", "city", "district", "borough", "town", "parish", "community", "metropolitan", "royal", "city and county",
    ]

    func council(_ view: LineView, date: CalendarDate?) -> (Extracted<String>, String?) {
        // Evidence is shared among the councils it could mean that existed
        // on the meeting date.
        func alive(_ found: [Council]) -> [Council] {
            var unique: [Council] = []
            for c in found where !unique.contains(c) { unique.append(c) }
            guard let date else { return unique }
            let existing = unique.filter { $0.existed(on: date) }
            return existing.isEmpty ? unique : existing
        }
        var tally = Tally<CouncilKey>()
        var textNames: [String: String] = [:]
        var domainHits = 0, webHits = 0
        var nameHits: [CouncilKey: Int] = [:]
        var areaHits: [CouncilKey: Int] = [:]
        var countyContext = false

        for i in view.nonBlank {
            let line = view.lines[i]
            let text = line.text
            let lower = text.lowercased()
            let weight = view.positionWeight(i)
            let where_ = "line \(line.number + 1)"
            if lower.contains("county hall") || lower.contains("county council") || lower.contains("county councillor") { countyContext = true }

            // E-mail and web domains.
            if text.contains("@") || lower.contains("www.") || lower.contains("http") || lower.contains(".gov.uk") {
                for host in MetadataExtractor.hosts(in: lower) {
                    let isEmail = host.isEmail
                    let hits = alive(gazetteer.councils(forDomain: host.name))
                    guard !hits.isEmpty else { continue }
                    if isEmail ? domainHits >= 4 : webHits >= 3 { continue }
                    if isEmail { domainHits += 1 } else { webHits += 1 }
                    for c in hits {
                        tally.add(.gazetteer(c.code), (isEmail ? 4 : 2.5) / Double(hits.count), "\(isEmail ? "e-mail" : "web") domain \(host.name)")
                    }
                }
            }

            // Names: "... Council" phrases, looked up in the gazetteer or
            // taken from the text.
            let words = Words.split(text)
            if words.contains(where: { $0 == "Council" || $0 == "COUNCIL" || $0 == "Authority" || $0 == "AUTHORITY" }) {
                for name in councilNames(in: words) {
                    let key = NameKey.normalize(name)
                    let hits = alive(gazetteer.councils(named: key))
                    let isHeading = view.isHeading(i) || words.count <= 8
                    let headingBonus = isHeading && view.rank[i] < view.topLimit ? 2.0 : 1.0
                    if !hits.isEmpty {
                        for c in hits {
                            let k = CouncilKey.gazetteer(c.code)
                            let n = nameHits[k, default: 0]
                            guard n < 6 else { continue }
                            nameHits[k] = n + 1
                            tally.add(k, 2.5 * weight / 2 * headingBonus / Double(hits.count), "name “\(name)” (\(where_))")
                        }
                    } else if let display = textCouncilName(name) {
                        let k = CouncilKey.text(NameKey.normalize(display))
                        let n = nameHits[k, default: 0]
                        guard n < 6 else { continue }
                        nameHits[k] = n + 1
                        textNames[NameKey.normalize(display)] = textNames[NameKey.normalize(display)] ?? display
                        tally.add(k, 2.2 * weight / 2 * headingBonus, "name “\(display)” in the text (\(where_))")
                    }
                }
            }

            // Addresses: "County Hall, New Road, Oxford", "Civic Centre, ...".
            for marker in ["county hall", "town hall", "civic centre", "civic center", "guildhall", "council offices", "council house", "city hall", "shire hall", "civic offices", "municipal buildings"] {
                guard let r = lower.range(of: marker) else { continue }
                var tail = String(text[r.upperBound...])
                if let j = view.nextNonBlank(i), j - i <= 2, tail.count < 60 { tail += ", " + view.lines[j].text }
                let parts = tail.split(whereSeparator: { $0 == "," || $0 == ";" }).prefix(5)
                for part in parts {
                    let placeWords = Words.split(part).filter { $0.first?.isUppercase == true && !$0.contains(where: \.isNumber) }
                    guard !placeWords.isEmpty else { continue }
                    let place = NameKey.normalize(placeWords.joined(separator: " "))
                    var found = gazetteer.councils(forArea: place)
                    if marker == "county hall" || marker == "shire hall" {
                        // County Hall in a county town: Oxford -> Oxfordshire,
                        // Maidstone -> Kent.
                        found = found.filter(\.isCountyLevel) + gazetteer.councils(inCountyTown: place)
                    }
                    found = alive(found)
                    for c in found {
                        tally.add(.gazetteer(c.code), 3.5 / Double(max(1, found.count)), "address “\(marker.capitalized), \(String(part).trimmed)” (\(where_))")
                    }
                    if !found.isEmpty { break }
                }
                break
            }

            // Area names in the text ("Worcestershire's children"): weak.
            for (start, word) in words.enumerated() where word.first?.isUppercase == true && !Words.isUpperCase(word) || word.count > 4 && Words.isUpperCase(word) {
                // Skip the first word of a line: capitalised anyway.
                if start == 0 && word.count <= 6 { continue }
                var candidates: [(String, Int)] = []
                var phrase = ""
                for length in 1...min(4, words.count - start) {
                    var w = words[start + length - 1]
                    if w.hasSuffix("'s") || w.hasSuffix("’s") { w = w.dropLast(2) }
                    phrase += (length > 1 ? " " : "") + NameKey.normalize(w)
                    candidates.append((phrase, length))
                }
                for (key, length) in candidates.reversed() {
                    // Part of a council's full name: counted above.
                    let next = start + length < words.count ? words[start + length].lowercased() : ""
                    if next == "council" || MetadataExtractor.councilQualifiers.contains(next) && start + length + 1 < words.count && words[start + length + 1].lowercased() == "council" { break }
                    let hits = alive(gazetteer.councils(forArea: key).filter { _ in length > 1 || key.count >= 5 })
                    guard !hits.isEmpty else { continue }
                    for c in hits {
                        let k = CouncilKey.gazetteer(c.code)
                        let n = areaHits[k, default: 0]
                        guard n < 8 else { continue }
                        areaHits[k] = n + 1
                        tally.add(k, 0.4 / Double(hits.count), "area name “\(words[start..<start + length].joined(separator: " "))”")
                    }
                    break
                }
            }
        }

        // A council that did not exist on the meeting date is not chosen;
        // without a date, prefer councils that exist now.
        var scores = tally.scores
        for (key, _) in scores {
            guard case .gazetteer(let code) = key, let c = gazetteer.council(code: code) else { continue }
            if let date, !c.existed(on: date) {
                scores[key] = nil
            } else if date == nil, c.end != nil {
                scores[key]! *= 0.8
            }
            if countyContext, c.isCountyLevel, scores[key] != nil { scores[key]! += 0.5 }
        }
        var filtered = Tally<CouncilKey>()
        for key in tally.order {
            if let s = scores[key] {
                filtered.scores[key] = s
                filtered.order.append(key)
                filtered.notes[key] = tally.notes[key]
            }
        }
        guard let best = filtered.best, best.score >= 3 else { return (.unknown, nil) }
        let confidence = MetadataExtractor.confidence(score: best.score, runnerUp: best.runnerUp, full: 10)
        switch best.key {
        case .gazetteer(let code):
            guard let c = gazetteer.council(code: code) else { return (.unknown, nil) }
            return (Extracted(value: c.name, confidence: confidence, source: "gazetteer: " + filtered.source(for: best.key)), c.code)
        case .text(let key):
            return (Extracted(value: textNames[key], confidence: confidence, source: filtered.source(for: best.key)), nil)
        }
    }

    /// Phrases ending in "Council" (or "Authority") within a line's words:
    /// "Oxfordshire County Council", "Limerick City and County Council",
    /// "Stoke Ferry Parish Council".
    func councilNames(in words: [Substring]) -> [String] {
        var result: [String] = []
        for (index, word) in words.enumerated() {
            let lower = word.lowercased()
            guard lower == "council" || lower == "authority" else { continue }
            // Walk back over capitalised words and "and"/"of".
            var start = index
            while start > 0 {
                let w = words[start - 1]
                let l = w.lowercased()
                if w.first?.isUppercase == true || l == "and" || l == "of" || l == "upon" || l == "on" {
                    start -= 1
                } else {
                    break
                }
                if index - start > gazetteer.maxNameWords + 1 { break }
            }
            while start < index, ["and", "of", "the", "upon", "on", "The", "THE"].contains(words[start].lowercased()) || words[start] == "The" { start += 1 }
            guard start < index else { continue }
            // Try the longest phrase first, then shorter ones ("Members of
            // Oxfordshire County Council").
            var s = start
            while s < index {
                let phrase = words[s...index].joined(separator: " ")
                let key = NameKey.normalize(phrase)
                if !gazetteer.councils(named: key).isEmpty {
                    result.append(phrase)
                    break
                }
                s += 1
            }
            if s == index {
                // Not in the gazetteer: keep the whole phrase if it is a
                // plausible proper name.
                result.append(words[start...index].joined(separator: " "))
            }
        }
        return result
    }

    /// A council name from the text that is not in the gazetteer, cleaned;
    /// nil when it is only "County Council" or similar.
    func textCouncilName(_ phrase: String) -> String? {
        let words = Words.split(phrase)
        guard words.count >= 2, words.count <= 9 else { return nil }
        let proper = words.dropLast().filter { w in
            let l = w.lowercased()
            return !MetadataExtractor.councilQualifiers.contains(l) && !["and", "of", "the", "upon", "on", "members", "chief", "executive", "leader", "member", "full", "local", "this", "your", "our", "all", "other", "new", "each"].contains(l)
        }
        guard !proper.isEmpty else { return nil }
        // Must say what kind of council it is: "X Parish Council", "X City
        // and County Council", "X Council" with a proper name.
        let name = Words.isUpperCase(phrase) ? Words.titleCased(phrase) : phrase
        if words.count == 2 && proper.count == 1 && proper[0].count < 3 { return nil }
        return name
    }

    /// Host names in a line: e-mail domains and web addresses.
    struct Host {
        let name: String
        let isEmail: Bool
    }

    static func hosts(in lower: String) -> [Host] {
        var result: [Host] = []
        let chars = Array(lower)
        var i = 0
        while i < chars.count {
            if chars[i] == "@" || (chars[i] == "w" && i + 3 < chars.count && chars[i + 1] == "w" && chars[i + 2] == "w" && chars[i + 3] == ".")
                || (chars[i] == "/" && i + 1 < chars.count && chars[i + 1] == "/") {
                let isEmail = chars[i] == "@"
                var j = isEmail ? i + 1 : (chars[i] == "/" ? i + 2 : i + 4)
                let start = j
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "." || chars[j] == "-" { j += 1 }
                var host = String(chars[start..<j])
                while host.hasSuffix(".") { host.removeLast() }
                if host.hasPrefix("www.") { host = String(host.dropFirst(4)) }
                if host.contains(".") { result.append(Host(name: host, isEmail: isEmail)) }
                i = j
            } else {
                i += 1
            }
        }
        return result
    }
}

#if canImport(Foundation)
import Foundation
#endif
