/// A calendar date without time or zone: what a meeting date is.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid date, or nil ("31 February").
    public init?(year: Int, month: Int, day: Int) {
        guard (1800...2200).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parse `YYYY-MM-DD`.
    public init?(iso: some StringProtocol) {
        let parts = iso.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// `YYYYMMDD`, which sorts as the dates do.
    public var compact: String {
        "\(year)\(month < 10 ? "0" : "")\(month)\(day < 10 ? "0" : "")\(day)"
    }

    /// "26 May 2015".
    public var longForm: String { "\(day) \(Months.names[month - 1]) \(year)" }

    public var description: String { iso }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = m <= 2 ? y + 1 : y
        self.month = m
        self.day = d
    }

    /// 1 = Monday ... 7 = Sunday.
    public var weekday: Int {
        let w = (dayNumber + 3) % 7  // 1970-01-01 was a Thursday
        return (w < 0 ? w + 7 : w) + 1
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    /// The next working day (Monday to Friday) after this date.
    public var nextWorkingDay: CalendarDate {
        var d = adding(days: 1)
        while d.weekday >= 6 { d = d.adding(days: 1) }
        return d
    }
}

/// Month and weekday names as people write them.
public enum Months {
    public static let names = ["January", "February", "March", "April", "May", "June", "July", "August",
                               "September", "October", "November", "December"]

    /// The month number of a name or common abbreviation ("Sept", "SEP."), or nil.
    public static func number(_ word: some StringProtocol) -> Int? {
        var w = word.lowercased()
        if w.hasSuffix(".") { w.removeLast() }
        switch w {
        case "january", "jan": return 1
        case "february", "feb", "febuary": return 2
        case "march", "mar": return 3
        case "april", "apr": return 4
        case "may": return 5
        case "june", "jun": return 6
        case "july", "jul": return 7
        case "august", "aug": return 8
        case "september", "sep", "sept": return 9
        case "october", "oct": return 10
        case "november", "nov": return 11
        case "december", "dec": return 12
        default: return nil
        }
    }

    /// Whether `word` names a weekday ("Tuesday", "TUES", "Wed").
    public static func isWeekday(_ word: some StringProtocol) -> Bool {
        weekday(word) != nil
    }

    /// The weekday `word` names, 1 = Monday ... 7 = Sunday, or nil.
    public static func weekday(_ word: some StringProtocol) -> Int? {
        switch word.lowercased() {
        case "monday", "mon": return 1
        case "tuesday", "tue", "tues": return 2
        case "wednesday", "wed": return 3
        case "thursday", "thu", "thur", "thurs": return 4
        case "friday", "fri": return 5
        case "saturday", "sat": return 6
        case "sunday", "sun": return 7
        default: return nil
        }
    }
}

/// A full date (day, month and year) found in a line of text.
public struct DateMention: Sendable, Equatable {
    public let date: CalendarDate
    /// Index of the line in the lines searched.
    public let line: Int
    /// Character offsets of the mention within the line's text.
    public let start: Int
    public let end: Int
    /// A weekday was written with it ("Tuesday, 26 May 2015").
    public let hasWeekday: Bool
    /// The weekday written, 1 = Monday ... 7 = Sunday.
    public let weekday: Int?

    public init(date: CalendarDate, line: Int, start: Int, end: Int, weekday: Int? = nil) {
        self.date = date
        self.line = line
        self.start = start
        self.end = end
        self.hasWeekday = weekday != nil
        self.weekday = weekday
    }

    /// The weekday written is not the date's own ("Thursday, 15 July 2023"
    /// was a Saturday): a misprint somewhere.
    public var weekdayMismatch: Bool { weekday.map { $0 != date.weekday } ?? false }
}

/// A day and month without a year: "Monday, 9th December" (with a
/// weekday), "held on the 22nd of September" (after "on"). The year is found
/// from the paper's other dates.
public struct PartialDateMention: Sendable, Equatable {
    public let day: Int
    public let month: Int
    /// 1 = Monday ... 7 = Sunday, when written.
    public let weekday: Int?
    public let start: Int
    public let end: Int

    /// The date nearest to `near` (in its year or the one before or after)
    /// whose weekday, if one was written, is the one written.
    public func resolve(near: CalendarDate) -> CalendarDate? {
        var best: CalendarDate? = nil
        for y in (near.year - 1)...(near.year + 1) {
            guard let d = CalendarDate(year: y, month: month, day: day), weekday.map({ d.weekday == $0 }) ?? true else { continue }
            if best == nil || abs(d.dayNumber - near.dayNumber) < abs(best!.dayNumber - near.dayNumber) { best = d }
        }
        return best
    }
}

/// Finds dates in text: "26 May 2015", "Tuesday, 26 May 2015",
/// "THURSDAY 10th OCTOBER 2019", "Tuesday, 4th March, 2025", OCR-damaged
/// ordinals ("6” March, 2019"), "May 26, 2015", "2015-05-26" and
/// "26/05/2015".
public enum DateFinder {
    private struct Token {
        let text: Substring
        let start: Int  // character offset
        let end: Int
    }

    private static func tokens(_ line: String) -> [Token] {
        var result: [Token] = []
        var tokenStart: String.Index? = nil
        var start = 0
        var offset = 0
        var previous: Character = " "
        func flush(_ end: String.Index) {
            guard let s0 = tokenStart else { return }
            tokenStart = nil
            let current = line[s0..<end]
            let count = offset - start
            // "15THNOVEMBER", "5thJuly": a day glued to its month.
            let digits = current.prefix(while: \.isNumber)
            if (1...2).contains(digits.count), count > digits.count + 2 {
                var rest = current.dropFirst(digits.count)
                var suffix = 0
                if ["st", "nd", "rd", "th"].contains(rest.prefix(2).lowercased()), Months.number(rest.dropFirst(2)) != nil {
                    suffix = 2
                    rest = rest.dropFirst(2)
                }
                if Months.number(rest) != nil {
                    let dayEnd = start + digits.count + suffix
                    result.append(Token(text: current.prefix(digits.count + suffix), start: start, end: dayEnd))
                    result.append(Token(text: rest, start: dayEnd, end: start + count))
                    return
                }
            }
            result.append(Token(text: current, start: start, end: start + count))
        }
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if Words.isLetterOrDigit(c) || c == "-" || c == "/" || (c == "." && tokenStart != nil && previous.isNumber) {
                if tokenStart == nil {
                    tokenStart = i
                    start = offset
                }
            } else {
                flush(i)
            }
            previous = c
            i = line.index(after: i)
            offset += 1
        }
        flush(line.endIndex)
        return result
    }

    /// The day number of "26", "26th", "1st", "6" (OCR "6”" loses the mark).
    private static func day(_ token: Substring) -> Int? {
        var digits = Substring(token.prefix(while: \.isNumber))
        let rest = token.dropFirst(digits.count).lowercased()
        guard !digits.isEmpty, digits.count <= 2 else { return nil }
        guard rest.isEmpty || ["st", "nd", "rd", "th"].contains(rest) else { return nil }
        if digits.first == "0" && digits.count == 2 { digits = digits.dropFirst() }
        guard let d = Int(digits), (1...31).contains(d) else { return nil }
        return d
    }

    private static func year(_ token: Substring) -> Int? {
        var t = token
        if t.hasSuffix(".") { t = t.dropLast() }
        guard t.count == 4, t.allSatisfy(\.isNumber), let y = Int(t), (1900...2100).contains(y) else { return nil }
        return y
    }

    /// Every full date in `line` (numbered `lineNumber` in the results).
    /// The three-letter starts of month names, packed little-endian.
    static let monthKeys: Set<UInt32> = Set(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .map { $0.utf8.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) } })

    /// Whether a line may hold a date: a digit and either a month's name
    /// (its first three letters anywhere, any case: OCR glues words) or
    /// digits joined by "-" or "/". A byte scan that lets most lines skip
    /// tokenizing; it may answer yes wrongly, never no wrongly.
    public static func mayHaveDate(_ line: String) -> Bool {
        var line = line
        return line.withUTF8 { b in
            let n = b.count
            var digit = false
            var month = false
            var i = 0
            while i < n {
                let c = b[i]
                if c >= 48 && c <= 57 {
                    digit = true
                    if i + 2 < n, b[i + 1] == 45 || b[i + 1] == 47, b[i + 2] >= 48 && b[i + 2] <= 57 { return true }
                } else if !month, i + 2 < n, (c | 0x20) >= 97 && (c | 0x20) <= 122 {
                    let key = UInt32(c | 0x20) | UInt32(b[i + 1] | 0x20) << 8 | UInt32(b[i + 2] | 0x20) << 16
                    if monthKeys.contains(key) { month = true }
                }
                if digit && month { return true }
                i += 1
            }
            return false
        }
    }

    public static func find(in line: String, lineNumber: Int = 0) -> [DateMention] {
        guard mayHaveDate(line) else { return [] }
        let toks = tokens(line)
        var found: [DateMention] = []
        var i = 0
        while i < toks.count {
            let t = toks[i]
            // ISO: 2015-05-26
            if t.text.count == 10, t.text.dropFirst(4).first == "-", let date = CalendarDate(iso: t.text) {
                found.append(DateMention(date: date, line: lineNumber, start: t.start, end: t.end))
                i += 1
                continue
            }
            // Numeric UK: 26/05/2015 or 26.05.2015
            if t.text.contains("/") || t.text.contains(".") {
                let sep: Character = t.text.contains("/") ? "/" : "."
                let parts = t.text.split(separator: sep)
                if parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), parts[2].count == 4,
                   let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]),
                   let date = CalendarDate(year: y, month: m, day: d) {
                    found.append(DateMention(date: date, line: lineNumber, start: t.start, end: t.end))
                    i += 1
                    continue
                }
            }
            if let m = Months.number(t.text) {
                // "9th of October 2017".
                if i >= 2, toks[i - 1].text.lowercased() == "of", let d = day(toks[i - 2].text), i + 1 < toks.count,
                   let y = year(toks[i + 1].text), let date = CalendarDate(year: y, month: m, day: d) {
                    let weekday = i >= 3 ? Months.weekday(toks[i - 3].text) : nil
                    let start = weekday != nil ? toks[i - 3].start : toks[i - 2].start
                    found.append(DateMention(date: date, line: lineNumber, start: start, end: toks[i + 1].end, weekday: weekday))
                    i += 2
                    continue
                }
                // "26 May 2015" (day before) or "May 26, 2015" (day after).
                if i > 0, let d = day(toks[i - 1].text), i + 1 < toks.count, let y = year(toks[i + 1].text),
                   let date = CalendarDate(year: y, month: m, day: d) {
                    // "Tuesday 26 May", "Tuesday the 21st February".
                    let w = i >= 3 && toks[i - 2].text.lowercased() == "the" ? i - 3 : i - 2
                    let weekday = w >= 0 ? Months.weekday(toks[w].text) : nil
                    let start = weekday != nil ? toks[w].start : toks[i - 1].start
                    found.append(DateMention(date: date, line: lineNumber, start: start, end: toks[i + 1].end, weekday: weekday))
                    i += 2
                    continue
                }
                if i + 2 < toks.count, let d = day(toks[i + 1].text), let y = year(toks[i + 2].text),
                   let date = CalendarDate(year: y, month: m, day: d) {
                    let weekday = i >= 1 ? Months.weekday(toks[i - 1].text) : nil
                    let start = weekday != nil ? toks[i - 1].start : t.start
                    found.append(DateMention(date: date, line: lineNumber, start: start, end: toks[i + 2].end, weekday: weekday))
                    i += 3
                    continue
                }
            }
            i += 1
        }
        return found
    }

    /// Days and months written without a year: with a weekday ("Monday,
    /// 9th December", "Thursday 18th May at 3pm", "Wednesday the 4th of
    /// March"), or after "on" ("held on the 22nd of September"). Dates with
    /// a year are not reported here.
    public static func findWithoutYear(in line: String) -> [PartialDateMention] {
        guard mayHaveDate(line) else { return [] }
        let toks = tokens(line)
        var found: [PartialDateMention] = []
        var i = 0
        while i < toks.count {
            let weekday = Months.weekday(toks[i].text)
            var j = weekday == nil ? i : i + 1
            if j < toks.count, toks[j].text.lowercased() == "the" { j += 1 }
            // Without a weekday, only after "on".
            if weekday == nil && (i == 0 || toks[i - 1].text.lowercased() != "on") {
                i += 1
                continue
            }
            // "9th December", "December 9th", "9th of December".
            var dm: (Int, Int, Int)? = nil  // day, month, end token
            if j + 1 < toks.count, let d = day(toks[j].text), let m = Months.number(toks[j + 1].text) {
                dm = (d, m, j + 1)
            } else if j + 1 < toks.count, let m = Months.number(toks[j].text), let d = day(toks[j + 1].text) {
                dm = (d, m, j + 1)
            } else if j + 2 < toks.count, let d = day(toks[j].text), toks[j + 1].text.lowercased() == "of", let m = Months.number(toks[j + 2].text) {
                dm = (d, m, j + 2)
            }
            guard let (d, m, end) = dm else {
                i += 1
                continue
            }
            // A year follows: a full date, found by `find`.
            if end + 1 < toks.count, year(toks[end + 1].text) != nil {
                i = end + 1
                continue
            }
            if CalendarDate(year: 2000, month: m, day: d) != nil {
                found.append(PartialDateMention(day: d, month: m, weekday: weekday, start: toks[i].start, end: toks[end].end))
            }
            i = end + 1
        }
        return found
    }
}
