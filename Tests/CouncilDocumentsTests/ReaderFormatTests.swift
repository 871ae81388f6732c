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
