import CLibXML2
import Foundation

/// Reads HTML pages (ModernGov "Agenda and minutes" pages, councils' own
/// sites, Word's "Save as web page") through libxml2's forgiving HTML
/// parser, into the Markdown-ish text the segmenter reads:
///
/// - the `<title>` first, on a line of its own (ModernGov titles name the
///   committee, the date and the council);
/// - `h1`–`h6` as "#" lines; paragraphs separated by blank lines; a
///   paragraph that is wholly bold as "**…**" ("5. **Title**" when only an
///   item number precedes the bold); list items as "- " (numbered in
///   ordered lists);
/// - table rows whose cells are a line each as tab-separated cells; rows
///   whose cells hold paragraphs (layout tables, ModernGov's item table)
///   as those paragraphs, cell after cell;
/// - no scripts, styles, forms, navigation, breadcrumbs, skip links,
///   cookie notices, hidden elements, or site headers and footers outside
///   the main content.
///
/// Links (text and address as written) are collected on the way.
/// libxml2 drops content nested deeper than 256 elements.
enum HTMLReader {
    struct Page {
        var text: String
        var links: [SourceText.Link]
        var encoding: String
    }

    static func read(_ data: Data) throws(ReadError) -> Page {
        _ = LibXML.initialised
        let bytes = [UInt8](data)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { throw .empty }
        if bytes.starts(with: Array("%PDF-".utf8)) { throw .notFormat(.html, "it is a PDF file") }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { throw .notFormat(.html, "it is a zip archive") }
        let utf16 = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
        if !utf16 && bytes.prefix(8192).contains(0) { throw .binary }

        let encoding = chooseEncoding(bytes)
        let options = Int32(bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        let document = bytes.withUnsafeBytes { buffer in
            htmlReadMemory(buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(clamping: buffer.count), nil, encoding, options)
        }
        guard let document else { throw .damaged(.html, "libxml2 cannot parse it") }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw .empty }

        var converter = HTMLConverter()
        if let title = HTMLReader.title(XMLNode(pointer: root)) { converter.blocks.add(.paragraph, title) }
        converter.convert(XMLNode(pointer: root))
        var label = encoding ?? document.pointee.encoding.map { String(cString: $0) } ?? "UTF-8"
        label = label.uppercased().hasPrefix("WINDOWS-") ? "Windows-" + label.dropFirst(8) : label.uppercased()
        return Page(text: converter.blocks.text, links: converter.links, encoding: label)
    }

    /// The encoding to tell libxml2: none when the page has a byte order
    /// mark or declares its charset (libxml2 reads those), else UTF-8 when
    /// the bytes are valid UTF-8, else Windows-1252.
    static func chooseEncoding(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return nil }
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        if head.contains("charset") || head.contains("encoding=") { return nil }
        return String(validating: bytes, as: UTF8.self) != nil ? "UTF-8" : "windows-1252"
    }

    /// The page's `<title>`, white space collapsed.
    static func title(_ root: XMLNode) -> String? {
        var stack = [root]
        while let node = stack.popLast() {
            guard node.isElement, node.name != "body", node.name != "svg" else { continue }
            if node.name == "title" {
                let text = TextLines.collapseSpaces(node.text.replacingOccurrences(of: "\n", with: " "))
                return text.isEmpty ? nil : text
            }
            stack += node.children.reversed()
        }
        return nil
    }
}

// MARK: - Conversion

/// Walks the tree without recursion (hostile pages nest deeply) and writes
/// blocks.
struct HTMLConverter {
    var blocks: TextBlocks {
        get { contexts[0].blocks }
        set { contexts[0].blocks = newValue }
    }
    private(set) var links: [SourceText.Link] = []
    private var seenLinks = Set<SourceText.Link>()

    /// Where text goes: the page, or a table cell being read.
    private struct Context {
        var blocks = TextBlocks()
        /// The paragraph being read: runs of text and whether they are bold.
        var runs: [(text: String, bold: Bool)] = []
        /// A list item's marker, for its first paragraph.
        var marker: String? = nil
    }

    private var contexts = [Context()]
    /// The cells of the table rows being read, innermost last.
    private var rows: [[TextBlocks]] = []
    private var lists: [(ordered: Bool, next: Int)] = []
    /// The links being read: address and text so far.
    private var openLinks: [(url: String, text: String)] = []
    private var boldDepth = 0
    private var preDepth = 0
    /// Inside main, article or section: header and footer are content.
    private var contentDepth = 0

    /// What an element does on entry, to undo or finish on exit.
    private struct Effect {
        var block = false
        var bold = false
        var pre = false
        var heading = 0
        var listItem = false
        var list = false
        var row = false
        var cell = false
        var table = false
        var link = false
        var content = false
    }

