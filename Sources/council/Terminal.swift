import Foundation

/// What the output device is and how to write to it: colours only on a
/// terminal and never with `NO_COLOR`; lines fitted to the terminal width.
struct Terminal: Sendable {
    let isTerminal: Bool
    let useColour: Bool
    let width: Int

    static func stdout() -> Terminal {
        let tty = isatty(STDOUT_FILENO) != 0
        let noColour = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = ProcessInfo.processInfo.environment["TERM"] == "dumb"
        return Terminal(isTerminal: tty, useColour: tty && !noColour && !dumb, width: tty ? currentWidth() : 0)
    }

    static func currentWidth() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }

    static func stdinIsTerminal() -> Bool { isatty(STDIN_FILENO) != 0 }

    // MARK: - Styles

    func bold(_ s: String) -> String { style(s, "1") }
    func dim(_ s: String) -> String { style(s, "2") }
    func highlight(_ s: String) -> String { style(s, "1;33") }
    func cyan(_ s: String) -> String { style(s, "36") }
    func red(_ s: String) -> String { style(s, "31") }
    func green(_ s: String) -> String { style(s, "32") }

    private func style(_ s: String, _ code: String) -> String {
        useColour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }

    /// A snippet from the index (HTML-escaped, matches in <b></b>) for this
    /// device: highlighted on a colour terminal, marked with `*` otherwise...
    /// unless `plainMarks` is false, then unmarked.
    func snippet(_ html: String, plainMarks: Bool = false) -> String {
        var out = ""
        var rest = Substring(html)
        while let open = rest.range(of: "<b>") {
            out += Terminal.unescape(rest[..<open.lowerBound])
            rest = rest[open.upperBound...]
            let close = rest.range(of: "</b>")
            let inner = Terminal.unescape(rest[..<(close?.lowerBound ?? rest.endIndex)])
            out += useColour ? highlight(inner) : (plainMarks ? "*\(inner)*" : inner)
            rest = close.map { rest[$0.upperBound...] } ?? ""
        }
        out += Terminal.unescape(rest)
        return out
    }

    static func unescape(_ s: Substring) -> String {
        guard s.contains("&") else { return String(s) }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Wrap `text` to the terminal width with `indent` spaces (no wrapping
    /// when not a terminal, so scripts see one line).
    func wrap(_ text: String, indent: Int, firstIndent: Int? = nil) -> String {
        let pad = String(repeating: " ", count: indent)
        let firstPad = String(repeating: " ", count: firstIndent ?? indent)
        guard width > indent + 20 else { return firstPad + text }
        var lines: [String] = []
        var current = ""
        var visible = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let w = Terminal.visibleLength(word)
            let lead = lines.isEmpty ? firstPad.count : indent
            if visible > 0 && lead + visible + 1 + w > width {
                lines.append((lines.isEmpty ? firstPad : pad) + current)
                current = ""
                visible = 0
            }
            if visible > 0 {
                current += " "
                visible += 1
            }
            current += word
            visible += w
        }
        if !current.isEmpty { lines.append((lines.isEmpty ? firstPad : pad) + current) }
        return lines.joined(separator: "\n")
    }

    /// A long unbreakable string (a path) shortened in the middle with "…"
    /// to fit the terminal after `indent` columns.
    func fit(_ text: String, indent: Int) -> String {
        let room = width - indent
        guard width > 0, room > 10, text.count > room else { return text }
        let keepEnd = room * 2 / 3, keepStart = room - keepEnd - 1
        return String(text.prefix(keepStart)) + "…" + String(text.suffix(keepEnd))
    }

    /// Length without ANSI escapes.
    static func visibleLength(_ s: some StringProtocol) -> Int {
        var count = 0
        var inEscape = false
        for c in s {
            if inEscape {
                if c.isLetter { inEscape = false }
            } else if c == "\u{1B}" {
                inEscape = true
            } else {
                count += 1
            }
        }
        return count
    }
}

/// Write to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
