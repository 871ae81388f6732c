import Foundation
import Xapian

// MARK: - Stub files

/// One database that a Xapian stub database file lists, read the way
/// Xapian 1.4 reads stub lines (`backends/dbfactory.cc`):
///
///     # a comment
///     auto PATH                          a database (folder, or another stub file)
///     glass PATH                         the same, of a named backend (also chert)
///     remote HOST:PORT                   served by xapian-tcpsrv ([IPv6]:PORT too)
///     remote :PROGRAM ARGS               served by a program on its standard input and
///                                        output: remote :ssh host xapian-progsrv PATH
///
/// Relative paths are relative to the folder of the stub that names them.
public struct ShardEntry: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A database on this machine: a database folder (a replica made by
        /// `xapian-replicate` is one too).
        case local(path: String)
        /// `remote HOST:PORT`, served by `xapian-tcpsrv`.
        case tcp(host: String, port: Int)
        /// `remote :PROGRAM ARGS`, such as `ssh host xapian-progsrv PATH`.
        case program(name: String, arguments: String)
    }

    public var kind: Kind
    /// The stub file that lists it, and the line (1-based).
    public var stub: String
    public var line: Int

    public var isRemote: Bool {
        if case .local = kind { return false }
        return true
    }

    /// How it is written in a stub (`remote 127.0.0.1:8101`), or its path.
    public var description: String {
        switch kind {
        case .local(let path): path
        case .tcp(let host, let port): "remote \(host.contains(":") ? "[\(host)]" : host):\(port)"
        case .program(let name, let arguments): "remote :\(name)\(arguments.isEmpty ? "" : " " + arguments)"
        }
    }
}

/// Reading Xapian stub database files.
public enum StubFile {
    /// The databases the stub at `path` lists, in order, with the entries
    /// of stubs it names (a sharded index's stub names each shard's own
    /// stub) expanded in place, so that each database can be opened, and
    /// fail, on its own.
    public static func entries(_ path: String) throws -> [ShardEntry] {
        var seen: [String] = []
        return try expand(path, depth: 0, seen: &seen)
    }

    private static func expand(_ path: String, depth: Int, seen: inout [String]) throws -> [ShardEntry] {
        let real = (path as NSString).resolvingSymlinksInPath
        guard depth < 8, !seen.contains(real) else {
            throw CouncilError.badIndex("\(path): stub files name each other in a loop")
        }
        seen.append(real)
        defer { seen.removeLast() }
        var result: [ShardEntry] = []
        for entry in try parse(path) {
            if case .local(let target) = entry.kind, isRegularFile(target) {
                result += try expand(target, depth: depth + 1, seen: &seen)
            } else {
                result.append(entry)
            }
        }
        return result
    }

