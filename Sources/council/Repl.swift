import ArgumentParser
import CouncilDocuments
import CouncilIndex
import Foundation

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Search interactively, or run queries from standard input.",
        discussion: """
            On a terminal: line editing, history, paging and commands (type :help). \
            When standard input is not a terminal, each line is a query or a command and the \
            results are printed plainly (with --json, as JSON Lines), so `council repl < queries.txt` works.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var shards: ShardOptions
    @OptionGroup var query: QueryOptions

    @Flag(help: "Print results as JSON Lines (one object per query).")
    var json = false

    /// For benchmarks: instead of the results, print one JSON line per
    /// search with how long it took (query parsing, matching, exact facet
    /// counts, records and snippets of the page; not printing).
    @Flag(help: .hidden)
    var timings = false

    /// For benchmarks: append each search's Xapian query, serialised and
    /// length-prefixed (4 bytes, little-endian), to this file, so native code
    /// can run the very same query.
    @Option(help: .hidden)
    var xapianQueries: String?

    func run() throws {
        let service = try shards.open(database, quietly: true)
        let interactive = Terminal.stdinIsTerminal()
        let session = ReplSession(service: service, terminal: interactive ? Terminal.stdout() : Terminal(isTerminal: false, useColour: false, width: 0),
                                  interactive: interactive)
        session.limit = query.limit
        session.sort = query.sort
        session.collapse = query.collapse
        session.json = json
        session.timings = timings
        if let xapianQueries {
            guard FileManager.default.createFile(atPath: xapianQueries, contents: nil),
                  let handle = FileHandle(forWritingAtPath: xapianQueries) else {
                throw ValidationError("Cannot write \(xapianQueries).")
            }
            session.queryLog = handle
        }
        if interactive {
            let count = (try? service.itemCount()) ?? 0
            let terminal = Terminal.stdout()
            print(terminal.wrap("council — \(count) items in \(terminal.fit(database.path, indent: 0)). Type words to search, :help for commands, Ctrl-D to leave.", indent: 0))
            let editor = LineEditor(historyFile: LineEditor.defaultHistoryFile)
            editor.setCompletion { line, word in session.completions(line: line, word: word) }
            while let line = editor.readLine(prompt: session.prompt) {
                guard session.handle(line) else { break }
            }
            print("")
        } else {
            while let line = Swift.readLine(strippingNewline: true) {
                guard session.handle(line) else { break }
            }
        }
    }
}

/// A search session: the current query, filters and page, changed by each
/// line typed. Errors are shown and the session goes on.
final class ReplSession {
    let service: SearchService
    let terminal: Terminal
    let interactive: Bool
    var query = ""
    var filters: [String] = []
    var offset = 0
    var limit = 10
    var sort: ResultOrder = .relevance
    var collapse: Collapse = .none
    var json = false
    /// Print how long each search took instead of its results.
    var timings = false
    /// Where to log each search's serialised Xapian query.
    var queryLog: FileHandle?
    private(set) var last: SearchResponse?
    /// When set, the results are the items like this one (`:similar`).
    private var similarTo: String?
    private var similarTitle = ""
    /// Facet values for completion, fetched once.
    private var completionValues: [String: [String]] = [:]

    init(service: SearchService, terminal: Terminal, interactive: Bool) {
        self.service = service
        self.terminal = terminal
        self.interactive = interactive
    }

    var prompt: String {
        let filterText = filters.isEmpty ? "" : " [" + filters.joined(separator: " ") + "]"
        return "council\(filterText)> "
    }

    static let help = """
        Type words to search: home care, "home care", foster*, care AND NOT residential.
        Filters: council:NAME committee:NAME portfolio:NAME kind:minutes date:2017 date:2017-09
                 date:2017-01-01..2017-06-30 date:2016.. item:12   (quote values with spaces)
        A line of filters alone refines the current results.

        :next, :n            next page             :prev, :p        previous page
        :show N              item N in full        :open N          where item N is (file:line)
        :filter EXPR         add a filter          :unfilter [N|all] remove filters
        :filters             list the filters      :facets          facet counts of the results
        :similar N           items like item N     :explain         how the query is understood
        :export FILE         save all results as CSV or JSON (by the file's extension)
        :sort relevance|newest|oldest               :by none|meeting|document
        :limit N             hits per page         :json on|off     JSON output
        :clear               forget query and filters
        :help                this help             :quit or Ctrl-D  leave

        Tab completes commands, filter names, filter values in the index (council:<Tab>) and words.
        Up and down recall earlier lines; Ctrl-C abandons the line being typed.
        """

    /// Handle one line; false when the session should end.
    @discardableResult
    func handle(_ raw: String) -> Bool {
        let line = raw.trimmingCharacters(in: .whitespaces)
        guard !line.isEmpty else { return true }
        do {
            if line == "?" || line.hasPrefix(":") {
                return try command(line == "?" ? ":help" : line)
            }
            if !SearchService.hasFreeText(line) && line.contains(":") {
                // Filters alone refine the current results.
                _ = try service.search(SearchRequest(query: line, limit: 0))  // validate first
                filters.append(line)
            } else {
                query = line
                similarTo = nil
            }
            offset = 0
            try runAndShow()
        } catch {
            show(error: error)
        }
        return true
    }

    private func command(_ line: String) throws -> Bool {
        let parts = line.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts.first?.lowercased() ?? ""
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case "q", "quit", "exit":
            return false
        case "h", "help":
            emit(ReplSession.help)
        case "n", "next":
            guard let last else { throw ReplError("no results yet: type a query") }
            guard offset + limit < last.total else { throw ReplError("already at the last page") }
            offset += limit
            try runAndShow()
        case "p", "prev", "previous":
            guard last != nil else { throw ReplError("no results yet: type a query") }
            guard offset > 0 else { throw ReplError("already at the first page") }
            offset = max(0, offset - limit)
            try runAndShow()
        case "show", "s":
            let hit = try hit(argument)
            let item = try service.item(id: hit.id)
            if json {
                emit(jsonLine(item))
            } else {
                let highlighted = try service.highlightedText(itemID: item.id, query: query)
                page(Render.item(item, highlighted: highlighted, terminal: terminal))
            }
        case "open", "o":
            let hit = try hit(argument)
            emit("\(hit.path):\(hit.line)")
        case "filter", "f":
            guard !argument.isEmpty else { throw ReplError(":filter needs a filter, e.g. :filter kind:minutes") }
            _ = try service.search(SearchRequest(query: argument, limit: 0))
            filters.append(argument)
            offset = 0
            try runAndShow()
        case "unfilter", "u":
            if argument.isEmpty || argument == "all" {
                filters.removeAll()
            } else if let n = Int(argument), (1...filters.count).contains(n) {
                filters.remove(at: n - 1)
            } else if let index = filters.firstIndex(of: argument) {
                filters.remove(at: index)
            } else {
                throw ReplError("no filter “\(argument)”; :filters lists them")
            }
            offset = 0
            try runAndShow()
        case "filters":
            emit(filters.isEmpty ? "No filters." : filters.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n"))
        case "facets":
            guard let last else { throw ReplError("no results yet: type a query") }
            emit(json ? jsonLine(last.facets) : Render.facets(last.facets, terminal: terminal, limit: 20).trimmingCharacters(in: .newlines))
        case "sort":
            guard let order = ResultOrder(rawValue: argument.lowercased()) else { throw ReplError(":sort takes relevance, newest or oldest") }
            sort = order
            offset = 0
            if last != nil { try runAndShow() }
        case "by":
            guard let unit = Collapse(rawValue: argument.lowercased()) else { throw ReplError(":by takes none, meeting or document") }
            collapse = unit
            offset = 0
            if last != nil { try runAndShow() }
        case "limit":
            guard let n = Int(argument), n > 0, n <= 1000 else { throw ReplError(":limit takes a number from 1 to 1000") }
            limit = n
            if last != nil { try runAndShow() }
        case "json":
            switch argument.lowercased() {
            case "on", "": json = true
            case "off": json = false
            default: throw ReplError(":json takes on or off")
            }
            emit("JSON output \(json ? "on" : "off").")
        case "clear":
            query = ""
            filters = []
            offset = 0
            last = nil
            similarTo = nil
            emit("Cleared.")
        case "similar", "like":
            let hit = try hit(argument)
            similarTo = hit.id
            similarTitle = hit.title
            offset = 0
            try runAndShow()
        case "explain":
            let interpretation = try service.explain(SearchRequest(query: query, filters: filters, sort: sort, collapse: collapse))
            emit(json ? interpretation.json.serialized() : Render.interpretation(interpretation, terminal: terminal).trimmingCharacters(in: .newlines))
        case "export":
            guard !argument.isEmpty else { throw ReplError(":export needs a file name ending .csv or .json") }
            guard last != nil else { throw ReplError("no results yet: type a query") }
            let count = try export(to: argument)
            emit("Exported \(count) item\(count == 1 ? "" : "s") to \(argument).")
        default:
            throw ReplError("unknown command :\(name); :help lists the commands")
        }
        return true
    }

    private func hit(_ argument: String) throws -> Hit {
        guard let n = Int(argument), n > 0 else { throw ReplError("give the number of a hit, e.g. :show 1") }
        if let hit = last?.hits.first(where: { $0.rank == n }) { return hit }
        guard last != nil else { throw ReplError("no results yet: type a query") }
        guard let hit = try fetch(offset: n - 1, limit: 1).hits.first else { throw ReplError("there is no hit \(n)") }
        return hit
    }

    /// The current results: the query's, or the items like `similarTo`.
    private func fetch(offset: Int, limit: Int) throws -> SearchResponse {
        let request = SearchRequest(query: query, filters: filters, offset: offset, limit: limit, sort: sort, collapse: collapse)
        if let similarTo { return try service.similar(to: similarTo, request: request) }
        return try service.search(request)
    }

    /// Write every current result to `path`: CSV or JSON by its extension.
    private func export(to path: String) throws -> Int {
        let response = try fetch(offset: 0, limit: 100_000)
        let ext = (path as NSString).pathExtension.lowercased()
        var text: String
        switch ext {
        case "json":
            text = JSONValue.array(response.hits.map(\.json)).serialized() + "\n"
        case "csv":
            func field(_ s: String?) -> String {
                let v = s ?? ""
                return v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
            }
            text = "rank,id,score,title,council,committee,date,kind,portfolios,path,line,item,snippet\r\n"
            for h in response.hits {
                let snippet = Terminal(isTerminal: false, useColour: false, width: 0).snippet(h.snippet)
                text += [String(h.rank), h.id, String(h.score), h.title, h.council, h.committee, h.date, h.kind,
                         h.portfolios.joined(separator: "; "), h.path, String(h.line), h.item, snippet].map(field).joined(separator: ",") + "\r\n"
            }
        default:
            throw ReplError(":export writes .csv or .json files, not “.\(ext)”")
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ReplError("cannot write \(path): \((error as NSError).localizedDescription)")
        }
        return response.hits.count
    }

    // MARK: - Completion

    static let commands = ["next", "prev", "show", "open", "filter", "unfilter", "filters", "facets", "similar", "explain",
                           "export", "sort", "by", "limit", "json", "clear", "help", "quit"]

    /// Completions of `word` at the end of `line`: commands, their
    /// arguments, filter names, filter values in the index, and words.
    func completions(line: String, word: String) -> (candidates: [String], addSpace: Bool) {
        let beforeWord = String(line.dropLast(word.count))
        let trimmedBefore = beforeWord.trimmingCharacters(in: .whitespaces)
        // A command name.
        if trimmedBefore.isEmpty && word.hasPrefix(":") {
            return (ReplSession.commands.map { ":" + $0 }.filter { $0.hasPrefix(word.lowercased()) }, true)
        }
        // A command's argument.
        let argumentChoices: [String: [String]] = [":sort": ResultOrder.allCases.map(\.rawValue),
                                                   ":by": Collapse.allCases.map(\.rawValue), ":json": ["on", "off"]]
        if let choices = argumentChoices[trimmedBefore] {
            return (choices.filter { $0.hasPrefix(word.lowercased()) }, true)
        }
        // A filter value: "council:ox", or "council:\"Oxf" (the quote is a word break).
        let fieldNames = ["council", "committee", "portfolio", "kind", "person", "date", "item", "decision", "saved", "title"]
        var field: String? = nil
        var typed = word
        var quoted = false
        if let colon = word.firstIndex(of: ":"), fieldNames.contains(word[..<colon].lowercased()) {
            field = word[..<colon].lowercased()
            typed = String(word[word.index(after: colon)...])
        } else if beforeWord.hasSuffix(":\"") {
            let head = beforeWord.dropLast(2)
            let name = String(head.reversed().prefix { $0.isLetter }.reversed()).lowercased()
            if fieldNames.contains(name) {
                field = name
                quoted = true
            }
        }
        if let field {
            let values = completionValues(for: field)
            let key = NameKey.normalize(typed.replacingOccurrences(of: "\"", with: ""))
            let matching = values.filter { key.isEmpty || NameKey.normalize($0).hasPrefix(key) }
            let prefix = quoted ? "" : field + ":"
            let shaped = matching.map { value -> String in
                if quoted { return value + "\"" }
                return prefix + (value.contains(" ") ? "\"" + value + "\"" : value)
            }
            return (shaped, true)
        }
        // A filter name.
        if !word.isEmpty, let names = Optional(fieldNames.filter { $0.hasPrefix(word.lowercased()) }), !names.isEmpty, word.count >= 2 {
            let words = wordCompletions(word)
            return (names.map { $0 + ":" } + words, words.isEmpty ? false : true)
        }
        return (wordCompletions(word), true)
    }

    private func completionValues(for field: String) -> [String] {
        if let cached = completionValues[field] { return cached }
        var values: [String] = []
        switch field {
        case "council": values = (try? service.displayValues(Schema.council)) ?? []
        case "committee": values = (try? service.displayValues(Schema.committee)) ?? []
        case "portfolio": values = (try? service.displayValues(Schema.portfolio)) ?? []
        case "person": values = (try? service.displayValues(Schema.person)) ?? []
        case "kind": values = DocumentKind.allCases.map(\.rawValue)
        case "decision": values = ["yes", "no"]
        case "date": values = ["last-year", "this-year", "last-month", "this-month", "last-week"]
        case "saved": values = ((try? WatchStore(indexPath: service.databasePath).all()) ?? []).map(\.name)
        default: values = []
        }
        completionValues[field] = values
        return values
    }

    /// Words of the index starting with `word`, most frequent first.
    private func wordCompletions(_ word: String) -> [String] {
        guard word.count >= 2, word.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "'" }) else { return [] }
        let lower = word.lowercased()
        let terms = (try? service.terms(startingWith: lower, limit: 2000)) ?? []
        let best = terms.sorted { $0.frequency > $1.frequency }.prefix(40).map(\.term)
        // Keep the user's capitalisation of what they typed.
        return best.map { word + $0.dropFirst(word.count) }
    }

    private func runAndShow() throws {
        // See what a reindex or rebuild committed since the last search.
        let started = DispatchTime.now().uptimeNanoseconds
        try service.reopen()
        interruptRequested = 0
        let response = try fetch(offset: offset, limit: limit)
        if timings {
            let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
            last = response
            logQuery()
            let f = response.facets
            let facetValues = f.council.count + f.committee.count + f.kind.count + f.year.count + f.portfolio.count
            emit(JSONValue.object([("query", .string(query)), ("ms", .double((ms * 1000).rounded() / 1000)), ("total", .int(response.total)),
                                   ("hits", .int(response.hits.count)), ("facet_values", .int(facetValues)),
                                   ("snippet_bytes", .int(response.hits.reduce(0) { $0 + $1.snippet.utf8.count }))]).serialized())
            return
        }
        logQuery()
        if interruptRequested != 0 {
            // Ctrl-C during the search: abandon its results.
            interruptRequested = 0
            throw ReplError("search interrupted")
        }
        last = response
        if let similarTo, !json {
            emit(terminal.dim("Items like “\(similarTitle)” (\(similarTo)); type words to search again:"))
        }
        if json {
            emit(jsonLine(response))
        } else {
            var text = Render.response(response, terminal: terminal)
            if !filters.isEmpty { text = terminal.dim("Filters: \(filters.joined(separator: " · "))") + "\n" + text }
            if response.offset + response.hits.count < response.total {
                text += terminal.dim("\n:next for more") + "\n"
            }
            emit(text.trimmingCharacters(in: .newlines))
        }
    }

    /// Log the current search's Xapian query (`--xapian-queries`).
    private func logQuery() {
        guard let queryLog, similarTo == nil,
              let bytes = try? service.serialisedQuery(SearchRequest(query: query, filters: filters, sort: sort, collapse: collapse)) else { return }
        var length = UInt32(bytes.count).littleEndian
        queryLog.write(Data(bytes: &length, count: 4))
        queryLog.write(Data(bytes))
    }

    private func emit(_ text: String) {
        print(text)
        if !interactive { fflush(nil) }
    }

    /// Show long text through $PAGER on a terminal.
    private func page(_ text: String) {
        let rows = Int(ProcessInfo.processInfo.environment["LINES"] ?? "") ?? Terminal.currentHeight()
        guard interactive, terminal.isTerminal, text.split(separator: "\n").count > rows - 2 else {
            emit(text)
            return
        }
        let pager = ProcessInfo.processInfo.environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less -R"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", pager]
        let pipe = Pipe()
        process.standardInput = pipe
        do {
            try process.run()
            pipe.fileHandleForWriting.write(Data(text.utf8))
            try? pipe.fileHandleForWriting.close()
            process.waitUntilExit()
        } catch {
            emit(text)
        }
    }

    private func show(error: Error) {
        let message = (error as? ReplError)?.message ?? (error as? CouncilError)?.description ?? String(describing: error)
        if json {
            emit(JSONValue.object([("error", .string(message))]).serialized())
        } else if interactive {
            print(terminal.red("error: \(message)"))
        } else {
            printError("council: \(message)")
            emit("error: \(message)")
        }
    }
}

struct ReplError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension Terminal {
    static func currentHeight() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
        return 24
    }
}
