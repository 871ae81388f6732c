import Foundation
import Testing
import ZIPFoundation
@testable import CouncilDocuments

// Every fixture here is made by the test that reads it: PDFs written by
// hand and read through the real pdftotext, HTML pages, Word documents
// zipped with ZIPFoundation, text in Windows-1252.

// MARK: - Fixtures

/// A fresh temporary folder per test.
private struct Scratch {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("reader-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func write(_ data: Data, _ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    func write(_ text: String, _ name: String) throws -> String {
        try write(Data(text.utf8), name)
    }

    /// An executable shell script, to stand in for pdftotext. Written
    /// through a descriptor closed on exec, so that no process spawned
    /// meanwhile keeps it open for writing ("Text file busy").
    func script(_ body: String, _ name: String = "pdftotext") throws -> String {
        let path = directory.appendingPathComponent(name).path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        let bytes = Array(("#!/bin/sh\n" + body + "\n").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        return path
    }
}

/// A minimal PDF written by hand: pages of Helvetica text (WinAnsi
/// encoding) at given positions, one content stream per page, a correct
/// cross-reference table.
private struct PDFWriter {
    struct Text {
        let x: Int
        let y: Int
        let size: Int
        let text: String
        init(_ x: Int, _ y: Int, _ text: String, size: Int = 10) {
            self.x = x
            self.y = y
            self.size = size
            self.text = text
        }
    }

    var pages: [[Text]] = []
    /// A trailer /Encrypt dictionary whose keys match no password.
    var encrypted = false

    /// A PDF string literal: ( ) \ escaped, bytes over 127 in octal.
    static func literal(_ text: String) -> String {
        let bytes = text.data(using: .windowsCP1252) ?? Data(text.utf8)
        var out = "("
        for b in bytes {
            switch b {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"): out += "\\" + String(UnicodeScalar(b))
            case 32..<127: out += String(UnicodeScalar(b))
            default: out += "\\" + String(b, radix: 8)
            }
        }
        return out + ")"
    }

    func data() -> Data {
        var objects: [String] = []
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        let kids = pages.indices.map { "\(4 + 2 * $0) 0 R" }.joined(separator: " ")
        objects.append("<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        for (index, page) in pages.enumerated() {
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents \(5 + 2 * index) 0 R >>")
            let content = page.map { "BT /F1 \($0.size) Tf \($0.x) \($0.y) Td \(PDFWriter.literal($0.text)) Tj ET" }.joined(separator: "\n")
            objects.append("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream")
        }
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { out += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
        var trailer = "/Size \(objects.count + 1) /Root 1 0 R"
        if encrypted {
            let o = String(repeating: "11", count: 32), u = String(repeating: "22", count: 32), id = String(repeating: "ab", count: 16)
            trailer += " /Encrypt << /Filter /Standard /V 1 /R 2 /O <\(o)> /U <\(u)> /P -4 >> /ID [<\(id)> <\(id)>]"
        }
        out += "trailer\n<< \(trailer) >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }

    /// A five-page Worcestershire cabinet agenda: a running header and
    /// "Page N of 5" footers, an agenda list with page references at the
    /// right margin, a page of two columns, a table, a blank page.
    static func agenda() -> PDFWriter {
        func furniture(_ page: Int) -> [Text] {
            [Text(72, 805, "Cabinet – 28 September 2017", size: 9), Text(270, 40, "Page \(page) of 5", size: 9)]
        }
        var pdf = PDFWriter()
        var first = furniture(1) + [
            Text(72, 760, "Cabinet", size: 16),
            Text(72, 740, "Date: Thursday, 28 September 2017"),
            Text(72, 726, "Venue: County Hall, Worcester"),
            Text(72, 696, "Agenda", size: 12),
        ]
        let items = [("1.", "Apologies and Declarations of Interest", nil), ("2.", "Public Participation", nil),
                     ("3.", "Confirmation of the Minutes of the previous meeting", "(Pages 1 - 6)"),
                     ("4.", "Children's Social Care Update", "(Pages 7 - 16)"), ("5.", "Resources Report", "(Pages 17 - 40)")]
        var y = 670
        for (number, title, pages) in items {
            first.append(Text(72, y, number))
            first.append(Text(100, y, title))
            if let pages { first.append(Text(470, y, pages)) }
            y -= 26
        }
        pdf.pages.append(first)

        let left = ["The Cabinet considered the report of the", "Director of Children's Services on the",
                    "improvement plan. Members noted that the", "Commissioner had found services unsafe",
                    "and that an improvement partner would be", "appointed before the end of October."]
        let right = ["The Leader said that the Council would", "work with Essex County Council as its",
                     "improvement partner. The Cabinet agreed", "that an alternative delivery model be",
                     "considered and that a further report be", "brought to a future meeting in 2018."]
        var second = furniture(2) + [Text(72, 760, "Children's Social Care Update", size: 12)]
        y = 730
        for (l, r) in zip(left, right) {
            second.append(Text(72, y, l))
            second.append(Text(320, y, r))
            y -= 13
        }
        pdf.pages.append(second)

        var third = furniture(3) + [Text(72, 760, "Resources Report", size: 12), Text(72, 740, "Forecast outturn by service:")]
        y = 716
        for row in [["Service", "Budget", "Forecast", "Variance"], ["Children's Services", "£98.1m", "£104.1m", "£6.0m"],
                    ["Adult Services", "£131.2m", "£131.9m", "£0.7m"]] {
            for (x, cell) in zip([72, 250, 350, 450], row) { third.append(Text(x, y, cell)) }
            y -= 14
        }
        third.append(Text(72, y - 14, "The Cabinet is asked to note the forecast."))
        pdf.pages.append(third)
        pdf.pages.append(furniture(4) + [Text(200, 420, "This page is intentionally left blank", size: 12)])
        pdf.pages.append(furniture(5) + [Text(72, 760, "Contact: Nichola Garner, Committee and Appellate Officer"),
                                         Text(72, 746, "Worcestershire County Council, County Hall, Spetchley Road, Worcester WR5 2NP")])
        return pdf
    }
}

/// Lines of a text, for exact assertions (no empty line after the last
/// line break).
private func lines(_ text: String) -> [String] {
    var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if result.last == "" { result.removeLast() }
    return result
}

// MARK: - PDF

@Suite(.serialized) struct PDFReaderTests {
    @Test func agendaThroughPdftotext() throws {
        let scratch = try Scratch()
        let path = try scratch.write(PDFWriter.agenda().data(), "agenda.pdf")
        let source = try DocumentReader().read(path: path)
        let text = lines(source.text)
        #expect(source.format == .pdf)
        // Agenda lines whole, page references at the margin included.
        #expect(text.contains("1. Apologies and Declarations of Interest"))
        #expect(text.contains("4. Children's Social Care Update (Pages 7 - 16)"))
        #expect(text.contains("5. Resources Report (Pages 17 - 40)"))
        // The running header stays once, at the top; page numbers and the
        // blank-page notice go.
        #expect(text.first == "Cabinet – 28 September 2017")
        #expect(text.filter { $0.contains("Cabinet – 28 September 2017") }.count == 1)
        #expect(!source.text.contains("Page 2 of 5") && !source.text.contains(" of 5"))
        #expect(!source.text.lowercased().contains("intentionally left blank"))
        // Two columns: the left one, then the right one.
        let leftEnd = try #require(text.firstIndex(of: "appointed before the end of October."))
        let rightStart = try #require(text.firstIndex(of: "The Leader said that the Council would"))
        #expect(text.firstIndex(of: "The Cabinet considered the report of the")! < leftEnd)
        #expect(leftEnd < rightStart)
        #expect(text.firstIndex(of: "brought to a future meeting in 2018.")! > rightStart)
        // Table rows: cells separated by tabs.
        #expect(text.contains("Service\tBudget\tForecast\tVariance"))
        #expect(text.contains("Children's Services\t£98.1m\t£104.1m\t£6.0m"))
        #expect(text.contains("The Cabinet is asked to note the forecast."))
        #expect(text.last == "Worcestershire County Council, County Hall, Spetchley Road, Worcester WR5 2NP")
    }

    @Test func agendaItemsSurviveConversion() throws {
        let scratch = try Scratch()
        let source = try DocumentReader().read(path: try scratch.write(PDFWriter.agenda().data(), "agenda.pdf"))
        let paper = CouncilPaper.parse(source.text)
        #expect(paper.metadata.council.value == "Worcestershire County Council")
        #expect(paper.metadata.committee.value == "Cabinet")
        #expect(paper.metadata.date.value?.iso == "2017-09-28")
        #expect(paper.metadata.kind.value == .agenda)
        #expect(paper.items.filter { !$0.isFrontMatter }.map(\.title) == [
            "1. Apologies and Declarations of Interest", "2. Public Participation",
            "3. Confirmation of the Minutes of the previous meeting", "4. Children's Social Care Update", "5. Resources Report",
        ])
    }

