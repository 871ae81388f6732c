import Foundation
import Xapian

/// Where an index lives and how it is switched atomically.
///
/// An index made by `council index` at PATH is a Xapian stub database file
/// at PATH naming the live version, a Xapian database folder under
/// `PATH.d/`:
///
///     PATH            "auto PATH.d/v0001"   (what readers open)
///     PATH.d/v0001/   the live Xapian database
///     PATH.d/lock     held by the one `council index` run writing the index
///
/// Incremental runs write into the live version (each batch an atomic Xapian
/// transaction). `--rebuild` builds the next version beside it and then
/// replaces the stub with a rename, which is atomic: a reader opens either
/// the old version or the new one, never a half-built index. Older versions
/// are removed, keeping the previous one for readers still using it.
///
/// A PATH that is a plain Xapian database folder (made by other tools) is
/// read and updated in place; it cannot be rebuilt beside itself.
public struct IndexLocation: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var versionsDirectory: String { path + ".d" }
    public var lockPath: String { versionsDirectory + "/lock" }

    /// What is at the path now.
    public enum State: Equatable, Sendable {
        case missing
        /// A stub file; the database paths it lists, resolved.
        case stub([String])
        /// A Xapian database folder.
        case directory
    }

    public var state: State {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        if isDirectory.boolValue { return .directory }
        return .stub(IndexLocation.stubEntries(path))
    }

    /// The `auto` entries of a stub file, resolved against its folder
    /// (remote entries are returned as written).
    public static func stubEntries(_ stubPath: String) -> [String] {
        guard let text = try? String(contentsOfFile: stubPath, encoding: .utf8) else { return [] }
        let base = (stubPath as NSString).deletingLastPathComponent
        var result: [String] = []
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("auto ") {
                let target = String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces)
                result.append(target.hasPrefix("/") ? target : (base as NSString).appendingPathComponent(target))
            } else if !line.hasPrefix("remote ") {
                // A bare path is an "auto" line.
                result.append(line.hasPrefix("/") ? line : (base as NSString).appendingPathComponent(line))
            }
        }
        return result
    }

    /// The database folder a writer updates: the stub's single entry, or
    /// the folder itself. Nil when the index does not exist yet.
    public func liveDatabase() throws -> String? {
        switch state {
        case .missing: return nil
        case .directory: return path
        case .stub(let entries):
            guard entries.count == 1 else {
                throw CouncilError.badIndex("\(path) lists \(entries.count) databases; council index writes to an index of one (use --shard-by for shards)")
            }
            return entries[0]
        }
    }

    // MARK: - Versions

    /// Version folder names, oldest first.
    func versions() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: versionsDirectory)) ?? []
        return names.filter { $0.hasPrefix("v") && $0.dropFirst().allSatisfy(\.isNumber) }.sorted()
    }

    /// A new, empty version folder path (not created).
    func nextVersion() -> String {
        let last = versions().last.flatMap { Int($0.dropFirst()) } ?? 0
        var n = last + 1
        while FileManager.default.fileExists(atPath: versionPath(n)) { n += 1 }
        return versionPath(n)
    }

    private func versionPath(_ n: Int) -> String {
        let digits = String(n)
        return versionsDirectory + "/v" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Make the stub name `version` as the live database: write a new stub
    /// beside it, flush it to disk, and rename it over the old one.
    func switchStub(to version: String) throws {
        let relative = ((path as NSString).lastPathComponent + ".d/" + (version as NSString).lastPathComponent)
        let contents = "# council index: the live version (replaced atomically by council index --rebuild)\nauto \(relative)\n"
        do {
            try StubFile.replace(path, with: contents)
        } catch CouncilError.io(let why) {
            throw CouncilError.io("cannot switch \(path) to \(version): \(why)")
        }
    }

    /// Remove versions other than `live` and the one before it.
    func removeOldVersions(live: String, previous: String?) {
        let keep = Set([live, previous].compactMap { $0.map { ($0 as NSString).lastPathComponent } })
        for name in versions() where !keep.contains(name) {
            try? FileManager.default.removeItem(atPath: versionsDirectory + "/" + name)
        }
        // Versions left behind by interrupted rebuilds.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: versionsDirectory)) ?? [] where name.hasPrefix("building-") {
            let pid = Int32(name.dropFirst(9)) ?? 0
            if pid <= 0 || kill(pid, 0) != 0 {
                try? FileManager.default.removeItem(atPath: versionsDirectory + "/" + name)
            }
        }
    }

    // MARK: - Sharded indexes

    /// A sharded index at PATH (`council index --shard-by`) is a stub file
    /// listing one shard per council (or per year), each a council index of
    /// its own under `PATH.d/shards/`:
    ///
    ///     PATH                        "auto PATH.d/shards/NAME" per shard (and any
    ///                                 `remote` lines added by hand, kept as written)
    ///     PATH.d/sharding             what papers are routed by: "council" or "year"
    ///     PATH.d/lock                 held by the one run writing the set
    ///     PATH.d/shards/NAME          a shard: a stub naming NAME.d/vNNNN
    ///     PATH.d/shards/NAME.d/       its versions and its own writer's lock
    public var shardsDirectory: String { versionsDirectory + "/shards" }
    var shardingFile: String { versionsDirectory + "/sharding" }

    /// Whether this is a sharded index.
    public var isShardSet: Bool { FileManager.default.fileExists(atPath: shardingFile) }

    /// What a sharded index routes papers by ("council", "year"), or nil.
    public var shardKeyName: String? {
        guard let data = FileManager.default.contents(atPath: shardingFile) else { return nil }
        let name = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }

    /// The path of shard `name`.
    public func shardPath(_ name: String) -> String { shardsDirectory + "/" + name }

    /// The shards of a sharded index, by name, sorted.
    public func shardNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: shardsDirectory)) ?? []
        return names.filter { name in
            !name.hasPrefix(".") && !name.contains(".new-") && StubFile.isRegularFile(shardsDirectory + "/" + name)
        }.sorted()
    }

    /// The sharded index this index is a shard of, if it is one.
    public var enclosingSet: IndexLocation? {
        let folder = (path as NSString).deletingLastPathComponent
        guard (folder as NSString).lastPathComponent == "shards" else { return nil }
        let versions = (folder as NSString).deletingLastPathComponent
        guard versions.hasSuffix(".d") else { return nil }
        let set = IndexLocation(path: String(versions.dropLast(2)))
        return set.isShardSet ? set : nil
    }

    /// The highest run number of the set's local shards (0 when none).
    func lastRunOfShards() -> Int {
        var last = 0
        for name in shardNames() {
            if let db = try? Database(path: shardPath(name)), let run = Int((try? db.metadata("run:last")) ?? "") {
                last = max(last, run)
            }
        }
        return last
    }

    // MARK: - The writer's lock

    /// The lock held by the one run writing this index.
    public final class WriterLock {
        private let fd: Int32
        init(fd: Int32) { self.fd = fd }
        deinit {
            flock(fd, LOCK_UN)
            close(fd)
        }
    }

    /// Take the writer's lock, failing at once with `indexLocked` when
    /// another run holds it, or waiting for it with `wait`.
    public func lockForWriting(wait: Bool) throws -> WriterLock {
        do {
            try FileManager.default.createDirectory(atPath: versionsDirectory, withIntermediateDirectories: true)
        } catch {
            throw CouncilError.io("cannot write the index at \(path): cannot create \(versionsDirectory) (\((error as NSError).localizedDescription))")
        }
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CouncilError.io("cannot write the index at \(path): its lock \(lockPath) cannot be opened (\(String(cString: strerror(errno))))")
        }
        if flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { throw CouncilError.indexLocked(lockPath) }
            throw CouncilError.io("cannot lock \(lockPath): \(String(cString: strerror(code)))")
        }
        // Record who holds it, for people looking.
        ftruncate(fd, 0)
        let note = "pid \(getpid())\n"
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
        return WriterLock(fd: fd)
    }
}
