import Foundation

// MARK: - PDF through pdftotext

extension DocumentReader {
    /// The text of a PDF: pdftotext's layout output with page furniture
    /// removed, columns unwoven and table rows as tab-separated cells
    /// (`PDFLayout`).
    ///
    /// pdftotext runs as a separate process with `pdfTimeLimit` and
    /// `pdfMemoryLimit`, so a hostile or broken PDF can crash or hang only
    /// pdftotext, never the indexer.
    func readPDF(_ data: Data, path: String?) throws(ReadError) -> String {
        guard DocumentReader.hasPDFHeader(data) else {
            if data.isEmpty { throw .notFormat(.pdf, "the file is empty") }
            throw .notFormat(.pdf, "no “%PDF-” header")
        }
        if let path { return try runPDFToText(path) }
        // Bytes without a file: give pdftotext a temporary copy.
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("council-\(UUID().uuidString).pdf")
        do {
            try data.write(to: temporary)
        } catch {
            throw .unreadable("cannot write a temporary copy for pdftotext: \(DocumentReader.describe(error))")
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        return try runPDFToText(temporary.path)
    }

    /// PDF readers accept "%PDF-" anywhere in the first kilobyte.
    static func hasPDFHeader(_ data: Data) -> Bool {
        let head = [UInt8](data.prefix(1024))
        let marker = Array("%PDF-".utf8)
        guard head.count >= marker.count else { return false }
        for start in 0...(head.count - marker.count) where head[start] == marker[0] {
            if Array(head[start..<(start + marker.count)]) == marker { return true }
        }
        return false
    }

    private func runPDFToText(_ path: String) throws(ReadError) -> String {
        let program = "pdftotext"
        // A path starting with "-" would read as an option.
        let input = path.hasPrefix("-") ? "./" + path : path
        let subprocess = Subprocess(executable: pdftotextPath, arguments: ["-layout", "-enc", "UTF-8", "-eol", "unix", input, "-"],
                                    timeLimit: pdfTimeLimit, memoryLimit: pdfMemoryLimit, outputLimit: maxExpandedBytes)
        let outcome: Subprocess.Outcome
        do {
            outcome = try subprocess.run()
        } catch {
            switch error {
            case .notFound: throw .readerMissing(program: program, package: "poppler-utils")
            case .system(let call, let code): throw .unreadable("cannot run \(program): \(call) failed: \(String(cString: strerror(code)))")
            }
        }
        let errors = outcome.errorOutput
        let lowerErrors = errors.lowercased()
        let outOfMemory = ["out of memory", "bad_alloc", "cannot allocate memory", "failed to map segment", "memory exhausted"]
            .contains { lowerErrors.contains($0) }
        switch outcome.termination {
        case .exited(0):
            return PDFLayout.text(fromLayout: String(decoding: outcome.output, as: UTF8.self))
        case .timedOut:
            throw .readerTimedOut(program: program, seconds: pdfTimeLimit)
        case .outputTooLarge:
            throw .readerOutputTooLarge(program: program, limit: maxExpandedBytes)
        case .signalled(let signal):
            if outOfMemory { throw .readerOutOfMemory(program: program, limit: pdfMemoryLimit) }
            throw .readerCrashed(program: program, signal: signal)
        case .exited(let status):
            if outOfMemory { throw .readerOutOfMemory(program: program, limit: pdfMemoryLimit) }
            // pdftotext: 1 cannot open the PDF, 3 permissions, 99 other.
            if lowerErrors.contains("incorrect password") { throw .encrypted("it needs a password to open") }
            if status == 3 || lowerErrors.contains("permission") { throw .encrypted("copying its text is not allowed") }
            let message = DocumentReader.pdfErrorMessage(errors)
            if status == 1 { throw .damaged(.pdf, message.isEmpty ? "pdftotext cannot open it" : message) }
            throw .readerFailed(program: program, status: status, message: message)
        }
    }

    /// The most telling line of pdftotext's complaints: the last error
    /// ("Couldn't read xref table" after the errors that led to it),
    /// without its "Syntax Error: " label.
    static func pdfErrorMessage(_ errors: String) -> String {
        let lines = errors.split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }
        let chosen = lines.last { $0.contains("Error") } ?? lines.last ?? ""
        var message = Substring(chosen)
        for label in ["Syntax Error", "Internal Error", "I/O Error", "Command Line Error", "Permission Error", "Error"] {
            if message.hasPrefix(label) {
                message = message.dropFirst(label.count).drop { $0 == " " || $0 == ":" }
                // "Syntax Error (1234): ..." carries a byte offset.
                if message.first == "(", let close = message.firstIndex(of: ")") {
                    message = message[message.index(after: close)...].drop { $0 == " " || $0 == ":" }
                }
                break
            }
        }
        return String(message.prefix(200))
    }
}
