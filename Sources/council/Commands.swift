import ArgumentParser
import CouncilDocuments
import CouncilIndex
import Foundation

/// One-line JSON for scripts.
func jsonLine(_ value: some JSONRepresentable) -> String { value.json.serialized() }

// MARK: - index

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index papers (.txt, .md, .pdf, .html, .docx) item by item.",
        discussion: "Files whose size and modification time are unchanged are skipped. A file that cannot be read is reported and skipped; the run goes on and exits with code 5.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("Files or folders to index (folders are searched recursively).", valueName: "path"))
    var paths: [String] = []

    @Flag(help: "Print one JSON summary line at the end.")
    var json = false

    @Flag(name: .shortAndLong, help: "Print nothing on success.")
    var quiet = false

    @Flag(help: "Remove documents whose files under the given paths no longer exist.")
    var prune = false

    @Flag(help: "Read every file again, even when it seems unchanged.")
    var force = false

    @Flag(help: "Wait for another indexing run to finish instead of failing.")
    var wait = false

    @Flag(help: "Build a fresh index from the given paths beside the live one, then switch to it atomically.")
    var rebuild = false

    @Option(help: ArgumentHelp(
        "Write a sharded index: one index per council (or per year) under PATH.d/shards/, and at PATH a stub file listing them.",
        discussion: "Each paper goes to the shard of its extracted council (or meeting year); unknown ones to unknown-council (unknown-year). Later runs on PATH route the same way without the option.",
        valueName: "council|year"))
    var shardBy: ShardKey?

    @Option(help: ArgumentHelp("Commit after this many documents (each batch one atomic transaction).", valueName: "n"))
    var commitDocuments = 2_000

    @Option(help: ArgumentHelp("Commit after this many megabytes of text, which bounds memory.", valueName: "mb"))
    var commitMegabytes = 32

    @Option(help: ArgumentHelp("Stop the PDF reader (pdftotext) after this many seconds on one file; the file is reported and skipped.",
                               valueName: "seconds"))
    var readerTimeout = 60.0

    func validate() throws {
        if json && quiet { throw ValidationError("--json and --quiet cannot be used together.") }
        if commitDocuments < 1 { throw ValidationError("--commit-documents must be at least 1.") }
        if commitMegabytes < 1 { throw ValidationError("--commit-megabytes must be at least 1.") }
        if !(readerTimeout > 0) { throw ValidationError("--reader-timeout must be more than 0 seconds.") }
    }

    func run() throws {
        var targets = paths
        if targets.isEmpty {
            guard FileManager.default.fileExists(atPath: "Corpus") else {
                throw ValidationError("No path given and there is no Corpus/ folder here; give the files or folders to index.")
            }
            targets = ["Corpus"]
        }
        let path = database.path
        let location = IndexLocation(path: path)
        // A sharded index is written as one, by the key it was made with.
        let recorded = location.shardKeyName
        if let shardBy, let recorded, recorded != shardBy.rawValue {
            throw CouncilError.usage("\(path) is sharded by \(recorded); it cannot be re-sharded by \(shardBy.rawValue) (build the new shards at a new path)")
        }
        if shardBy != nil && recorded == nil && location.state != .missing {
            throw CouncilError.usage("\(path) is an index of one database; build the shards at a new path: council index --shard-by \(shardBy!.rawValue) --db NEW_PATH ...")
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let stderrIsTTY = isatty(STDERR_FILENO) != 0
        let showProgress = stderrIsTTY && !quiet && !json
        let onFailure: (IndexSummary.Failure) -> Void = { failure in
            let stamp = ISO8601DateFormatter().string(from: Date())
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            printError("\(stamp) council: \(failure.path): \(failure.error)")
        }
        var progress: ((Int, Int, String) -> Void)? = nil
        if showProgress {
            var last = Date.distantPast
            progress = { done, total, _ in
                let now = Date()
                guard now.timeIntervalSince(last) > 0.1 || done == total else { return }
                last = now
                let width = 30
                let filled = total == 0 ? width : width * done / total
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                FileHandle.standardError.write(Data("\r\(bar) \(done)/\(total)".utf8))
                if done == total { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            }
        }
        let summary: IndexSummary
        let indexer: any PaperIndexing = shardBy != nil || location.isShardSet
            ? ShardedIndexer(setPath: path, shardBy: shardBy) : PaperIndexer(databasePath: path)
        indexer.commitEveryDocuments = commitDocuments
        indexer.commitEveryBytes = commitMegabytes * 1_048_576
        indexer.reader.pdfTimeLimit = readerTimeout
        indexer.onFailure = onFailure
        indexer.progress = progress
        summary = try indexer.index(paths: targets, prune: prune, force: force, waitForLock: wait, rebuild: rebuild)
        if json {
            print(jsonLine(summary))
        } else if !quiet {
            let papers = summary.added + summary.updated
            let shards = summary.shards.isEmpty ? "" : " (\(summary.shards.count) shard\(summary.shards.count == 1 ? "" : "s"))"
            print("\(summary.rebuilt ? "Rebuilt \(path)\(shards) from" : "Indexed") \(papers) paper\(papers == 1 ? "" : "s") (\(summary.items) items)\(summary.rebuilt ? "" : " into \(path)\(shards)") in \(String(format: "%.2f", summary.seconds)) s: "
                  + "\(summary.added) added, \(summary.updated) updated, \(summary.removed) removed, \(summary.unchanged) unchanged, \(summary.failed) failed"
                  + (summary.moved > 0 ? ", \(summary.moved) moved to another shard" : "")
                  + (summary.skipped > 0 ? ", \(summary.skipped) other files skipped" : "") + ".")
        }
        if summary.failed > 0 { throw Failure(code: Exit.partial) }
    }
}

// MARK: - search

/// Options shared by `search` and the REPL.
struct QueryOptions: ParsableArguments {
    @Option(help: "Show at most this many hits.")
    var limit = 10

    @Option(help: "Skip this many hits first.")
    var offset = 0

    @Option(help: ArgumentHelp("Order: relevance, newest or oldest (filters alone list newest first).", valueName: "order"))
    var sort: ResultOrder = .relevance

    @Option(name: .customLong("by"), help: ArgumentHelp("Show one hit per meeting or per document (none, meeting, document).", valueName: "unit"))
    var collapse: Collapse = .none

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more.") }
        guard offset >= 0 else { throw ValidationError("--offset must be 0 or more.") }
    }
}

