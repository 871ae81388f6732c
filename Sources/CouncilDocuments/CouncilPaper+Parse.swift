extension CouncilPaper {
    /// Read a paper's text: its meeting metadata, its items and their
    /// portfolios.
    public static func parse(_ text: String, gazetteer: Gazetteer = .uk) -> CouncilPaper {
        let lines = TextLines.split(text)
        let metadata = MetadataExtractor(gazetteer: gazetteer).extract(lines)
        var items = ItemSegmenter().segment(lines, metadata: metadata)
        let portfolios = PortfolioExtractor()
        // Every portfolio found: the items' own, then any other named
        // (membership lists, mentions), in order of appearance.
        var all: [String] = []
        for index in items.indices where !items[index].isFrontMatter {
            items[index].portfolios = portfolios.portfolios(ofItem: items[index].title + "\n\n" + items[index].text)
            all += items[index].portfolios
        }
        for item in items {
            all += portfolios.allPortfolios(in: item.text)
        }
        let people = PeopleExtractor()
        for index in items.indices {
            items[index].people = people.people(in: items[index].text)
        }
        let title = paperTitle(metadata, lines: lines)
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
