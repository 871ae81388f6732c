import ArgumentParser
import CouncilDocuments
import CouncilIndex
import Foundation

// MARK: - evaluate

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure the metadata extractor against hand-labelled papers.",
        discussion: """
            Reads each labelled paper, extracts its council, committee, meeting date, kind and \
            item portfolios, and prints per field: accuracy (right predictions over labelled papers; \
            a null prediction is right only when the label is null), coverage (non-null predictions) \
            and precision (right predictions among the non-null ones). Names compare regardless of \
            case and punctuation. Papers that cannot be read are reported and count as null \
            predictions.

            Labels are JSON Lines (see Evaluation/README.md). "Corpus/..." paths are found under the \
            repository root (the folder above the labels file's folder); other paths under the \
            corpora root: --corpora, else $COUNCIL_CORPORA, else ../shared/corpora beside the \
            repository.
            """)

    @Argument(help: ArgumentHelp("The labels file.", valueName: "labels"))
    var labels = "Evaluation/labels.jsonl"

    @Option(help: ArgumentHelp("Where the labelled corpora are.", valueName: "path"))
    var corpora: String?

    @Flag(name: .shortAndLong, help: "List every mismatch: path, field, expected, got and the evidence used.")
    var verbose = false

    @Flag(help: "Print the figures as one JSON object (with --verbose, the mismatches too).")
    var json = false

    func run() throws {
        let labelsURL = URL(fileURLWithPath: labels).standardizedFileURL
        let repositoryRoot = labelsURL.deletingLastPathComponent().deletingLastPathComponent().path
        let labelled: [EvaluationLabel]
        do {
            labelled = try EvaluationLabel.load(path: labelsURL.path)
        } catch {
            throw ValidationError(error.description)
        }
        let evaluator = Evaluator(repositoryRoot: repositoryRoot,
                                  corporaRoot: corpora ?? Evaluator.defaultCorporaRoot(repositoryRoot: repositoryRoot))
        let report = evaluator.run(labelled)
        if json {
            print(EvaluateCommand.json(report, verbose: verbose).serialized())
        } else {
            print(EvaluateCommand.text(report, verbose: verbose, terminal: Terminal.stdout()), terminator: "")
        }
    }

    static func percent(_ x: Double) -> String { String(format: "%5.1f%%", x * 100) }

    static func text(_ report: EvaluationReport, verbose: Bool, terminal: Terminal) -> String {
        var out = ""
        if verbose {
            for m in report.mismatches {
                out += "\(terminal.dim(m.path))\n  \(terminal.bold(m.field.rawValue)): expected \(m.expected ?? "null"), got \(m.got ?? "null")\n"
                out += terminal.dim("    evidence: \(m.evidence)") + "\n"
            }
            if !report.mismatches.isEmpty { out += "\n" }
        }
        for failure in report.unreadable {
            out += terminal.red("unreadable") + " \(failure.path): \(failure.error)\n"
        }
        out += "\(report.documents) labelled papers (\(report.unreadable.count) unreadable) in \(String(format: "%.2f", report.seconds)) s\n\n"
        func table(_ fields: [EvaluationField: FieldScore]) -> String {
            var rows = "  field        accuracy            coverage   precision\n"
            for field in EvaluationField.allCases {
                guard let s = fields[field], s.labelled > 0 else { continue }
                let name = field.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                let counts = "(\(s.correct)/\(s.labelled))".padding(toLength: 10, withPad: " ", startingAt: 0)
                let precision = s.predicted == 0 ? "    –" : percent(s.precision)
                rows += "  \(name)  \(percent(s.accuracy)) \(counts)  \(percent(s.coverage))     \(precision)\n"
            }
            return rows
        }
        out += table(report.fields)
        if report.bySource.count > 1 {
            for source in report.bySource.keys.sorted() {
                let n = report.bySource[source]!.values.map(\.labelled).max() ?? 0
                out += "\n" + terminal.bold("\(source)") + " (\(n) papers)\n" + table(report.bySource[source]!)
            }
        }
        return out
    }

    static func json(_ report: EvaluationReport, verbose: Bool) -> JSONValue {
        func scores(_ fields: [EvaluationField: FieldScore]) -> JSONValue {
            .object(EvaluationField.allCases.compactMap { field in
                guard let s = fields[field], s.labelled > 0 else { return nil }
                return (field.rawValue, .object([
                    ("labelled", .int(s.labelled)), ("correct", .int(s.correct)), ("predicted", .int(s.predicted)),
                    ("accuracy", .double(s.accuracy)), ("coverage", .double(s.coverage)),
                    ("precision", s.predicted == 0 ? .null : .double(s.precision)),
                ]))
            })
        }
        var fields: [(String, JSONValue)] = [
            ("documents", .int(report.documents)),
            ("unreadable", .array(report.unreadable.map { .object([("path", .string($0.path)), ("error", .string($0.error))]) })),
            ("seconds", .double((report.seconds * 1000).rounded() / 1000)),
            ("fields", scores(report.fields)),
            ("by_source", .object(report.bySource.keys.sorted().map { ($0, scores(report.bySource[$0]!)) })),
        ]
        if verbose {
            fields.append(("mismatches", .array(report.mismatches.map { m in
                .object([("path", .string(m.path)), ("field", .string(m.field.rawValue)), ("expected", .from(m.expected)),
                         ("got", .from(m.got)), ("evidence", .string(m.evidence))])
            })))
        }
        return .object(fields)
    }
}
