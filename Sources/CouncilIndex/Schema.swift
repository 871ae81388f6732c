/// The index schema: every term prefix and value slot, in one table used by
/// both the indexer and the query parser (after Xapian Omega's
/// termprefixes and notmuch's prefix table).
///
/// | field      | prefix | kind        | slot  | filter syntax                  |
/// |------------|--------|-------------|-------|--------------------------------|
/// | id         | Q      | unique id   |       |                                |
/// | type       | XT     | boolean     |       | (item / source records)        |
/// | source     | XS     | boolean     | 13    | (items of one source file)     |
/// | title      | S      | free text   |       | `title:words`                  |
/// | (body)     |        | free text   |       | words, "phrases"               |
/// | council    | XC     | boolean     | 1     | `council:oxfordshire`          |
/// | committee  | XM     | boolean     | 2     | `committee:cabinet`            |
/// | kind       | XK     | boolean     | 3     | `kind:minutes`                 |
/// | portfolio  | XP     | boolean     | 5–12  | `portfolio:"adult social care"`|
/// | date       | D M Y  | boolean     | 0, 4  | `date:2017-09`, ranges         |
/// | person     | XN     | boolean     |       | `person:"jill haynes"`         |
/// | item       | XI     | boolean     |       | `item:12`                      |
/// | decision   | XD     | boolean     |       | `decision:yes`                 |
/// | front      | XF     | boolean     |       | (front matter)                 |
/// | run        | XR     | boolean     | 16    | (run the item's text arrived)  |
/// | (indexed)  |        |             | 17    | (when that run happened)       |
///
/// Boolean term values are `NameKey.normalize`d (lower case, `&` as "and",
/// no punctuation), so filters match regardless of case and punctuation;
/// the value slots hold the display forms for facets and sorting.
public enum Schema {
    /// How a field is indexed.
    public enum Indexing: Sendable {
        case uniqueID, boolean, freeText
    }

    public struct Field: Sendable {
        /// The name users type before a colon.
        public let name: String
        public let prefix: String
        public let indexing: Indexing
        /// The value slot(s) holding the display value.
        public let slots: [UInt32]

        public var slot: UInt32? { slots.first }
    }

    public static let id = Field(name: "id", prefix: "Q", indexing: .uniqueID, slots: [])
    public static let type = Field(name: "type", prefix: "XT", indexing: .boolean, slots: [])
    public static let source = Field(name: "source", prefix: "XS", indexing: .boolean, slots: [13])
    public static let title = Field(name: "title", prefix: "S", indexing: .freeText, slots: [])
    public static let council = Field(name: "council", prefix: "XC", indexing: .boolean, slots: [1])
    public static let committee = Field(name: "committee", prefix: "XM", indexing: .boolean, slots: [2])
    public static let kind = Field(name: "kind", prefix: "XK", indexing: .boolean, slots: [3])
    public static let portfolio = Field(name: "portfolio", prefix: "XP", indexing: .boolean, slots: Array(5...12))
    /// `D` + YYYYMMDD, with `M` + YYYYMM and `Y` + YYYY beside it (Omega's
    /// date terms); slot 0 holds YYYYMMDD for ranges and sorting, slot 4
    /// the year for the year facet.
    public static let date = Field(name: "date", prefix: "D", indexing: .boolean, slots: [0])
    public static let month = Field(name: "month", prefix: "M", indexing: .boolean, slots: [])
    public static let year = Field(name: "year", prefix: "Y", indexing: .boolean, slots: [4])
    public static let person = Field(name: "person", prefix: "XN", indexing: .boolean, slots: [])
    public static let item = Field(name: "item", prefix: "XI", indexing: .boolean, slots: [])
    public static let decision = Field(name: "decision", prefix: "XD", indexing: .boolean, slots: [])
    public static let front = Field(name: "front", prefix: "XF", indexing: .boolean, slots: [])
    public static let run = Field(name: "run", prefix: "XR", indexing: .boolean, slots: [16])

    /// Slot of the meeting key (council|committee|date), for `--by meeting`.
    public static let meetingSlot: UInt32 = 14
    /// Slot of the item's position in its paper, for reading order.
    public static let ordinalSlot: UInt32 = 15
    /// Slot of when the item's run happened (zero-padded seconds since 1970).
    public static let indexedSlot: UInt32 = 17

    /// A sortable form of a run number or time for the value slots.
    public static func sortable(_ n: Int) -> String {
        let digits = String(max(0, n))
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// Values of the type field.
    public static let itemType = "item"
    public static let sourceType = "source"

    /// Fields users can filter on, by name.
    public static let filters: [Field] = [council, committee, kind, portfolio, date, year, person, item, decision]

    /// Every prefix of a boolean or id field: never free text, skipped by
    /// relevance feedback.
    public static let booleanPrefixes: [String] = [id, type, source, council, committee, kind, portfolio, date, month, year,
                                                   person, item, decision, front, run].map(\.prefix)

    /// The stemming language of the index, shared by indexing, parsing and
    /// snippets.
    public static let language = "english"

    /// A boolean term: the prefix and the normalized value.
    public static func term(_ field: Field, _ value: String) -> String {
        let key = field.indexing == .boolean && field.prefix.hasPrefix("X") ? NameKeyBridge.normalize(value) : value
        let term = field.prefix + key
        return term.utf8.count <= 240 ? term : field.prefix + "#" + StableHash.hex(term)
    }
}

import CouncilDocuments

/// Lets the schema normalise values the way the documents layer does.
enum NameKeyBridge {
    static func normalize(_ s: String) -> String { NameKey.normalize(s) }
}