    mutating func convert(_ root: XMLNode) {
        struct Frame {
            let node: XMLNode
            var next: XMLNode?
            let effect: Effect
        }
        var stack: [Frame] = []
        if let effect = enter(root) { stack.append(Frame(node: root, next: root.firstChild, effect: effect)) }
        while !stack.isEmpty {
            if let child = stack[stack.count - 1].next {
                stack[stack.count - 1].next = child.nextSibling
                if let effect = enter(child) { stack.append(Frame(node: child, next: child.firstChild, effect: effect)) }
            } else {
                let frame = stack.removeLast()
                leave(frame.effect)
            }
        }
        flush()
    }

    // MARK: Elements

    static let skipped: Set<String> = [
        "head", "title", "script", "style", "noscript", "template", "nav", "iframe", "frame", "object", "embed", "applet",
        "svg", "math", "canvas", "map", "audio", "video", "select", "option", "optgroup", "button", "textarea", "input",
        "datalist", "dialog", "link", "meta", "base",
    ]
    static let blockElements: Set<String> = [
        "html", "body", "p", "div", "section", "article", "main", "aside", "header", "footer", "blockquote", "address",
        "figure", "figcaption", "dl", "dt", "dd", "center", "form", "fieldset", "legend", "details", "summary",
        "caption", "thead", "tbody", "tfoot", "hgroup", "noframes",
    ]
    /// Class and id names of navigation and other page chrome.
    static let chromeNames: Set<String> = [
        "nav", "navbar", "navigation", "menu", "mainmenu", "main-menu", "menubar", "sitemenu", "site-menu", "topnav", "sidenav",
        "skiplink", "skiplinks", "skip-link", "skip-links", "skipnav", "sr-only", "visually-hidden", "visuallyhidden",
        "screen-reader-text", "site-header", "site-footer", "siteheader", "sitefooter", "printfooter",
    ]
    /// Parts of class and id names of page chrome: "mgBreadCrumbs",
    /// "cookie-banner".
    static let chromeParts = ["breadcrumb", "cookie"]
    static let chromeRoles: Set<String> = ["navigation", "banner", "contentinfo", "search", "menu", "menubar", "dialog"]

    /// Whether an element is chrome, hidden, or not text at all.
    private func isSkipped(_ node: XMLNode, _ name: String) -> Bool {
        if HTMLConverter.skipped.contains(name) { return true }
        if contentDepth == 0 && (name == "header" || name == "footer" || name == "aside") { return true }
        if node.attribute("hidden") != nil || node.attribute("aria-hidden")?.lowercased() == "true" { return true }
        if let role = node.attribute("role")?.lowercased(), HTMLConverter.chromeRoles.contains(role) { return true }
        if let style = node.attribute("style")?.lowercased().filter({ !$0.isWhitespace }),
           style.contains("display:none") || style.contains("visibility:hidden") { return true }
        for attribute in ["class", "id"] {
            guard let value = node.attribute(attribute)?.lowercased() else { continue }
            for token in value.split(whereSeparator: \.isWhitespace) {
                if HTMLConverter.chromeNames.contains(String(token)) { return true }
                if HTMLConverter.chromeParts.contains(where: { token.contains($0) }) { return true }
            }
        }
        if name == "a", let href = node.attribute("href"), href.hasPrefix("#"),
           node.text.trimmed.lowercased().hasPrefix("skip") { return true }
        return false
    }

    private mutating func enter(_ node: XMLNode) -> Effect? {
        if node.isText {
            append(node.content)
            return nil
        }
        guard node.isElement else { return nil }
        let name = node.name.lowercased()
        if isSkipped(node, name) { return nil }
        var effect = Effect()
        switch name {
        case "br":
            contexts[contexts.count - 1].runs.append(("\n", false))
            return nil
        case "hr":
            flush()
            return nil
        case "img":
            if let alt = node.attribute("alt")?.trimmed, !alt.isEmpty { append(" " + alt + " ") }
            return nil
        case "h1", "h2", "h3", "h4", "h5", "h6":
            flush()
            effect.heading = Int(String(name.dropFirst())) ?? 1
        case "ul", "ol", "menu", "dir":
            flush()
            let start = name == "ol" ? Int(node.attribute("start")?.trimmed ?? "") ?? 1 : 1
            lists.append((name == "ol", start))
            effect.list = true
        case "li":
            flush()
            if let list = lists.last, list.ordered {
                let number = Int(node.attribute("value")?.trimmed ?? "") ?? list.next
                lists[lists.count - 1].next = number + 1
                contexts[contexts.count - 1].marker = "\(number). "
            } else {
                contexts[contexts.count - 1].marker = "- "
            }
            effect.listItem = true
        case "table":
            flush()
            effect.table = true
        case "tr":
            flush()
            rows.append([])
            effect.row = true
        case "td", "th":
            flush()
            contexts.append(Context())
            effect.cell = true
        case "pre", "listing", "xmp", "plaintext":
            flush()
            preDepth += 1
            effect.pre = true
        case "a":
            if let href = node.attribute("href")?.trimmed, !href.isEmpty, !href.lowercased().hasPrefix("javascript:"), !href.hasPrefix("#") {
                openLinks.append((href, ""))
                effect.link = true
            }
        case "b", "strong":
            effect.bold = true
        default:
            if HTMLConverter.blockElements.contains(name) {
                flush()
                effect.block = true
            }
        }
        if name == "main" || name == "article" || name == "section" {
            contentDepth += 1
            effect.content = true
        }
        if !effect.bold, let style = node.attribute("style")?.lowercased().filter({ !$0.isWhitespace }),
           let range = style.range(of: "font-weight:") {
            let weight = style[range.upperBound...].prefix(while: { $0 != ";" })
            effect.bold = weight.hasPrefix("bold") || ["600", "700", "800", "900"].contains(String(weight))
        }
        if effect.bold { boldDepth += 1 }
        return effect
    }

