/// Finds a paper's council, committee, meeting date and kind from its text.
///
/// Each field is decided by evidence gathered from several places (headings,
/// notices, "Minutes of a meeting of ...", e-mail and web domains,
/// addresses, names checked against the UK gazetteer), each piece weighed
/// by how strong a signal it is and how near the top of the paper it
/// stands. A field whose best evidence is weak stays nil.
///
/// Phrases are read on the paper's running text (`Flow`), so a notice
/// broken over lines ("MINUTES OF PROCEEDINGS AT MEETING OF THE\nMUNICIPAL
/// DISTRICT ... HELD ON\nWEDNESDAY, 5TH DECEMBER, 2018") reads as written.
/// Lines repeated on every page (running headers and footers) count once.
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
            if notes[key, default: []].count < 6, !(notes[key]?.contains(note) ?? false) { notes[key, default: []].append(note) }
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
        extract(lines, frontMatter: [:])
    }

    /// Extract the meeting metadata of `lines`, with a Markdown file's
    /// front matter as further, weak evidence: its title is read like a
    /// heading; its dates are when the file was posted, not the meeting.
    public func extract(_ lines: [TextLine], frontMatter: [String: String]) -> MeetingMetadata {
        var all = lines
        if let title = frontMatter["title"]?.trimmed, !title.isEmpty {
            // The title goes first, as the paper's own heading.
            let line = TextLines.clean(Substring(MetadataExtractor.expandedTitle(title)), number: 0)
            all.insert(TextLine(number: 0, text: line.text, headingLevel: 1, isBold: false, cells: 1), at: 0)
        }
        let view = LineView(all)
        let flow = Flow(view)
        var metadata = MeetingMetadata()
        metadata.kind = kind(view, flow)
        // A website's front matter dates its posting: the meeting came
        // before it (minutes) and is near it.
        let posted = (frontMatter["date"] ?? frontMatter["published"]).flatMap { CalendarDate(iso: $0.trimmed.prefix(10)) }
        metadata.date = date(view, flow, kind: metadata.kind.value, posted: posted)
        let (council, code) = council(view, flow, date: metadata.date.value)
        metadata.council = council
        metadata.councilCode = code
        metadata.committee = committee(view, flow, council: council.value, code: code, date: metadata.date.value,
                                       kind: metadata.kind.value)
        return metadata
    }
}

extension MetadataExtractor {
    /// A website's title with the abbreviations clerks use spelled out:
    /// "Northwold PC December Meeting" → "Northwold Parish Council December
    /// Meeting", "Swaffham TC" → "Swaffham Town Council".
    static func expandedTitle(_ title: String) -> String {
        var words = title.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        for index in words.indices where index > 0 && words[index - 1].first?.isUppercase == true {
            switch words[index].trimmingCharacters(in: CharacterSet(charactersIn: ",.:;")) {
            case "PC": words[index] = words[index].replacingOccurrences(of: "PC", with: "Parish Council")
            case "TC": words[index] = words[index].replacingOccurrences(of: "TC", with: "Town Council")
            default: break
            }
        }
        return words.joined(separator: " ")
    }
}

/// Lines with their rank among non-blank lines, and where "the top" ends.
struct LineView {
    let lines: [TextLine]
    /// The lines' text lower-cased (ASCII letters only, so byte offsets
    /// match the text's).
    let lower: [String]
    /// rank[i]: how many non-blank lines come before line i.
    let rank: [Int]
    let nonBlank: [Int]
    /// Lines whose rank is below this are "near the top" for segmentation.
    let topLimit: Int
    /// Lines whose rank is below this are the paper's head for metadata:
    /// the first tenth, at least 60 and at most 400 lines.
    let headLimit: Int
    /// Lines whose text already appeared twice before: running page
    /// headers and footers, counted once.
    let isRepeat: [Bool]

