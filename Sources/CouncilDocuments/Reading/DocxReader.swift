import CLibXML2
import Foundation

/// Reads Word documents (.docx): the zip is opened with `ZipArchive`, the
/// main document part (word/document.xml) parsed with libxml2, and its body
/// written as the Markdown-ish text the segmenter reads:
///
/// - paragraphs (`w:p` of runs `w:r` with `w:t`, `w:tab`, `w:br`) separated
///   by blank lines; tabs in a paragraph become cells the way table cells
///   do ("5.⇥Title⇥Pages 7 - 16" reads "5. Title Pages 7 - 16");
/// - paragraphs in a heading style (Heading 1–6, Title, or a style based on
///   one, or with an outline level) as "#" lines; a paragraph whose runs
///   are all bold as "**…**";
/// - numbered paragraphs with their numbers as Word shows them ("5.",
///   "(b)", "iv."), from numbering.xml; bulleted ones as "- ";
/// - tables as tab-separated rows, or — when cells hold several
///   paragraphs — as those paragraphs, cell after cell.
///
/// Hyperlinks (text and address) are collected. Headers, footers,
/// footnotes, comments, deleted text and text boxes are not read.
struct DocxReader {
    /// The most bytes a part may expand to when unzipped.
    var maxExpandedBytes: Int

    struct Document {
        var text: String
        var links: [SourceText.Link]
    }

    static let wordNamespaces: Set<String> = [
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    ]

    func read(_ data: Data) throws(ReadError) -> Document {
        _ = LibXML.initialised
        guard data.starts(with: [0x50, 0x4B]) else {
            if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
                throw .notFormat(.docx, "it is an old-style Word .doc file (save it as .docx or PDF)")
            }
            if data.isEmpty { throw .notFormat(.docx, "the file is empty") }
            throw .notFormat(.docx, "not a zip archive")
        }
        let archive: ZipArchive
        do {
            archive = try ZipArchive(data)
        } catch {
            throw .damaged(.docx, "the zip archive cannot be opened: \(error)")
        }

        // The main part, from the package's relationships.
        var main = "word/document.xml"
        if let rels = try extract(archive, "_rels/.rels") {
            let relationships = try DocxReader.relationships(rels, part: "_rels/.rels", base: "")
            if let target = relationships.first(where: { $0.type.hasSuffix("/officeDocument") })?.target { main = target }
        }
        guard let documentXML = try extract(archive, main) else {
            throw .notFormat(.docx, "no \(main) in the zip archive")
        }
        let directory = (main as NSString).deletingLastPathComponent
        let relsPath = (directory.isEmpty ? "" : directory + "/") + "_rels/" + (main as NSString).lastPathComponent + ".rels"
        var relationships: [Relationship] = []
        if let rels = try extract(archive, relsPath) {
            relationships = try DocxReader.relationships(rels, part: relsPath, base: directory)
        }
        func part(_ type: String, _ fallback: String) -> String {
            relationships.first { $0.type.hasSuffix("/" + type) && !$0.external }?.target ?? fallback
        }
        var writer = DocxWriter()
        if let styles = try extract(archive, part("styles", directory + "/styles.xml")) {
            writer.styles = try DocxReader.styles(styles, part: "styles.xml")
        }
        if let numbering = try extract(archive, part("numbering", directory + "/numbering.xml")) {
            writer.numbering = try DocxReader.numbering(numbering, part: "numbering.xml")
        }
        for relationship in relationships where relationship.external && relationship.type.hasSuffix("/hyperlink") {
            writer.hyperlinks[relationship.id] = relationship.target
        }