    @Test func columnsWithDifferentLineSpacing() throws {
        // The right column's lines fall between the left's, so layout rows
        // hold one side only; a heading across the page ends the columns.
        let left = ["The Cabinet considered the report of the", "Director of Children's Services on the",
                    "improvement plan for children's social", "care. Members noted that the Commissioner",
                    "had found services unsafe and that an", "improvement partner would be appointed."]
        let right = ["The Leader said that the Council would", "work with Essex County Council as its",
                     "improvement partner. The Cabinet agreed", "that an alternative delivery model be",
                     "considered and that a further report be", "brought to a future meeting in 2018."]
        var page: [PDFWriter.Text] = [PDFWriter.Text(72, 780, "Children's Social Care Update", size: 12)]
        for (index, line) in left.enumerated() { page.append(PDFWriter.Text(72, 750 - 12 * index, line)) }
        for (index, line) in right.enumerated() { page.append(PDFWriter.Text(320, 748 - 15 * index, line)) }
        page.append(PDFWriter.Text(72, 600, "RESOLVED that the improvement plan be endorsed and the partner appointed by October 2017."))
        let source = try DocumentReader().decode(PDFWriter(pages: [page]).data(), format: .pdf)
        #expect(lines(source.text) == ["Children's Social Care Update", ""] + left + [""] + right
            + ["", "RESOLVED that the improvement plan be endorsed and the partner appointed by October 2017."])
    }

    /// Why layout mode: pdftotext's reading-order mode, on the same
    /// agenda, parts item numbers from their titles and page references,
    /// and reads the table column by column.
    @Test func readingOrderModeWouldBreakAgendaLinesAndRows() throws {
        let path = try Scratch().write(PDFWriter.agenda().data(), "agenda.pdf")
        let outcome = try Subprocess(executable: "pdftotext", arguments: ["-enc", "UTF-8", path, "-"], timeLimit: 60,
                                     memoryLimit: nil, outputLimit: 1_048_576).run()
        let raw = lines(String(decoding: outcome.output, as: UTF8.self))
        #expect(outcome.termination == .exited(0))
        #expect(raw.contains("4.") && raw.contains("Children's Social Care Update") && raw.contains("(Pages 7 - 16)"))
        #expect(!raw.contains { $0.contains("\t") || $0.contains("£98.1m") && $0.contains("£104.1m") })
    }

    @Test func decodeWritesATemporaryCopy() throws {
        let source = try DocumentReader().decode(PDFWriter.agenda().data(), format: .pdf)
        #expect(lines(source.text).contains("2. Public Participation"))
    }

    @Test func damagedPDF() throws {
        let scratch = try Scratch()
        let whole = PDFWriter.agenda().data()
        let path = try scratch.write(whole.prefix(300), "broken.pdf")
        #expect(throws: ReadError.damaged(.pdf, "Couldn't read xref table")) { try DocumentReader().read(path: path) }
        #expect(ReadError.damaged(.pdf, "Couldn't read xref table").description == "damaged PDF: Couldn't read xref table")
    }

    @Test func notAPDF() throws {
        let scratch = try Scratch()
        let path = try scratch.write("Minutes of the Cabinet", "minutes.pdf")
        #expect(throws: ReadError.notFormat(.pdf, "no “%PDF-” header")) { try DocumentReader().read(path: path) }
        #expect(ReadError.notFormat(.pdf, "no “%PDF-” header").description == "not a PDF: no “%PDF-” header")
    }

    @Test func encryptedPDF() throws {
        let scratch = try Scratch()
        var pdf = PDFWriter.agenda()
        pdf.encrypted = true
        let path = try scratch.write(pdf.data(), "locked.pdf")
        #expect(throws: ReadError.encrypted("it needs a password to open")) { try DocumentReader().read(path: path) }
        #expect(ReadError.encrypted("it needs a password to open").description == "encrypted PDF: it needs a password to open")
    }

    @Test func scannedPDFHasNoText() throws {
        let scratch = try Scratch()
        let path = try scratch.write(PDFWriter(pages: [[], []]).data(), "scan.pdf")
        #expect(throws: ReadError.noTextLayer) { try DocumentReader().read(path: path) }
    }

