extension CouncilPaper {
    /// Read a paper's text: its meeting metadata, its items and their
    /// portfolios.
    ///
    /// Markdown given with its YAML front matter has it set aside: its
    /// title is read as the paper's heading, its dates (when the file was
    /// posted) are not taken for the meeting's. Line numbers stay those of
    /// `text`.
    ///
    /// An `override` (a side-car file's known fields) wins over what the
    /// text says, field by field.
    public static func parse(_ source: SourceText, gazetteer: Gazetteer = .uk, override: MetadataOverride? = nil) -> CouncilPaper {
        parse(source.text, frontMatter: source.frontMatter, gazetteer: gazetteer, override: override)
    }

    /// Read a paper's text, with the fields of the YAML front matter a
    /// reader took off it (`frontMatter`), if any.
    public static func parse(_ text: String, frontMatter given: [String: String] = [:], gazetteer: Gazetteer = .uk,
                             override: MetadataOverride? = nil) -> CouncilPaper {
        var body = text
        var frontMatter = given
        if text.hasPrefix("---\n") || text.hasPrefix("---\r\n") {
            let (fields, rest) = DocumentReader.splitFrontMatter(text)
            if rest.utf8.count < text.utf8.count {
                let removed = text.utf8.filter { $0 == 10 }.count - rest.utf8.filter { $0 == 10 }.count
                body = String(repeating: "\n", count: removed) + rest
                frontMatter.merge(fields) { _, new in new }
            }
        }
        let lines = TextLines.split(body)
        var metadata = MetadataExtractor(gazetteer: gazetteer).extract(lines, frontMatter: frontMatter)
        if let override { metadata = override.apply(to: metadata, gazetteer: gazetteer) }
        var items = ItemSegmenter().segment(lines, metadata: metadata)
        let portfolios = PortfolioExtractor()
        // Every portfolio found: the items' own, then any other named
        // (membership lists, mentions), in order of appearance.
        var all: [String] = []
        var named: [String] = []
        for index in items.indices {
            if items[index].isFrontMatter {
                named += portfolios.allPortfolios(in: items[index].text)
                continue
            }
            // Each item's text is read once for both.
            let mentions = portfolios.mentions(in: items[index].title + "\n\n" + items[index].text)
            items[index].portfolios = portfolios.portfolios(of: mentions)
            all += items[index].portfolios
            named += mentions.map(\.portfolio)
        }
        all += named
        // A report is one member's: the portfolio its front sheet names
        // ("Report of: Mr Mel Few, Cabinet Member for Finance", "Responsible
        // Cabinet Member: ... (Cabinet Member for Finance)") is every part's.
        if metadata.kind.value == .report, let front = items.first(where: \.isFrontMatter) ?? items.first {
            let sheet = portfolios.portfolios(ofItem: front.text.count > 4000 ? String(front.text.prefix(4000)) : front.text)
            if !sheet.isEmpty {
                for index in items.indices where !items[index].isFrontMatter && items[index].portfolios.isEmpty {
                    items[index].portfolios = sheet
                }
                all = sheet + all
            }
        }
        switch override?.portfolios ?? .absent {
        case .absent: break
        case .null:
            for index in items.indices { items[index].portfolios = [] }
            all = []
        case .value(let names, _):
            for index in items.indices where !items[index].isFrontMatter { items[index].portfolios = names }
            all = names
        }
        let people = PeopleExtractor()
        for index in items.indices {
            items[index].people = people.people(in: items[index].text)
        }
        var title = paperTitle(metadata, lines: lines)
        if case .value(let given, _) = override?.title ?? .absent { title = given }
        for index in items.indices {
            if items[index].isFrontMatter {
                items[index].title = "\(title) (front matter)"
            } else if items[index].title.isEmpty {
                items[index].title = title
            }
        }
        return CouncilPaper(metadata: metadata, title: title, items: items, portfolios: PortfolioExtractor.unique(all))
    }

    /// "Cabinet agenda, 26 May 2015" from what is known, else the first
    /// heading of the paper.
    static func paperTitle(_ metadata: MeetingMetadata, lines: [TextLine]) -> String {
        var parts: [String] = []
        if let committee = metadata.committee.value { parts.append(committee) }
        if let kind = metadata.kind.value { parts.append(parts.isEmpty ? kind.rawValue.capitalized : kind.rawValue) }
        var title = parts.joined(separator: " ")
        if let date = metadata.date.value { title += (title.isEmpty ? "" : ", ") + date.longForm }
        if metadata.committee.value != nil || metadata.date.value != nil { return title }
        let firstLine = lines.first { !$0.isBlank && !ItemSegmenter.isNoise($0.text) }?.text ?? "Untitled paper"
        let heading = firstLine.count > 100 ? String(firstLine.prefix(97)) + "…" : firstLine
        return title.isEmpty ? heading : "\(heading) (\(title))"
    }
}
