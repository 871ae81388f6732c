import CLineEdit
import Foundation

/// Line editing and persistent history through libedit's readline
/// interface (Debian's libedit-dev).
final class LineEditor {
    private let historyFile: String?

    init(historyFile: String?) {
        self.historyFile = historyFile
        // Ctrl-C abandons the line being typed (and a long search), not the
        // session: we take SIGINT ourselves and read keys through a getc
        // that notices it.
        cle_set_catch_signals(0)
        // The signal may land on any thread, so the handler also writes to
        // a pipe that the key reader polls beside standard input.
        if interruptPipe.0 < 0 {
            var fds: [Int32] = [-1, -1]
            if pipe(&fds) == 0 {
                _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
                _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
                interruptPipe = (fds[0], fds[1])
            }
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            interruptRequested = 1
            var byte: UInt8 = 3
            _ = write(interruptPipe.1, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
        // A parent may have left SIGINT blocked (the mask is inherited).
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        cle_set_getc_function { file in
            let input = file.map { fileno($0) } ?? STDIN_FILENO
            var byte: UInt8 = 0
            while true {
                var fds = [pollfd(fd: input, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: interruptPipe.0, events: Int16(POLLIN), revents: 0)]
                let ready = poll(&fds, interruptPipe.0 >= 0 ? 2 : 1, -1)
                if ready < 0 && errno == EINTR && interruptRequested == 0 { continue }
                var interrupted = interruptRequested != 0 || fds[1].revents != 0
                if !interrupted {
                    let n = read(input, &byte, 1)
                    if n < 0 && errno == EINTR { continue }
                    if n != 1 { return -1 }  // end of input
                    if byte != 3 { return Int32(byte) }
                    interrupted = true
                }
                // Ctrl-C: drop the line and start afresh on a new one.
                while read(interruptPipe.0, &byte, 1) == 1 {}
                interruptRequested = 0
                rl_replace_line("", 0)
                lineAbandoned = 1
                return 10
            }
        }
        using_history()
        stifle_history(2000)
        if let historyFile {
            try? FileManager.default.createDirectory(atPath: (historyFile as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            _ = read_history(historyFile)
        }
    }

    /// Read a line with `prompt`; nil at end of input (Ctrl-D). A line
    /// abandoned with Ctrl-C comes back empty.
    func readLine(prompt: String) -> String? {
        lineAbandoned = 0
        // A Ctrl-C that came before the prompt was for what ran then.
        var byte: UInt8 = 0
        while interruptPipe.0 >= 0 && read(interruptPipe.0, &byte, 1) == 1 {}
        interruptRequested = 0
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        if lineAbandoned != 0 { return "" }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            add_history(raw)
            if let historyFile { _ = write_history(historyFile) }
        }
        return line
    }

    /// Complete with `provider`: given the line up to the cursor and the
    /// word being completed, it returns the replacements for the word and
    /// whether to add a space after a single completion.
    func setCompletion(_ provider: @escaping (_ line: String, _ word: String) -> (candidates: [String], addSpace: Bool)) {
        completionProvider = provider
        cle_set_completion_function { text, start, end in
            guard let provider = completionProvider, let text else { return nil }
            let word = String(cString: text)
            let buffer = cle_line_buffer().map { String(cString: $0) } ?? ""
            let upToCursor = String(buffer.utf8.prefix(Int(end))) ?? buffer
            let (candidates, addSpace) = provider(upToCursor, word)
            guard !candidates.isEmpty else { return nil }
            cle_set_completion_append_character(addSpace ? 32 : 0)
            // readline's convention: the common prefix first, then each
            // match, then NULL; all malloc'd and freed by readline. A single
            // match is listed twice: libedit looks at the third entry to
            // decide the match is complete (and adds the space).
            var common = candidates[0]
            for c in candidates.dropFirst() {
                while !c.hasPrefix(common) { common.removeLast() }
            }
            let list = candidates.count == 1 ? [candidates[0], candidates[0]] : [common] + candidates
            let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: list.count + 1)
            for (i, item) in list.enumerated() { array[i] = strdup(item) }
            array[list.count] = nil
            return array
        }
    }

    /// Where the REPL keeps its history: $COUNCIL_HISTORY, else
    /// $XDG_STATE_HOME/council/history (~/.local/state/council/history).
    static var defaultHistoryFile: String {
        let env = ProcessInfo.processInfo.environment
        if let path = env["COUNCIL_HISTORY"], !path.isEmpty { return path }
        let state = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/state")
        return ((state as NSString).appendingPathComponent("council") as NSString).appendingPathComponent("history")
    }
}

/// The REPL's completion function, called from libedit.
nonisolated(unsafe) var completionProvider: ((String, String) -> (candidates: [String], addSpace: Bool))?

/// Set by the SIGINT handler; read by the key reader and long operations.
nonisolated(unsafe) var interruptRequested: sig_atomic_t = 0
/// Written by the SIGINT handler, polled by the key reader.
nonisolated(unsafe) var interruptPipe: (Int32, Int32) = (-1, -1)
/// Set when Ctrl-C abandoned the line being edited.
nonisolated(unsafe) var lineAbandoned: sig_atomic_t = 0
