/// The Markdown-ish text that converted papers (HTML, Word) become, built
/// block by block: paragraphs and headings separated by blank lines,
/// consecutive list items and consecutive table rows by single line breaks
/// — the form `TextLines.split` and the item segmenter read.
struct TextBlocks {
    enum Kind: Equatable {
        case paragraph, heading, listItem, tableRow
    }

    struct Block: Equatable {
        var kind: Kind
        var text: String
        /// The last of its list or table: what follows is apart.
        var endsGroup = false

        /// The text without heading or bold marks.
        var plain: String {
            var s = Substring(text)
            if kind == .heading { s = s.drop { $0 == "#" }.trimmingSpaces() }
            if s.hasPrefix("**") && s.hasSuffix("**") && s.count > 4 { s = s.dropFirst(2).dropLast(2) }
            return String(s)
        }
    }

    private(set) var blocks: [Block] = []

    /// Add a block; blank text adds nothing.
    mutating func add(_ kind: Kind, _ text: String) {
        let trimmed = text.trimmed
        guard !trimmed.isEmpty else { return }
        blocks.append(Block(kind: kind, text: trimmed))
    }

    /// End the list or table being written: the next list item or row
    /// starts a new group, after a blank line.
    mutating func endGroup() {
        if !blocks.isEmpty { blocks[blocks.count - 1].endsGroup = true }
    }

    mutating func append(contentsOf other: TextBlocks) {
        blocks += other.blocks
    }

    /// A table row from its cells' blocks: one line of tab-separated cells
    /// when every cell is at most one line; else (a layout table, a cell of
    /// paragraphs) the cells' blocks one after the other.
    mutating func addRow(_ cells: [TextBlocks]) {
        let filled = cells.filter { !$0.blocks.isEmpty }
        guard !filled.isEmpty else { return }
        let simple = filled.allSatisfy { $0.blocks.count == 1 && !$0.blocks[0].text.contains("\n") && $0.blocks[0].kind != .tableRow }
        if simple && filled.count >= 2 {
            add(.tableRow, TableCells.join(cells.map { $0.blocks.first?.plain ?? "" }))
        } else {
            for cell in filled { append(contentsOf: cell) }
        }
    }

    /// The blocks as text.
    var text: String {
        var out = ""
        var previous: Block? = nil
        for block in blocks {
            if let previous {
                let tight = previous.kind == block.kind && !previous.endsGroup && (block.kind == .listItem || block.kind == .tableRow)
                out += tight ? "\n" : "\n\n"
            }
            out += block.text
            previous = block
        }
        return out.isEmpty ? out : out + "\n"
    }
}

/// Table rows as the segmenter reads them.
enum TableCells {
    /// The cells of a row as one line, separated by tabs — except that an
    /// item number before its title ("5." | "Title") and a page reference
    /// after it ("Title" | "(Pages 7 - 16)") join the title with a space,
    /// so that an agenda laid out as a table still reads
    /// "5. Title (Pages 7 - 16)": one title, not a three-cell row.
    static func join(_ cells: [String]) -> String {
        var cells = cells.map(\.trimmed).filter { !$0.isEmpty }
        if cells.count >= 2, isItemNumber(cells[0]) {
            cells[1] = cells[0] + " " + cells[1]
            cells.removeFirst()
        }
        if cells.count >= 2, isPageReference(cells[cells.count - 1]) {
            cells[cells.count - 2] += " " + cells[cells.count - 1]
            cells.removeLast()
        }
        return cells.joined(separator: "\t")
    }

    /// "5.", "12", "116a", "46/17", "4)", "(b)", "a.", "Item 5", "Agenda Item 5",
    /// or a bullet.
    static func isItemNumber(_ text: String) -> Bool {
        var s = Substring(text.trimmed)
        if ["•", "-", "–", "·", "▪", "◦", "*"].contains(String(s)) { return true }
        let lower = s.lowercased()
        if lower.hasPrefix("agenda item ") { s = s.dropFirst(12) } else if lower.hasPrefix("item ") { s = s.dropFirst(5) }
        if s.first == "(" && s.last == ")" {
            let inner = s.dropFirst().dropLast()
            return !inner.isEmpty && inner.count <= 4 && inner.allSatisfy { $0.isLetter || $0.isNumber }
        }
        let punctuated = s.last == "." || s.last == ")" || s.last == ":"
        if punctuated { s = s.dropLast() }
        // "2017" heading a table row is a year.
        if !punctuated, s.count == 4, let year = Int(s), (1900...2100).contains(year) { return false }
        if s.count == 1, let c = s.first, c.isLowercase { return true }  // "a." "b)"
        let digits = s.prefix(while: \.isNumber)
        guard !digits.isEmpty, digits.count <= 4 else { return false }
        var rest = s.dropFirst(digits.count)
        if let c = rest.first, c.isLowercase, c.isLetter { rest = rest.dropFirst() }
        if rest.first == "/" {
            let year = rest.dropFirst()
            return (year.count == 2 || year.count == 4) && year.allSatisfy(\.isNumber)
        }
        return rest.isEmpty
    }

    /// "(Pages 7 - 16)", "(Page 5)", "Pages 7-16", "pp. 7 – 16".
    static func isPageReference(_ text: String) -> Bool {
        var s = Substring(text.trimmed.lowercased())
        if s.first == "(" && s.last == ")" { s = s.dropFirst().dropLast() }
        if s.hasPrefix("pages") { s = s.dropFirst(5) } else if s.hasPrefix("page") { s = s.dropFirst(4) } else if s.hasPrefix("pp") {
            s = s.dropFirst(2)
        } else {
            return false
        }
        let rest = s.split(separator: " ").filter { $0 != "to" && $0 != "and" && $0 != "." }.joined()
        return rest.contains(where: \.isNumber) && rest.allSatisfy { $0.isNumber || "-–—,&.".contains($0) }
    }
}
