import CouncilIndex
import Foundation

/// Human-readable output of results, items and papers.
enum Render {
    static func meta(council: String?, committee: String?, date: String?, kind: String?) -> String {
        [council ?? "?", committee ?? "?", date ?? "?", kind ?? "?"].joined(separator: " · ")
    }

    /// The hits of a response, with the summary line and any suggestion.
    static func response(_ r: SearchResponse, terminal: Terminal) -> String {
        var out = ""
        if let suggestion = r.suggestion { out += "Did you mean: \(terminal.bold(suggestion))?\n" }
        for warning in r.warnings { out += terminal.red("Note: \(warning)") + "\n" }
        if r.total == 0 {
            out += "No items match\(r.query.isEmpty ? "" : " “\(r.query)”").\n"
            return out
        }
        let first = r.offset + 1, last = r.offset + r.hits.count
        let range = r.hits.isEmpty ? "none shown" : "showing \(first)–\(last)"
        out += "\(r.total) item\(r.total == 1 ? "" : "s") match\(r.total == 1 ? "es" : "")\(r.query.isEmpty ? "" : " “\(r.query)”") (\(range), \(r.sort.rawValue))\n"
        for hit in r.hits {
            out += "\n" + hitBlock(hit, terminal: terminal, collapse: r.collapse)
        }
        return out
    }

    static func hitBlock(_ hit: Hit, terminal: Terminal, collapse: Collapse = .none) -> String {
        let rank = String(format: "%3d.", hit.rank)
        let leading = rank.prefix { $0 == " " }.count
        var out = terminal.bold(terminal.wrap(rank.trimmingCharacters(in: .whitespaces) + " " + hit.title, indent: 5, firstIndent: leading)) + "\n"
        out += terminal.cyan(terminal.wrap(meta(council: hit.council, committee: hit.committee, date: hit.date, kind: hit.kind), indent: 5)) + "\n"
        if !hit.portfolios.isEmpty { out += terminal.wrap("Portfolio: \(hit.portfolios.joined(separator: "; "))", indent: 5) + "\n" }
        let snippet = terminal.snippet(hit.snippet).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if !snippet.isEmpty { out += terminal.wrap(snippet, indent: 5) + "\n" }
        var location = "id \(hit.id)"
        if hit.collapsed > 0 {
            let unit = collapse == .document ? "paper" : "meeting"
            location += "  (+\(hit.collapsed) more from the same \(unit))"
        }
        out += terminal.dim(terminal.wrap(terminal.fit("\(hit.path):\(hit.line)", indent: 5) + "  " + location, indent: 5)) + "\n"
        return out
    }

    static func interpretation(_ i: Interpretation, terminal: Terminal) -> String {
        var out = terminal.bold("How “\(i.query)” is understood:") + "\n"
        for sentence in i.sentences { out += terminal.wrap("- " + sentence, indent: 4, firstIndent: 2) + "\n" }
        return out
    }

    /// Columns padded to their widest cell.
    static func table(header: [String], rows: [[String]], terminal: Terminal) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        return ([terminal.bold(line(header))] + rows.map(line)).joined(separator: "\n")
    }

    static func facets(_ f: Facets, terminal: Terminal, limit: Int = 8) -> String {
        var out = ""
        for (name, values) in f.all where !values.isEmpty {
            let shown = values.prefix(limit).map { "\($0.value) (\($0.count))" }.joined(separator: ", ")
            let more = values.count > limit ? ", … \(values.count - limit) more" : ""
            out += terminal.wrap("\(terminal.bold(name + ":")) \(shown)\(more)", indent: 2) + "\n"
        }
        return out.isEmpty ? "" : "\n" + terminal.dim("Facets") + "\n" + out
    }

    static func item(_ item: ItemRecord, highlighted: String?, terminal: Terminal) -> String {
        var out = terminal.bold(item.title) + "\n"
        out += terminal.cyan(meta(council: item.council, committee: item.committee, date: item.date, kind: item.kind)) + "\n"
        if !item.portfolios.isEmpty { out += "Portfolio: \(item.portfolios.joined(separator: "; "))\n" }
        out += terminal.dim("\(item.path):\(item.line)  id \(item.id)") + "\n\n"
        let text = highlighted.map { terminal.snippet($0) } ?? item.text
        out += text + "\n"
        return out
    }

    static func paper(_ source: SourceRecord, items: [ItemRecord], terminal: Terminal) -> String {
        var out = terminal.bold(source.title) + "\n"
        out += "\(source.path)\n"
        for field in ["council", "committee", "date", "kind"] {
            let value: String? = switch field {
            case "council": source.council
            case "committee": source.committee
            case "date": source.date
            default: source.kind
            }
            out += "  \(field): \(value ?? "null")" + terminal.dim("  ← \(source.provenance[field] ?? "")") + "\n"
        }
        if !source.portfolios.isEmpty {
            out += "  portfolios: \(source.portfolios.joined(separator: "; "))"
                + (source.provenance["portfolios"].map { terminal.dim("  ← \($0)") } ?? "") + "\n"
        }
        if let url = source.url { out += "  url: \(url)\n" }
        out += "\n\(items.filter { !$0.isFrontMatter }.count) items:\n"
        for item in items {
            out += "  \(terminal.dim(item.id))  \(item.title)"
            if !item.portfolios.isEmpty { out += terminal.dim("  [\(item.portfolios.joined(separator: "; "))]") }
            out += "\n"
        }
        return out
    }
}
