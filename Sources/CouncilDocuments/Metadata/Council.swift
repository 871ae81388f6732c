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

    /// Words that are never part of a council's name, so a name read
    /// backwards from "Council" stops before them: "MINUTES OF SPECIAL
    /// MEETING OF LIMERICK CITY AND COUNTY COUNCIL HELD IN THE COUNCIL
    /// CHAMBER" names Limerick City and County Council, not "... Held in
    /// the Council".
    static let councilNameStops: Set<String> = [
        "held", "meeting", "meetings", "minutes", "proceedings", "special", "annual", "monthly", "ordinary", "extraordinary",
        "full", "notice", "agenda", "report", "reports", "the", "at", "to", "by", "for", "from", "members", "member",
        "chamber", "chief", "executive", "leader", "mayor", "clerk", "president", "each", "all", "this", "your", "our",
        "staff", "former", "new", "draft", "virtual", "online", "budget", "statutory", "a", "an", "dear", "cathaoirleach",
        "councillor", "councillors", "cllr", "re", "is", "was", "contact", "email", "e-mail", "tel", "that", "which",
        "officers", "officer", "director", "directors", "services", "service", "department", "directorate", "committee",
        "committees", "sub-committee", "subcommittee", "cabinet", "panel", "board", "forum", "group", "partnership", "area",
        "whole", "elected", "local", "authority", "authorities", "his", "her", "their", "its", "with", "will", "would",
        "and/or", "or", "not", "no", "if", "as", "be", "are", "has", "have", "had", "when", "where", "who", "what",
        "workshop", "plenary", "policy", "strategic", "corporate", "headquarters", "offices", "office", "buildings", "hall",
        "municipal", "district's", "representatives", "representative", "nominees", "presidential", "development",
    ]

    /// A council name in the running text.
    struct CouncilMention {
        let name: String
        let offset: Int
        let isGazetteer: Bool
        let hits: [Council]
        /// For a name outside the gazetteer, its possible readings, longest
        /// first.
        let readings: [String]
    }

    func council(_ view: LineView, _ flow: Flow, date: CalendarDate?) -> (Extracted<String>, String?) {
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
        var displays: [String: [String: Int]] = [:]
        var direct: Set<CouncilKey> = []
        var mentionCounts: [CouncilKey: Int] = [:]
        var sentenceBonus: Set<CouncilKey> = []
        var areaHits: [CouncilKey: Int] = [:]
        var domainHits = 0, webHits = 0
        var frequencies: [String: Int]? = nil
        var lowerCounts: [String: Int]? = nil
        var countyContext = false

        // Names: "... Council" phrases in the running text, looked up in the
        // gazetteer or taken from the text.
        for mention in councilMentions(view, flow) {
            let i = flow.line(at: mention.offset)
            let rank = view.rank[i]
            let before = flow.lowerBefore(mention.offset, 70)
            // "the former Limerick County Council", "our predecessor, the
            // Limerick City Council": not this paper's.
            let recent = before.suffix(30)
            // (Whole words: "Northwold Parish Council" is not an old council.)
            if recent.includes("former") || (" " + recent).includes(" old ") || before.includes("predecessor") || before.includes("served on")
                || before.includes("formerly") { continue }
            // A heading or letterhead naming the council (the line is the
            // name) says whose paper it is; a name in the text's sentences
            // may be a partner's ("Breckland District Council has approved
            // ..." in a parish's minutes), however near the top.
            let words = Words.split(view.lines[i].text).count
            let nameWords = Words.split(mention.name).count
            // Also a name in capitals that opens its line: "STOKE FERRY PARISH
            // COUNCIL Draft Minutes of the ...".
            let lineStart = flow.starts[flow.position(at: mention.offset)]
            let opensLine = Words.isUpperCase(mention.name) && flow.text.slice(utf8: lineStart, mention.offset + 7).uppercased()
                == flow.text.slice(utf8: lineStart, mention.offset + 7) && Words.split(flow.text.slice(utf8: lineStart, mention.offset)).count <= nameWords
            let isHeading = rank < view.headLimit && (view.isHeading(i) || words <= 8 && words <= nameWords + 2 || opensLine)
            var factor = isHeading ? (rank < 12 ? 2.0 : 1.4) : (rank < 12 ? 0.5 : rank < view.headLimit ? 0.4 : 0.3)
            // Another council's member at the meeting: "Cllr Martin Storey,
            // Norfolk County Council", "Norfolk County Council Cllr. Storey
            // sent his apologies", "County Councillor's report".
            let afterName = flow.lowerAfter(mention.offset + 7, 24)
            let titled = before.suffix(48)
            if titled.includes("cllr") || titled.includes("councillor") || afterName.hasPrefix(" cllr") || afterName.hasPrefix(" councillor")
                || afterName.hasPrefix("lor") || afterName.hasPrefix(" member") || afterName.hasPrefix(" rep") {
                factor = min(factor, 0.15)
            }
            let inSentence = rank < 40 && (before.suffix(45).includes("meeting of") || before.suffix(30).includes("member of")
                || before.suffix(30).includes("members of") || before.suffix(45).includes("minutes of"))
            let where_ = "line \(view.lines[i].number + 1)"
            var keys: [CouncilKey] = []
            var base = 2.2
            if mention.isGazetteer {
                let hits = alive(mention.hits)
                keys = hits.map { CouncilKey.gazetteer($0.code) }
                base = 2.5 / Double(max(1, hits.count))
            } else {
                // The reading whose place is written most often in the paper,
                // with OCR-damaged words mended from the paper's own words.
                if frequencies == nil { frequencies = MetadataExtractor.capitalisedWordCounts(flow) }
                let counts = frequencies!
                if lowerCounts == nil { lowerCounts = counts.reduce(into: [:]) { $0[$1.key.lowercased(), default: 0] += $1.value } }
                let anyCase = lowerCounts!
                // In any case: "WEST DEREHAM" and "West Dereham" are one place.
                func placeCount(_ name: String) -> Int { anyCase[String(name.split(separator: " ").first ?? "").lowercased()] ?? 0 }
                // The longest reading whose first word the paper writes more
                // than once ("Buckland St Mary", not "St Mary"); OCR debris
                // before a name is written once ("Concd Limerick ...").
                // On a heading or the page's title, the whole name.
                let onHeading = view.isHeading(i) && rank < view.headLimit
                var name = (onHeading ? mention.readings.max { $0.count < $1.count } : nil) ?? mention.readings.max { a, b in
                    (min(placeCount(a), 2), a.count, placeCount(a)) < (min(placeCount(b), 2), b.count, placeCount(b))
                } ?? mention.name
                name = MetadataExtractor.mendedName(name, counts)
                let seen = placeCount(name)
                // A place written once may be OCR debris, unless the line is
                // the paper's own heading.
                if !(rank < view.headLimit && view.isHeading(i)) { base *= seen >= 3 ? 1 : seen == 2 ? 0.8 : 0.6 }
                let key = NameKey.normalize(name)
                keys = [.text(key)]
                displays[key, default: [:]][name, default: 0] += 1
            }
            for k in keys {
                let n = mentionCounts[k, default: 0]
                guard n < 8 else { continue }
                mentionCounts[k] = n + 1
                direct.insert(k)
                tally.add(k, base * factor, "name “\(mention.name)” (\(where_))")
                if inSentence && !sentenceBonus.contains(k) {
                    sentenceBonus.insert(k)
                    tally.add(k, 3, "the meeting's own council (\(where_))")
                }
            }
        }

        // "Minutes of the Parish Council meeting", "a meeting of the Town
        // Council": the paper's own council, named elsewhere by its place.
        for kindName in ["parish council", "town council", "city council", "county council", "district council", "borough council", "community council"] {
            for offset in flow.lower.utf8Offsets(of: kindName, limit: 8) {
                let i = flow.line(at: offset)
                guard view.rank[i] < 40 else { continue }
                let before = flow.lowerBefore(offset, 45)
                guard before.hasSuffix("the "), before.includes("meeting of") || before.includes("minutes of") || before.includes("members of") else { continue }
                let matching = tally.order.filter { key in
                    switch key {
                    case .text(let name): return name.hasSuffix(kindName)
                    case .gazetteer(let code): return NameKey.normalize(gazetteer.council(code: code)?.name ?? "").hasSuffix(kindName)
                    }
                }
                for key in matching where !sentenceBonus.contains(key) {
                    sentenceBonus.insert(key)
                    tally.add(key, 3 / Double(matching.count), "“the \(kindName.capitalized)” meets (line \(view.lines[i].number + 1))")
                }
            }
        }

        for i in view.nonBlank where !view.isRepeat[i] {
            let line = view.lines[i]
            let text = line.text
            let lower = view.lower[i]
            let where_ = "line \(line.number + 1)"
            if lower.includes("county hall") || lower.includes("county council") || lower.includes("county councillor") { countyContext = true }

            // E-mail and web domains.
            if lower.includes("@") || lower.includes("www.") || lower.includes("http") || lower.includes(".gov.uk") {
                for host in MetadataExtractor.hosts(in: lower) {
                    let isEmail = host.isEmail
                    let hits = alive(gazetteer.councils(forDomain: host.name))
                    guard !hits.isEmpty else { continue }
                    if isEmail ? domainHits >= 4 : webHits >= 3 { continue }
                    if isEmail { domainHits += 1 } else { webHits += 1 }
                    for c in hits {
                        let k = CouncilKey.gazetteer(c.code)
                        direct.insert(k)
                        tally.add(k, (isEmail ? 4 : 2.5) / Double(hits.count), "\(isEmail ? "e-mail" : "web") domain \(host.name)")
                    }
                }
            }

            // Addresses: "County Hall, New Road, Oxford", "Civic Centre, ...".
            for marker in ["county hall", "town hall", "civic centre", "civic center", "guildhall", "council offices", "council house", "city hall", "shire hall", "civic offices", "municipal buildings"] {
                guard let r = lower.utf8Offset(of: marker) else { continue }
                var tail = String(text.slice(utf8: r + marker.utf8.count, text.utf8.count))
                if let j = view.nextNonBlank(i), j - i <= 2, tail.count < 60 { tail += ", " + view.lines[j].text }
                let parts = tail.replacingOccurrences(of: ". ", with: ", ").split(whereSeparator: { $0 == "," || $0 == ";" }).prefix(5)
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
                        let k = CouncilKey.gazetteer(c.code)
                        direct.insert(k)
                        tally.add(k, 3.5 / Double(max(1, found.count)), "address “\(marker.capitalized), \(String(part).trimmed)” (\(where_))")
                    }
                    if !found.isEmpty { break }
                }
                break
            }

            // Area names in the text ("Worcestershire's children"): weak, and
            // never enough alone; read in the paper's head only.
            guard view.rank[i] < view.headLimit else { continue }
            let words = Words.split(text)
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
                    // "Newcastle West": a longer place than the area's name.
                    if length == 1, start + 1 < words.count, words[start + 1].first?.isUppercase == true,
                       ["west", "east", "north", "south", "upper", "lower", "city", "town"].contains(words[start + 1].lowercased()) { break }
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

        // Spellings of one name that OCR damaged ("Limenck City and County
        // Council") join the most common spelling.
        MetadataExtractor.mergeSpellings(&tally, direct: &direct)

        // A council that did not exist on the meeting date is not chosen;
        // without a date, prefer councils that exist now. Area names alone
        // choose nothing.
        var filtered = Tally<CouncilKey>()
        for key in tally.order where direct.contains(key) {
            guard var s = tally.scores[key] else { continue }
            if case .gazetteer(let code) = key, let c = gazetteer.council(code: code) {
                if let date, !c.existed(on: date) { continue }
                if date == nil, c.end != nil { s *= 0.8 }
                if countyContext, c.isCountyLevel { s += 0.5 }
            }
            filtered.scores[key] = s
            filtered.order.append(key)
            filtered.notes[key] = tally.notes[key]
        }
        if ProcessInfo.processInfo.environment["COUNCIL_DEBUG_METADATA"] != nil {
            for key in tally.order { print("council \(key): \(tally.scores[key] ?? 0) direct \(direct.contains(key)) \(tally.notes[key] ?? [])") }
        }
        // Strong evidence, or less when nothing else comes near it.
        guard let best = filtered.best,
              best.score >= 3 || best.score >= 0.6 && best.runnerUp * 1.75 <= best.score || best.score >= 0.5 && best.runnerUp == 0 else { return (.unknown, nil) }
        let confidence = MetadataExtractor.confidence(score: best.score, runnerUp: best.runnerUp, full: 10)
        switch best.key {
        case .gazetteer(let code):
            guard let c = gazetteer.council(code: code) else { return (.unknown, nil) }
            return (Extracted(value: c.name, confidence: confidence, source: "gazetteer: " + filtered.source(for: best.key)), c.code)
        case .text(let key):
            let spellings = displays[key] ?? [:]
            let display = spellings.max { a, b in
                (a.value, a.key.includes(" and ") ? 1 : 0, a.key) < (b.value, b.key.includes(" and ") ? 1 : 0, b.key)
            }?.key ?? key
            return (Extracted(value: display, confidence: confidence, source: filtered.source(for: best.key)), nil)
        }
    }

    /// How often each capitalised word occurs in the paper.
    static func capitalisedWordCounts(_ flow: Flow) -> [String: Int] {
        var counts: [String: Int] = [:]
        for word in Words.split(flow.text) where word.first?.isUppercase == true && word.count >= 2 {
            counts[String(word), default: 0] += 1
        }
        return counts
    }

    /// `name` with each word that the paper writes once replaced by a
    /// similar word it writes often ("Umerick City and County Council" →
    /// "Limerick City and County Council" in a paper that says Limerick).
    static func mendedName(_ name: String, _ counts: [String: Int]) -> String {
        var words = name.split(separator: " ").map(String.init)
        var changed = false
        for (index, word) in words.enumerated() where word.count >= 5 && (counts[word] ?? 0) <= 2 && !councilQualifiers.contains(word.lowercased()) && word.lowercased() != "council" {
            var best: (String, Int)? = nil
            let seen = counts[word] ?? 0
            for (other, n) in counts where n >= 3 && n >= 2 * seen && other.count >= 5 && abs(other.count - word.count) <= 2 && other != word {
                guard Words.editDistance(word.lowercased(), other.lowercased(), limit: 2) <= 2 else { continue }
                if best == nil || n > best!.1 { best = (other, n) }
            }
            if let best {
                words[index] = Words.isUpperCase(word) ? best.0.uppercased() : best.0
                changed = true
            }
        }
        return changed ? words.joined(separator: " ") : name
    }

    /// Joins text names within a small edit distance of a better-supported
    /// name into it.
    static func mergeSpellings(_ tally: inout Tally<CouncilKey>, direct: inout Set<CouncilKey>) {
        let texts = tally.order.compactMap { key -> (CouncilKey, String)? in
            if case .text(let k) = key { return (key, k) }
            return nil
        }
        guard texts.count > 1 else { return }
        let ranked = texts.sorted { (tally.scores[$0.0] ?? 0) > (tally.scores[$1.0] ?? 0) }
        var merged: Set<CouncilKey> = []
        for (index, (key, name)) in ranked.enumerated() where !merged.contains(key) {
            for (other, otherName) in ranked[(index + 1)...] where !merged.contains(other) {
                let limit = name.count >= 24 ? 3 : name.count >= 12 ? 2 : 0
                guard limit > 0, abs(name.count - otherName.count) <= limit,
                      Words.editDistance(name, otherName, limit: limit) <= limit else { continue }
                tally.scores[key, default: 0] += tally.scores[other] ?? 0
                tally.scores[other] = 0
                merged.insert(other)
                direct.remove(other)
            }
        }
        tally.order.removeAll { merged.contains($0) }
        for key in merged { tally.scores[key] = nil }
    }

    /// Council names in the running text: the capitalised words before each
    /// "Council" (back to a word that cannot be part of a name), and
    /// "Council of the City of X". A name not in the gazetteer comes with
    /// its possible readings, longest first ("Concd Limerick City & County
    /// Council", "Limerick City & County Council"); the caller picks one.
    func councilMentions(_ view: LineView, _ flow: Flow) -> [CouncilMention] {
        var result: [CouncilMention] = []
        let lowerBytes = Array(flow.lower.utf8)
        for offset in flow.lower.utf8Offsets(of: "counci", limit: 4000) {
            // A whole word: not "councillor", "councils"; "Councit" and
            // "Councll" are OCR's readings of it.
            if offset > 0, MetadataExtractor.isASCIILetter(lowerBytes[offset - 1]) { continue }
            let end = offset + 7
            guard end <= lowerBytes.count else { continue }
            if end < lowerBytes.count, MetadataExtractor.isASCIILetter(lowerBytes[end]) { continue }
            let seventh = lowerBytes[offset + 6]
            guard seventh == UInt8(ascii: "l") || seventh == UInt8(ascii: "t") || seventh == UInt8(ascii: "1") || seventh == UInt8(ascii: "i") else { continue }
            let position = flow.position(at: offset)
            let lineEnd = flow.ends[position]
            // "Council of the City of Cleveland" → Cleveland City Council.
            let after = flow.lower.slice(utf8: end, lineEnd)
            var forward = false
            for (form, type) in [(" of the city of ", "City"), (" of the county of ", "County"), (" of the borough of ", "Borough")] where after.hasPrefix(form) {
                var place: [String] = []
                for w in flow.text.slice(utf8: end + form.utf8.count, lineEnd).split(separator: " ") {
                    let clean = w.trimmingCharacters(in: CharacterSet(charactersIn: ",.;:()"))
                    guard let f = clean.first, f.isUppercase, !MetadataExtractor.councilNameStops.contains(clean.lowercased()) else { break }
                    place.append(clean)
                    if clean.count < w.count || place.count >= 3 { break }
                }
                guard !place.isEmpty else { break }
                let joined = place.joined(separator: " ")
                let name = "\(Words.isUpperCase(joined) ? Words.titleCased(joined) : joined) \(type) Council"
                let hits = gazetteer.councils(named: NameKey.normalize(name))
                result.append(CouncilMention(name: hits.first?.name ?? name, offset: offset, isGazetteer: !hits.isEmpty, hits: hits, readings: [name]))
                forward = true
                break
            }
            if forward { continue }
            // "and" joins places only in a name standing as its own line
            // ("Ashwell and Fundenhall Parish Council"); in a sentence it joins
            // the council to something else ("the Gardai and Limerick City &
            // County Council").
            let lineIndex = flow.lineIndex[position]
            let lineWords = Words.split(view.lines[lineIndex].text).count
            let standsAlone = view.isHeading(lineIndex) || lineWords <= 8
            let taken = councilNameWords(before: offset, at: position, view, flow, andJoinsPlaces: standsAlone)
            guard taken.contains(where: { $0.isProper }) else { continue }
            let written = String(flow.text.slice(utf8: offset, end))
            let councilWord = written.lowercased() == "council" ? written : Words.isUpperCase(written) ? "COUNCIL" : "Council"
            // Longest phrase first that the gazetteer knows.
            var found = false
            for s in taken.indices where taken[s].isProper {
                let phrase = (taken[s...].map(\.text) + [councilWord]).joined(separator: " ")
                let hits = gazetteer.councils(named: NameKey.normalize(phrase))
                if !hits.isEmpty {
                    result.append(CouncilMention(name: phrase, offset: offset, isGazetteer: true, hits: hits, readings: []))
                    found = true
                    break
                }
            }
            if found { continue }
            var readings: [String] = []
            for s in taken.indices where taken[s].isProper && taken[s...].filter(\.isProper).count <= 3 {
                if let name = textCouncilName((taken[s...].map(\.text) + [councilWord]).joined(separator: " ")) { readings.append(name) }
            }
            if let first = readings.first {
                result.append(CouncilMention(name: first, offset: offset, isGazetteer: false, hits: [], readings: readings))
            }
        }
        return result
    }

    /// A word read backwards from "Council".
    struct NameWord {
        let text: String
        /// A capitalised word that may be (part of) a place's name.
        let isProper: Bool
    }

    /// The words of a council's name before "Council" at `offset`, read
    /// backwards: first its kind ("City and County", "Parish"), then the
    /// place ("Stoke Ferry", "Newcastle upon Tyne"). The name may start on
    /// one of the two lines above when they are not headings (a letterhead
    /// "Limerick / CITY & COUNTY / COUNCIL"); it ends at punctuation, at a
    /// word that is never part of a name ("MEETING OF ... HELD IN THE
    /// COUNCIL CHAMBER"), at another kind word after the place ("County
    /// Concd Limerick City & County Council" reads "Concd Limerick City &
    /// County Council") and at OCR debris ("ITY NTY Limerick ...").
    func councilNameWords(before offset: Int, at position: Int, _ view: LineView, _ flow: Flow, andJoinsPlaces: Bool = true) -> [NameWord] {
        var position = position
        var lineText = view.lines[flow.lineIndex[position]].text
        var tokens = flow.text.slice(utf8: flow.starts[position], offset).split(separator: " ", omittingEmptySubsequences: true)
        var taken: [NameWord] = []
        var linesUsed = 1
        var readingPlace = false
        var pendingConnector: NameWord? = nil
        let connectors: Set<String> = ["and", "&", "of", "upon", "with"]
        while true {
            if tokens.isEmpty {
                guard linesUsed < 3, position > 0 else { break }
                // Not across a heading ("### Contact Points" above "County
                // Council Contact Points"), unless the heading ends halfway
                // through the name ("**... Limerick City and County**").
                let previous = view.lines[flow.lineIndex[position - 1]]
                let lastWord = previous.text.split(separator: " ").last.map { $0.lowercased() } ?? ""
                guard previous.headingLevel == 0 && !previous.isBold || taken.isEmpty && MetadataExtractor.councilQualifiers.contains(lastWord) else { break }
                position -= 1
                linesUsed += 1
                lineText = previous.text
                tokens = flow.text.slice(utf8: flow.starts[position], flow.ends[position]).split(separator: " ", omittingEmptySubsequences: true)
                continue
            }
            let raw = tokens.removeLast()
            if let last = raw.last, ",.;:)!?|".contains(last) { break }
            var w = raw
            while let f = w.first, "(“\"‘'*_".contains(f) { w = w.dropFirst() }
            while let l = w.last, "”\"’'*_".contains(l) { w = w.dropLast() }
            guard !w.isEmpty else { break }
            let lower = w.lowercased()
            let word = String(w)
            // "City ard County", "City ari County": OCR's "and" between two
            // kinds of council.
            let misreadAnd = !readingPlace && lower.count <= 3 && w.first?.isLowercase == true && !taken.isEmpty
                && (tokens.last.map { MetadataExtractor.councilQualifiers.contains($0.lowercased()) } ?? false)
            if connectors.contains(lower) || misreadAnd {
                // "City and County", "Isle of Wight": only between two words
                // of the same part of the name.
                if pendingConnector != nil { break }
                if readingPlace && !andJoinsPlaces && (lower == "and" || lower == "&") { break }
                pendingConnector = NameWord(text: misreadAnd ? "and" : word, isProper: false)
            } else if !readingPlace, ["annual", "extraordinary", "special", "ordinary"].contains(lower),
                      taken.allSatisfy({ !$0.isProper }), !taken.isEmpty {
                // "West Dereham Annual Parish Council meeting": the kind of
                // meeting between the place and the council.
                continue
            } else if MetadataExtractor.councilQualifiers.contains(lower) || lower == "council" {
                if readingPlace { break }
                if let c = pendingConnector { taken.insert(c, at: 0) }
                pendingConnector = nil
                taken.insert(NameWord(text: word, isProper: false), at: 0)
            } else if let f = w.first, f.isUppercase, w.count >= 2, !w.contains(where: \.isNumber),
                      !MetadataExtractor.councilNameStops.contains(lower), Months.number(word) == nil, !Months.isWeekday(word) {
                // A place's words are all in capitals or none are: "Meeting
                // March WEREHAM PARISH COUNCIL" names Wereham.
                if let place = taken.first(where: \.isProper), place.text.count >= 2, w.count >= 2,
                   Words.isUpperCase(place.text) != Words.isUpperCase(w) { break }
                // OCR debris: a short all-capitals token on a line that is not
                // in capitals.
                if Words.isUpperCase(w) && w.count <= 4 && !Words.isUpperCase(lineText) { break }
                if let c = pendingConnector {
                    // "Place-Making & County Council": the connector joined two
                    // kinds of word; the name is only what followed it.
                    if !readingPlace { break }
                    taken.insert(c, at: 0)
                }
                pendingConnector = nil
                readingPlace = true
                taken.insert(NameWord(text: word, isProper: true), at: 0)
                if taken.filter(\.isProper).count > 5 { break }
            } else {
                break
            }
            // A token that opened a quotation or bracket ends the name.
            if raw.first.map({ "(“\"‘".contains($0) }) ?? false { break }
        }
        while let first = taken.first, !first.isProper { taken.removeFirst() }
        return taken
    }

    static func isASCIILetter(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 65 && b <= 90) }

    /// A council name from the text that is not in the gazetteer, cleaned;
    /// nil when it is only "County Council" or similar, or not a name.
    func textCouncilName(_ phrase: String) -> String? {
        let words = phrase.split(separator: " ")
        guard words.count >= 2, words.count <= 9 else { return nil }
        let proper = words.dropLast().filter { w in
            let l = w.lowercased()
            return !MetadataExtractor.councilQualifiers.contains(l) && !["and", "&", "of", "upon", "on", "with", "in"].contains(l)
        }
        guard !proper.isEmpty, proper.allSatisfy({ $0.count >= 2 && $0.first?.isUppercase == true }) else { return nil }
        // A lone short word ("EU Council") is not a place.
        if proper.count == 1 && proper[0].count < 3 { return nil }
        var name = Words.isUpperCase(phrase) || proper.allSatisfy({ Words.isUpperCase($0) }) ? Words.titleCased(phrase) : phrase
        // "ST" of a place in capitals is "St" ("Buckland St Mary").
        name = name.split(separator: " ").map { $0 == "ST" ? "St" : String($0) }.joined(separator: " ")
        // The qualifiers in the usual case: "Limerick CITY & COUNTY COUNCIL".
        name = name.split(separator: " ").map { w -> String in
            let l = w.lowercased()
            if MetadataExtractor.councilQualifiers.contains(l) || l == "council" { return l.prefix(1).uppercased() + l.dropFirst() }
            return String(w)
        }.joined(separator: " ")
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

extension Words {
    /// Levenshtein distance between `a` and `b`, or more than `limit` when
    /// it exceeds it.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        if abs(x.count - y.count) > limit { return limit + 1 }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...max(1, x.count) where !x.isEmpty {
            current[0] = i
            var rowMin = current[0]
            for j in 1...max(1, y.count) where !y.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return x.isEmpty ? y.count : y.isEmpty ? x.count : previous[y.count]
    }
}

#if canImport(Foundation)
import Foundation
#endif
