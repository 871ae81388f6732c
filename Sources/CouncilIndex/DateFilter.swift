import CouncilDocuments

/// A `date:` filter value as people type it, turned into an inclusive range
/// of days:
///
/// - `2017`, `2017-09`, `2017-09-14`, `sep 2017`, `september 2017`,
///   `14 sep 2017`, `2017/09`
/// - ranges with `..`: `2017-01-01..2017-06-30`, `2017-09..2018-03`,
///   `2016..`, `..2016`
/// - relative: `today`, `yesterday`, `this-week`, `last-week`,
///   `this-month`, `last-month`, `this-year`, `last-year`,
///   `last-N-days` / `past-N-days`
public struct DateFilter: Sendable, Equatable {
    public var from: CalendarDate?
    public var to: CalendarDate?

    public struct ParseError: Error, CustomStringConvertible {
        public let value: String
        public var description: String {
            "date: cannot read “\(value)”; use 2017, 2017-09, 2017-09-14, \"sep 2017\", ranges like 2017-01..2017-06, 2016.., ..2016, or last-year"
        }
    }

    public init(from: CalendarDate?, to: CalendarDate?) {
        self.from = from
        self.to = to
    }

    /// Parse `value`; `today` anchors relative forms.
    public init(parsing value: String, today: CalendarDate) throws {
        let text = value.trimmed.lowercased()
        if let range = text.range(of: "..") {
            let lo = String(text[..<range.lowerBound]).trimmed
            let hi = String(text[range.upperBound...]).trimmed
            guard !(lo.isEmpty && hi.isEmpty) else { throw ParseError(value: value) }
            let a = lo.isEmpty ? nil : try DateFilter.period(lo, today: today, original: value)
            let b = hi.isEmpty ? nil : try DateFilter.period(hi, today: today, original: value)
            self.init(from: a?.from, to: b?.to)
            if let f = from, let t = to, f > t { throw ParseError(value: value) }
            return
        }
        let p = try DateFilter.period(text, today: today, original: value)
        self.init(from: p.from, to: p.to)
    }

    /// The inclusive range of one period ("2017", "sep 2017", "last-year").
    static func period(_ text: String, today: CalendarDate, original: String) throws -> (from: CalendarDate, to: CalendarDate) {
        let t = text.replacingOccurrences(of: "_", with: "-")
        switch t {
        case "today": return (today, today)
        case "yesterday": let d = today.adding(days: -1); return (d, d)
        case "this-week", "this week":
            let start = today.adding(days: 1 - today.weekday)
            return (start, start.adding(days: 6))
        case "last-week", "last week":
            let start = today.adding(days: 1 - today.weekday - 7)
            return (start, start.adding(days: 6))
        case "this-month", "this month": return month(today.year, today.month)
        case "last-month", "last month":
            return today.month == 1 ? month(today.year - 1, 12) : month(today.year, today.month - 1)
        case "this-year", "this year": return year(today.year)
        case "last-year", "last year": return year(today.year - 1)
        default: break
        }
        let words = t.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "/" || $0 == "," || $0 == "." }).map(String.init)
        if words.count == 3, ["last", "past"].contains(words[0]), let n = Int(words[1]), ["days", "day"].contains(words[2]) {
            return (today.adding(days: -n), today)
        }
        if words.count == 3, ["last", "past"].contains(words[0]), let n = Int(words[1]), ["months", "month"].contains(words[2]) {
            return (today.adding(days: -30 * n), today)
        }
        if words.count == 3, ["last", "past"].contains(words[0]), let n = Int(words[1]), ["years", "year"].contains(words[2]) {
            return (CalendarDate(year: today.year - n, month: today.month, day: min(today.day, 28))!, today)
        }
        // Numeric forms: 2017, 2017-09, 2017-09-14 (and with /).
        if words.allSatisfy({ $0.allSatisfy(\.isNumber) }) {
            if words.count == 1, words[0].count == 4, let y = Int(words[0]), CalendarDate(year: y, month: 1, day: 1) != nil { return year(y) }
            if words.count == 2, words[0].count == 4, let y = Int(words[0]), let m = Int(words[1]), CalendarDate(year: y, month: m, day: 1) != nil {
                return month(y, m)
            }
            if words.count == 3, words[0].count == 4, let y = Int(words[0]), let m = Int(words[1]), let d = Int(words[2]),
               let date = CalendarDate(year: y, month: m, day: d) {
                return (date, date)
            }
            if words.count == 3, words[2].count == 4, let d = Int(words[0]), let m = Int(words[1]), let y = Int(words[2]),
               let date = CalendarDate(year: y, month: m, day: d) {
                return (date, date)  // 14/09/2017
            }
        }
        // Words: "sep 2017", "september 2017", "14 sep 2017", "2017 sep".
        if words.count == 2 {
            if let m = Months.number(words[0]), let y = Int(words[1]), words[1].count == 4, CalendarDate(year: y, month: m, day: 1) != nil { return month(y, m) }
            if let m = Months.number(words[1]), let y = Int(words[0]), words[0].count == 4, CalendarDate(year: y, month: m, day: 1) != nil { return month(y, m) }
        }
        if let mention = DateFinder.find(in: t).first, mention.start == 0 { return (mention.date, mention.date) }
        throw ParseError(value: original)
    }

    static func year(_ y: Int) -> (CalendarDate, CalendarDate) {
        (CalendarDate(year: y, month: 1, day: 1)!, CalendarDate(year: y, month: 12, day: 31)!)
    }

    static func month(_ y: Int, _ m: Int) -> (CalendarDate, CalendarDate) {
        (CalendarDate(year: y, month: m, day: 1)!, CalendarDate(year: y, month: m, day: CalendarDate.daysIn(month: m, year: y))!)
    }
}

import Foundation