        let document = try DocxReader.parse(documentXML, part: main)
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document).map(XMLNode.init),
              let body = root.firstElement("body") else {
            throw .damaged(.docx, "\(main) has no document body")
        }
        writer.blocks = writer.body(body, depth: 0)
        return Document(text: writer.blocks.text, links: writer.links)
    }

    // MARK: - Parts

    /// A part's bytes, or nil when the archive has no such part.
    private func extract(_ archive: ZipArchive, _ path: String) throws(ReadError) -> Data? {
        guard let entry = archive[path] else { return nil }
        do {
            return try archive.extract(entry, limit: maxExpandedBytes)
        } catch {
            throw .damaged(.docx, error.description)
        }
    }

    /// Parse a part as XML: no network, no external entities, errors
    /// reported rather than printed.
    static func parse(_ data: Data, part: String) throws(ReadError) -> xmlDocPtr {
        guard let context = xmlNewParserCtxt() else { throw .unreadable("libxml2 cannot allocate a parser") }
        defer { xmlFreeParserCtxt(context) }
        let options = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let document = data.withUnsafeBytes { buffer in
            xmlCtxtReadMemory(context, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(clamping: buffer.count),
                              part, nil, options)
        }
        guard let document else {
            throw .damaged(.docx, "\(part) is not well-formed XML: \(LibXML.lastError(context) ?? "cannot parse")")
        }
        return document
    }

    struct Relationship {
        var id: String
        var type: String
        /// The target part's path in the archive, or an external address.
        var target: String
        var external: Bool
    }

    /// The relationships of a .rels part; targets resolved against `base`.
    static func relationships(_ data: Data, part: String, base: String) throws(ReadError) -> [Relationship] {
        let document = try parse(data, part: part)
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document).map(XMLNode.init) else { return [] }
        return root.elements("Relationship").compactMap { node in
            guard let id = node.attribute("id"), let type = node.attribute("type"), let target = node.attribute("target") else { return nil }
            let external = node.attribute("targetmode")?.lowercased() == "external"
            return Relationship(id: id, type: type, target: external ? target : resolve(target, base: base), external: external)
        }
    }

    /// "styles.xml" against "word" is "word/styles.xml"; "/word/x.xml" is
    /// "word/x.xml"; ".." steps up.
    static func resolve(_ target: String, base: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for piece in target.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(piece) }
        }
        return parts.joined(separator: "/")
    }

    // MARK: - Styles and numbering

    struct Style {
        var name: String?
        var basedOn: String?
        var outlineLevel: Int?
        var bold: Bool?
    }

    static func styles(_ data: Data, part: String) throws(ReadError) -> [String: Style] {
        let document = try parse(data, part: part)
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document).map(XMLNode.init) else { return [:] }
        var styles: [String: Style] = [:]
        for node in root.elements("style") {
            guard let id = node.attribute("styleid") else { continue }
            var style = Style()
            style.name = node.firstElement("name")?.attribute("val")
            style.basedOn = node.firstElement("basedOn")?.attribute("val")
            style.outlineLevel = node.firstElement("pPr")?.firstElement("outlineLvl")?.attribute("val").flatMap { Int($0) }
            if let b = node.firstElement("rPr")?.firstElement("b") { style.bold = DocxWriter.isOn(b) }
            styles[id] = style
        }
        return styles
    }

    /// A numbering level: its format ("decimal", "lowerLetter", "bullet"),
    /// its text ("%1.", "(%2)") and where it starts.
    struct Level {
        var format = "decimal"
        var text = "%1."
        var start = 1
    }

    struct Numbering {
        /// Abstract numbering definitions by id: their levels.
        var abstract: [String: [Int: Level]] = [:]
        /// Numbering instances by numId: their abstract definition and any
        /// restarts ("startOverride") by level.
        var instances: [String: (abstract: String, starts: [Int: Int])] = [:]
    }

    static func numbering(_ data: Data, part: String) throws(ReadError) -> Numbering {
        let document = try parse(data, part: part)
        defer { xmlFreeDoc(document) }
        var numbering = Numbering()
        guard let root = xmlDocGetRootElement(document).map(XMLNode.init) else { return numbering }
        for node in root.elements("abstractNum") {
            guard let id = node.attribute("abstractnumid") else { continue }
            var levels: [Int: Level] = [:]
            for lvl in node.elements("lvl") {
                guard let index = lvl.attribute("ilvl").flatMap({ Int($0) }) else { continue }
                var level = Level()
                if let format = lvl.firstElement("numFmt")?.attribute("val") { level.format = format }
                if let text = lvl.firstElement("lvlText")?.attribute("val") { level.text = text }
                if let start = lvl.firstElement("start")?.attribute("val").flatMap({ Int($0) }) { level.start = start }
                levels[index] = level
            }
            numbering.abstract[id] = levels
        }
        for node in root.elements("num") {
            guard let id = node.attribute("numid"), let abstract = node.firstElement("abstractNumId")?.attribute("val") else { continue }
            var starts: [Int: Int] = [:]
            for override in node.elements("lvlOverride") {
                if let level = override.attribute("ilvl").flatMap({ Int($0) }),
                   let start = override.firstElement("startOverride")?.attribute("val").flatMap({ Int($0) }) {
                    starts[level] = start
                }
            }
            numbering.instances[id] = (abstract, starts)
        }
        return numbering
    }
}

// MARK: - Writing the body

/// Writes a Word document's body as blocks.
struct DocxWriter {
    var styles: [String: DocxReader.Style] = [:]
    var numbering = DocxReader.Numbering()
    /// External hyperlink targets by relationship id.
    var hyperlinks: [String: String] = [:]
    var blocks = TextBlocks()
    private(set) var links: [SourceText.Link] = []
    private var seenLinks = Set<SourceText.Link>()
    /// List counters by abstract numbering id, one per level.
    private var counters: [String: [Int]] = [:]
    /// Numbering instances whose restarts have been applied.
    private var restarted = Set<String>()

