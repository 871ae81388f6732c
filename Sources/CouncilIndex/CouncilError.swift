import CouncilDocuments
import Foundation
import Xapian

/// Errors of the index and search service, with messages for people.
public enum CouncilError: Error, CustomStringConvertible, Equatable {
    /// There is no index at the path.
    case indexNotFound(String)
    /// Another process is writing the index.
    case indexLocked(String)
    /// The query could not be understood.
    case badQuery(String)
    /// The options asked for something this index cannot do.
    case usage(String)
    /// No item or paper has this id.
    case notFound(String)
    /// Xapian failed.
    case database(XapianError)
    /// The index is not in a shape this operation can use.
    case badIndex(String)
    /// A file system operation failed.
    case io(String)
    /// Shards of the index at `path` could not be opened or stopped
    /// answering: with a strict policy, or when none answered.
    case shardsUnavailable(path: String, failures: [ShardFailure], strict: Bool)

    public var description: String {
        switch self {
        case .indexNotFound(let path):
            "no index at \(path); create one with: council index --db \(path) [PATH ...]"
        case .indexLocked(let lock):
            "another council index run is writing this index (it holds the lock \(lock)); try again later, or pass --wait to wait for it"
        case .badQuery(let message): message
        case .usage(let message): message
        case .notFound(let id): "nothing with id \(id) in the index"
        case .database(let error): error.description
        case .badIndex(let message): message
        case .io(let message): message
        case .shardsUnavailable(let path, let failures, let strict):
            (failures.count == 1 ? failures[0].description : "\(failures.count) shards of \(path) did not answer: "
                + failures.map(\.description).joined(separator: "; "))
                + (strict ? " (--strict: no results from a partial index)" : "; no shard of \(path) answered")
        }
    }

    /// Map Xapian's errors on opening `path` to the service's.
    public static func opening(_ error: Error, path: String) -> Error {
        guard let x = error as? XapianError else { return error }
        switch x.code {
        case .databaseNotFound: return CouncilError.indexNotFound(path)
        case .databaseOpening where !FileManager.default.fileExists(atPath: path): return CouncilError.indexNotFound(path)
        case .databaseLocked: return CouncilError.indexLocked((path as NSString).appendingPathComponent("flintlock"))
        default: return CouncilError.database(x)
        }
    }
}