extension ResultOrder: ExpressibleByArgument {}
extension ShardKey: ExpressibleByArgument {}
extension Collapse: ExpressibleByArgument {}

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index.",
        discussion: """
            QUERY is words, "phrases", AND/OR/NOT, wildcards (foster*), and filters: council:NAME, \
            committee:NAME, portfolio:NAME, kind:agenda|minutes|report|decisions, date:2017, date:2017-09, \
            date:2017-01-01..2017-06-30, date:2016.., item:N. Quote values with spaces: \
            committee:"performance scrutiny committee".
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var shards: ShardOptions
    @OptionGroup var query: QueryOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "Say how the query was understood: words and stems, phrases, synonyms, filters, spelling.")
    var explain = false

    @Argument(help: ArgumentHelp("The query.", valueName: "query"))
    var words: [String] = []

    func run() throws {
        let service = try shards.open(database, quietly: !json)
        let request = SearchRequest(query: words.joined(separator: " "), offset: query.offset, limit: query.limit,
                                    sort: query.sort, collapse: query.collapse)
        var response = try service.search(request)
        if !explain { response.interpretation = nil }
        if json {
            print(jsonLine(response))
            return
        }
        let terminal = Terminal.stdout()
        if let interpretation = response.interpretation {
            print(Render.interpretation(interpretation, terminal: terminal))
        }
        print(Render.response(response, terminal: terminal), terminator: "")
        print(Render.facets(response.facets, terminal: terminal), terminator: "")
    }
}

// MARK: - list

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the indexed papers with their metadata.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var shards: ShardOptions

    @Flag(help: "Print JSON Lines, one object per paper.")
    var json = false

    func run() throws {
        let service = try shards.open(database)
        let sources = try service.sources()
        if json {
            for record in sources { print(jsonLine(record)) }
            return
        }
        let terminal = Terminal.stdout()
        if sources.isEmpty {
            print("The index at \(database.path) holds no papers.")
            return
        }
        for record in sources {
            print(terminal.bold(record.path))
            let meta = [record.council ?? "council unknown", record.committee ?? "committee unknown", record.date ?? "date unknown",
                        record.kind ?? "kind unknown"].joined(separator: " · ")
            print("  \(meta) · \(record.items) item\(record.items == 1 ? "" : "s")")
            if !record.portfolios.isEmpty { print("  Portfolios: \(record.portfolios.joined(separator: "; "))") }
        }
        print(terminal.dim("\(sources.count) paper\(sources.count == 1 ? "" : "s")"))
    }
}

// MARK: - show

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an item in full, or a paper with where its metadata came from.",
        discussion: "ID is an item id from search results, or a paper's path as listed by `council list`.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var shards: ShardOptions

    @Flag(help: "Print JSON.")
    var json = false

    @Argument(help: ArgumentHelp("An item id or a paper's path.", valueName: "id"))
    var id: String

    func run() throws {
        let service = try shards.open(database)
        let terminal = Terminal.stdout()
        if let source = try service.sources().first(where: { $0.path == id || $0.absolutePath == id || $0.key == id }) {
            let items = try service.items(ofSource: source.key)
            if json {
                print(jsonLine(PaperView(source: source, items: items)))
            } else {
                print(Render.paper(source, items: items, terminal: terminal), terminator: "")
            }
            return
        }
        let item = try service.item(id: id)
        if json {
            print(jsonLine(item))
        } else {
            print(Render.item(item, highlighted: nil, terminal: terminal), terminator: "")
        }
    }
}

/// JSON form of a paper with its items and where its metadata came from.
struct PaperView: JSONRepresentable {
    let source: SourceRecord
    let items: [ItemRecord]
    var json: JSONValue {
        .object([
            ("path", .string(source.path)), ("title", .string(source.title)), ("council", .from(source.council)),
            ("committee", .from(source.committee)), ("date", .from(source.date)), ("kind", .from(source.kind)),
            ("portfolios", .strings(source.portfolios)), ("url", .from(source.url)),
            ("provenance", .object(source.provenance.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("items", .array(items.map { .object([("id", .string($0.id)), ("title", .string($0.title)),
                                                  ("portfolios", .strings($0.portfolios)), ("line", .int($0.line))]) })),
        ])
    }
}

// MARK: - inspect

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what the indexer reads in papers, without indexing them.",
        discussion: "Prints each paper's council, committee, date and kind with where each came from, and its items with their portfolios.")

    @Flag(help: "Print JSON Lines, one object per paper.")
    var json = false

    @Argument(help: ArgumentHelp("Paper files.", valueName: "file"))
    var files: [String]

    func run() throws {
        let terminal = Terminal.stdout()
        var failed = false
        for path in files {
            let source: SourceText
            let override: MetadataOverride?
            do {
                source = try DocumentReader().read(path: path)
                override = try MetadataOverride.forPaper(at: path)
            } catch {
                printError("council: \(path): \(error)")
                failed = true
                continue
            }
            let paper = CouncilPaper.parse(source, override: override)
            let m = paper.metadata
            func field<T>(_ e: Extracted<T>, _ text: (T) -> String) -> JSONValue {
                .object([("value", e.value.map { .string(text($0)) } ?? .null), ("confidence", .double(e.confidence)), ("source", .string(e.source))])
            }
            if json {
                let value = JSONValue.object([
                    ("path", .string(path)), ("title", .string(paper.title)),
                    ("council", field(m.council) { $0 }), ("committee", field(m.committee) { $0 }),
                    ("date", field(m.date) { $0.iso }), ("kind", field(m.kind) { $0.rawValue }),
                    ("portfolios", .strings(paper.portfolios)),
                    ("items", .array(paper.items.map { item in
                        .object([("ordinal", .int(item.ordinal)), ("number", .from(item.number)), ("title", .string(item.title)),
                                 ("portfolios", .strings(item.portfolios)), ("line", .int(item.line)),
                                 ("front_matter", .bool(item.isFrontMatter)), ("characters", .int(item.text.count))])
                    })),
                ])
                print(value.serialized())
                continue
            }
            print(terminal.bold(paper.title) + "  " + terminal.dim(path))
            func show<T>(_ name: String, _ e: Extracted<T>, _ text: (T) -> String) {
                let value = e.value.map(text) ?? "null"
                print("  \(name): \(value)" + terminal.dim("  (confidence \(e.confidence); \(e.source))"))
            }
            show("council", m.council) { $0 }
            show("committee", m.committee) { $0 }
            show("date", m.date) { $0.iso }
            show("kind", m.kind) { $0.rawValue }
            if !paper.portfolios.isEmpty { print("  portfolios: \(paper.portfolios.joined(separator: "; "))") }
            for item in paper.items {
                var line = "  \(terminal.dim(String(format: "%3d", item.ordinal)))  \(item.title)"
                if !item.portfolios.isEmpty { line += terminal.cyan("  [\(item.portfolios.joined(separator: "; "))]") }
                line += terminal.dim("  line \(item.line), \(item.text.count) chars")
                print(line)
            }
        }
        if failed { throw Failure(code: Exit.failure) }
    }
}

// MARK: - check

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify the index: Xapian's consistency check and this tool's invariants.",
        discussion: "A sharded index is checked shard by shard (remote shards through their servers) and across shards: no paper in two shards, each in the shard its council or year names. Exits 0 when the index is healthy and 6 when problems were found.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var shards: ShardOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        var checker = IndexChecker(path: database.path)
        checker.policy = shards.policy
        let report = try checker.run()
        if json {
            print(jsonLine(report))
        } else {
            let terminal = Terminal.stdout()
            for (folder, errors) in report.xapianErrors.sorted(by: { $0.key < $1.key }) {
                print("Xapian check of \(folder): \(errors == 0 ? "no errors" : "\(errors) errors")")
            }
            for shard in report.shards {
                print("Shard \(shard.shard)\(shard.remote ? " (remote)" : ""): " + (shard.answered ? "\(shard.papers) paper\(shard.papers == 1 ? "" : "s"), \(shard.items) item\(shard.items == 1 ? "" : "s")" : "did not answer"))
            }
            print("\(report.papers) papers, \(report.items) items")
            for warning in report.warnings { print("warning: \(warning)") }
            for problem in report.problems { print(terminal.red("problem: \(problem)")) }
            print(report.isHealthy ? "The index is healthy." : terminal.red("The index has problems."))
        }
        if !report.isHealthy { throw Failure(code: Exit.checkFailed) }
    }
}

// MARK: - similar

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Find items like an item (more like this).",
        discussion: "Searches for the item's most characteristic terms (Xapian's relevance feedback), leaving the item itself out.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var shards: ShardOptions
    @OptionGroup var query: QueryOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    @Argument(help: ArgumentHelp("An item id from search results.", valueName: "id"))
    var id: String

    @Argument(help: ArgumentHelp("Filters to narrow the results (e.g. council:dorset date:2017..).", valueName: "filter"))
    var filters: [String] = []

    func run() throws {
        let service = try shards.open(database, quietly: !json)
        var response = try service.similar(to: id, request: SearchRequest(query: "", filters: filters, offset: query.offset,
                                                                          limit: query.limit, collapse: query.collapse))
        response.interpretation = nil
        if json {
            print(jsonLine(response))
            return
        }
        let terminal = Terminal.stdout()
        let item = try service.item(id: id)
        print(terminal.dim("Items like: \(item.title)"))
        print(Render.response(response, terminal: terminal), terminator: "")
    }
}

// MARK: - stats

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Papers per council and committee: how many, the newest meeting, when last indexed.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var shards: ShardOptions

    @Flag(help: "Print JSON Lines, one per council and committee.")
    var json = false

    func run() throws {
        let service = try shards.open(database)
        let stats = try service.stats()
        if json {
            for entry in stats { print(jsonLine(entry)) }
            return
        }
        let terminal = Terminal.stdout()
        let (run, time) = try service.lastRun()
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        print(terminal.dim("Last indexing run: \(run), \(time > 0 ? formatter.string(from: Date(timeIntervalSince1970: time)) : "never")"))
        let rows = stats.map { s in
            [s.council ?? "(council unknown)", s.committee ?? "(committee unknown)", String(s.papers), String(s.items),
             s.newestMeeting ?? "-", formatter.string(from: Date(timeIntervalSince1970: s.lastIndexed))]
        }
        print(Render.table(header: ["council", "committee", "papers", "items", "newest meeting", "last indexed"], rows: rows, terminal: terminal))
    }
}

// MARK: - watch

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Saved searches and alerts: what is new since the last run.",
        discussion: """
            Saved searches are kept beside the index (PATH.d/watches.json) and survive rebuilds. Use one in a \
            query as saved:NAME. `council watch run` prints, for each saved search, the items that arrived \
            since it was last run, then remembers where it got to.
            """,
        subcommands: [Add.self, List.self, Remove.self, Run.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save a search under a name.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var shards: ShardOptions
        @Argument(help: ArgumentHelp("Letters, digits, '-', '_' or '.'.", valueName: "name")) var name: String
        @Argument(help: ArgumentHelp("The query, filters and all.", valueName: "query")) var words: [String]

        func run() throws {
            let service = try shards.open(database)
            let saved = try service.saveSearch(name: name, query: words.joined(separator: " "))
            print("Saved “\(saved.name)”: \(saved.query). New items from the next indexing run on will be reported by council watch run.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the saved searches.")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Print JSON Lines.") var json = false

        func run() throws {
            let searches = try WatchStore(indexPath: database.path).all()
            if json {
                for s in searches { print(jsonLine(s)) }
                return
            }
            if searches.isEmpty { print("No saved searches. Save one with: council watch add NAME QUERY") }
            for s in searches { print("\(s.name): \(s.query)  (reported up to run \(s.lastRun))") }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget a saved search.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var shards: ShardOptions
        @Argument(help: ArgumentHelp("The saved search.", valueName: "name")) var name: String

        func run() throws {
            try shards.open(database).removeSearch(name: name)
            print("Removed “\(name)”.")
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report what arrived since each saved search was last run.",
            discussion: "With --json: JSON Lines, one per new item, each naming its saved search, for a mailer or a chat hook.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var shards: ShardOptions
        @Flag(help: "Print JSON Lines, one per new item.") var json = false
        @Option(help: ArgumentHelp("Report items indexed since this date instead (e.g. 2024-05-01, yesterday).", valueName: "date"))
        var since: String?
        @Flag(help: "Do not remember where the searches got to.") var dryRun = false
        @Option(help: "At most this many items per saved search.") var limit = 100
        @Argument(help: ArgumentHelp("Saved searches to run (default: all).", valueName: "name")) var names: [String] = []

        func run() throws {
            let service = try shards.open(database)
            var sinceTime: Double? = nil
            if let since {
                let range = try DateFilter(parsing: since, today: service.today)
                guard let from = range.from else { throw ValidationError("--since needs a start date, not “\(since)”.") }
                var components = DateComponents()
                components.year = from.year
                components.month = from.month
                components.day = from.day
                sinceTime = Calendar(identifier: .gregorian).date(from: components)?.timeIntervalSince1970
            }
            let reports = try service.runWatches(named: names, since: sinceTime, limit: limit, remember: !dryRun)
            if json {
                for report in reports { for line in report.jsonLines { print(line.serialized()) } }
                return
            }
            let terminal = Terminal.stdout()
            if reports.isEmpty { print("No saved searches. Save one with: council watch add NAME QUERY") }
            for report in reports {
                let new = report.response.total
                print(terminal.bold("\(report.search.name)") + terminal.dim("  \(report.search.query)") + ": \(new == 0 ? "nothing new" : "\(new) new item\(new == 1 ? "" : "s")")")
                for hit in report.response.hits { print(Render.hitBlock(hit, terminal: terminal)) }
            }
        }
    }
}
