#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs an external converter (pdftotext) as a separate process, the way
/// Xapian Omega's omindex runs its filters: the child gets its own process
/// group, no standard input, a memory limit (`ulimit -v` through /bin/sh,
/// set before the program starts), no core dumps and a CPU-time backstop;
/// the parent collects its output until a wall-clock deadline and kills the
/// whole group when it passes. Whatever the child does — crash, hang, eat
/// memory, spawn children — the caller gets a result, never a hang.
struct Subprocess {
    /// How the child ended.
    enum Termination: Equatable {
        /// Exited with this status.
        case exited(Int32)
        /// Killed by this signal (not by us).
        case signalled(Int32)
        /// Still running at the deadline: killed.
        case timedOut
        /// Wrote more than the output limit: killed.
        case outputTooLarge
    }

    /// What the child did.
    struct Outcome {
        var termination: Termination
        /// Standard output, up to the output limit.
        var output: [UInt8]
        /// Standard error, up to 64 KB, decoded leniently.
        var errorOutput: String
    }

    /// Why the child could not be started.
    enum LaunchError: Error, Equatable {
        /// No such executable (not on PATH, or not executable).
        case notFound(String)
        /// A system call failed.
        case system(String, Int32)
    }

    /// The program: a path, or a name looked up on PATH.
    var executable: String
    var arguments: [String]
    /// Wall-clock limit, in seconds.
    var timeLimit: Double
    /// Address-space limit in bytes (RLIMIT_AS), or nil for none.
    var memoryLimit: Int?
    /// Standard output beyond this many bytes stops the child.
    var outputLimit: Int

    static let errorOutputLimit = 64 * 1024

    // MARK: - Running

    /// Run the program to completion, the deadline, or the output limit.
    func run() throws(LaunchError) -> Outcome {
        guard let path = Subprocess.resolve(executable) else { throw .notFound(executable) }
        // /bin/sh sets the limits, then becomes the program (exec), so the
        // limits hold from its first instruction and its pid is the child's.
        var script = "ulimit -c 0 2>/dev/null; ulimit -t \(Int(timeLimit.rounded(.up)) + 5) 2>/dev/null; "
        if let memoryLimit { script += "ulimit -v \(max(1, memoryLimit / 1024)) 2>/dev/null; " }
        script += "exec \"$0\" \"$@\""
        let argv = ["/bin/sh", "-c", script, path] + arguments

        let (pid, stdoutPipe, stderrPipe) = try launch(argv)
        close(stdoutPipe.write)
        close(stderrPipe.write)
        defer {
            close(stdoutPipe.read)
            close(stderrPipe.read)
        }
        return collect(pid: pid, stdout: stdoutPipe.read, stderr: stderrPipe.read)
    }

    /// Read the child's output until both pipes close and it exits, or until
    /// the deadline or the output limit; then reap it.
    private func collect(pid: pid_t, stdout: Int32, stderr: Int32) -> Outcome {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(max(0, timeLimit) * 1000))
        var output: [UInt8] = []
        var errors: [UInt8] = []
        var open = [stdout: true, stderr: true]
        var buffer = [UInt8](repeating: 0, count: 65536)
        var stopped: Termination? = nil

        func remainingMilliseconds() -> Int32 {
            let left = deadline - clock.now
            if left <= .zero { return 0 }
            let (seconds, attoseconds) = left.components
            return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
        }

