#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Substring search on UTF-8 bytes (memchr for the first byte, memcmp). With Foundation imported,
// `String.contains(String)` goes through NSString and dominated the
// extractor's profile; these concrete overloads are chosen instead within
// this module. Matching is by bytes, which for valid UTF-8 is matching by
// scalars (no Unicode canonical equivalence, which these callers do not need).

extension String {
    @inlinable
    func contains(_ needle: String) -> Bool {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { h in needle.withUTF8 { n in utf8Contains(h, n) } }
    }
}

extension Substring {
    @inlinable
    func contains(_ needle: String) -> Bool {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { h in needle.withUTF8 { n in utf8Contains(h, n) } }
    }
}

@usableFromInline
func utf8Contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
    if needle.isEmpty { return true }
    guard haystack.count >= needle.count, let h = haystack.baseAddress, let n = needle.baseAddress else { return false }
    let first = Int32(n[0])
    let lastStart = haystack.count - needle.count
    var offset = 0
    while offset <= lastStart {
        guard let found = memchr(h + offset, first, lastStart - offset + 1) else { return false }
        let position = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - h
        if memcmp(h + position, n, needle.count) == 0 { return true }
        offset = position + 1
    }
    return false
}