    static let maxDepth = 32

    /// A run of text and whether it is bold.
    typealias Run = (text: String, bold: Bool)

    /// Paragraphs and tables of a body, a table cell or a content control.
    mutating func body(_ node: XMLNode, depth: Int) -> TextBlocks {
        var out = TextBlocks()
        guard depth < DocxWriter.maxDepth else { return out }
        for child in node.children where child.isElement && DocxWriter.isWord(child) {
            switch child.name {
            case "p": paragraph(child, into: &out)
            case "tbl": table(child, into: &out, depth: depth)
            case "sdt":
                if let content = child.firstElement("sdtContent") { out.append(contentsOf: body(content, depth: depth + 1)) }
            case "customXml", "ins", "moveTo": out.append(contentsOf: body(child, depth: depth + 1))
            default: break
            }
        }
        return out
    }

    private mutating func table(_ node: XMLNode, into out: inout TextBlocks, depth: Int) {
        for row in node.children where row.isElement && DocxWriter.isWord(row) && row.name == "tr" {
            var cells: [TextBlocks] = []
            for cell in row.children where cell.isElement && DocxWriter.isWord(cell) && (cell.name == "tc" || cell.name == "sdt") {
                let content = cell.name == "sdt" ? cell.firstElement("sdtContent")?.firstElement("tc") : cell
                if let content { cells.append(body(content, depth: depth + 1)) }
            }
            out.addRow(cells)
        }
        out.endGroup()
    }

    // MARK: Paragraphs

    private mutating func paragraph(_ node: XMLNode, into out: inout TextBlocks) {
        let properties = node.firstElement("pPr")
        let styleID = properties?.firstElement("pStyle")?.attribute("val")
        var runs: [Run] = []
        collectRuns(node, styleBold: styleID.map(styleIsBold) ?? false, into: &runs, depth: 0)
        var text = runs.map(\.text).joined()
        let lines = text.split(separator: "\n").map { line -> String in
            let cells = line.split(separator: "\t").map { TextLines.collapseSpaces(String($0)) }
            return TableCells.join(cells)
        }.filter { !$0.isEmpty }
        text = lines.joined(separator: "\n")

        var level = styleID.map(headingLevel) ?? 0
        if level == 0, let outline = properties?.firstElement("outlineLvl")?.attribute("val").flatMap({ Int($0) }), (0...5).contains(outline) {
            level = outline + 1
        }
        let label = properties?.firstElement("numPr").flatMap { numberLabel($0) }
        guard !text.isEmpty else { return }
        if level > 0 {
            let heading = ((label.map { $0 == "- " ? "" : $0 + " " } ?? "") + text).replacingOccurrences(of: "\n", with: " ")
            out.add(.heading, String(repeating: "#", count: min(level, 6)) + " " + heading)
            return
        }
        let words = runs.filter { !$0.text.trimmed.isEmpty }
        if !words.isEmpty, words.allSatisfy(\.bold), !text.contains("\n"), !text.contains("**") {
            text = "**" + text + "**"
        }
        if let label {
            out.add(.listItem, (label == "- " ? label : label + " ") + text)
        } else {
            out.add(.paragraph, text)
        }
    }

    /// The runs of a paragraph, through hyperlinks, insertions, fields and
    /// content controls; not deleted text, field codes or drawings.
    private mutating func collectRuns(_ node: XMLNode, styleBold: Bool, into runs: inout [Run], depth: Int) {
        guard depth < DocxWriter.maxDepth else { return }
        for child in node.children where child.isElement {
            switch child.name {
            case "r" where DocxWriter.isWord(child):
                run(child, styleBold: styleBold, into: &runs)
            case "hyperlink" where DocxWriter.isWord(child):
                let start = runs.count
                collectRuns(child, styleBold: styleBold, into: &runs, depth: depth + 1)
                let text = TextLines.collapseSpaces(runs[start...].map(\.text).joined().replacingOccurrences(of: "\n", with: " "))
                if let id = child.attribute("id"), let url = hyperlinks[id], !text.isEmpty {
                    let link = SourceText.Link(text: text, url: url)
                    if seenLinks.insert(link).inserted { links.append(link) }
                }
            case "pPr", "rPr", "del", "moveFrom", "instrText", "delText", "drawing", "pict", "object", "AlternateContent",
                 "commentReference", "footnoteReference", "endnoteReference":
                continue
            default:
                collectRuns(child, styleBold: styleBold, into: &runs, depth: depth + 1)
            }
        }
    }