    @Test func missingPdftotextSaysWhatToInstall() throws {
        let scratch = try Scratch()
        let path = try scratch.write(PDFWriter.agenda().data(), "agenda.pdf")
        let reader = DocumentReader(pdftotextPath: scratch.directory.appendingPathComponent("no-such-pdftotext").path)
        #expect(throws: ReadError.readerMissing(program: "pdftotext", package: "poppler-utils")) { try reader.read(path: path) }
        #expect(ReadError.readerMissing(program: "pdftotext", package: "poppler-utils").description
            == "pdftotext is not installed (install the Debian package poppler-utils: apt-get install poppler-utils)")
    }

    @Test func hangingReaderIsKilledAtTheTimeLimit() throws {
        let scratch = try Scratch()
        let pids = scratch.directory.appendingPathComponent("pids").path
        // The "reader" starts a child of its own and waits for it: the
        // whole process group must go.
        let fake = try scratch.script("sleep 30 &\necho $$ $! > '\(pids)'\nwait")
        let path = try scratch.write(PDFWriter.agenda().data(), "agenda.pdf")
        let reader = DocumentReader(pdftotextPath: fake, pdfTimeLimit: 1)
        let started = Date()
        #expect(throws: ReadError.readerTimedOut(program: "pdftotext", seconds: 1)) { try reader.read(path: path) }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 1 && elapsed < 10)
        #expect(ReadError.readerTimedOut(program: "pdftotext", seconds: 1).description == "pdftotext did not finish within 1 s and was stopped")
        for pid in try String(contentsOfFile: pids, encoding: .utf8).split(separator: " ").compactMap({ Int32(String($0).trimmed) }) {
            #expect(isGone(pid), "process \(pid) still running")
        }
    }

    /// Whether a process has ended (or is a zombie waiting for init).
    private func isGone(_ pid: Int32) -> Bool {
        for _ in 0..<100 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            if let close = stat.lastIndex(of: ")"), stat[close...].dropFirst(2).first == "Z" { return true }
            usleep(20_000)
        }
        return false
    }

    @Test func crashingReader() throws {
        let scratch = try Scratch()
        let fake = try scratch.script("kill -SEGV $$")
        let path = try scratch.write(PDFWriter.agenda().data(), "agenda.pdf")
        let reader = DocumentReader(pdftotextPath: fake)
        #expect(throws: ReadError.readerCrashed(program: "pdftotext", signal: SIGSEGV)) { try reader.read(path: path) }
        #expect(ReadError.readerCrashed(program: "pdftotext", signal: 11).description == "pdftotext crashed with signal 11 (SIGSEGV)")
    }

    @Test func failingReaderSaysWhy() throws {
        let scratch = try Scratch()
        let fake = try scratch.script("echo 'Internal Error: something broke' >&2\nexit 99")
        let path = try scratch.write(PDFWriter.agenda().data(), "agenda.pdf")
        #expect(throws: ReadError.readerFailed(program: "pdftotext", status: 99, message: "something broke")) {
            try DocumentReader(pdftotextPath: fake).read(path: path)
        }
    }

    @Test func memoryLimitHolds() throws {
        let scratch = try Scratch()
        let path = try scratch.write(PDFWriter.agenda().data(), "agenda.pdf")
        let reader = DocumentReader(pdfMemoryLimit: 8 * 1_048_576)
        #expect(throws: ReadError.readerOutOfMemory(program: "pdftotext", limit: 8 * 1_048_576)) { try reader.read(path: path) }
        #expect(ReadError.readerOutOfMemory(program: "pdftotext", limit: 8 * 1_048_576).description == "pdftotext ran out of memory (limit 8 MB)")
    }

    @Test func endlessOutputIsCutOff() throws {
        let scratch = try Scratch()
        let fake = try scratch.script("exec yes 'Council papers without end'")
        let path = try scratch.write(PDFWriter.agenda().data(), "agenda.pdf")
        let reader = DocumentReader(maxBytes: 1_048_576, pdftotextPath: fake)
        #expect(throws: ReadError.readerOutputTooLarge(program: "pdftotext", limit: 64 * 1_048_576)) { try reader.read(path: path) }
    }
}

// MARK: - Page furniture and columns

