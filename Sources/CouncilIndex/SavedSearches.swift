import CouncilDocuments
import Foundation

/// A named search a user follows.
public struct SavedSearch: Sendable, Equatable {
    public var name: String
    /// The query, filters and all.
    public var query: String
    /// When it was saved (seconds since 1970).
    public var created: Double
    /// The indexing run up to which its hits have been reported.
    public var lastRun: Int
    /// When it was last run (seconds since 1970), 0 if never.
    public var lastChecked: Double
}

/// Saved searches, kept beside the index in `PATH.d/watches.json` so that
/// they survive rebuilds and need no write lock on the index itself.
public struct WatchStore {
    public let file: String
    private let lockFile: String

    public init(indexPath: String) {
        let folder = IndexLocation(path: indexPath).versionsDirectory
        file = folder + "/watches.json"
        lockFile = folder + "/watches.lock"
    }

    public func all() throws -> [SavedSearch] {
        guard let data = FileManager.default.contents(atPath: file), !data.isEmpty else { return [] }
        guard let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw CouncilError.io("\(file) is not a list of saved searches")
        }
        return list.compactMap { entry in
            guard let name = entry["name"] as? String, let query = entry["query"] as? String else { return nil }
            return SavedSearch(name: name, query: query, created: entry["created"] as? Double ?? 0,
                               lastRun: entry["last_run"] as? Int ?? 0, lastChecked: entry["last_checked"] as? Double ?? 0)
        }
    }

    /// The saved search called `name` (compared regardless of case).
    public func search(named name: String) throws -> SavedSearch? {
        let key = NameKey.normalize(name)
        return try all().first { NameKey.normalize($0.name) == key }
    }

    /// Change the saved searches under a lock, writing the file atomically.
    public func update<T>(_ change: (inout [SavedSearch]) throws -> T) throws -> T {
        let folder = (file as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw CouncilError.io("cannot save searches in \(folder): \((error as NSError).localizedDescription)")
        }
        let fd = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CouncilError.io("cannot lock \(lockFile): \(String(cString: strerror(errno)))") }
        defer { flock(fd, LOCK_UN); close(fd) }
        flock(fd, LOCK_EX)
        var searches = try all()
        let result = try change(&searches)
        let list: [[String: Any]] = searches.map {
            ["name": $0.name, "query": $0.query, "created": $0.created, "last_run": $0.lastRun, "last_checked": $0.lastChecked]
        }
        let data = try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys])
        let temporary = file + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: data), rename(temporary, file) == 0 else {
            throw CouncilError.io("cannot write \(file): \(String(cString: strerror(errno)))")
        }
        return result
    }

    /// Names may not contain spaces or colons, so `saved:NAME` parses.
    public static func validate(name: String) throws {
        guard !name.isEmpty, name.count <= 64,
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw CouncilError.badQuery("a saved search's name is letters, digits, '-', '_' or '.' (at most 64), not “\(name)”")
        }
    }
}
