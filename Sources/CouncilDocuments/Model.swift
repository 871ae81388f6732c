/// What a council paper is.
public enum DocumentKind: String, Sendable, CaseIterable, Codable {
    /// Agendas, summonses and agenda packs.
    case agenda
    /// Minutes of a meeting.
    case minutes
    /// Officer or cabinet member reports.
    case report
    /// Decision summaries and records of decision.
    case decisions

    /// Accepts the kind's name and common variants ("minute", "decision",
    /// "agendas", "summons").
    public init?(loose value: String) {
        switch NameKey.normalize(value) {
        case "agenda", "agendas", "agenda pack", "summons": self = .agenda
        case "minutes", "minute", "mins": self = .minutes
        case "report", "reports": self = .report
        case "decisions", "decision", "decision summary", "record of decision", "records of decision": self = .decisions
        default: return nil
        }
    }
}

/// A metadata value with how sure the extractor is and where it came from.
/// Below the confidence threshold the value is nil: not a guess dressed as
/// fact.
public struct Extracted<Value: Sendable & Equatable>: Sendable, Equatable {
    public var value: Value?
    /// 0...1.
    public var confidence: Double
    /// Where the value came from, for people: "heading (line 3)",
    /// "e-mail domain oxfordshire.gov.uk", "override (paper.pdf.meta.json)".
    public var source: String

    public init(value: Value?, confidence: Double, source: String) {
        self.value = value
        self.confidence = confidence
        self.source = source
    }

    public static var unknown: Extracted { Extracted(value: nil, confidence: 0, source: "not found") }
}

/// The meeting a paper belongs to.
public struct MeetingMetadata: Sendable, Equatable {
    public var council: Extracted<String>
    /// The gazetteer code when the council is a UK local authority ("OXF").
    public var councilCode: String?
    public var committee: Extracted<String>
    public var date: Extracted<CalendarDate>
    public var kind: Extracted<DocumentKind>

    public init(council: Extracted<String> = .unknown, councilCode: String? = nil,
                committee: Extracted<String> = .unknown, date: Extracted<CalendarDate> = .unknown,
                kind: Extracted<DocumentKind> = .unknown) {
        self.council = council
        self.councilCode = councilCode
        self.committee = committee
        self.date = date
        self.kind = kind
    }
}

/// One agenda item, minute or decision: the unit that is indexed and found.
public struct Item: Sendable, Equatable {
    /// Position in the paper: 0 for the front matter, then 1, 2, ...
    public var ordinal: Int
    /// The item's own number as printed ("12", "117", "46/17"), if any.
    public var number: String?
    /// The agenda item number when the paper gives it separately
    /// ("(Agenda Item 4)" on a minutes page).
    public var agendaNumber: String?
    /// "12. Help to Live at Home - Home Care Business Case".
    public var title: String
    /// The item's text, without its title.
    public var text: String
    /// The cabinet portfolios the item falls under ("Adult Social Care").
    public var portfolios: [String]
    /// People named in the item: movers, presenters, those present.
    public var people: [String] = []
    /// The meeting's front matter (and back matter): notices, membership,
    /// guidance, contact details.
    public var isFrontMatter: Bool
    /// 1-based line of the source where the item starts.
    public var line: Int

    public init(ordinal: Int, number: String? = nil, agendaNumber: String? = nil, title: String, text: String,
                portfolios: [String] = [], isFrontMatter: Bool = false, line: Int) {
        self.ordinal = ordinal
        self.number = number
        self.agendaNumber = agendaNumber
        self.title = title
        self.text = text
        self.portfolios = portfolios
        self.isFrontMatter = isFrontMatter
        self.line = line
    }
}

/// A council paper read and understood: its meeting, its items.
public struct CouncilPaper: Sendable, Equatable {
    public var metadata: MeetingMetadata
    /// A title for the paper ("Cabinet agenda — 26 May 2015").
    public var title: String
    /// The front matter first (ordinal 0, when there is any), then the items.
    public var items: [Item]

    /// Every portfolio named in the paper: the items' and those in
    /// membership lists, in order of first appearance.
    public var portfolios: [String]

    public init(metadata: MeetingMetadata, title: String, items: [Item], portfolios: [String]) {
        self.metadata = metadata
        self.title = title
        self.items = items
        self.portfolios = portfolios
    }
}
