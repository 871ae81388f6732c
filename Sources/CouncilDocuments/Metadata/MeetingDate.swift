// MARK: - Date

extension MetadataExtractor {
    /// A date written in the paper, where it stands in the running text.
    struct DateCandidate {
        let date: CalendarDate
        /// The view's line the date starts on.
        let line: Int
        /// UTF-8 offsets in the flow.
        let start: Int
        let end: Int
        let written: String
        let weekdayMismatch: Bool
        let hasWeekday: Bool
        /// The year was not written; it comes from the paper's other dates.
        let yearInferred: Bool
    }

    /// Every date in the paper, full or written with a weekday but no year,
    /// including dates broken over two lines ("on Wednesday, 4th\nFebruary,
    /// 2015"). Repeated running headers count once.
    func dateCandidates(_ view: LineView, _ flow: Flow, posted: CalendarDate? = nil) -> [DateCandidate] {
        var found: [DateCandidate] = []
        var partial: [(PartialDateMention, line: Int, start: Int, end: Int, written: String)] = []
        func utf8Offset(_ s: String, _ characters: Int) -> Int { s.prefix(characters).utf8.count }
        for i in view.nonBlank where !view.isRepeat[i] {
            let text = view.lines[i].text
            let base = flow.startOfLine[i]
            let hasDigits = text.utf8.contains(where: { $0 >= 48 && $0 <= 57 })
            var full = hasDigits ? DateFinder.find(in: text) : []
            var glued: (text: String, original: [Int])? = nil
            // A PDF's text with the spaces lost: "on Tuesday11JANUARY 2011at
            // 10.00 am", "held on16 May 2023".
            if full.isEmpty, hasDigits, DateFinder.mayHaveDate(text), let spaced = MetadataExtractor.spacedDigits(text) {
                full = DateFinder.find(in: spaced.text)
                glued = spaced
            }
            for m in full {
                var s = utf8Offset(glued?.text ?? text, m.start), e = utf8Offset(glued?.text ?? text, m.end)
                if let glued {
                    s = glued.original[min(s, glued.original.count - 1)]
                    e = glued.original[min(max(e - 1, 0), glued.original.count - 1)] + 1
                }
                found.append(DateCandidate(date: m.date, line: i, start: base + s, end: base + e, written: String(text.slice(utf8: s, e)),
                                           weekdayMismatch: m.weekdayMismatch, hasWeekday: m.hasWeekday, yearInferred: false))
            }
            for m in hasDigits ? DateFinder.findWithoutYear(in: text) : [] {
                let s = utf8Offset(text, m.start), e = utf8Offset(text, m.end)
                partial.append((m, i, base + s, base + e, String(text.slice(utf8: s, e))))
            }
            // A date broken over a line break.
            if let j = view.nextNonBlank(i), j - i <= 2, !view.isRepeat[j], MetadataExtractor.mayContinueDate(text) {
                let joined = text + " " + view.lines[j].text
                let n = text.count
                for m in DateFinder.find(in: joined) where m.start < n && m.end > n + 1 {
                    let s = utf8Offset(joined, m.start), e = utf8Offset(joined, m.end)
                    found.append(DateCandidate(date: m.date, line: i, start: base + s, end: base + e, written: String(joined.slice(utf8: s, e)),
                                               weekdayMismatch: m.weekdayMismatch, hasWeekday: m.hasWeekday, yearInferred: false))
                }
            }
        }
        // "Monday, 9th December" below a letter dated "4th December, 2019",
        // "held on the 22nd of September": the year of the nearest full date
        // (that makes the weekday right, when one is written).
        // Failing that, the date the page was posted.
        for (m, line, start, end, written) in partial where !found.contains(where: { $0.start == start }) {
            let nearest = found.min(by: { abs($0.start - start) < abs($1.start - start) }).flatMap { abs($0.start - start) < 3000 ? $0.date : nil }
            guard let anchor = nearest ?? posted, let date = m.resolve(near: anchor) else { continue }
            found.append(DateCandidate(date: date, line: line, start: start, end: end, written: written,
                                       weekdayMismatch: false, hasWeekday: m.weekday != nil, yearInferred: true))
        }
        return found
    }

