// MARK: - Committee

extension MetadataExtractor {
    /// Words that make a phrase the name of a body that meets.
    static let committeeWords: Set<String> = [
        "committee", "sub-committee", "subcommittee", "cabinet", "council", "panel", "board", "forum", "executive",
        "commission", "assembly", "partnership", "group", "conference",
    ]

    /// Words that only refer back to a body named elsewhere ("the
    /// Committee considered").
    static let genericBodies: Set<String> = [
        "committee", "sub committee", "subcommittee", "panel", "board", "meeting", "group", "members", "forum",
        "partnership", "commission", "chairman", "chair", "leader", "mayor", "officers", "officer", "report",
        "executive", "policy committee", "committees", "joint committee",
    ]

    static let fullCouncilNames: Set<String> = [
        "council", "full council", "county council", "city council", "district council", "borough council",
        "council meeting", "annual council", "annual council meeting", "extraordinary council", "ordinary council",
        "the council", "meeting of the council", "annual meeting of the council", "ordinary meeting of the council",
        "extraordinary meeting of the council", "special council", "town council", "parish council",
        "county council meeting", "full council meeting", "meeting of council", "council assembly",
        "city and county council", "special council meeting", "budget council",
    ]

    /// Words before a body's name that say what sort of meeting it was,
    /// not which body: "Special", "Annual", "Virtual".
    static let meetingQualifiers: Set<String> = [
        "special", "annual", "monthly", "ordinary", "extraordinary", "adjourned", "inaugural", "virtual", "online",
        "hybrid", "blended", "full", "statutory", "general", "emergency", "reconvened", "remote", "quarterly",
    ]

    /// Words that end a body's name in running text.
    static let nameStops: Set<String> = [
        "held", "to", "on", "at", "in", "will", "which", "is", "was", "scheduled", "commencing", "starting", "date",
        "dated", "has", "have", "considered", "received", "noted", "agreed", "resolved", "approved", "were", "are", "be",
        "meeting", "taking", "hed", "by", "from", "that", "this", "dear", "re", "a", "an", "took", "takes", "via",
        "wednesday", "monday", "tuesday", "thursday", "friday", "saturday", "sunday", "when", "where", "with", "as",
        "called", "present", "minutes", "agenda", "members", "member", "chaired",
    ]

    /// Words of document titles, not of bodies' names.
    static let titleWords: Set<String> = [
        "publication", "official", "record", "minutes", "agenda", "report", "notice", "summons", "proceedings", "papers",
        "decisions", "pack", "item", "items", "schedule", "chair", "chairman", "chairperson", "member", "members",
        "councillor", "councillors", "cathaoirleach", "mayor", "clerk", "president", "officer", "director",
        "decision", "statement", "update", "updates", "reports", "questions", "democracy", "webcast",
    ]

