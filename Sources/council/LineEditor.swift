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
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptRequested = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: read() returns EINTR
        sigaction(SIGINT, &action, nil)
        cle_set_getc_function { file in
            var byte: UInt8 = 0
            while true {
                let n = read(file.map { fileno($0) } ?? STDIN_FILENO, &byte, 1)
                if n == 1 && byte != 3 { return Int32(byte) }
                if n == 1 || (n < 0 && errno == EINTR && interruptRequested != 0) {
                    // Ctrl-C: drop the line and start afresh on a new one.
                    interruptRequested = 0
                    rl_replace_line("", 0)
                    lineAbandoned = 1
                    return 10
                }
                if n < 0 && errno == EINTR { continue }
                return -1  // end of input
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

/// Set by the SIGINT handler; read by the key reader and long operations.
nonisolated(unsafe) var interruptRequested: sig_atomic_t = 0
/// Set when Ctrl-C abandoned the line being edited.
nonisolated(unsafe) var lineAbandoned: sig_atomic_t = 0