    /// The lines of one stub file, not expanded.
    public static func parse(_ path: String) throws -> [ShardEntry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CouncilError.io("cannot read the stub database file \(path)")
        }
        let base = (path as NSString).deletingLastPathComponent
        var entries: [ShardEntry] = []
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let space = line.firstIndex(of: " ") ?? line.endIndex
            let type = String(line[..<space])
            let rest = space < line.endIndex ? String(line[line.index(after: space)...]) : ""
            func bad(_ why: String) -> CouncilError {
                CouncilError.badIndex("\(path):\(index + 1): \(why) (Xapian stub lines are `auto PATH` or `remote HOST:PORT`)")
            }
            switch type {
            case "auto", "glass", "chert":
                guard !rest.isEmpty else { throw bad("a database path is missing") }
                let target = rest.hasPrefix("/") ? rest : (base.isEmpty ? rest : (base as NSString).appendingPathComponent(rest))
                entries.append(ShardEntry(kind: .local(path: target), stub: path, line: index + 1))
            case "remote":
                guard !rest.isEmpty else { throw bad("a remote line needs HOST:PORT or :PROGRAM") }
                if rest.hasPrefix(":") {
                    let command = rest.dropFirst()
                    let split = command.firstIndex(of: " ") ?? command.endIndex
                    let name = String(command[..<split])
                    guard !name.isEmpty else { throw bad("a remote program is missing") }
                    let arguments = split < command.endIndex ? String(command[command.index(after: split)...]) : ""
                    entries.append(ShardEntry(kind: .program(name: name, arguments: arguments), stub: path, line: index + 1))
                } else {
                    guard let colon = rest.lastIndex(of: ":"), !(rest.hasPrefix("[") && rest.hasSuffix("]")),
                          let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
                        throw bad("a remote line needs HOST:PORT")
                    }
                    var host = String(rest[..<colon])
                    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
                    guard !host.isEmpty else { throw bad("a remote line needs a host") }
                    entries.append(ShardEntry(kind: .tcp(host: host, port: port), stub: path, line: index + 1))
                }
            default:
                throw bad("unknown line type “\(type)”")
            }
        }
        return entries
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Write `contents` as the stub at `path` atomically: a new file beside
    /// it, flushed to disk, renamed over the old one, and the rename made
    /// durable. A reader opens the old stub or the new one, never half of one.
    static func replace(_ path: String, with contents: String) throws {
        let temporary = path + ".new-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CouncilError.io("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let ok = contents.withCString { write(fd, $0, strlen($0)) } == contents.utf8.count && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw CouncilError.io("cannot replace \(path): \(why)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let dir = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }
}

// MARK: - Opening shards one by one

/// How to treat the shards of an index that do not answer.
public struct ShardPolicy: Sendable, Equatable {
    /// Fail (`CouncilError.shardsUnavailable`) when any shard cannot be
    /// opened or stops answering, instead of searching the others.
    public var strict = false
    /// Seconds to wait for a remote shard to connect, and for each of its
    /// answers.
    public var timeout = 10.0
    /// In a long session, retry shards that did not answer at most this
    /// often (seconds), and reconnect remote ones at most this often, so a
    /// shard rebuilt on its host is seen.
    public var retryInterval = 30.0
    public var reconnectInterval = 60.0

    public init(strict: Bool = false, timeout: Double = 10) {
        self.strict = strict
        self.timeout = timeout
    }
}

/// A shard that could not be opened or stopped answering, and why.
public struct ShardFailure: Sendable, Equatable, CustomStringConvertible {
    public var entry: ShardEntry
    public var reason: String

    public var description: String {
        let place = "\((entry.stub as NSString).lastPathComponent) line \(entry.line)"
        return entry.isRemote ? "shard \(entry) (\(place)) did not answer: \(reason)"
                              : "shard \(entry) (\(place)) cannot be opened: \(reason)"
    }
}

/// The databases of an index opened one at a time and searched as one
/// (`Database.combining`), so that a shard that does not answer leaves the
/// others searchable. Remote shards are opened in parallel with bounded
/// timeouts: a dead host costs at most one timeout, never a hang.
final class ShardedDatabase {
    struct Shard {
        let entry: ShardEntry
        let database: Database
    }

    let path: String
    /// What the stub listed when it was opened (expanded).
    let entries: [ShardEntry]
    /// The shards that opened, in stub order, and the combined database.
    let shards: [Shard]
    let database: Database
    let failures: [ShardFailure]
    let openedAt: Date

    private init(path: String, entries: [ShardEntry], shards: [Shard], database: Database, failures: [ShardFailure]) {
        self.path = path
        self.entries = entries
        self.shards = shards
        self.database = database
        self.failures = failures
        self.openedAt = Date()
    }

    var remoteShards: [Database] { shards.filter(\.entry.isRemote).map(\.database) }
    var hasRemoteShards: Bool { entries.contains(where: \.isRemote) }

    /// The entries of the index at `path`: one for a database folder, the
    /// expanded lines of a stub file.
    static func entries(_ path: String) throws -> [ShardEntry] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CouncilError.indexNotFound(path)
        }
        if isDirectory.boolValue { return [ShardEntry(kind: .local(path: path), stub: path, line: 0)] }
        return try StubFile.entries(path)
    }

    /// Open the index at `path`. An index of one local database opens as
    /// before, failing as Xapian does; of several, those that open are
    /// combined and the others reported in `failures` (or, with a strict
    /// policy, or when none opens, thrown as `shardsUnavailable`).
    static func open(_ path: String, policy: ShardPolicy) throws -> ShardedDatabase {
        let entries = try entries(path)
        if entries.count == 1, case .local(let folder) = entries[0].kind {
            let database: Database
            do {
                // The stub itself, so Xapian's own messages name it.
                database = try Database(path: path)
            } catch {
                throw CouncilError.opening(error, path: path)
            }
            return ShardedDatabase(path: path, entries: entries,
                                   shards: [Shard(entry: ShardEntry(kind: .local(path: folder), stub: path, line: entries[0].line), database: database)],
                                   database: database, failures: [])
        }
        let outcomes = openAll(entries, timeout: policy.timeout)
        var shards: [Shard] = []
        var failures: [ShardFailure] = []
        for (entry, outcome) in zip(entries, outcomes) {
            switch outcome {
            case .success(let box): shards.append(Shard(entry: entry, database: box.database))
            case .failure(let failure): failures.append(ShardFailure(entry: entry, reason: failure.reason))
            }
        }
        if !failures.isEmpty && (policy.strict || shards.isEmpty) {
            throw CouncilError.shardsUnavailable(path: path, failures: failures, strict: policy.strict)
        }
        let combined: Database
        do {
            combined = try Database.combining(shards.map(\.database), path: path)
        } catch {
            throw CouncilError.opening(error, path: path)
        }
        return ShardedDatabase(path: path, entries: entries, shards: shards, database: combined, failures: failures)
    }

    /// A database handle made on a worker thread and handed to the opener
    /// once that thread is done with it.
    final class OpenedBox: @unchecked Sendable {
        let database: Database
        init(_ database: Database) { self.database = database }
    }

    struct OpenFailure: Error, Sendable {
        let reason: String
    }

    /// Open each entry on its own, at most 16 at a time.
    private static func openAll(_ entries: [ShardEntry], timeout: Double) -> [Result<OpenedBox, OpenFailure>] {
        final class Slots: @unchecked Sendable {
            var results: [Result<OpenedBox, OpenFailure>?]
            let lock = NSLock()
            var next = 0
            init(_ n: Int) { results = Array(repeating: nil, count: n) }
        }
        let slots = Slots(entries.count)
        let workers = min(16, entries.count)
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<workers {
            let thread = Thread {
                while true {
                    slots.lock.lock()
                    let index = slots.next
                    slots.next += 1
                    slots.lock.unlock()
                    guard index < entries.count else { break }
                    let result: Result<OpenedBox, OpenFailure>
                    do {
                        result = .success(OpenedBox(try openOne(entries[index], timeout: timeout)))
                    } catch let failure as OpenFailure {
                        result = .failure(failure)
                    } catch let error as XapianError {
                        result = .failure(OpenFailure(reason: describe(error, timeout: timeout)))
                    } catch {
                        result = .failure(OpenFailure(reason: String(describing: error)))
                    }
                    slots.lock.lock()
                    slots.results[index] = result
                    slots.lock.unlock()
                }
                done.signal()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        for _ in 0..<workers { done.wait() }
        return slots.results.map { $0 ?? .failure(OpenFailure(reason: "not opened")) }
    }

    private static func openOne(_ entry: ShardEntry, timeout: Double) throws -> Database {
        switch entry.kind {
        case .local(let path):
            guard FileManager.default.fileExists(atPath: path) else { throw OpenFailure(reason: "no database at \(path)") }
            return try Database(path: path)
        case .tcp(let host, let port):
            return try Database.remote(host: host, port: port, timeout: timeout, connectTimeout: timeout)
        case .program(let name, let arguments):
            return try Database.remote(program: name, arguments: arguments, timeout: timeout)
        }
    }

    /// Xapian's network errors in words.
    static func describe(_ error: XapianError, timeout: Double) -> String {
        switch error.code {
        case .networkTimeout: return "no answer within \(formatSeconds(timeout)) (\(error.message))"
        default: return error.message.isEmpty ? error.code.summary : error.message
        }
    }

    static func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }
}

@available(*, unavailable)
extension ShardedDatabase: Sendable {}