    private func run(_ node: XMLNode, styleBold: Bool, into runs: inout [Run]) {
        var bold = styleBold
        if let properties = node.firstElement("rPr") {
            if let style = properties.firstElement("rStyle")?.attribute("val"), styleIsBold(style) { bold = true }
            if let b = properties.firstElement("b") { bold = DocxWriter.isOn(b) }
        }
        for child in node.children where child.isElement && DocxWriter.isWord(child) {
            switch child.name {
            case "t": runs.append((child.text, bold))
            case "tab", "ptab": runs.append(("\t", bold))
            case "br", "cr": runs.append(("\n", bold))
            case "noBreakHyphen": runs.append(("-", bold))
            default: continue
            }
        }
    }

    /// `<w:b/>`, `<w:b w:val="true"/>`: on; `<w:b w:val="0"/>`: off.
    static func isOn(_ node: XMLNode) -> Bool {
        guard let value = node.attribute("val")?.lowercased() else { return true }
        return !["0", "false", "off", "none"].contains(value)
    }

    static func isWord(_ node: XMLNode) -> Bool {
        node.namespace.map { DocxReader.wordNamespaces.contains($0) } ?? false
    }

    // MARK: Styles

    /// 1–6 for heading styles (by name, id or outline level, through the
    /// styles they are based on); 0 for others.
    func headingLevel(_ styleID: String) -> Int {
        var id: String? = styleID
        var seen = Set<String>()
        while let current = id, seen.insert(current).inserted {
            let style = styles[current]
            for candidate in [style?.name, current].compactMap({ $0?.lowercased().replacingOccurrences(of: " ", with: "") }) {
                if candidate == "title" { return 1 }
                if candidate.hasPrefix("heading"), let n = Int(candidate.dropFirst(7)), (1...6).contains(n) { return n }
            }
            if let outline = style?.outlineLevel, (0...5).contains(outline) { return outline + 1 }
            id = style?.basedOn
        }
        return 0
    }

    func styleIsBold(_ styleID: String) -> Bool {
        var id: String? = styleID
        var seen = Set<String>()
        while let current = id, seen.insert(current).inserted {
            if let bold = styles[current]?.bold { return bold }
            if current.lowercased() == "strong" { return true }
            id = styles[current]?.basedOn
        }
        return false
    }

    // MARK: Numbering

    /// The number Word shows for a numbered paragraph ("5.", "(b)",
    /// "2.3"), counting as Word does; "- " for bullets and unknown lists.
    mutating func numberLabel(_ numPr: XMLNode) -> String? {
        guard let numID = numPr.firstElement("numId")?.attribute("val"), numID != "0" else { return nil }
        let level = numPr.firstElement("ilvl")?.attribute("val").flatMap { Int($0) } ?? 0
        guard (0...8).contains(level), let instance = numbering.instances[numID],
              let levels = numbering.abstract[instance.abstract] else { return "- " }
        let definition = levels[level] ?? DocxReader.Level()
        if definition.format == "bullet" { return "- " }
        if definition.format == "none" { return nil }
        var values = counters[instance.abstract] ?? (0...8).map { (levels[$0]?.start ?? 1) - 1 }
        if restarted.insert(numID).inserted {
            for (l, start) in instance.starts where (0...8).contains(l) { values[l] = start - 1 }
        }
        values[level] += 1
        for deeper in (level + 1)..<9 { values[deeper] = (levels[deeper]?.start ?? 1) - 1 }
        counters[instance.abstract] = values
        var label = definition.text
        for l in 0...level {
            let format = levels[l]?.format ?? "decimal"
            label = label.replacingOccurrences(of: "%\(l + 1)", with: DocxWriter.format(values[l], format))
        }
        label = label.trimmed
        return label.isEmpty ? nil : label
    }

    /// A list number in Word's formats.
    static func format(_ n: Int, _ format: String) -> String {
        switch format {
        case "lowerLetter", "upperLetter":
            guard n > 0 else { return String(n) }
            // a … z, aa … zz, as Word counts.
            let letter = Character(Unicode.Scalar(UInt8(97 + (n - 1) % 26)))
            let text = String(repeating: letter, count: (n - 1) / 26 + 1)
            return format == "upperLetter" ? text.uppercased() : text
        case "lowerRoman", "upperRoman":
            let text = roman(n)
            return format == "upperRoman" ? text.uppercased() : text
        case "decimalZero":
            return n < 10 ? "0\(n)" : String(n)
        default:
            return String(n)
        }
    }

    static func roman(_ n: Int) -> String {
        guard n > 0, n < 4000 else { return String(n) }
        let table: [(Int, String)] = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                                      (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        var rest = n
        var out = ""
        for (value, numeral) in table {
            while rest >= value {
                out += numeral
                rest -= value
            }
        }
        return out
    }
}