@Suite struct PDFLayoutTests {
    @Test func pageNumbersInTheirForms() {
        let layout = [
            "Report of the Director\n\nThe council agreed the plan.\n\n                    - 1 -\n",
            "The plan was adopted.\n\n                    Page 2\n",
            "Members noted the figures.\n\n                    3 of 9\n",
            "117\n\nThe Cabinet considered the report.\n\n                      4\n",
            "The meeting ended at 4.15 pm.\n\n                      5\n",
        ].joined(separator: "\u{0C}")
        let text = PDFLayout.text(fromLayout: layout)
        #expect(lines(text) == [
            "Report of the Director", "", "The council agreed the plan.", "", "The plan was adopted.", "",
            "Members noted the figures.", "", "117", "", "The Cabinet considered the report.", "", "The meeting ended at 4.15 pm.",
        ])
    }

    @Test func runningFooterWithPageNumbersGoesAndSparseHeadingsStay() {
        var pages: [String] = []
        let sentences = ["The report sets out the position.", "Members asked about the budget.", "The forecast was noted.",
                         "Savings were found in transport.", "The risks were discussed.", "The capital programme was reviewed.",
                         "Officers answered questions.", "The committee thanked the officers."]
        for (page, sentence) in zip(1..., sentences) {
            var body = page == 1 || page == 6 ? "Division(s): N/A\nPERFORMANCE SCRUTINY COMMITTEE 4 January 2018\n" : ""
            body += sentence + "\n\n"
            body += "Oxfordshire County Council          Performance Scrutiny          Page \(page + 20)\n"
            pages.append(body)
        }
        let text = PDFLayout.text(fromLayout: pages.joined(separator: "\u{0C}") + "\u{0C}")
        #expect(!text.contains("Page 2"))
        #expect(lines(text).filter { $0 == "PERFORMANCE SCRUTINY COMMITTEE 4 January 2018" }.count == 2)
        #expect(lines(text).filter { $0 == "Division(s): N/A" }.count == 2)
        #expect(lines(text).contains("The committee thanked the officers."))
    }

    @Test func sentencesRunOnAcrossPages() {
        let text = PDFLayout.text(fromLayout: "The Cabinet agreed that the\n\u{0C}report be noted.\n\u{0C}Next paragraph.\n")
        #expect(text == "The Cabinet agreed that the\nreport be noted.\n\nNext paragraph.\n")
    }

    @Test func twoColumnTableIsNotUnwoven() {
        let rows = [("Ian Hudspeth", "Leader of the Council"), ("Rodney Rose", "Deputy Leader of the Council"),
                    ("Judith Heathcoat", "Cabinet Member for Adult Social Care"), ("Nick Carter", "Cabinet Member for Business"),
                    ("Melinda Tilley", "Cabinet Member for Children, Education & Families"), ("Lawrie Stratford", "Cabinet Member for Finance")]
        let layout = rows.map { $0.0.padding(toLength: 30, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n")
        #expect(lines(PDFLayout.text(fromLayout: layout)).first == "Ian Hudspeth\tLeader of the Council")
    }

    @Test func agendaTableKeepsTitlesWhole() {
        #expect(TableCells.join(["5.", "Resources Report", "(Pages 17 - 40)"]) == "5. Resources Report (Pages 17 - 40)")
        #expect(TableCells.join(["Item 6", "Data Sharing Charter", "Pages 41-50"]) == "Item 6 Data Sharing Charter Pages 41-50")
        #expect(TableCells.join(["Adult Services", "£131.2m", "£131.9m"]) == "Adult Services\t£131.2m\t£131.9m")
        #expect(TableCells.join(["2017", "Budget"]) == "2017\tBudget")
    }
}

// MARK: - HTML

/// A ModernGov "Agenda and minutes" page as councils serve it: the
/// council's site template around ModernGov's content (`mgMainTitleTxt`,
/// `mgItemTable` with `mgItemNumberCell` and `mgAiTitleTxt`,
/// `mgSubItemTitleTxt`, `mgWordPara`, `mgActionList`), breadcrumbs, a skip
/// link, navigation, scripts and a footer. The items are those of
/// Corpus/004, the text of such a page.
private let moderngovPage = """
    <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
    <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
    <head>
    <meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
    <title>
    \tAgenda for Cabinet on Thursday, 28th September, 2017, 10.00 am - Worcestershire County Council
    </title>
    <link rel="stylesheet" href="SiteSpecific/ssMgStyles.css" type="text/css" />
    <script type="text/javascript">var mgPageTitle = "<p>Not text</p>";</script>
    <style type="text/css">.mgHidden { display: none; }</style>
    </head>
    <body>
    <form method="post" action="./ieListDocuments.aspx?CId=130&amp;MId=1930&amp;Ver=4" id="aspnetForm">
    <a class="skiplink" href="#mgMainContent">Skip to main content</a>
    <header class="site-header">
      <a href="https://www.worcestershire.gov.uk/"><img src="logo.png" alt="Worcestershire County Council logo" /></a>
      <nav><ul><li><a href="/council">Council and democracy</a></li><li><a href="/news">News</a></li></ul></nav>
    </header>
    <div id="mgBreadCrumbs" class="mgBreadCrumbs"><ul>
      <li><a href="mgCalendarMonthView.aspx">Meetings</a></li><li>Agenda and minutes</li></ul></div>
    <div id="mgMainContent" class="mgContent">
    <h1 class="mgMainTitleTxt">Agenda and minutes</h1>
    <ul class="mgActionList">
      <li><a href="documents/g1930/Agenda frontsheet 28th-Sep-2017 10.00 Cabinet.pdf?T=0">Agenda frontsheet <span>PDF 120 KB</span></a></li>
      <li><a href="documents/g1930/Printed minutes 28th-Sep-2017 10.00 Cabinet.pdf?T=1">Printed minutes <span>PDF 112 KB</span></a></li>
    </ul>
    <p><span class="mgLabel">Venue: </span>County Hall, Worcester</p>
    <p><span class="mgLabel">Contact: </span>Nichola Garner&nbsp; Committee and Appellate Officer</p>
    <table class="mgItemTable" summary="Table of agenda items">
    <caption class="mgSectionTitle">Items</caption>
    <tr><th scope="col">No.</th><th scope="col">Item</th></tr>
    <tr>
     <td class="mgItemNumberCell"><p class="mgAiTitleTxt">1798.</p></td>
     <td><p class="mgAiTitleTxt">Apologies and Declarations of Interest (Agenda Item 1)</p>
      <p class="mgSubItemTitleTxt">Minutes:</p>
      <div class="mgWordPara"><p>The Cabinet noted that there were no apologies.</p></div></td>
    </tr>
    <tr>
     <td class="mgItemNumberCell"><p class="mgAiTitleTxt">1799.</p></td>
     <td><p class="mgAiTitleTxt">Public Participation (Agenda Item 2)</p>
      <div class="mgWordPara"><p>Members of the public wishing to take part should notify the Head of Legal and Democratic
      Services in writing or by e-mail no later than 9.00am on the working day before the meeting (in this case
      27 September 2017).</p></div>
      <p class="mgSubItemTitleTxt">Minutes:</p>
      <div class="mgWordPara"><p>None.</p></div></td>
    </tr>
    <tr>
     <td class="mgItemNumberCell"><p class="mgAiTitleTxt">1801.</p></td>
     <td><p class="mgAiTitleTxt"><a class="mgAiTitleLnk" href="ieIssueDetails.aspx?IId=3141&amp;Opt=3">Children's Social Care Update (Agenda Item 4)</a>
      <a href="documents/s14203/Childrens Social Care Update.pdf"><img src="mgLoadPdf.gif" alt="pdf icon" /> <span>PDF 159 KB</span></a></p>
      <p class="mgSubItemTitleTxt">Minutes:</p>
      <div class="mgWordPara">
      <p>The Cabinet considered the Children's Social Care Update. The details were set out in the report.</p>
      <p>The Cabinet Member for Children and Families introduced the report.</p>
      <p><strong>RESOLVED</strong> that:</p>
      <ol><li>the Service Improvement Plan be endorsed;</li><li>an improvement partner be appointed.</li></ol>
      <ul><li>Family Front Door</li><li>Early help</li></ul>
      </div>
      <ul class="mgActionList"><li><a href="ieDecisionDetails.aspx?AIId=3001">View the decision for item 1801.</a></li></ul></td>
    </tr>
    <tr>
     <td class="mgItemNumberCell"><p class="mgAiTitleTxt">1802.</p></td>
     <td><p class="mgAiTitleTxt">Resources Report (Agenda Item 5)</p>
      <p class="mgSubItemTitleTxt">Minutes:</p>
      <div class="mgWordPara"><p>The Cabinet considered the Resources Report.</p>
      <p><b>Revenue budget monitoring</b></p>
      <p>The Cabinet Member with Responsibility for Finance presented the forecast.</p>
      <table border="1"><tr><th>Service</th><th>Budget</th><th>Forecast</th></tr>
      <tr><td>Children's Services</td><td>£98.1m</td><td>£104.1m</td></tr></table></div></td>
    </tr>
    </table>
    </div>
    <footer><p>Worcestershire County Council, County Hall, Spetchley Road, Worcester WR5 2NP</p>
    <a href="/accessibility">Accessibility</a> <a href="/cookies">Cookies</a></footer>
    <div class="cookie-banner">We use cookies on this site.</div>
    </form>
    </body>
    </html>
    """

@Suite struct HTMLReaderTests {
    private func read(_ html: String, _ name: String = "page.html") throws -> SourceText {
        try DocumentReader().read(path: try Scratch().write(html, name))
    }

    @Test func moderngovPageText() throws {
        let source = try read(moderngovPage)
        let text = lines(source.text)
        #expect(source.format == .html)
        #expect(source.encoding == "UTF-8")
        // The title first: it names the committee, the date and the council.
        #expect(text.first == "Agenda for Cabinet on Thursday, 28th September, 2017, 10.00 am - Worcestershire County Council")
        #expect(text[1...3] == ["", "# Agenda and minutes", ""])
        for line in ["Venue: County Hall, Worcester", "Contact: Nichola Garner Committee and Appellate Officer", "Items", "No.\tItem",
                     "1798.", "Apologies and Declarations of Interest (Agenda Item 1)", "Minutes:",
                     "Children's Social Care Update (Agenda Item 4) pdf icon PDF 159 KB", "**Revenue budget monitoring**",
                     "- Printed minutes PDF 112 KB", "1. the Service Improvement Plan be endorsed;", "2. an improvement partner be appointed.",
                     "- Family Front Door", "Service\tBudget\tForecast", "Children's Services\t£98.1m\t£104.1m"] {
            #expect(text.contains(line), "missing line “\(line)”")
        }
        // The item's number, its title and its text are paragraphs apart,
        // as on the page (and as in Corpus/004).
        let number = try #require(text.firstIndex(of: "1799."))
        #expect(text[number...(number + 4)] == ["1799.", "", "Public Participation (Agenda Item 2)", "",
                                                "Members of the public wishing to take part should notify the Head of Legal and Democratic Services in writing or by e-mail no later than 9.00am on the working day before the meeting (in this case 27 September 2017)."])
        // Lists end before what follows; rows of one table stay together.
        let early = try #require(text.firstIndex(of: "- Early help"))
        #expect(text[early + 1] == "")
        // No chrome: skip link, site header and navigation, breadcrumbs,
        // scripts, styles, footer, cookie notice.
        for chrome in ["Skip to main content", "Council and democracy", "Meetings", "Not text", "display", "Accessibility",
                       "We use cookies", "logo", "Spetchley Road"] {
            #expect(!source.text.contains(chrome), "chrome “\(chrome)” in the text")
        }
        #expect(source.links == [
            .init(text: "Agenda frontsheet PDF 120 KB", url: "documents/g1930/Agenda frontsheet 28th-Sep-2017 10.00 Cabinet.pdf?T=0"),
            .init(text: "Printed minutes PDF 112 KB", url: "documents/g1930/Printed minutes 28th-Sep-2017 10.00 Cabinet.pdf?T=1"),
            .init(text: "Children's Social Care Update (Agenda Item 4)", url: "ieIssueDetails.aspx?IId=3141&Opt=3"),
            .init(text: "pdf icon PDF 159 KB", url: "documents/s14203/Childrens Social Care Update.pdf"),
            .init(text: "View the decision for item 1801.", url: "ieDecisionDetails.aspx?AIId=3001"),
        ])
    }

    @Test func malformedHTMLIsRepaired() throws {
        // No <html>, <head> or <body>; unclosed paragraphs, cells and list
        // items; a stray end tag; an unknown element; bare ampersands.
        let html = """
            <title>Planning Committee &ndash; 14 March 2018</title>
            <h2>Minutes</h2>
            <p>Present: Councillors Smith & Jones
            <p>1. <b>Apologies for absence</b>
            </div></span>
            <p>The committee <blink>noted</blink> the report<br>and agreed it.
            <table><tr><td>Ward<td>Application<td>Decision
            <tr><td>Abbey<td>18/00123/FUL<td>Approved</table>
            <ul><li>first<li>second</ul>
            <p><b>RESOLVED</b></p>
            """
        let source = try read(html, "minutes.htm")
        #expect(lines(source.text) == [
            "Planning Committee – 14 March 2018", "",
            "## Minutes", "",
            "Present: Councillors Smith & Jones", "",
            "1. **Apologies for absence**", "",
            "The committee noted the report", "and agreed it.", "",
            "Ward\tApplication\tDecision", "Abbey\t18/00123/FUL\tApproved", "",
            "- first", "- second", "",
            "**RESOLVED**",
        ])
    }

    @Test func windows1252PageWithoutCharset() throws {
        // "Council’s budget – £5m" in Windows-1252, no charset declared.
        let bytes = Array("<p>Council".utf8) + [0x92] + Array("s budget ".utf8) + [0x96, 0x20, 0xA3] + Array("5m</p>".utf8)
        let source = try DocumentReader().read(path: try Scratch().write(Data(bytes), "budget.html"))
        #expect(source.text == "Council’s budget – £5m\n")
        #expect(source.encoding == "Windows-1252")
    }

    @Test func declaredCharsetIsHonoured() throws {
        let bytes = Array("<html><head><meta charset=\"windows-1252\"></head><body><p>Caf".utf8) + [0xE9] + Array(" &amp; bar</p></body></html>".utf8)
        let source = try DocumentReader().read(path: try Scratch().write(Data(bytes), "cafe.html"))
        #expect(source.text == "Café & bar\n")
    }

    @Test func hiddenAndPreformattedText() throws {
        let html = """
            <body><main><header><h1>Decisions</h1></header>
            <p style="display: none">Hidden text</p><p hidden>Also hidden</p><span aria-hidden="true">icon</span>
            <pre>Ward     Votes
            Abbey    1,203</pre>
            <p><span style="font-weight: bold">Decision:</span> <strong>Approved</strong></p>
            <p><a href="javascript:void(0)">Print</a> <a href="#top">Top</a> <a href="mailto:democracy@example.gov.uk">Email us</a></p>
            </main></body>
            """
        let source = try read(html)
        #expect(lines(source.text) == ["# Decisions", "", "Ward     Votes", "Abbey    1,203", "", "**Decision: Approved**", "", "Print Top Email us"])
        #expect(source.links == [.init(text: "Email us", url: "mailto:democracy@example.gov.uk")])
    }

    @Test func deeplyNestedPages() throws {
        func nested(_ depth: Int) -> String {
            String(repeating: "<div>", count: depth) + "<p>Deep text</p>" + String(repeating: "</div>", count: depth)
        }
        #expect(try read(nested(250)).text == "Deep text\n")
        // libxml2 drops what lies deeper than 256 elements: a hostile page
        // reads as empty, without a crash.
        #expect(throws: ReadError.empty) { try read(nested(50_000)) }
    }

    @Test func notHTML() throws {
        let scratch = try Scratch()
        #expect(throws: ReadError.notFormat(.html, "it is a PDF file")) {
            try DocumentReader().read(path: try scratch.write(PDFWriter.agenda().data(), "agenda.html"))
        }
        #expect(ReadError.notFormat(.html, "it is a PDF file").description == "not an HTML page: it is a PDF file")
        #expect(throws: ReadError.binary) { try DocumentReader().read(path: try scratch.write(Data([0x3C, 0x70, 0x3E, 0x00, 0x01]), "b.html")) }
        #expect(throws: ReadError.empty) { try DocumentReader().read(path: try scratch.write("<html><body> <p> </p></body></html>", "e.html")) }
        #expect(throws: ReadError.empty) { try DocumentReader().read(path: try scratch.write("\n \n", "blank.htm")) }
    }

    @Test func moderngovItemsSurviveConversion() throws {
        let paper = CouncilPaper.parse(try read(moderngovPage).text)
        #expect(paper.metadata.council.value == "Worcestershire County Council")
        #expect(paper.metadata.committee.value == "Cabinet")
        #expect(paper.metadata.date.value?.iso == "2017-09-28")
        #expect(paper.metadata.kind.value == .minutes)
        let items = paper.items.filter { !$0.isFrontMatter }
        #expect(items.map(\.title) == ["1798. Apologies and Declarations of Interest", "1799. Public Participation",
                                        "1801. Children's Social Care Update", "1802. Resources Report"])
        #expect(items.map(\.agendaNumber) == ["1", "2", "4", "5"])
        #expect(items.map(\.portfolios) == [[], [], ["Children and Families"], ["Finance"]])
        #expect(items[2].text.contains("1. the Service Improvement Plan be endorsed;"))
    }
}