    private mutating func leave(_ effect: Effect) {
        if effect.link, let link = openLinks.popLast() {
            let text = TextLines.collapseSpaces(link.text.replacingOccurrences(of: "\n", with: " "))
            let item = SourceText.Link(text: text, url: link.url)
            if seenLinks.insert(item).inserted { links.append(item) }
        }
        if effect.heading > 0 { flush(heading: effect.heading) }
        if effect.listItem {
            flush()
            contexts[contexts.count - 1].marker = nil
        }
        if effect.cell {
            flush()
            let cell = contexts.count > 1 ? contexts.removeLast().blocks : TextBlocks()
            if rows.isEmpty {
                contexts[contexts.count - 1].blocks.append(contentsOf: cell)
            } else {
                rows[rows.count - 1].append(cell)
            }
        }
        if effect.row, let cells = rows.popLast() { finishRow(cells) }
        if effect.table {
            flush()
            contexts[contexts.count - 1].blocks.endGroup()
        }
        if effect.list {
            lists.removeLast()
            flush()
            if lists.isEmpty { contexts[contexts.count - 1].blocks.endGroup() }
        }
        if effect.pre {
            flush()
            preDepth -= 1
        }
        if effect.block { flush() }
        if effect.bold { boldDepth -= 1 }
        if effect.content { contentDepth -= 1 }
    }

    // MARK: Text

    /// Add text to the paragraph being read (and to the links being read),
    /// white space collapsed outside `<pre>`.
    private mutating func append(_ raw: String) {
        var text = raw.replacingOccurrences(of: "\u{00A0}", with: " ")
        if preDepth == 0 {
            var collapsed = ""
            var space = false
            for c in text {
                if c.isWhitespace {
                    space = true
                    continue
                }
                if space { collapsed.append(" ") }
                space = false
                collapsed.append(c)
            }
            if space { collapsed.append(" ") }
            text = collapsed
        } else {
            text = text.replacingOccurrences(of: "\r\n", with: "\n")
        }
        guard !text.isEmpty else { return }
        contexts[contexts.count - 1].runs.append((text, boldDepth > 0))
        for i in openLinks.indices { openLinks[i].text += text }
    }

    /// End the paragraph being read: add it as a block.
    private mutating func flush(heading: Int = 0) {
        let index = contexts.count - 1
        let runs = contexts[index].runs
        contexts[index].runs = []
        let joined = runs.map(\.text).joined()
        let lines: [String]
        if preDepth > 0 {
            lines = joined.split(separator: "\n", omittingEmptySubsequences: false).map { PDFLayout.trimTrailing($0) }
        } else {
            lines = joined.split(separator: "\n").map { TextLines.collapseSpaces(String($0)) }.filter { !$0.isEmpty }
        }
        var text = lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
        guard !text.trimmed.isEmpty else { return }
        if heading > 0 {
            contexts[index].blocks.add(.heading, String(repeating: "#", count: heading) + " " + text.replacingOccurrences(of: "\n", with: " "))
            contexts[index].marker = nil
            return
        }
        if preDepth == 0 { text = HTMLConverter.markBold(text, runs: runs) }
        var kind = TextBlocks.Kind.paragraph
        if let marker = contexts[index].marker {
            text = marker + text
            kind = .listItem
            contexts[index].marker = nil
        }
        contexts[index].blocks.add(kind, text)
    }

    /// "**Title**" when every word of the paragraph is bold; "5. **Title**"
    /// when all but a leading item number is.
    static func markBold(_ text: String, runs: [(text: String, bold: Bool)]) -> String {
        let words = runs.filter { !$0.text.trimmed.isEmpty }
        guard !words.isEmpty, !text.contains("\n"), !text.contains("**") else { return text }
        if words.allSatisfy(\.bold) { return "**" + text + "**" }
        if !words[0].bold, TableCells.isItemNumber(words[0].text), words.dropFirst().allSatisfy(\.bold), words.count > 1 {
            let number = words[0].text.trimmed
            let rest = String(text.dropFirst(number.count)).trimmed
            if text.hasPrefix(number), !rest.isEmpty { return number + " **" + rest + "**" }
        }
        return text
    }

    // MARK: Tables

    private mutating func finishRow(_ cells: [TextBlocks]) {
        flush()
        contexts[contexts.count - 1].blocks.addRow(cells)
    }
}