    /// A clean committee name from the start of `phrase`, or nil when it
    /// does not name one. The council's own name or area before it is
    /// dropped ("Limerick City and County Council Joint Policing
    /// Committee" → "Joint Policing Committee").
    func committeeName(_ phrase: some StringProtocol, councilKey: String? = nil, areaKey: String? = nil) -> String? {
        // "Limerick City & County Council's Travel ... Committee".
        let phrase = phrase.split(separator: " ", omittingEmptySubsequences: true).map { w -> String in
            let l = w.lowercased()
            return l == "council's" || l == "council’s" ? String(w.dropLast(2)) : String(w)
        }.joined(separator: " ")
        // Words up to the first that ends the name.
        var words: [String] = []
        var pendingComma = false
        for raw in phrase.split(separator: " ", omittingEmptySubsequences: true) {
            var w = Substring(raw)
            while let f = w.first, "(“\"'‘*_".contains(f) { w = w.dropFirst() }
            var stopAfter = false
            var comma = false
            while let last = w.last, ",.;:)”\"’*_".contains(last) || last == "–" {
                if last == "," { comma = true } else { stopAfter = true }
                w = w.dropLast()
            }
            if raw.first == "(" { break }
            if w.isEmpty {
                if raw == "&" { words.append("&") }
                if raw == "-" || raw == "–" || raw == "|" || raw == "/" { break }
                if stopAfter { break }
                continue
            }
            let lower = w.lowercased()
            if words.isEmpty && (lower == "the" || lower == "a" || lower == "an" || lower == "of") {
                if stopAfter { break }
                continue
            }
            if pendingComma {
                // A comma ends the name once it has a body word, unless what
                // came before it was only the council ("Limerick City &
                // County Council, Home and Social Development SPC").
                let sofar = NameKey.normalize(words.joined(separator: " "))
                let sofarWords = sofar.split(separator: " ").map(String.init)
                if sofarWords.last == "council" {
                    words = []
                } else if sofarWords.contains(where: MetadataExtractor.isBodyWord) {
                    break
                }
                pendingComma = false
            }
            if !words.isEmpty && MetadataExtractor.nameStops.contains(lower) && !(lower == "of" || lower == "for") { break }
            // After a body's name in capitals, lower-case words are not part
            // of it ("JOINT POLICING COMMITTEE eve ee").
            if let last = words.last, MetadataExtractor.isBodyWord(last.lowercased()), w.first?.isLowercase == true,
               !["of", "for", "on", "and"].contains(lower) { break }
            if DateFinder.find(in: String(w)).isEmpty == false || w.allSatisfy({ $0.isNumber }) { break }
            if lower == "for" || lower == "of" {
                // "... Sub-Committee of the Municipal District of X", "Council
                // of the City of Cleveland", "Municipal District of X".
                words.append(String(w))
                if stopAfter { break }
                continue
            }
            words.append(String(w))
            if comma { pendingComma = true }
            if stopAfter || words.count > 16 { break }
        }
        // Commas inside a name stay ("Community, Leisure & Culture
        // Committee"): mark the words that had one.
        var commaWords = Set<Int>()
        do {
            var index = 0
            for raw in phrase.split(separator: " ", omittingEmptySubsequences: true) where index < words.count {
                let trimmed = raw.trimmingCharacters(in: CharacterSet(charactersIn: "(“\"'‘*_,.;:)”’–"))
                guard !trimmed.isEmpty || raw == "&" else { continue }
                if trimmed.lowercased() == words[index].lowercased() || raw == "&" && words[index] == "&" {
                    if raw.hasSuffix(",") && index < words.count - 1 { commaWords.insert(index) }
                    index += 1
                } else if index == 0 {
                    continue
                }
            }
        }
        words = words.enumerated().map { commaWords.contains($0.offset) ? $0.element + "," : $0.element }
        // "for"/"of" only join names: "Committee for Housing" is kept,
        // a trailing "of the" is not.
        while let last = words.last, ["and", "of", "the", "&", "for", "'s"].contains(last.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ","))) { words.removeLast() }
        if let last = words.last, last.hasSuffix(",") { words[words.count - 1] = String(last.dropLast()) }
        guard !words.isEmpty else { return nil }
        var joined = words.joined(separator: " ")
        var key = NameKey.normalize(joined)
        guard !key.isEmpty else { return nil }
        // Names ending "... of Limerick City & County Council" or "... for
        // the Elected Members": cut.
        if let r = key.range(of: " of ", options: .backwards), !key.hasPrefix("council of"),
           MetadataExtractor.isCouncilKey(String(key[r.upperBound...])), !MetadataExtractor.isCouncilKey(key) {
            let cut = key[..<r.lowerBound]
            joined = MetadataExtractor.prefixWords(joined, count: cut.split(separator: " ").count)
            key = NameKey.normalize(joined)
        }
        var keyWords = key.split(separator: " ").map(String.init)
        // "Council of the City of Cleveland": the council itself.
        if key.hasPrefix("council of the ") && keyWords.count <= 8 { return "Council" }
        // What comes after the council's name, if anything.
        if let index = keyWords.firstIndex(of: "council"), index < keyWords.count - 1 {
            let rest = Array(keyWords[(index + 1)...])
            let councilPart = keyWords[...index].joined(separator: " ")
            // An acronym after the council may name a body ("... Council SPC").
            let restHasAcronym = joined.split(separator: " ").suffix(rest.count).contains { w in
                w.count >= 2 && w.count <= 5 && w.allSatisfy { $0.isUppercase && $0.isLetter } && !Words.isUpperCase(joined)
            } || rest.count == 1 && rest[0].count <= 4 && rest[0] != "hed" && rest[0] != "held"
            if rest.contains(where: MetadataExtractor.isBodyWord) || MetadataExtractor.isDistrictName(rest.joined(separator: " ")) || restHasAcronym {
                if MetadataExtractor.isCouncilKey(councilPart) || index >= 1 && !["the", "of"].contains(keyWords[index - 1]) {
                    // "<council> Joint Policing Committee".
                    let dropped = MetadataExtractor.dropWords(joined, count: index + 1)
                    joined = dropped.hasPrefix("s ") ? String(dropped.dropFirst(2)) : dropped
                    key = NameKey.normalize(joined)
                    keyWords = key.split(separator: " ").map(String.init)
                }
            } else if index == 0 && rest != ["meeting"] {
                // "Council and democracy", "Council Tax": not a body's name.
                return nil
            } else if !rest.contains("of") {
                // "Limerick City and County Council HED IN": the council.
                joined = MetadataExtractor.prefixWords(joined, count: index + 1)
                key = councilPart
                keyWords = Array(keyWords[...index])
            }
        }
        // The council's area before a body: "Limerick Joint Policing Committee".
        if let areaKey, !areaKey.isEmpty, key.hasPrefix(areaKey + " ") {
            let n = areaKey.split(separator: " ").count
            let rest = Array(keyWords.dropFirst(n))
            if rest.contains(where: MetadataExtractor.isBodyWord) && !MetadataExtractor.fullCouncilNames.contains(rest.joined(separator: " ")) {
                joined = MetadataExtractor.dropWords(joined, count: n)
                key = NameKey.normalize(joined)
                keyWords = rest
            }
        }
        // "Special Council", "Virtual Joint Policing Committee".
        while let first = keyWords.first, MetadataExtractor.meetingQualifiers.contains(first), keyWords.count > 1 {
            joined = MetadataExtractor.dropWords(joined, count: 1)
            keyWords.removeFirst()
            key = keyWords.joined(separator: " ")
        }
        if keyWords.last == "meeting" && keyWords.count > 1 {
            joined = MetadataExtractor.prefixWords(joined, count: keyWords.count - 1)
            keyWords.removeLast()
            key = keyWords.joined(separator: " ")
        }
        guard !keyWords.isEmpty, keyWords.count <= 16 else { return nil }
        if keyWords.contains(where: { MetadataExtractor.titleWords.contains($0) }) { return nil }
        let isDistrict = MetadataExtractor.isDistrictName(key)
        guard isDistrict || keyWords.contains(where: MetadataExtractor.isBodyWord) else { return nil }
        if MetadataExtractor.genericBodies.contains(key) { return nil }
        if MetadataExtractor.fullCouncilNames.contains(key) { return "Council" }
        // A council's name: a meeting of it is a full Council meeting.
        if MetadataExtractor.isCouncilKey(key) && !isDistrict { return "Council" }
        if let councilKey, key == councilKey { return "Council" }
        if key == "cabinet" || key == "the cabinet" || key == "cabinet meeting" { return "Cabinet" }
        var name = joined.trimmed
        if Words.isUpperCase(name) { name = Words.titleCased(name) }
        name = MetadataExtractor.canonicalDistrictName(name)
        name = name.replacingOccurrences(of: "Subcommittee", with: "Sub-Committee").replacingOccurrences(of: "SubCommittee", with: "Sub-Committee")
        return name
    }

    /// The first date after "held on" / "held at … on" in `text`.
    static func heldOnDate(_ text: Substring) -> CalendarDate? {
        let whole = String(text)
        guard let r = whole.utf8Offset(of: "held ") else { return nil }
        let rest = String(whole.slice(utf8: r, min(whole.utf8.count, r + 90)))
        return DateFinder.find(in: rest).first?.date
    }

    /// `text` after a leading date and a dash: "16/10/2013 - Cabinet" →
    /// "Cabinet".
    static func afterLeadingDate(_ text: Substring) -> Substring? {
        for dash in [" - ", " – ", " — "] {
            guard let r = text.range(of: dash) else { continue }
            let head = text[..<r.lowerBound]
            guard head.count <= 30, DateFinder.find(in: String(head)).first != nil || head.allSatisfy({ $0.isNumber || $0 == "/" || $0 == "." }) else { continue }
            return text[r.upperBound...]
        }
        return nil
    }

    /// "Cabinet" in "Cabinet - Monday, 14th October, 2013 10.00 am": a
    /// body's name, a dash, then the meeting's date (and time).
    static func bodyBeforeDate(_ text: String) -> String? {
        for dash in [" - ", " – ", " — "] {
            guard let r = text.range(of: dash) else { continue }
            let body = text[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
            let rest = String(text[r.upperBound...])
            guard !body.isEmpty, body.split(separator: " ").count <= 12,
                  let m = DateFinder.find(in: rest).first, m.start <= 12 else { continue }
            return body
        }
        return nil
    }

    /// The words of a short line before its first date, without a leading
    /// page number or trailing punctuation: "Cabinet" in "1 Cabinet
    /// Wednesday, 30 January 2019"; nil when the line has no date or
    /// nothing before it.
    static func textBeforeDate(_ text: String) -> String? {
        guard let m = DateFinder.find(in: text).first, m.start > 0 else { return nil }
        var head = String(text.prefix(m.start))
        // The weekday belongs to the date.
        let words = head.split(separator: " ")
        if let last = words.last, Months.isWeekday(last.trimmingCharacters(in: CharacterSet(charactersIn: ",."))) {
            head = words.dropLast().joined(separator: " ")
        }
        var t = head.trimmingCharacters(in: CharacterSet(charactersIn: " ,.;:-–—|"))
        if let first = t.split(separator: " ").first, first.allSatisfy(\.isNumber) { t = String(t.dropFirst(first.count)).trimmingCharacters(in: .whitespaces) }
        return t.isEmpty ? nil : t
    }

    /// Where "minutes of the [ordinary|annual|...] meeting held" starts in
    /// a line (lower-cased), near its start, when the phrase does not say
    /// whose meeting it was.
    static func unnamedMeetingMinutes(_ lower: String) -> Int? {
        guard let r = lower.utf8Offset(of: "minutes of "), r < 90 else { return nil }
        var rest = lower.slice(utf8: r + "minutes of ".utf8.count, min(lower.utf8.count, r + 140)).split(separator: " ")[...]
        while let w = rest.first, ["the", "a", "an", "proceedings", "of"].contains(w) || meetingQualifiers.contains(String(w)) || w == "draft" {
            rest = rest.dropFirst()
        }
        guard let first = rest.first, first == "meeting", let second = rest.dropFirst().first,
              ["held", "on", "at", "which", "that", "of"].contains(second) else { return nil }
        // "minutes of the meeting of the X": X names it.
        if second == "of" {
            let third = rest.dropFirst(2).first ?? ""
            guard third == "the" && (rest.dropFirst(3).first.map { ["council", "parish", "town"].contains($0) } ?? false) else { return nil }
        }
        return r
    }

    static func isBodyWord(_ w: String) -> Bool {
        committeeWords.contains(w) || w.hasSuffix("committee") || w == "committees"
    }

    /// "municipal district of newcastle west", "adare rathkeale municipal
    /// district", "metropolitan district of limerick".
    static func isDistrictName(_ key: String) -> Bool {
        key.includes("municipal district") || key.includes("metropolitan district")
    }

    /// Whether a normalized name is a council's: "... council" with a
    /// proper name, or "council of the city of ...".
    static func isCouncilKey(_ key: String) -> Bool {
        guard key.hasSuffix("council") || key.hasPrefix("council of the ") else { return false }
        let words = key.split(separator: " ")
        return words.count >= 2 && !isDistrictName(key) && !words.contains(where: { isBodyWord(String($0)) && $0 != "council" })
    }

    /// "Newcastle West Municipal District" → "Municipal District of
    /// Newcastle West"; "Joint Policing Sub-Committee of the Municipal
    /// District of X" → "Municipal District of X Joint Policing
    /// Sub-Committee": one name for a district's bodies, however written.
    static func canonicalDistrictName(_ name: String) -> String {
        let key = NameKey.normalize(name)
        guard isDistrictName(key) else { return name }
        let words = name.split(separator: " ").map(String.init)
        let lower = words.map { $0.lowercased() }
        guard let d = lower.indices.first(where: { i in (lower[i] == "municipal" || lower[i] == "metropolitan") && i + 1 < lower.count && lower[i + 1].hasPrefix("district") }) else { return name }
        let kindWords = words[d...(d + 1)].joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: ",."))
        // "<body> of/for the Municipal District of <place>".
        if d >= 2, lower[d - 1] == "the", lower[d - 2] == "of" || lower[d - 2] == "for", d + 2 < lower.count, lower[d + 2] == "of" {
            let body = words[..<(d - 2)].joined(separator: " ")
            let place = words[(d + 3)...].joined(separator: " ")
            return body.isEmpty ? "\(kindWords) of \(place)" : "\(kindWords) of \(place) \(body)"
        }
        if d >= 1, lower[d - 1] == "of" || lower[d - 1] == "for", d + 2 < lower.count, lower[d + 2] == "of" {
            let body = words[..<(d - 1)].joined(separator: " ")
            let place = words[(d + 3)...].joined(separator: " ")
            return body.isEmpty ? "\(kindWords) of \(place)" : "\(kindWords) of \(place) \(body)"
        }
        // "<place> Municipal District [<body>]".
        if d >= 1, !(d + 2 < lower.count && lower[d + 2] == "of") {
            let place = words[..<d].filter { $0.lowercased() != "the" }.joined(separator: " ")
            let body = words[(d + 2)...].joined(separator: " ")
            guard !place.isEmpty else { return name }
            return body.isEmpty ? "\(kindWords) of \(place)" : "\(kindWords) of \(place) \(body)"
        }
        return name
    }

    static func prefixWords(_ s: String, count: Int) -> String {
        s.split(separator: " ", omittingEmptySubsequences: true).prefix(count).joined(separator: " ")
    }

    /// `s` without its first `count` normalized words (punctuation-only
    /// pieces do not count).
    static func dropWords(_ s: String, count: Int) -> String {
        var remaining = count
        var pieces = s.split(separator: " ", omittingEmptySubsequences: true)[...]
        while remaining > 0, let first = pieces.first {
            remaining -= NameKey.normalize(first).split(separator: " ").count
            pieces = pieces.dropFirst()
        }
        while let first = pieces.first, NameKey.normalize(first).isEmpty || first == "&" { pieces = pieces.dropFirst() }
        var out = pieces.joined(separator: " ")
        if out.hasPrefix("’s ") || out.hasPrefix("'s ") { out = String(out.dropFirst(3)) }
        return out
    }

    /// Acronyms in a name spelled out as the paper spells them elsewhere:
    /// "Economic Development, Enterprise and Planning SPC" → "... Strategic
    /// Policy Committee" when the paper writes "Strategic Policy Committee".
    func expandAcronyms(_ name: String, _ flow: Flow, cache: inout [String: String?]) -> String {
        var changed = false
        var out: [String] = []
        for word in name.split(separator: " ") {
            let letters = word.filter { $0 != "." }
            guard (2...5).contains(letters.count), letters.allSatisfy({ $0.isUppercase && $0.isLetter }) else {
                out.append(String(word))
                continue
            }
            let acronym = String(letters)
            if cache[acronym] == nil { cache[acronym] = MetadataExtractor.spelledOut(acronym, in: flow) }
            if let long = cache[acronym] ?? nil {
                out.append(long)
                changed = true
            } else {
                out.append(String(word))
            }
        }
        return changed ? out.joined(separator: " ") : name
    }

    /// The most frequent run of capitalised words whose initials spell
    /// `acronym` ("Strategic Policy Committee" for SPC).
    static func spelledOut(_ acronym: String, in flow: Flow) -> String? {
        let initials = Array(acronym.lowercased())
        guard let lastBody = ["committee", "board", "group", "panel", "forum", "partnership", "commission"].first(where: { $0.first == initials.last }) else { return nil }
        var counts: [String: Int] = [:]
        let minor: Set<String> = ["and", "&", "of", "the", "for", "on"]
        for offset in flow.lower.utf8Offsets(of: lastBody, limit: 400) {
            let before = flow.textBefore(offset + lastBody.utf8.count, 100)
            let words = before.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",.;:()")) }
            // Read back over as many capitalised words as the acronym has
            // letters; "and", "of" between them are not in it ("Overview and
            // Scrutiny Committee" for OSC).
            var run: [String] = []
            var capitals = 0
            for w in words.reversed() {
                if minor.contains(w.lowercased()) && capitals > 0 && capitals < initials.count {
                    run.insert(w, at: 0)
                    continue
                }
                guard let f = w.first, f.isUppercase, w.lowercased().first == initials[initials.count - 1 - capitals] else { break }
                run.insert(w, at: 0)
                capitals += 1
                if capitals == initials.count { break }
            }
            guard capitals == initials.count else { continue }
            counts[run.joined(separator: " "), default: 0] += 1
        }
        guard let best = counts.max(by: { $0.value < $1.value || $0.value == $1.value && $0.key > $1.key }) else { return nil }
        return Words.isUpperCase(best.key) ? Words.titleCased(best.key) : best.key
    }

    func committee(_ view: LineView, _ flow: Flow, council: String?, code: String?, date meetingDate: CalendarDate? = nil,
                   kind: DocumentKind? = nil) -> Extracted<String> {
        var tally = Tally<String>()
        var names: [String: String] = [:]
        var acronyms: [String: String?] = [:]
        let councilKey = council.map(NameKey.normalize)
        let areaKey: String? = council.map { c in
            if let code, let known = gazetteer.council(code: code) { return NameKey.normalize(known.areaName) }
            return NameKey.normalize(Gazetteer.areaName(of: c.replacingOccurrences(of: "City and County Council", with: "Council")
                .replacingOccurrences(of: "City & County Council", with: "Council")))
        }
        func name(_ phrase: some StringProtocol) -> String? {
            guard let n = committeeName(phrase, councilKey: councilKey, areaKey: areaKey) else { return nil }
            return expandAcronyms(n, flow, cache: &acronyms)
        }
        func add(_ name: String?, _ score: Double, _ note: String) {
            guard let name else { return }
            let key = NameKey.normalize(name)
            // A bare acronym or a generic kind of body says little.
            let generic = MetadataExtractor.genericBodies.contains(key) || key == "strategic policy committee"
            tally.add(key, generic ? min(score, 1) : score, note)
            names[key] = names[key] ?? name
        }

        // "Minutes of proceedings at meeting of X held ...", "You are requested
        // to attend a Meeting of X", "A meeting of X will be held", "The
        // meeting of the Council was called to order".
        var defining = 0
        // "meeting of X", and "Special Meeting (In Committee) of X".
        var triggers = flow.lower.utf8Offsets(of: "meeting of ", limit: 60).map { ($0, $0 + "meeting of ".utf8.count) }
        for offset in flow.lower.utf8Offsets(of: "meeting (", limit: 20) {
            let rest = flow.lowerAfter(offset, 60)
            guard let close = rest.firstIndex(of: ")"), rest[close...].hasPrefix(") of ") else { continue }
            triggers.append((offset, offset + rest.utf8.distance(from: rest.startIndex, to: close) + ") of ".utf8.count))
        }
        // "Minutes of the Planning and Regulation Committee".
        for offset in flow.lower.utf8Offsets(of: "minutes of ", limit: 20) {
            var start = offset + "minutes of ".utf8.count
            if flow.lowerAfter(start, 4).hasPrefix("the ") { start += 4 }
            // "Minutes of the Annual Parish Council Meeting": the body after
            // the kind of meeting.
            while true {
                let word = flow.lowerAfter(start, 16).prefix(while: { $0 != " " })
                guard MetadataExtractor.meetingQualifiers.contains(String(word)), !["full"].contains(word) else { break }
                start += word.utf8.count + 1
            }
            let next = flow.lowerAfter(start, 30)
            if next.hasPrefix("meeting") || next.hasPrefix("a meeting") || next.hasPrefix("proceedings") || next.hasPrefix("previous")
                || next.hasPrefix("last") || next.hasPrefix("parish meeting") || next.hasPrefix("town meeting") { continue }
            triggers.append((offset, start))
        }
        triggers.sort { $0.0 < $1.0 }
        for (offset, nameStart) in triggers {
            let i = flow.line(at: offset)
            // "(These minutes are published subject to approval ...) Groby
            // Parish Council Minutes of a Meeting of ...": brackets are asides.
            let before = MetadataExtractor.withoutBrackets(flow.lowerBefore(offset, 90))
            let after = flow.lowerAfter(offset, 220)
            if before.hasSuffix("next ") || before.hasSuffix("last ") || before.hasSuffix("previous ") || before.hasSuffix("future ") {
                // "the next meeting of X will be held on ...": an agenda's
                // own meeting only at its head.
                guard view.rank[i] < 25, after.includes("will be held") || after.includes("will take place") else { continue }
            }
            let near = before.suffix(70)
            if MetadataExtractor.approvalWords.contains(where: { near.includes($0) }) || near.includes("referred")
                || near.includes("from the") || near.includes("at the") && !near.includes("conclusion of") || near.includes("at a ") {
                continue
            }
            let phrase = flow.textAfter(nameStart, 220)
            guard var found = name(phrase) else { continue }
            // "Minutes of the meeting of the Property Sub-Committee held on 5
            // June 2024" in a Cabinet's papers: another meeting than the
            // paper's own, whose date is known.
            if let meetingDate, let held = MetadataExtractor.heldOnDate(after.prefix(200)), held != meetingDate {
                add(found, 0.5, "“meeting of …” held on another day (line \(view.lines[i].number + 1))")
                continue
            }
            // "Notice of a Meeting of the Cabinet" above a "CABINET" heading
            // reads on into it: the name once.
            let foundWords = found.split(separator: " ")
            if foundWords.count >= 2, foundWords.count % 2 == 0,
               foundWords.prefix(foundWords.count / 2).map({ $0.lowercased() }) == foundWords.suffix(foundWords.count / 2).map({ $0.lowercased() }) {
                found = foundWords.prefix(foundWords.count / 2).joined(separator: " ")
            }
            // "JOINT POLICING SUB COMMITTEE MEETING OF THE MUNICIPAL DISTRICT
            // OF X": the sub-committee of the district.
            let body = MetadataExtractor.bodyBefore(flow.textBefore(offset + "meeting".utf8.count, 90))
            if let body, let bodyName = committeeName(body), bodyName != "Council", found != "Council",
               MetadataExtractor.isDistrictName(NameKey.normalize(found)), NameKey.normalize(bodyName) != NameKey.normalize(found) {
                found = MetadataExtractor.canonicalDistrictName(found + " " + bodyName)
            }
            // The paper's own meeting: its first notices or headings, or
            // "The meeting of the Council was called to order" wherever it is.
            let calledToOrder = after.prefix(160).includes("called to order")
            let strong = defining < 2 && view.rank[i] < 40 && !near.includes("conclusion of") || calledToOrder
            let weight = calledToOrder ? 4 : strong ? 5 * view.positionWeight(i) / 2 : 1.2 * view.positionWeight(i) / 2
            add(found, weight, "“meeting of …” (line \(view.lines[i].number + 1))")
            defining += 1
        }

        var bodyMentions = 0.0
        for i in view.nonBlank where !view.isRepeat[i] {
            let line = view.lines[i]
            let text = line.text
            let lower = view.lower[i]
            let weight = view.positionWeight(i)
            let where_ = "line \(line.number + 1)"
            if lower.hasPrefix("notice of") && lower.includes("meeting") && !lower.includes("meeting of"), let j = view.nextNonBlank(i) {
                add(name(view.lines[j].text), 5 * weight / 2, "notice of meeting (\(where_))")
            }
            // A meeting page's title, as ModernGov writes them: "Agenda for
            // Cabinet on Thursday, 28th September, 2017, 10.00 am".
            if view.rank[i] < 6 {
                for prefix in ["agenda for ", "minutes for ", "decisions for ", "agenda and minutes for "] where lower.hasPrefix(prefix) {
                    guard let on = lower.utf8Offset(of: " on ", from: prefix.utf8.count) else { break }
                    add(name(text.slice(utf8: prefix.utf8.count, on)), 4 * weight / 2, "page title (\(where_))")
                }
            }
            // "MINUTES of the meeting held on ...", "Minutes of a meeting held at":
            // the body is named by the heading above.
            // Also "Draft Minutes of the Ordinary Meeting held on", and
            // "STOKE FERRY PARISH COUNCIL Minutes of the Annual Meeting held
            // on" with the body before it on the line.
            if view.rank[i] < view.headLimit, let held = MetadataExtractor.unnamedMeetingMinutes(lower) {
                let before = text.slice(utf8: 0, held).trimmingCharacters(in: .whitespaces)
                let beforeName = before.isEmpty ? nil : name(before)
                if let beforeName {
                    add(beforeName, 4 * weight / 2, "named before the minutes (\(where_))")
                } else if let j = view.previousNonBlank(i), i - j <= 4 {
                    add(name(view.lines[j].text), 4 * weight / 2, "heading above the minutes (line \(view.lines[j].number + 1))")
                }
            }
            // The parish's electors' meeting, which is not the council's.
            if view.rank[i] < 40, let phrase = ["annual parish meeting", "annual town meeting", "annual meeting of the parish"].first(where: { lower.includes($0) }),
               !lower.includes("annual meeting of the parish council"), let at = lower.utf8Offset(of: phrase),
               view.rank[i] < 3 && at < 60 || lower.slice(utf8: max(0, at - 16), at).includes("minutes of")
                || lower.slice(utf8: at, min(lower.utf8.count, at + phrase.utf8.count + 12)).includes(" held") {
                let town = phrase == "annual town meeting"
                add(town ? "Annual Town Meeting" : "Annual Parish Meeting", 4 * weight / 2, "the electors' annual meeting (\(where_))")
            }
            // "To: Members of the Cabinet", "To: The Cathaoirleach and Each
            // Member of the Municipal District of X", "TO EACH MEMBER OF X".
            if view.rank[i] < view.headLimit, lower.hasPrefix("to") || (view.previousNonBlank(i).map { view.lower[$0].hasPrefix("to") && view.lower[$0].utf8.count < 12 } ?? false),
               let r = lower.utf8Offset(of: "member") {
                var tail = lower.slice(utf8: r, lower.utf8.count)
                tail = tail.drop(while: { $0 != " " })
                if tail.hasPrefix(" of ") {
                    var phrase = String(text.slice(utf8: lower.utf8.count - tail.utf8.count + 4, text.utf8.count))
                    // The name may go on over the next line.
                    if committeeName(phrase, councilKey: councilKey, areaKey: areaKey) == nil,
                       let j = view.nextNonBlank(i), j - i <= 2, view.lines[j].text.utf8.count < 80, !view.lower[j].hasPrefix("a chara"),
                       !view.lower[j].hasPrefix("a chomhairleoir"), !view.lower[j].hasPrefix("dear") {
                        phrase += " " + view.lines[j].text
                    }
                    add(name(phrase), 4 * weight / 2, "addressed to its members (\(where_))")
                }
            }
            // "To: Cabinet – 20 March 2018", "Report to: Cabinet", "Meeting: Cabinet";
            // ModernGov's decision records: "Decision Maker: Cabinet",
            // "Decided at meeting: 16/10/2013 - Cabinet", "Meeting: 13/06/2017 -
            // Cabinet (Item 17)".
            for label in ["to:", "report to:", "report to the ", "meeting:", "committee:", "meeting of:", "body:", "forum:", "decision maker:",
                          "decision-maker:", "decision taker:", "decided at meeting:", "decided by:", "decision taken by:"]
            where lower.hasPrefix(label) {
                var rest = text.dropFirst(label.count).trimmingCharacters(in: .whitespaces)[...]
                if let dash = MetadataExtractor.afterLeadingDate(rest) { rest = dash }
                if !rest.lowercased().includes("member") { add(name(rest), 3 * weight / 2, "“\(label)” (\(where_))") }
                break
            }
            // A meeting page's heading as ModernGov writes it: "Cabinet -
            // Monday, 14th October, 2013 10.00 am", "Council – Thursday, 26
            // January 2017".
            if view.rank[i] < 12, text.utf8.count <= 120, let body = MetadataExtractor.bodyBeforeDate(text) {
                add(name(body), 5 * weight / 2, "meeting page heading (\(where_))")
            } else if view.rank[i] < 12, text.utf8.count <= 100, let body = MetadataExtractor.textBeforeDate(text), let found = name(body),
                      NameKey.normalize(found).split(separator: " ").count >= Words.split(body).count - 2 {
                // "Cabinet. Wednesday, 30 January 2019", "CABINET 20 MARCH 2018".
                add(found, 4 * weight / 2, "heading with the date (\(where_))")
            }
            // ModernGov's "Annual General Meeting, County Council" and
            // "Cabinet Decision: 18th October 2018": the body after the comma,
            // before " Decision".
            if view.rank[i] < 8, text.utf8.count <= 80 {
                if let comma = text.range(of: ", ", options: .backwards), text[..<comma.lowerBound].lowercased().includes("meeting"),
                   let found = name(text[comma.upperBound...]) {
                    add(found, 4 * weight / 2, "heading (\(where_))")
                } else if let r = lower.range(of: " decision:"), lower[..<r.lowerBound].split(separator: " ").count <= 4,
                          let found = name(text.prefix(lower.distance(from: lower.startIndex, to: r.lowerBound))) {
                    add(found, 3.5 * weight / 2, "“… decision:” (\(where_))")
                }
            }
            // "Minutes Annual Parish Council Meeting 11th May 2011", "Draft
            // Agenda: Planning Committee": the kind of paper, then the body.
            if view.rank[i] < 6, text.utf8.count <= 100 {
                for prefix in ["draft minutes ", "minutes ", "agenda ", "draft agenda "] where lower.hasPrefix(prefix) && !lower.hasPrefix(prefix + "of") {
                    var rest = text.dropFirst(prefix.count)[...]
                    while let f = rest.first, ":-–".contains(f) || f == " " { rest = rest.dropFirst() }
                    if let cut = MetadataExtractor.textBeforeDate(String(rest)) { rest = Substring(cut) }
                    add(name(rest), 3.5 * weight / 2, "title (\(where_))")
                    break
                }
            }
            // "Cabinet received a report", "Council noted": the body at work,
            // without "The" (below).
            if bodyMentions < 3.6, !lower.hasPrefix("the "), let first = lower.split(separator: " ").first,
               ["cabinet", "council", "executive"].contains(first) {
                for verb in [" considered", " received", " noted", " agreed", " resolved", " approved", " welcomed", " discussed", " was "] {
                    guard let end = lower.utf8Offset(of: verb), end <= first.utf8.count + 1 else { continue }
                    if let found = name(text.slice(utf8: 0, end)) {
                        add(found, 0.9, "“\(text.slice(utf8: 0, end))\(verb) …” in the text")
                        bodyMentions += 0.9
                    }
                    break
                }
            }
            // A heading near the top that is a committee's name.
            if view.rank[i] < 15 && view.isHeading(i) || view.rank[i] < 6 && text.count <= 60 {
                if !lower.hasPrefix("report") && !lower.hasPrefix("to") && !lower.includes("meeting of"), let found = name(text),
                   NameKey.normalize(found).split(separator: " ").count >= Words.split(text).count - 3 {
                    // A council's own name as a heading is its letterhead
                    // ("WORCESTERSHIRE COUNTY COUNCIL" above "CABINET"), not
                    // a meeting of the full Council; "COUNCIL" alone is.
                    let headingKey = NameKey.normalize(text)
                    let letterhead = found == "Council" && MetadataExtractor.isCouncilKey(headingKey)
                        && !MetadataExtractor.fullCouncilNames.contains(headingKey)
                    // The council's name with the meeting's date right under it
                    // ("Norfolk County Council / Date: Monday 12 February 2018"):
                    // the council's own meeting.
                    let dated = letterhead && view.rank[i] < 4 && (view.nextNonBlank(i).map { j in
                        ["date:", "date of meeting", "time:", "venue:"].contains { view.lower[j].hasPrefix($0) }
                            || MetadataExtractor.bodyBeforeDate("Council - " + view.lines[j].text) != nil && view.lines[j].text.utf8.count < 60
                    } ?? false)
                    add(found, (dated ? 3.5 : letterhead ? 1.5 : 3.5) * weight / 2, dated ? "the council's name over its meeting's date (\(where_))" : "heading (\(where_))")
                }
            }
            // "The Cabinet considered ...": weak, capped.
            if bodyMentions < 3.6, lower.hasPrefix("the ") {
                for verb in [" considered", " received", " noted", " agreed", " resolved", " approved", " has noted", " has approved", " has considered"] {
                    guard let end = lower.utf8Offset(of: verb) else { continue }
                    if end > 4 {
                        let subject = text.slice(utf8: 4, end)
                        if subject.split(separator: " ").count <= 5, let found = name(subject) {
                            add(found, 0.9, "“The \(subject)\(verb) …” in the text")
                            bodyMentions += 0.9
                        }
                    }
                    break
                }
            }
        }
        // A district named in the paper's head: "Meeting to consider the
        // Draft Budgetary Plan for the Municipal District of X".
        var districtMentions = 0
        for phrase in ["municipal district", "metropolitan district"] {
            for offset in flow.lower.utf8Offsets(of: phrase, limit: 12) where districtMentions < 3 {
                let i = flow.line(at: offset)
                guard view.rank[i] < 30, !flow.lowerBefore(offset, 40).includes("referred") else { continue }
                // "Municipal District of X", or "Newcastle West Municipal
                // District" with the place's words before it on the line.
                var candidate = String(flow.textAfter(offset, 120))
                if !flow.lowerAfter(offset + phrase.utf8.count, 4).hasPrefix(" of ") {
                    let lineStart = flow.starts[flow.position(at: offset)]
                    let place = flow.text.slice(utf8: lineStart, offset).split(separator: " ").reversed()
                        .prefix(while: { $0.first?.isUppercase == true && !$0.hasSuffix(",") && !$0.hasSuffix(".") }).prefix(3).reversed()
                    guard !place.isEmpty else { continue }
                    candidate = place.joined(separator: " ") + " " + candidate
                }
                guard let found = name(candidate), MetadataExtractor.isDistrictName(NameKey.normalize(found)) else { continue }
                add(found, 1.2, "district named (line \(view.lines[i].number + 1))")
                districtMentions += 1
            }
        }
        guard let best = tally.best, best.score >= 2.5, let name = names[best.key] else {
            // A parish or town council's minutes or agenda that name no body
            // but the council: the council's own meeting.
            if let councilKey, ["parish council", "town council", "community council", "village council"].contains(where: { councilKey.hasSuffix($0) }),
               kind == .minutes || kind == .agenda {
                return Extracted(value: "Council", confidence: 0.5, source: "a \(kind!.rawValue == "minutes" ? "minutes" : "agenda") of \(council ?? "the council") naming no other body")
            }
            return .unknown
        }
        return Extracted(value: name,
                         confidence: MetadataExtractor.confidence(score: best.score, runnerUp: best.runnerUp, full: 7),
                         source: tally.source(for: best.key))
    }

    /// The body named just before "meeting" in "... at Joint Policing Sub
    /// Committee meeting", if the words there name one.
    static func bodyBefore(_ text: Substring) -> String? {
        var words = text.split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        if words.last?.lowercased() == "meeting" { words.removeLast() } else { return nil }
        var taken: [String] = []
        for w in words.reversed() {
            let l = w.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ",.;:"))
            if ["at", "of", "the", "minutes", "proceedings", "a", "an", "to", "and"].contains(l) || meetingQualifiers.contains(l) || w.hasSuffix(",") || w.hasSuffix(".") { break }
            taken.insert(w, at: 0)
            if taken.count >= 6 { break }
        }
        let key = NameKey.normalize(taken.joined(separator: " "))
        guard !taken.isEmpty, key.split(separator: " ").contains(where: { isBodyWord(String($0)) }), !isCouncilKey(key) else { return nil }
        return taken.joined(separator: " ")
    }
}

#if canImport(Foundation)
import Foundation
#endif