    init(_ lines: [TextLine]) {
        self.lines = lines
        var rank: [Int] = []
        var nonBlank: [Int] = []
        var lower: [String] = []
        var isRepeat: [Bool] = []
        rank.reserveCapacity(lines.count)
        lower.reserveCapacity(lines.count)
        isRepeat.reserveCapacity(lines.count)
        var seen: [String: Int] = [:]
        for (i, line) in lines.enumerated() {
            rank.append(nonBlank.count)
            lower.append(Words.asciiLowercased(line.text))
            var repeated = false
            if !line.isBlank {
                nonBlank.append(i)
                if line.text.utf8.count >= 6 {
                    let n = seen[line.text, default: 0]
                    seen[line.text] = n + 1
                    repeated = n >= 2
                }
            }
            isRepeat.append(repeated)
        }
        self.rank = rank
        self.nonBlank = nonBlank
        self.lower = lower
        self.isRepeat = isRepeat
        self.topLimit = min(150, max(60, nonBlank.count / 10))
        self.headLimit = min(400, max(60, nonBlank.count / 10))
    }

    /// How much a signal on line `i` counts by its position.
    func positionWeight(_ i: Int) -> Double {
        let r = rank[i]
        if r < 12 { return 2.0 }
        if r < headLimit { return 1.4 }
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

/// The paper's non-blank lines joined by spaces into one running text, with
/// where each line starts, so that phrases broken over lines can be found.
/// Repeated running headers are left out.
struct Flow {
    /// The joined text.
    let text: String
    /// The same, ASCII letters lower-cased (byte offsets are the text's).
    let lower: String
    /// UTF-8 offsets in `text` where each joined line starts and ends.
    let starts: [Int]
    let ends: [Int]
    /// The index (in the view's lines) of each joined line.
    let lineIndex: [Int]
    /// Where each of the view's lines starts in `text`; -1 for lines left
    /// out (blank or repeated).
    let startOfLine: [Int]

    init(_ view: LineView) {
        var text = "", lower = ""
        var starts: [Int] = [], ends: [Int] = [], lineIndex: [Int] = []
        var startOfLine = [Int](repeating: -1, count: view.lines.count)
        text.reserveCapacity(view.lines.count * 40)
        lower.reserveCapacity(view.lines.count * 40)
        var offset = 0
        var previousEndsInHyphen = false
        for i in view.nonBlank where !view.isRepeat[i] {
            // A word broken at the line's end ("ADARE-\nRATHKEALE") is
            // joined whole; other lines with a space.
            let joinWhole = previousEndsInHyphen && view.lines[i].text.first?.isLetter == true
            if offset > 0 && !joinWhole {
                text += " "
                lower += " "
                offset += 1
            }
            starts.append(offset)
            lineIndex.append(i)
            startOfLine[i] = offset
            text += view.lines[i].text
            lower += view.lower[i]
            offset += view.lines[i].text.utf8.count
            ends.append(offset)
            let t = view.lines[i].text
            previousEndsInHyphen = t.hasSuffix("-") && t.dropLast().last?.isLetter == true
        }
        self.text = text
        self.lower = lower
        self.starts = starts
        self.ends = ends
        self.lineIndex = lineIndex
        self.startOfLine = startOfLine
    }

    /// The line (index in the view's lines) holding UTF-8 offset `offset`.
    func line(at offset: Int) -> Int {
        guard !starts.isEmpty else { return 0 }
        return lineIndex[position(at: offset)]
    }

    /// The joined line (index in `starts`) holding UTF-8 offset `offset`.
    func position(at offset: Int) -> Int {
        guard !starts.isEmpty else { return 0 }
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Up to `count` bytes of lower-cased text before `offset`.
    func lowerBefore(_ offset: Int, _ count: Int) -> Substring {
        lower.slice(utf8: max(0, offset - count), offset)
    }

    /// Up to `count` bytes of lower-cased text from `offset`.
    func lowerAfter(_ offset: Int, _ count: Int) -> Substring {
        lower.slice(utf8: offset, min(lower.utf8.count, offset + count))
    }

    /// Up to `count` bytes of text from `offset`.
    func textAfter(_ offset: Int, _ count: Int) -> Substring {
        text.slice(utf8: offset, min(text.utf8.count, offset + count))
    }

    /// Up to `count` bytes of text before `offset`.
    func textBefore(_ offset: Int, _ count: Int) -> Substring {
        text.slice(utf8: max(0, offset - count), offset)
    }
}

#if canImport(Foundation)
import Foundation
#endif
