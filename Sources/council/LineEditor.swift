import CLineEdit
import Foundation

/// Line editing and persistent history through libedit's readline
/// interface (Debian's libedit-dev).
final class LineEditor {
    private let historyFile: String?

    init(historyFile: String?) {
        self.historyFile = historyFile
        using_history()
        stifle_history(2000)
        if let historyFile {
            try? FileManager.default.createDirectory(atPath: (historyFile as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            _ = read_history(historyFile)
        }
    }

    /// Read a line with `prompt`; nil at end of input (Ctrl-D).
    func readLine(prompt: String) -> String? {
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
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
