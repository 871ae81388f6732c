import CouncilDocuments
import Foundation

/// A file to index: the path as the user gave it and its absolute form.
public struct SourceFile: Sendable, Equatable {
    public var path: String
    public var absolutePath: String
}

/// A file or folder passed over, and why.
public struct SkippedFile: Sendable, Equatable {
    public var path: String
    public var reason: String
}

/// Finds the papers under the paths given to `council index`.
///
/// Folders are walked recursively in name order, following symbolic links
/// (a link that leads back into a folder already being walked is reported
/// as a loop, not followed); hidden entries are skipped; files with
/// extensions that are not papers are counted as skipped. Any name is
/// allowed: spaces, newlines, non-ASCII characters.
public struct Discovery {
    public var files: [SourceFile] = []
    /// Paths that are not papers or cannot be walked, with the reason.
    public var skipped: [SkippedFile] = []
    /// Given paths that do not exist.
    public var missing: [SkippedFile] = []

    public init(paths: [String]) {
        var seenFiles = Set<String>()
        for given in paths {
            var info = stat()
            guard stat(given, &info) == 0 else {
                if lstat(given, &info) == 0 {
                    missing.append(SkippedFile(path: given, reason: errno == ELOOP ? "symbolic link loop" : "dangling symbolic link"))
                } else {
                    missing.append(SkippedFile(path: given, reason: "no such file or folder"))
                }
                continue
            }
            let absolute = URL(fileURLWithPath: given).standardizedFileURL.path
            if (info.st_mode & S_IFMT) == S_IFDIR {
                let base = given.hasSuffix("/") && given.count > 1 ? String(given.dropLast()) : given
                var ancestors: Set<FileID> = [FileID(info)]
                walk(directory: absolute, shown: base, ancestors: &ancestors, seen: &seenFiles)
            } else if seenFiles.insert(absolute).inserted {
                files.append(SourceFile(path: given, absolutePath: absolute))
            }
        }
    }

    struct FileID: Hashable {
        let device: UInt64
        let inode: UInt64
        init(_ s: stat) {
            device = UInt64(s.st_dev)
            inode = UInt64(s.st_ino)
        }
    }

    private mutating func walk(directory: String, shown: String, ancestors: inout Set<FileID>, seen: inout Set<String>) {
        guard let handle = opendir(directory) else {
            skipped.append(SkippedFile(path: shown, reason: "cannot list folder: \(String(cString: strerror(errno)))"))
            return
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." || name.hasPrefix(".") { continue }
            names.append(name)
        }
        closedir(handle)
        for name in names.sorted() {
            let full = directory == "/" ? "/" + name : directory + "/" + name
            let display = shown == "." ? name : (shown.isEmpty ? "/" : shown + "/") + name
            var info = stat()
            guard stat(full, &info) == 0 else {
                let reason = errno == ELOOP ? "symbolic link loop" : (errno == ENOENT ? "dangling symbolic link" : String(cString: strerror(errno)))
                skipped.append(SkippedFile(path: display, reason: reason))
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                let id = FileID(info)
                guard !ancestors.contains(id) else {
                    skipped.append(SkippedFile(path: display, reason: "symbolic link loop"))
                    continue
                }
                ancestors.insert(id)
                walk(directory: full, shown: display, ancestors: &ancestors, seen: &seen)
                ancestors.remove(id)
            case S_IFREG:
                // Side-car metadata is read with its paper.
                if MetadataOverride.isOverrideFile(name) { continue }
                guard DocumentFormat(path: name) != nil else {
                    skipped.append(SkippedFile(path: display, reason: "not a paper (unsupported file type)"))
                    continue
                }
                if seen.insert(full).inserted { files.append(SourceFile(path: display, absolutePath: full)) }
            default:
                skipped.append(SkippedFile(path: display, reason: "not a regular file"))
            }
        }
    }
}
