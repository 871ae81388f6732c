#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search over UTF-8 bytes. Foundation's `contains(_:)` and
/// `range(of:)` go through locale-aware comparison one UTF-16 unit at a
/// time, which dominated the cost of reading a paper; phrases searched here
/// are matched byte for byte (callers lower-case both sides first).
extension StringProtocol {
    /// Whether `needle` occurs in the string, byte for byte.
    @inlinable
    public func includes(_ needle: String) -> Bool {
        utf8Offset(of: needle) != nil
    }

    /// The UTF-8 offset of the first occurrence of `needle` at or after
    /// `from`, or nil.
    public func utf8Offset(of needle: String, from: Int = 0) -> Int? {
        var needle = needle
        return needle.withUTF8 { n -> Int? in
            guard n.count > 0 else { return from }
            if let found = self.utf8.withContiguousStorageIfAvailable({ h in ByteSearch.find(n, in: h, from: from) }) {
                return found
            }
            let bytes = Array(self.utf8)
            return bytes.withUnsafeBufferPointer { ByteSearch.find(n, in: $0, from: from) }
        }
    }

    /// The UTF-8 offsets of every occurrence of `needle` (not overlapping),
    /// at most `limit` of them.
    public func utf8Offsets(of needle: String, limit: Int = .max) -> [Int] {
        var result: [Int] = []
        var from = 0
        let step = Swift.max(1, needle.utf8.count)
        while result.count < limit, let at = utf8Offset(of: needle, from: from) {
            result.append(at)
            from = at + step
        }
        return result
    }
}

enum ByteSearch {
    /// The offset of the first `needle` in `haystack` at or after `from`:
    /// `memchr` to the next candidate first byte, then `memcmp`.
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let n = needle.count, h = haystack.count
        guard from >= 0, h - from >= n, let base = haystack.baseAddress, let nbase = needle.baseAddress else { return nil }
        let first = Int32(nbase[0])
        let last = h - n
        var i = from
        while i <= last {
            guard let hit = memchr(base + i, first, last - i + 1) else { return nil }
            let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            if n == 1 || memcmp(base + at + 1, nbase + 1, n - 1) == 0 { return at }
            i = at + 1
        }
        return nil
    }
}

extension String {
    /// The index at UTF-8 offset `offset` (rounded down to a character
    /// boundary is the caller's concern; offsets from `utf8Offset(of:)` of
    /// ASCII needles are boundaries).
    func index(utf8Offset offset: Int) -> String.Index {
        utf8.index(utf8.startIndex, offsetBy: min(max(0, offset), utf8.count))
    }

    /// The text between two UTF-8 offsets.
    func slice(utf8 from: Int, _ to: Int) -> Substring {
        let a = index(utf8Offset: from), b = index(utf8Offset: max(from, to))
        return self[a..<b]
    }
}


extension String {
    /// Whether `needle` (lower-case ASCII) occurs in the string with ASCII
    /// letters compared regardless of case, without copying the string.
    public func includesASCIICaseInsensitive(_ needle: StaticString) -> Bool {
        var haystack = self
        return haystack.withUTF8 { h in
            needle.withUTF8Buffer { n in
                guard n.count > 0, h.count >= n.count else { return n.count == 0 }
                let first = n[0]
                var i = 0
                let last = h.count - n.count
                while i <= last {
                    if h[i] | 0x20 == first {
                        var j = 1
                        while j < n.count, h[i + j] | (n[j] >= 97 && n[j] <= 122 ? 0x20 : 0) == n[j] { j += 1 }
                        if j == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}