    /// `text` with spaces put back between words and numbers that a PDF's
    /// text lost ("Tuesday11JANUARY 2011at" → "Tuesday 11 JANUARY 2011 at"),
    /// with each byte's offset in the original; nil when there are none. An
    /// ordinal's suffix stays on its number ("11th"), a single letter on its
    /// numbers ("A4440").
    static func spacedDigits(_ text: String) -> (text: String, original: [Int])? {
        let bytes = Array(text.utf8)
        func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        var out: [UInt8] = []
        var original: [Int] = []
        out.reserveCapacity(bytes.count + 8)
        var changed = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if i > 0 {
                let p = bytes[i - 1]
                var split = false
                if isLetter(p) && isDigit(b) {
                    // The letters before: a word of two or more ("Tuesday", "on").
                    var k = i - 1
                    while k > 0, isLetter(bytes[k - 1]) { k -= 1 }
                    split = i - k >= 2
                } else if isDigit(p) && isLetter(b) {
                    // The letters after: a word of three or more, or any after a year.
                    var k = i
                    while k < bytes.count, isLetter(bytes[k]) { k += 1 }
                    let word = String(decoding: bytes[i..<k], as: UTF8.self).lowercased()
                    var d = i
                    while d > 0, isDigit(bytes[d - 1]) { d -= 1 }
                    split = !["st", "nd", "rd", "th"].contains(word) && (k - i >= 3 || i - d == 4)
                }
                if split {
                    out.append(32)
                    original.append(i)
                    changed = true
                }
            }
            out.append(b)
            original.append(i)
            i += 1
        }
        return changed ? (String(decoding: out, as: UTF8.self), original) : nil
    }

    /// Whether a line may end in the first half of a date: a day, a
    /// weekday or a month among its last words.
    static func mayContinueDate(_ text: String) -> Bool {
        let tail = Words.split(text.suffix(24)).suffix(2)
        return tail.contains { w in
            Months.number(w) != nil || Months.isWeekday(w) || (w.first?.isNumber == true && w.count <= 4 && Int(w.prefix(while: \.isNumber)).map { $0 <= 31 } == true)
        }
    }

    func date(_ view: LineView, _ flow: Flow, kind: DocumentKind?, posted: CalendarDate? = nil) -> Extracted<CalendarDate> {
        // Per date: its best mention counts whole, further mentions add a
        // little (at most 1.5 in all). Mentions that are not the meeting's
        // ("Date of next meeting: ...") count only for a date that no
        // mention supports.
        var best: [CalendarDate: Double] = [:]
        var extra: [CalendarDate: Double] = [:]
        var worst: [CalendarDate: Double] = [:]
        var notes = Tally<CalendarDate>()
        func add(_ date: CalendarDate, _ score: Double, _ note: String) {
            notes.add(date, 0, note)
            if score <= 0 {
                worst[date] = min(worst[date] ?? 0, score)
                return
            }
            let previous = best[date] ?? 0
            let low = min(score, previous)
            extra[date, default: 0] = min(1.5, extra[date, default: 0] + low * 0.25)
            best[date] = max(previous, score)
        }
        let candidates = dateCandidates(view, flow, posted: posted)
        // The first heading of minutes that says when they were held: "Minutes
        // of the meeting of X held on Wednesday 4 March 2020".
        var ownHeadingSeen = false
        let isMinutes = kind == .minutes
        for c in candidates {
            let line = view.lines[c.line]
            // What a bracket says is an aside: "Draft (until approved at the
            // next meeting) Minutes of the Ordinary Meeting held on ...".
            let before = MetadataExtractor.withoutBrackets(flow.lowerBefore(c.start, 320))
            let after = flow.lowerAfter(c.end, 140)
            let trimmedBefore = before.trimmingCharacters(in: CharacterSet(charactersIn: " ,*"))
            var positive = 1.0, negative = 0.0
            var reasons: [String] = []
            if c.hasWeekday { positive += 2; reasons.append("weekday") }
            // A weekday that does not fit: a misprint of the weekday, or of the
            // year when the paper's other dates are of a year where it fits.
            let corrected = c.weekdayMismatch ? MetadataExtractor.correctedYear(c, candidates, posted: posted) : nil
            if c.weekdayMismatch {
                negative += corrected == nil ? 1.5 : 4
                reasons.append("weekday does not match")
            }
            if c.yearInferred { negative += 0.5; reasons.append("year from the paper's other dates") }
            if MetadataExtractor.hasTime(after.prefix(40)) { positive += 2; reasons.append("time") }
            // "held on", "to be held at ... on", "will take place ... on".
            let near = before.suffix(170)
            if trimmedBefore.hasSuffix(" on") || trimmedBefore.hasSuffix(" on the") || trimmedBefore.hasSuffix("held")
                || trimmedBefore.hasSuffix(" at") && near.includes("held") || trimmedBefore.hasSuffix("held on the") {
                let future = near.includes("to be held") || near.includes("will be held") || near.includes("will take place")
                    || near.includes("will meet")
                if near.includes("held") || near.includes("meeting") || near.includes("take place") || near.includes("will meet") {
                    if future && isMinutes {
                        reasons.append("a meeting to come")
                    } else {
                        positive += 3
                        reasons.append("“held on”")
                    }
                }
            }
            // In minutes, a meeting to come: "The Annual Parish Meeting will be
            // on Thursday 14 April", "is to be held on".
            if isMinutes, ["will be on", "will be held", "is to be held", "will take place", "to be held on", "will be at"]
                .contains(where: { before.suffix(60).includes($0) }) {
                negative += 3
                reasons.append("a meeting to come")
            }

            let close = before.suffix(40)
            // A labelled date says what it is on its own line: "Date of
            // decision: 23/07/2013" under "Publication date: 25/07/2013".
            let lineStart = flow.startOfLine[c.line]
            let label = c.start > lineStart ? flow.lower.slice(utf8: lineStart, c.start) : Substring("")
            let labelled = label.utf8.count <= 40 && label.includes(":")
            if (close.includes("date of meeting") || close.includes("meeting date") || trimmedBefore.hasSuffix("date:")
                || trimmedBefore.hasSuffix("date")) && !(labelled ? label : close).includes("publication") && !(labelled ? label : close).includes("decision") {
                positive += 3
                reasons.append("“date of meeting”")
            }
            if labelled, label.includes("date of decision") || label.includes("decision date") || label.includes("decided at meeting")
                || label.includes("date decision taken") || label.includes("decision made on") {
                positive += 3
                reasons.append("“date of decision”")
            }
            // Minutes published after the meeting: a date after the page was
            // posted is not the meeting's.
            if isMinutes, let posted, c.date > posted {
                negative += 3
                reasons.append("after the page was posted")
            }
            if after.prefix(140).includes("called to order") || after.prefix(60).includes("the meeting commenced") {
                positive += 4
                reasons.append("“called to order”")
            }
            // A letter's own date above "To: ..." or "Dear ...": not the meeting.
            let isLetterDate = MetadataExtractor.isLetterDate(c, view)
            if isLetterDate {
                negative += 3
                reasons.append("letter date")
            } else if view.isHeading(c.line) && line.text.count <= 70 {
                positive += 2
                reasons.append("heading")
            }
            // "CABINET\n20 MARCH 2018", "CITY COUNCIL\nMONDAY, MAY 26, 2014".
            if !isLetterDate, let p = view.previousNonBlank(c.line), c.line - p <= 2, MetadataExtractor.namesABody(view.lower[p]) {
                positive += 2
                reasons.append("under “\(view.lines[p].text)”")
            }
            // ModernGov's meeting page heading: "Cabinet - Wednesday, 19th
            // June, 2024 10.00 am".
            // (With its weekday or time: a running header "Cabinet – 14
            // February 2018" of attached minutes has neither.)
            if view.rank[c.line] < 12, line.text.utf8.count <= 120, c.hasWeekday || MetadataExtractor.hasTime(after.prefix(40)),
               MetadataExtractor.bodyBeforeDate(line.text) != nil {
                positive += 3
                reasons.append("meeting page heading")
            }
            let rank = view.rank[c.line]
            if rank < 12 { positive += 2 } else if rank < view.headLimit { positive += 1 } else { positive *= 0.6 }
            // Dates that are not the meeting's own.
            // What is written before a date says what it is ("Publication
            // date:", "Date of next meeting:").
            // (A labelled date's context is its label: not the line above.)
            var context = labelled ? String(label) : String(before.suffix(90))
            // "Draft Minutes Subject to the Approval at the next Meeting":
            // about these minutes, not the next meeting's date.
            for phrase in ["approval at the next meeting", "approved at the next meeting", "signed at the next meeting",
                           "confirmed at the next meeting", "agreed at the next meeting", "approval of the next meeting"] {
                context = context.replacingOccurrences(of: phrase, with: "")
            }
            // "the next meeting of the Committee will be held on ...": in a
            // notice at the head of an agenda, the meeting it calls.
            let announces = kind == .agenda && rank < 25 && (near.includes("will be held") || near.includes("will take place"))
            // "the next regular meeting of Council on ...", "next ordinary meeting".
            if !announces, let next = context.utf8Offsets(of: "next ").last,
               context.slice(utf8: next, min(context.utf8.count, next + 30)).includes("meeting"), !context.includes("next meeting") {
                negative += 8
                reasons.append("“next … meeting”")
            }
            for (phrase, penalty) in MetadataExtractor.negativeDateContexts where context.includes(phrase) {
                if announces && phrase == "next meeting" { continue }
                negative += penalty
                reasons.append("“\(phrase)”")
                break
            }
            // "To adopt the minutes of the meeting held on ...", "the minutes
            // of the meeting held on ... were confirmed".
            // A list under "To adopt the minutes of the following meetings:"
            // reaches further back.
            let listed = before.suffix(300)
            let aboutMinutes = near.includes("minutes")
            let adoptingList = listed.includes("minutes") && ["adopt", "confirm", "approve"].contains(where: { listed.includes($0) })
                && !listed.includes("to be held") && !listed.includes("will be held")
            // An agenda item or minute about minutes: "2. Minutes of the
            // meeting of the Property Sub-Committee held on 5 June 2024".
            let itemAboutMinutes = ItemSegmenter.leadingNumber(line.text) != nil
                && view.lower[c.line].slice(utf8: 0, max(0, c.start - flow.startOfLine[c.line])).includes("minutes")
            if adoptingList || itemAboutMinutes || (aboutMinutes || near.includes("meeting of") && !near.includes("meeting of the council was"))
                && MetadataExtractor.approvalWords.contains(where: { near.includes($0) || aboutMinutes && after.prefix(50).includes($0) }) {
                negative += 6
                reasons.append("earlier minutes")
            } else if !ownHeadingSeen, view.rank[c.line] < 15, near.suffix(140).includes("minutes of"), near.suffix(60).includes("held"),
                      !view.lower[c.line].includes("pdf"), !after.prefix(60).includes("were ") && !after.prefix(60).includes(" be ") {
                // Minutes headed "Minutes of the ... meeting ... held on <date>":
                // the first such heading near the top is the meeting's own
                // (not an item "Minutes of the Meeting held on 3 December 2018
                // pdf icon", nor "... held on 3 December 2018 were agreed").
                ownHeadingSeen = true
                positive += 3
                reasons.append("the minutes' own heading")
            }
            add(c.date, positive - negative, "“\(c.written)” (line \(line.number + 1)\(reasons.isEmpty ? "" : ", " + reasons.joined(separator: ", ")))")
            // A misprinted year: "Thursday, 15 July, 2023" in a paper whose
            // other dates are of 2021, when 15 July 2021 was a Thursday.
            if let corrected {
                add(corrected, positive - 1, "“\(c.written)” read as \(corrected.longForm) (line \(line.number + 1), the weekday fits that year)")
            }
            // ModernGov: "... working day before the meeting (in this case
            // 27 September 2017)": the meeting is the next working day.
            if before.suffix(120).includes("before the meeting") && before.suffix(25).includes("in this case") {
                add(c.date.nextWorkingDay, 5, "working day after “\(c.written)” (line \(line.number + 1), a deadline “before the meeting”)")
            }
        }
        var tally = Tally<CalendarDate>()
        for date in notes.order {
            tally.scores[date] = best[date].map { $0 + (extra[date] ?? 0) } ?? worst[date] ?? 0
            tally.order.append(date)
            tally.notes[date] = notes.notes[date]
        }
        if ProcessInfo.processInfo.environment["COUNCIL_DEBUG_METADATA"] != nil {
            for key in tally.order where (tally.scores[key] ?? 0) > -100 { print("date \(key): \(tally.scores[key] ?? 0) \(tally.notes[key] ?? [])") }
        }
        guard let best = tally.best, best.score >= 3 else { return .unknown }
        return Extracted(value: best.key,
                         confidence: MetadataExtractor.confidence(score: best.score, runnerUp: best.runnerUp, full: 8),
                         source: tally.source(for: best.key))
    }

    /// `text` without the parts in round brackets that close in it.
    static func withoutBrackets(_ text: Substring) -> Substring {
        guard text.utf8.contains(41) else { return text }  // ")"
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var depth = 0
        var pending = ""
        for c in text {
            if c == "(" {
                depth += 1
                if depth == 1 { pending = "" }
                pending.append(c)
            } else if c == ")" && depth > 0 {
                depth -= 1
                if depth > 0 { pending.append(c) }
            } else if c == ")" {
                // A bracket that opened before the text began: all before it
                // was in it.
                out = ""
            } else if depth > 0 {
                pending.append(c)
            } else {
                out.append(c)
            }
        }
        // A bracket still open at the end is kept: it may hold the date.
        if depth > 0 { out += pending }
        return Substring(out)
    }

    /// The date `c` would be in a year near the paper's other dates where
    /// its weekday is right, if there is exactly one such year.
    static func correctedYear(_ c: DateCandidate, _ all: [DateCandidate], posted: CalendarDate? = nil) -> CalendarDate? {
        // Only when the year written is not the year of the paper's other
        // dates (or of the page's posting): a wrong weekday is as likely a
        // misprint as a wrong year.
        let others = all.filter { !$0.weekdayMismatch && $0.date != c.date && !$0.yearInferred }.map(\.date.year) + [posted?.year].compactMap { $0 }
        guard !others.isEmpty, !others.contains(c.date.year), let weekday = DateFinder.find(in: c.written).first?.weekday else { return nil }
        let years = Set(others)
        let fits = years.compactMap { y -> CalendarDate? in
            guard abs(y - c.date.year) <= 3, let d = CalendarDate(year: y, month: c.date.month, day: c.date.day), d.weekday == weekday else { return nil }
            return d
        }
        return fits.count == 1 ? fits[0] : nil
    }

    /// A date standing alone at the head of a letter: the next lines say
    /// whom it is to ("To:", "Dear", "A Chara") or the lines above are an
    /// address with telephone numbers.
    static func isLetterDate(_ c: DateCandidate, _ view: LineView) -> Bool {
        guard !c.hasWeekday, view.rank[c.line] < view.headLimit else { return false }
        let lower = view.lower[c.line]
        // The date is (nearly) the whole line, or the line ends with it
        // after an address or reference.
        let rest = lower.replacingOccurrences(of: Words.asciiLowercased(c.written), with: "")
        let restWords = Words.split(rest).filter { !["t", "f", "e", "tel", "fax"].contains($0) && !$0.allSatisfy(\.isNumber) }
        guard restWords.count <= 4 || lower.hasSuffix(Words.asciiLowercased(c.written)) || lower.hasSuffix(Words.asciiLowercased(c.written) + ".") else { return false }
        if hasTime(Substring(lower)) { return false }
        // The addressee or greeting follows, after the sender's address.
        var j = c.line
        for step in 0..<16 {
            guard let n = view.nextNonBlank(j) else { break }
            let next = view.lower[n]
            for opening in ["to:", "to :", "to/", "to /", "to the ", "to each ", "to all ", "dear", "a chara", "a chomhairleoir", "re:", "our ref", "your ref", "ref:", "ref."]
            where next.hasPrefix(opening) {
                return true
            }
            if step < 4, next.hasPrefix("tel") || next.hasPrefix("t:") || next.hasPrefix("f:") { return true }
            // Another date, or the agenda's items: no longer the letter's head.
            if !DateFinder.find(in: next).isEmpty || ItemSegmenter.leadingNumber(view.lines[n].text) != nil { break }
            j = n
        }
        j = c.line
        for _ in 0..<4 {
            guard let p = view.previousNonBlank(j) else { break }
            let prev = view.lower[p]
            if prev.hasPrefix("t:") || prev.hasPrefix("f:") || prev.hasPrefix("tel") || prev.includes("eircode") || prev.hasPrefix("e-mail") || prev.hasPrefix("email") {
                return true
            }
            j = p
        }
        return false
    }

    /// Whether a short line names a body: "CABINET", "City Council",
    /// "Planning Committee".
    static func namesABody(_ lower: String) -> Bool {
        guard lower.utf8.count <= 48, DateFinder.find(in: lower).isEmpty, !lower.hasPrefix("of "), !lower.hasPrefix("and ") else { return false }
        let words = Words.split(lower)
        guard !words.isEmpty, words.count <= 6 else { return false }
        // "CITY COUNCIL" heads a meeting; "Limerick City & County Council"
        // is a letterhead.
        if words.contains("council") {
            let plain: Set<String> = ["city", "county", "council", "full", "the", "borough", "district", "town", "parish", "meeting",
                                      "special", "annual", "ordinary", "extraordinary", "of"]
            return words.allSatisfy { plain.contains(String($0)) }
        }
        return words.contains { committeeWords.contains(String($0)) || $0.hasSuffix("committee") }
    }

    static let negativeDateContexts: [(String, Double)] = [
        ("next meeting", 8), ("future meeting", 6), ("publication", 6), ("published", 5),
        ("despatch", 6), ("dispatch", 6), ("date of issue", 6), ("issued on", 6), ("issue date", 6), ("circulated on", 5),
        ("no later than", 6), ("not later than", 6), ("deadline", 6), ("closing date", 6), ("received by", 4),
        ("submitted by", 4), ("previous meeting", 5), ("last meeting", 5), ("call-in", 4), ("call in", 3),
        ("come into force", 4), ("implemented", 3), ("effective from", 3), ("date of signing", 6), ("dated", 3),
        ("expiry", 4), ("printed", 4), ("updated", 3), ("date of decision", 0), ("born on", 6), ("referred from", 5),
        ("adjourned to", 4), ("dates for", 4), ("schedule of meetings", 4), ("meeting dates", 4), ("proposed dates", 4), (" sent:", 5), ("posted", 4), ("received on", 4), (" as at ", 3), ("year ending", 3),
    ]

    static let approvalWords = ["confirm", "approve", "signed", "agreed", "adopt", "accuracy", "correct record", "circulated",
                                "copy of", "taken as read", "matters arising"]

    /// "at 2.00 pm", "10.00 am", "9.15 a.m.", "commencing at", "at 10am".
    static func hasTime(_ s: Substring) -> Bool {
        if s.includes("commencing") || s.includes("o'clock") || s.includes("noon") { return true }
        let chars = Array(s.lowercased())
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

#if canImport(Foundation)
import Foundation
#endif
