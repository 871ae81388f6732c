import ArgumentParser
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
    @OptionGroup var query: QueryOptions

    @Flag(help: "Print results as JSON Lines (one object per query).")
    var json = false

    func run() throws {
        let service = try SearchService(path: database.path)
        let interactive = Terminal.stdinIsTerminal()
        let session = ReplSession(service: service, terminal: interactive ? Terminal.stdout() : Terminal(isTerminal: false, useColour: false, width: 0),
                                  interactive: interactive)
        session.limit = query.limit
        session.sort = query.sort
        session.collapse = query.collapse
        session.json = json
        if interactive {
            let count = (try? service.itemCount()) ?? 0
            print("council — \(count) items in \(database.path). Type words to search, :help for commands, Ctrl-D to leave.")
            let editor = LineEditor(historyFile: LineEditor.defaultHistoryFile)
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
    private(set) var last: SearchResponse?

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
        :sort relevance|newest|oldest               :by none|meeting|document
        :limit N             hits per page         :json on|off     JSON output
        :clear               forget query and filters
        :help                this help             :quit or Ctrl-D  leave
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
            emit("Cleared.")
        default:
            throw ReplError("unknown command :\(name); :help lists the commands")
        }
        return true
    }

    private func hit(_ argument: String) throws -> Hit {
        guard let n = Int(argument), n > 0 else { throw ReplError("give the number of a hit, e.g. :show 1") }
        if let hit = last?.hits.first(where: { $0.rank == n }) { return hit }
        guard last != nil else { throw ReplError("no results yet: type a query") }
        let response = try service.search(SearchRequest(query: query, filters: filters, offset: n - 1, limit: 1, sort: sort, collapse: collapse))
        guard let hit = response.hits.first else { throw ReplError("there is no hit \(n)") }
        return hit
    }

    private func runAndShow() throws {
        // See what a reindex or rebuild committed since the last search.
        try service.reopen()
        let response = try service.search(SearchRequest(query: query, filters: filters, offset: offset, limit: limit, sort: sort, collapse: collapse))
        last = response
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
