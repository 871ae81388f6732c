import Foundation
import Testing

/// The REPL in a real terminal: tmux runs it in a pseudo-terminal, the test
/// types keys and reads the screen back.
final class TmuxSession {
    static let available: Bool = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
    let name = "council-test-\(UUID().uuidString.prefix(8))"
    let socket: String

    init(command: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        socket = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(name)").path
        let env = environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        try tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height),
                  "env -u COUNCIL_DB -u NO_COLOR \(env) \(command); echo '[exited]'; sleep 30"])
    }

    deinit {
        try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: socket)
    }

    /// Run a tmux command and wait for it with waitpid. (Foundation's
    /// Process never notices the end of a `new-session` client whose server
    /// forked off, so it is not used here.) Output is read only for
    /// capture-pane.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let argv = ["/usr/bin/tmux", "-S", socket] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var fds: [Int32] = [-1, -1]
        let capture = arguments.first == "capture-pane"
        if capture {
            guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        // The tmux server and the REPL start with no signal blocked or
        // ignored, as from a login shell (the test runner blocks some).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, environ)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
        var output = Data()
        if capture {
            close(fds[1])
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fds[0], &buffer, buffer.count)
                if n <= 0 { break }
                output.append(buffer, count: n)
            }
            close(fds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return String(decoding: output, as: UTF8.self)
    }

    /// Type text (literally) or keys ("Enter", "Tab", "C-c", "Up").
    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// The screen as shown (wrapped lines joined with -J when asked).
    func screen(joined: Bool = false, escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", name, "-S", "-200"] + (joined ? ["-J"] : []) + (escapes ? ["-e"] : []))
    }

    /// Wait until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if last.contains(text) { return last }
            usleep(50_000)
        }
        Issue.record("timed out waiting for “\(text)”; the screen shows:\n\(last)")
        return last
    }
}

@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux (scripts/setup installs it)"))
struct TerminalReplTests {
    let tmp: TempDir
    let history: String

    init() throws {
        tmp = try TempDir()
        history = tmp.url.appendingPathComponent("history").path
        #expect(try CLI.run(["index", "--db", tmp.db, "--quiet", CLI.corpus.path]).status == 0)
    }

    private func repl(width: Int = 100, colour: Bool = false, pager: String = "cat") throws -> TmuxSession {
        var env = ["COUNCIL_HISTORY": history, "PAGER": pager, "TERM": "xterm-256color"]
        if !colour { env["NO_COLOR"] = "1" }
        let session = try TmuxSession(command: "\(CLI.executable.path) repl --db \(tmp.db)", width: width, environment: env)
        try session.waitFor("Ctrl-D to leave")
        return session
    }

    @Test func searchShowAndLeave() throws {
        let s = try repl()
        try s.type("fostering")
        try s.press("Enter")
        let screen = try s.waitFor("117. Fostering Modernisation Plan")
        #expect(screen.contains("Dorset County Council · Cabinet · 2017-09-27 · minutes"))
        try s.type(":show 1")
        try s.press("Enter")
        try s.waitFor("It was agreed that further information would be shared")
        try s.press("C-d")
        try s.waitFor("[exited]")
    }

    @Test func tabCompletesCommandsFiltersAndValues() throws {
        let s = try repl()
        try s.type("council:ox")
        try s.press("Tab")
        try s.waitFor("council> council:\"Oxfordshire County Council\"")
        try s.press("C-u")
        try s.type(":so")
        try s.press("Tab")
        try s.type("n")
        try s.press("Tab")
        try s.waitFor("council> :sort newest")
        try s.press("C-u")
        // "portf" completes as far as is common to the field name and the
        // index's words ("portfolio", "portfolios").
        try s.type("portf")
        try s.press("Tab")
        try s.waitFor("council> portfolio")
        try s.type(":")
        try s.press("Tab", "Tab")
        let screen = try s.waitFor("portfolio:Safeguarding")
        #expect(screen.contains("portfolio:\"Adult Social Care\""))
        try s.press("C-u")
        try s.type("fosteri")
        try s.press("Tab")
        try s.waitFor("council> fostering")
    }

    @Test func historyIsEditableAndPersistent() throws {
        do {
            let s = try repl()
            try s.type("home care")
            try s.press("Enter")
            try s.waitFor("Help to Live at Home")
            try s.type("fostering")
            try s.press("Enter")
            try s.waitFor("117. Fostering Modernisation Plan")
            try s.press("Up", "Up")
            try s.waitFor("council> home care")
            // Edit the recalled line: to the start, add a word.
            try s.press("C-a")
            try s.type("\"")
            try s.press("C-e")
            try s.type("\"")
            try s.press("Enter")
            try s.waitFor("match “\"home care\"”")
            try s.press("C-d")
            try s.waitFor("[exited]")
        }
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        #expect(saved.contains("fostering"))
        // A new session recalls the last one's lines.
        let s = try repl()
        try s.press("Up")
        try s.waitFor("council> \"home care\"")
    }

    @Test func ctrlCAbandonsTheLineAndErrorsDoNotEndTheSession() throws {
        let s = try repl()
        try s.type("half typed query")
        try s.press("C-c")
        // A fresh prompt on the next line.
        try s.waitFor("half typed query\ncouncil>")
        try s.type("kind:leaflet")
        try s.press("Enter")
        try s.waitFor("error: cannot parse query “kind:leaflet”")
        try s.type("homeshare")
        try s.press("Enter")
        let screen = try s.waitFor("Pilot Intergenerational Project (Homeshare)")
        #expect(!screen.contains("match “half typed query”"))
        #expect(!screen.contains("[exited]"))
    }

    @Test func longItemsGoThroughThePager() throws {
        // A pager that shows only the first two lines proves :show used it.
        let s = try repl(pager: "head -2")
        try s.type("\"corporate plan\"")
        try s.press("Enter")
        try s.waitFor("Draft Corporate Plan")
        try s.type(":show 1")
        try s.press("Enter")
        usleep(1_000_000)
        let screen = try s.screen()
        #expect(!screen.contains("ANNEX A: OUR DELIVERY PLAN"))
        #expect(screen.contains("Oxfordshire County Council · Performance Scrutiny Committee"))
    }

    @Test func layoutFitsTheTerminalAndColourOnlyWhenAllowed() throws {
        let narrow = try repl(width: 60)
        try narrow.type("home care")
        try narrow.press("Enter")
        try narrow.waitFor("Help to Live at Home")
        let joined = try narrow.screen(joined: true)
        for line in joined.split(separator: "\n") {
            #expect(line.count <= 60, "line wider than the terminal: \(line)")
        }
        // tmux writes bold yellow back as two sequences.
        #expect(!(try narrow.screen(escapes: true)).contains("\u{1B}[33m"))
        let coloured = try repl(colour: true)
        try coloured.type("home care")
        try coloured.press("Enter")
        try coloured.waitFor("Help to Live at Home")
        let escaped = try coloured.screen(escapes: true)
        #expect(escaped.contains("\u{1B}[1m\u{1B}[33m"), "no highlight in: \(escaped.debugDescription)")
    }
}
