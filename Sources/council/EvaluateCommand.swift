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

// MARK: - relevance

struct RelevanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relevance",
        abstract: "Measure ranking against judged queries: precision at 5, reciprocal rank, recall at 10.",
        discussion: """
            Each file of judged queries (JSON Lines, see Evaluation/README.md) names with `# index: PATH` \
            lines the folders it was judged over. Unless --db is given, those folders are indexed into a \
            temporary index first ("Corpus/..." under the repository root, others under the corpora root: \
            --corpora, else $COUNCIL_CORPORA, else ../shared/corpora beside the repository); a file whose \
            folders are missing is skipped with a note. Then every query is run as `council search` runs \
            it and its first hits are scored: precision at 5 (relevant hits among the first five, over \
            five), its ideal (the best possible with that many relevant items), reciprocal rank of the \
            first relevant hit and recall at 10.
            """)

    @Argument(help: ArgumentHelp("Files of judged queries (default: Evaluation/queries-*.jsonl).", valueName: "queries"))
    var files: [String] = []

    @Option(help: ArgumentHelp("Search this index instead of indexing each file's folders afresh.", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Where the judged corpora are.", valueName: "path"))
    var corpora: String?

    @Flag(name: .shortAndLong, help: "Show each query's first five hits, marking the relevant ones.")
    var verbose = false

    @Flag(help: "Print the figures as one JSON object.")
    var json = false

    func run() throws {
        var paths = files
        if paths.isEmpty {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "Evaluation")) ?? []
            paths = names.filter { $0.hasPrefix("queries-") && $0.hasSuffix(".jsonl") }.sorted().map { "Evaluation/" + $0 }
            guard !paths.isEmpty else { throw ValidationError("No judged queries given, and no Evaluation/queries-*.jsonl here.") }
        }
        let terminal = Terminal.stdout()
        var results: [(file: String, evaluation: RelevanceEvaluation)] = []
        var skipped: [(file: String, reason: String)] = []
        for path in paths {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            let repositoryRoot = url.deletingLastPathComponent().deletingLastPathComponent().path
            let corporaRoot = corpora ?? Evaluator.defaultCorporaRoot(repositoryRoot: repositoryRoot)
            let queries: [JudgedQuery]
            let folders: [String]
            do {
                queries = try JudgedQuery.load(path: path)
                folders = try JudgedQuery.collection(path: path)
            } catch {
                throw ValidationError(error.description)
            }
            if let db {
                results.append((path, try RelevanceEvaluation.run(queries, service: try SearchService(path: db))))
                continue
            }
            guard !folders.isEmpty else { throw ValidationError("\(path) has no “# index: PATH” line naming what it was judged over; give --db.") }
            let resolved = folders.map { ($0 == "Corpus" || $0.hasPrefix("Corpus/") ? repositoryRoot : corporaRoot) + "/" + $0 }
            if let absent = resolved.first(where: { !FileManager.default.fileExists(atPath: $0) }) {
                skipped.append((path, "\(absent) is not here"))
                continue
            }
            let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("council-relevance-\(getpid())-\(results.count)")
            defer { try? FileManager.default.removeItem(at: temporary) }
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            let index = temporary.appendingPathComponent("index").path
            _ = try PaperIndexer(databasePath: index).index(paths: resolved)
            results.append((path, try RelevanceEvaluation.run(queries, service: try SearchService(path: index))))
        }
        if json {
            print(RelevanceCommand.json(results, skipped: skipped).serialized())
            return
        }
        var out = ""
        for (file, reason) in skipped { out += terminal.dim("skipped \(file): \(reason)") + "\n" }
        for (file, evaluation) in results {
            out += terminal.bold(file) + " (\(evaluation.outcomes.count) queries)\n"
            out += "   P@5  ideal   RR   R@10  query\n"
            for o in evaluation.outcomes {
                out += String(format: "  %4.2f  %4.2f  %4.2f  %4.2f  ", o.precisionAt5, o.idealPrecisionAt5, o.reciprocalRank, o.recallAt10)
                    + o.query.query + "\n"
                if verbose {
                    for (rank, hit) in o.top.prefix(5).enumerated() {
                        out += "        \(hit.relevant ? terminal.green("✓") : terminal.dim("·")) \(rank + 1). \(hit.title)" + terminal.dim("  \(hit.path)") + "\n"
                    }
                }
                for item in o.missing { out += terminal.red("        judged item not in the index: ") + "\(item.title) (\(item.path))\n" }
            }
            out += String(format: "  mean P@5 %.3f (ideal %.3f, %.0f%% of it), MRR %.3f, mean R@10 %.3f\n\n",
                          evaluation.meanPrecisionAt5, evaluation.meanIdealPrecisionAt5,
                          evaluation.meanIdealPrecisionAt5 > 0 ? 100 * evaluation.meanPrecisionAt5 / evaluation.meanIdealPrecisionAt5 : 0,
                          evaluation.meanReciprocalRank, evaluation.meanRecallAt10)
        }
        print(out, terminator: "")
    }

    static func json(_ results: [(file: String, evaluation: RelevanceEvaluation)], skipped: [(file: String, reason: String)]) -> JSONValue {
        .object([
            ("files", .array(results.map { file, e in
                .object([
                    ("file", .string(file)), ("queries", .int(e.outcomes.count)),
                    ("mean_precision_at_5", .double(e.meanPrecisionAt5)), ("mean_ideal_precision_at_5", .double(e.meanIdealPrecisionAt5)),
                    ("mean_reciprocal_rank", .double(e.meanReciprocalRank)), ("mean_recall_at_10", .double(e.meanRecallAt10)),
                    ("outcomes", .array(e.outcomes.map { o in
                        .object([("query", .string(o.query.query)), ("precision_at_5", .double(o.precisionAt5)),
                                 ("ideal_precision_at_5", .double(o.idealPrecisionAt5)), ("reciprocal_rank", .double(o.reciprocalRank)),
                                 ("recall_at_10", .double(o.recallAt10)),
                                 ("missing", .array(o.missing.map { .object([("path", .string($0.path)), ("title", .string($0.title))]) }))])
                    })),
                ])
            })),
            ("skipped", .array(skipped.map { .object([("file", .string($0.file)), ("reason", .string($0.reason))]) })),
        ])
    }
}