// MARK: - Word

/// A Word document zipped at test time: the package relationships, the
/// document with its relationships, styles and numbering.
private struct WordFixture {
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let relationshipTypes = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Parts by path.
    var parts: [(String, Data)]

    /// Zip the parts (deflated).
    func data() throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in parts {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    /// A paragraph: `style`, numbering (numId, level), runs of (text, bold).
    static func p(_ runs: [(String, Bool)], style: String? = nil, list: (Int, Int)? = nil) -> String {
        var properties = ""
        if let style { properties += "<w:pStyle w:val=\"\(style)\"/>" }
        if let (id, level) = list { properties += "<w:numPr><w:ilvl w:val=\"\(level)\"/><w:numId w:val=\"\(id)\"/></w:numPr>" }
        let body = runs.map { text, bold in
            (bold ? "<w:r><w:rPr><w:b/></w:rPr>" : "<w:r>") + "<w:t xml:space=\"preserve\">\(text)</w:t></w:r>"
        }.joined()
        return "<w:p>" + (properties.isEmpty ? "" : "<w:pPr>\(properties)</w:pPr>") + body + "</w:p>"
    }

    static func p(_ text: String, style: String? = nil, list: (Int, Int)? = nil, bold: Bool = false) -> String {
        p([(text, bold)], style: style, list: list)
    }

    static func cell(_ paragraphs: String...) -> String { "<w:tc>" + paragraphs.joined() + "</w:tc>" }
    static func row(_ cells: String...) -> String { "<w:tr>" + cells.joined() + "</w:tr>" }

    static func document(_ body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="\(w)" xmlns:r="\(r)"><w:body>\(body)<w:sectPr/></w:body></w:document>
        """
    }

    /// Parts around a document body.
    static func package(_ document: String, extra: [(String, Data)] = []) -> WordFixture {
        let contentTypes = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
            <Default Extension="xml" ContentType="application/xml"/>
            <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
            </Types>
            """
        let rels = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="\(relationshipTypes)/officeDocument" Target="word/document.xml"/>
            </Relationships>
            """
        return WordFixture(parts: [("[Content_Types].xml", Data(contentTypes.utf8)), ("_rels/.rels", Data(rels.utf8)),
                                   ("word/document.xml", Data(document.utf8))] + extra)
    }

    /// An Oxfordshire cabinet agenda: title and heading styles (one a
    /// custom style based on Heading 2), bold lines, auto-numbered items
    /// with a lettered sub-item, a typed number with tabs, a bulleted list,
    /// a membership table, a layout table, a hyperlink, a line break, a
    /// field, tracked changes.
    static func agenda() -> WordFixture {
        let body = [
            p("Oxfordshire County Council", style: "Title"),
            p("Notice of a Meeting of the Cabinet"),
            p("CABINET", bold: true),
            p([("Tuesday, 26 May 2015 at 2.00 pm", false), (" – Rooms 1&amp;2, County Hall, New Road, Oxford OX1 1ND", false)]),
            "<w:tbl>" + row(cell(p("Name", bold: true)), cell(p("Role", bold: true)))
                + row(cell(p("Ian Hudspeth")), cell(p("Leader of the Council")))
                + row(cell(p("Judith Heathcoat")), cell(p("Cabinet Member for Adult Social Care"))) + "</w:tbl>",
            p("Agenda", style: "Heading1"),
            p("Apologies for Absence and Temporary Appointments", list: (1, 0)),
            p("Declarations of Interest", list: (1, 0)),
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>"
                + "<w:r><w:t>Minutes</w:t></w:r><w:r><w:tab/><w:t>(Pages 1 - 10)</w:t></w:r></w:p>",
            p("To approve the minutes of the meeting held on 21 April 2015.", list: (1, 1)),
            p("Questions from County Councillors", list: (1, 0)),
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>"
                + "<w:r><w:t>Help to Live at Home - Home Care Business Case</w:t></w:r><w:r><w:tab/><w:t>(Pages 79 - 94)</w:t></w:r></w:p>",
            p("Cabinet Member: Adult Social Care"),
            "<w:p><w:r><w:t>6.</w:t></w:r><w:r><w:tab/><w:t>Supported Transport Programme</w:t><w:tab/><w:t>(Pages 95 - 110)</w:t></w:r></w:p>",
            p("The Cabinet is RECOMMENDED to approve the programme for:"),
            p("Family Front Door", list: (2, 0)),
            p("Early help", list: (2, 0)),
            "<w:tbl>" + row(cell(p("7.")), cell(p("Fostering Modernisation Plan", style: "ItemHeading"),
                                                p("Report by the Director for Children's Services."))) + "</w:tbl>",
            p("Renewal of the fostering service contract.", style: "Heading3"),
            "<w:p><w:r><w:t>Contact Officer: Sue Whitehead</w:t><w:br/><w:t>Tel: (01865) 810262</w:t></w:r></w:p>",
            "<w:p><w:r><w:t xml:space=\"preserve\">See </w:t></w:r><w:hyperlink r:id=\"rId9\"><w:r><w:t>the Cabinet pages</w:t></w:r></w:hyperlink>"
                + "<w:r><w:t>.</w:t></w:r></w:p>",
            "<w:p><w:r><w:t xml:space=\"preserve\">Published on </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
                + "<w:r><w:instrText xml:space=\"preserve\"> DATE \\@ \"d MMMM yyyy\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
                + "<w:r><w:t>15 May 2015</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
                + "<w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText> (draft)</w:delText></w:r></w:del>"
                + "<w:ins w:id=\"2\" w:author=\"A\"><w:r><w:t> (final)</w:t></w:r></w:ins></w:p>",
            "<w:p><w:r><w:rPr><w:b w:val=\"0\"/></w:rPr><w:t>Not bold at all.</w:t></w:r></w:p>",
        ].joined()
        let documentRels = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="\(relationshipTypes)/styles" Target="styles.xml"/>
            <Relationship Id="rId2" Type="\(relationshipTypes)/numbering" Target="numbering.xml"/>
            <Relationship Id="rId9" Type="\(relationshipTypes)/hyperlink" Target="https://www.oxfordshire.gov.uk/cabinet" TargetMode="External"/>
            </Relationships>
            """
        let styles = """
            <?xml version="1.0" encoding="UTF-8"?>
            <w:styles xmlns:w="\(w)">
            <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
            <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="ItemHeading"><w:name w:val="Item heading"/><w:basedOn w:val="Heading2"/></w:style>
            <w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/></w:style>
            </w:styles>
            """
        let numbering = """
            <?xml version="1.0" encoding="UTF-8"?>
            <w:numbering xmlns:w="\(w)">
            <w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>
            </w:abstractNum>
            <w:abstractNum w:abstractNumId="1">
            <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
            </w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
            <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
            </w:numbering>
            """
        return package(document(body), extra: [("word/_rels/document.xml.rels", Data(documentRels.utf8)),
                                                ("word/styles.xml", Data(styles.utf8)), ("word/numbering.xml", Data(numbering.utf8))])
    }
}

@Suite struct DocxReaderTests {
    private func read(_ fixture: WordFixture, _ name: String = "paper.docx") throws -> SourceText {
        try DocumentReader().read(path: try Scratch().write(try fixture.data(), name))
    }