        // Output, until both pipes are closed.
        while stopped == nil, open.values.contains(true) {
            var fds = [stdout, stderr].filter { open[$0] == true }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let wait = remainingMilliseconds()
            if wait == 0 {
                stopped = .timedOut
                break
            }
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready < 0 {
                if errno == EINTR { continue }
                stopped = .timedOut  // cannot wait: give up on the child
                break
            }
            for entry in fds where entry.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    open[entry.fd] = false
                    continue
                }
                if entry.fd == stdout {
                    output.append(contentsOf: buffer[0..<count])
                    if output.count > outputLimit {
                        stopped = .outputTooLarge
                        break
                    }
                } else if errors.count < Subprocess.errorOutputLimit {
                    errors.append(contentsOf: buffer[0..<min(count, Subprocess.errorOutputLimit - errors.count)])
                }
            }
        }

        // Exit, until the deadline. The child is not reaped yet (WNOWAIT),
        // so its process group cannot be reused while we kill it.
        while stopped == nil {
            var info = siginfo_t()
            let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
            if result == 0 && info.si_signo == SIGCHLD { break }
            if result < 0 && errno != EINTR { break }
            if remainingMilliseconds() == 0 {
                stopped = .timedOut
                break
            }
            usleep(5_000)
        }
        // The whole group: the program and anything it started and left.
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        var reaped = waitpid(pid, &status, 0)
        while reaped < 0 && errno == EINTR { reaped = waitpid(pid, &status, 0) }
        let termination: Termination
        if let stopped {
            termination = stopped
        } else if reaped < 0 {
            termination = .exited(-1)  // reaped elsewhere: status unknown
        } else if Subprocess.exited(status) {
            termination = .exited(Subprocess.exitStatus(status))
        } else {
            termination = .signalled(Subprocess.terminatingSignal(status))
        }
        return Outcome(termination: termination, output: output, errorOutput: Subprocess.decode(errors))
    }

    // MARK: - Spawning

    /// Make the pipes and spawn the child, under `spawnLock`.
    private func launch(_ argv: [String]) throws(LaunchError) -> (pid_t, (read: Int32, write: Int32), (read: Int32, write: Int32)) {
        Subprocess.spawnLock.lock()
        defer { Subprocess.spawnLock.unlock() }
        let stdoutPipe = try Subprocess.pipe()
        let stderrPipe: (read: Int32, write: Int32)
        do {
            stderrPipe = try Subprocess.pipe()
        } catch {
            close(stdoutPipe.read)
            close(stdoutPipe.write)
            throw error
        }
        do {
            let pid = try spawn(argv, stdout: stdoutPipe.write, stderr: stderrPipe.write)
            return (pid, stdoutPipe, stderrPipe)
        } catch {
            for fd in [stdoutPipe.read, stdoutPipe.write, stderrPipe.read, stderrPipe.write] { close(fd) }
            throw error
        }
    }

    /// posix_spawn the child in a new process group, with standard input
    /// from /dev/null, default signal dispositions and an empty signal mask.
    private func spawn(_ argv: [String], stdout: Int32, stderr: Int32) throws(LaunchError) -> pid_t {
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)

        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGQUIT, SIGHUP, SIGTERM, SIGXCPU] { sigaddset(&defaults, signal) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = Int32(POSIX_SPAWN_SETPGROUP) | Int32(POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_SETSIGMASK)
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &cArguments, environ)
        guard status == 0 else { throw .system("posix_spawn", status) }
        return pid
    }

    /// A pipe whose ends are closed on exec, so that children spawned by
    /// other threads do not inherit them (and keep them open). Made under
    /// `spawnLock`, as the child is spawned, so no spawn falls between
    /// `pipe` and `fcntl`.
    private static func pipe() throws(LaunchError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        #if canImport(Glibc)
        guard Glibc.pipe(&fds) == 0 else { throw .system("pipe", errno) }
        #else
        guard Darwin.pipe(&fds) == 0 else { throw .system("pipe", errno) }
        #endif
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }

    /// Serialises making pipes and spawning among the threads that read
    /// papers in parallel.
    private static let spawnLock = NSLock()

    /// The executable's path: `name` itself when it contains a slash, else
    /// the first match on PATH; nil when there is none.
    static func resolve(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = directory + "/" + name
            var info = stat()
            if stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }

    // MARK: - Wait status

    private static func exited(_ status: Int32) -> Bool { status & 0x7f == 0 }
    private static func exitStatus(_ status: Int32) -> Int32 { (status >> 8) & 0xff }
    private static func terminatingSignal(_ status: Int32) -> Int32 { status & 0x7f }

    private static func decode(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// "SIGSEGV" for 11, and so on; nil for signals without a common name.
    static func signalName(_ signal: Int32) -> String? {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
            SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ",
        ]
        return names[signal]
    }
}
