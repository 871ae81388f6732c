import CouncilDocuments

/// The part of a long item's text that its snippet is made from.
///
/// Xapian's snippets read the whole text they are given, word by word, to
/// find the passage that matches best; on long items (a City Record's
/// proceedings, an agenda pack's report) that was nearly all of a search's
/// time. The snippet is made instead from the stretch of text where the
/// query's words (and their stems, as prefixes) are densest: a few
/// kilobytes, found by a byte search.
struct SnippetWindow {
    /// Texts up to this many bytes are used whole.
    static let wholeText = 6 * 1024
    /// The stretch of a longer text used.
    static let window = 4 * 1024
    static let bucket = 1024

    /// What to look for, lower-case: the query's plain words and stems.
    let needles: [[UInt8]]

    /// From a query's terms: unprefixed words and `Z` stems; boolean and
    /// field terms are left out.
    init(queryTerms: [String]) {
        var seen = Set<String>()
        var needles: [[UInt8]] = []
        for term in queryTerms {
            var word = Substring(term)
            if word.hasPrefix("Z") { word = word.dropFirst() }
            guard let first = word.unicodeScalars.first, first.properties.isLowercase || ("0"..."9").contains(first),
                  word.utf8.count >= 2, seen.insert(String(word)).inserted else { continue }
            needles.append(Array(word.utf8))
        }
        self.needles = needles
    }

    /// `text`, or the stretch of it where the needles are densest.
    func excerpt(of text: String) -> String {
        let count = text.utf8.count
        guard count > SnippetWindow.wholeText, !needles.isEmpty else { return text }
        let buckets = (count + SnippetWindow.bucket - 1) / SnippetWindow.bucket
        var score = [Int](repeating: 0, count: buckets)
        var firstHit = Int.max
        text.utf8.withContiguousStorageIfAvailable { bytes in
            for needle in needles {
                var seenBuckets = Set<Int>()
                var from = 0
                var found = 0
                while found < 64, let at = SnippetWindow.find(needle, in: bytes, from: from) {
                    from = at + needle.count
                    // At a word's start: "care", not "scare".
                    if at > 0, SnippetWindow.isWordByte(bytes[at - 1]) { continue }
                    found += 1
                    firstHit = min(firstHit, at)
                    let b = at / SnippetWindow.bucket
                    // Distinct words count more than repeats of one.
                    score[b] += seenBuckets.insert(b).inserted ? 4 : 1
                }
            }
        }
        guard firstHit != Int.max else { return String(decoding: text.utf8.prefix(SnippetWindow.window), as: UTF8.self) }
        // The best run of buckets a window covers.
        let span = SnippetWindow.window / SnippetWindow.bucket
        var best = 0, bestScore = -1, running = 0
        for b in 0..<buckets {
            running += score[b]
            if b >= span { running -= score[b - span] }
            if running > bestScore { bestScore = running; best = max(0, b - span + 1) }
        }
        var start = best * SnippetWindow.bucket
        var end = min(count, start + SnippetWindow.window)
        // Whole characters, from a space.
        let utf8 = Array(text.utf8)
        while start > 0, start < count, utf8[start] & 0xC0 == 0x80 { start -= 1 }
        while end < count, utf8[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b >= 0x80
    }

    /// The first `needle` (lower-case ASCII, or exact bytes) in `bytes` at
    /// or after `from`, matching ASCII letters of either case.
    static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        let upperFirst = first >= 97 && first <= 122 ? first - 32 : first
        var i = from
        let last = bytes.count - needle.count
        while i <= last {
            let b = bytes[i]
            if b == first || b == upperFirst {
                var k = 1
                while k < needle.count {
                    var c = bytes[i + k]
                    if c >= 65 && c <= 90 { c += 32 }
                    if c != needle[k] { break }
                    k += 1
                }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