    @Test func agendaText() throws {
        let source = try read(WordFixture.agenda())
        #expect(source.format == .docx)
        #expect(source.text == """
            # Oxfordshire County Council

            Notice of a Meeting of the Cabinet

            **CABINET**

            Tuesday, 26 May 2015 at 2.00 pm – Rooms 1&2, County Hall, New Road, Oxford OX1 1ND

            Name\tRole
            Ian Hudspeth\tLeader of the Council
            Judith Heathcoat\tCabinet Member for Adult Social Care

            # Agenda

            1. Apologies for Absence and Temporary Appointments
            2. Declarations of Interest
            3. Minutes (Pages 1 - 10)
            (a) To approve the minutes of the meeting held on 21 April 2015.
            4. Questions from County Councillors
            5. Help to Live at Home - Home Care Business Case (Pages 79 - 94)

            Cabinet Member: Adult Social Care

            6. Supported Transport Programme (Pages 95 - 110)

            The Cabinet is RECOMMENDED to approve the programme for:

            - Family Front Door
            - Early help

            7.

            ## Fostering Modernisation Plan

            Report by the Director for Children's Services.

            ### Renewal of the fostering service contract.

            Contact Officer: Sue Whitehead
            Tel: (01865) 810262

            See the Cabinet pages.

            Published on 15 May 2015 (final)

            Not bold at all.

            """)
        #expect(source.links == [.init(text: "the Cabinet pages", url: "https://www.oxfordshire.gov.uk/cabinet")])
    }

    @Test func agendaItemsSurviveConversion() throws {
        let paper = CouncilPaper.parse(try read(WordFixture.agenda()).text)
        #expect(paper.metadata.council.value == "Oxfordshire County Council")
        #expect(paper.metadata.committee.value == "Cabinet")
        #expect(paper.metadata.date.value?.iso == "2015-05-26")
        #expect(paper.metadata.kind.value == .agenda)
        let items = paper.items.filter { !$0.isFrontMatter }
        #expect(items.map(\.title) == [
            "1. Apologies for Absence and Temporary Appointments", "2. Declarations of Interest", "3. Minutes",
            "4. Questions from County Councillors", "5. Help to Live at Home - Home Care Business Case",
            "6. Supported Transport Programme", "7. Fostering Modernisation Plan",
        ])
        #expect(items[4].portfolios == ["Adult Social Care"])
    }

    @Test func restartedNumberingAndLetters() throws {
        #expect(DocxWriter.format(28, "lowerLetter") == "bb")
        #expect(DocxWriter.format(14, "upperRoman") == "XIV")
        #expect(DocxWriter.format(3, "decimalZero") == "03")
        let body = WordFixture.p("First", list: (1, 0)) + WordFixture.p("Second", list: (1, 0)) + WordFixture.p("Again", list: (3, 0))
        let numbering = """
            <w:numbering xmlns:w="\(WordFixture.w)">
            <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
            <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
            </w:numbering>
            """
        // No relationships part: the parts are found at their usual places.
        let fixture = WordFixture.package(WordFixture.document(body), extra: [("word/numbering.xml", Data(numbering.utf8))])
        #expect(try read(fixture).text == "IV) First\nV) Second\nI) Again\n")
    }

    @Test func damagedDocuments() throws {
        let scratch = try Scratch()
        let reader = DocumentReader()
        #expect(throws: ReadError.notFormat(.docx, "not a zip archive")) { try reader.read(path: try scratch.write("Cabinet minutes", "a.docx")) }
        let ole = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
        #expect(throws: ReadError.notFormat(.docx, "it is an old-style Word .doc file (save it as .docx or PDF)")) {
            try reader.read(path: try scratch.write(ole, "b.docx"))
        }
        let noDocument = WordFixture(parts: [("notes.txt", Data("not Word".utf8))])
        #expect(throws: ReadError.notFormat(.docx, "no word/document.xml in the zip archive")) {
            try reader.read(path: try scratch.write(try noDocument.data(), "c.docx"))
        }
        let badXML = WordFixture.package("<w:document xmlns:w=\"\(WordFixture.w)\"><w:body><w:p><w:r><w:t>Minutes</w:t></w:r></w:body></w:document>")
        #expect(throws: ReadError.damaged(.docx, "word/document.xml is not well-formed XML: Premature end of data in tag document line 1")) {
            try reader.read(path: try scratch.write(try badXML.data(), "d.docx"))
        }
        let whole = try WordFixture.agenda().data()
        #expect(throws: ReadError.damaged(.docx, "the zip archive cannot be opened: no end of central directory record")) {
            try reader.read(path: try scratch.write(whole.prefix(whole.count / 2), "e.docx"))
        }
        #expect(ReadError.damaged(.docx, "the zip archive cannot be opened: no end of central directory record").description
                == "damaged Word document: the zip archive cannot be opened: no end of central directory record")
        let empty = WordFixture.package(WordFixture.document(WordFixture.p(" ")))
        #expect(throws: ReadError.empty) { try reader.read(path: try scratch.write(try empty.data(), "f.docx")) }
    }

    /// Archives whose entries lie about themselves: each gives an error
    /// naming the part, at once (no trap, no read past the end, no loop).
    @Test func lyingArchivesAreDamagedNotFatal() throws {
        let whole = [UInt8](try WordFixture.agenda().data())
        func centralEntry(_ name: String) -> Int {
            let needle = Array(name.utf8)
            for p in 0..<(whole.count - 46) where whole[p] == 0x50 && whole[p + 1] == 0x4B && whole[p + 2] == 1 && whole[p + 3] == 2
                && Array(whole[(p + 46)..<min(whole.count, p + 46 + needle.count)]) == needle { return p }
            return -1
        }
        let entry = centralEntry("word/document.xml")
        #expect(entry > 0)
        func patched(_ offset: Int, _ value: UInt32) -> Data {
            var b = whole
            for k in 0..<4 { b[offset + k] = UInt8((value >> (8 * UInt32(k))) & 0xFF) }
            return Data(b)
        }
        func error(_ data: Data) -> String {
            do { _ = try DocumentReader().decode(data, format: .docx); return "no error" } catch { return error.description }
        }
        // The part's local header said to be past the end of the file.
        #expect(error(patched(entry + 42, UInt32(whole.count + 1000))).hasSuffix("word/document.xml has no local header where the directory says"))
        // A compressed size of 4 GB, and one cut to a few bytes.
        #expect(error(patched(entry + 20, 0xFFFF_FFF0)).hasSuffix("word/document.xml runs past the end of the archive"))
        #expect(error(patched(entry + 20, 8)).hasSuffix("word/document.xml is cut short"))
        // A checksum that does not match.
        #expect(error(patched(entry + 16, 0x1234_5678)).hasSuffix("word/document.xml fails its checksum"))
        // Inputs the fuzzer found: a trap and an endless loop in the zip
        // library used before.
        let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/regressions/docx")
        let found = try FileManager.default.contentsOfDirectory(atPath: regressions.path)
        #expect(found.count >= 2)
        for name in found {
            let started = Date()
            #expect(error(try Data(contentsOf: regressions.appendingPathComponent(name))).hasPrefix("damaged Word document: "))
            #expect(Date().timeIntervalSince(started) < 5, "\(name) took too long")
        }
    }

    @Test func zipBombIsRefused() throws {
        // 65 MB of spaces deflate to a few tens of KB; with 1 MB files the
        // limit is 64 MB.
        let size = 65 * 1_048_576
        let archive = try Archive(data: Data(), accessMode: .create)
        let chunk = Data(repeating: 0x20, count: 1_048_576)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) { _, length in
            chunk.prefix(length)
        }
        let data = try #require(archive.data)
        #expect(data.count < 1_048_576)
        #expect(throws: ReadError.damaged(.docx, "word/document.xml expands to over 64 MB")) {
            try DocumentReader(maxBytes: 1_048_576).read(path: try Scratch().write(data, "bomb.docx"))
        }
    }
}

// MARK: - Text, formats and unknown files

@Suite struct FormatTests {
    @Test func windows1252Text() throws {
        // “Fostering Plan” – £2.3m… in Windows-1252.
        let bytes: [UInt8] = [0x93] + Array("Fostering Plan".utf8) + [0x94, 0x20, 0x96, 0x20, 0xA3] + Array("2.3m".utf8) + [0x85, 0x0D, 0x0A]
        let source = try DocumentReader().read(path: try Scratch().write(Data(bytes), "plan.txt"))
        #expect(source.text == "“Fostering Plan” – £2.3m…\r\n")
        #expect(source.encoding == "Windows-1252")
        #expect(source.links.isEmpty && source.frontMatter.isEmpty)
    }

    @Test func formatsByExtension() {
        #expect(DocumentFormat(path: "papers/Agenda.PDF") == .pdf)
        #expect(DocumentFormat(path: "ieListDocuments.htm") == .html)
        #expect(DocumentFormat(path: "page.html") == .html)
        #expect(DocumentFormat(path: "report.docx") == .docx)
        #expect(DocumentFormat(path: "report.doc") == nil)
        #expect(DocumentFormat.extensions.isSuperset(of: ["pdf", "html", "htm", "docx", "txt", "md"]))
    }

    @Test func unknownFilesSayWhy() throws {
        let scratch = try Scratch()
        #expect(throws: ReadError.unsupportedFormat("doc")) { try DocumentReader().read(path: try scratch.write("x", "minutes.doc")) }
        #expect(ReadError.unsupportedFormat("doc").description
            == "unsupported file type “.doc” (papers are read from .txt, .md, .pdf, .html, .htm and .docx files)")
        #expect(throws: ReadError.binary) { try DocumentReader().read(path: try scratch.write(Data([0x00, 0xFF, 0x10]), "image.txt")) }
        #expect(throws: ReadError.notFormat(.pdf, "the file is empty")) { try DocumentReader().read(path: try scratch.write(Data(), "empty.pdf")) }
        #expect(throws: ReadError.notFormat(.docx, "the file is empty")) { try DocumentReader().read(path: try scratch.write(Data(), "empty.docx")) }
    }
}
