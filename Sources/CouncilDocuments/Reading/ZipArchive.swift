import CLibZ
import Foundation

/// A zip archive read from memory, as Word documents are: the central
/// directory, and entries stored or deflated (zlib's raw inflate).
///
/// Every size and offset is checked against the bytes at hand, and
/// inflating is bounded by the entry's compressed bytes and by an output
/// limit, so a damaged or hostile archive gives an error, never a trap, a
/// read past the end or an endless loop. (ZIPFoundation, used before,
/// trapped on entries pointing past the end and looped for ever on
/// truncated deflate streams; both were found by fuzzing.) ZIP64 and
/// encrypted entries are refused; Word documents use neither.
struct ZipArchive {
    struct Entry: Equatable {
        var name: String
        /// 0 stored, 8 deflated.
        var method: UInt16
        var flags: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    /// What is wrong with an archive or an entry.
    struct Damage: Error, CustomStringConvertible, Equatable {
        var description: String
        init(_ description: String) { self.description = description }
    }

    private let bytes: [UInt8]
    /// The entries by name, in central directory order.
    private(set) var entries: [Entry] = []
    private var byName: [String: Int] = [:]

    init(_ data: Data) throws(Damage) {
        bytes = [UInt8](data)
        try readCentralDirectory()
    }

    subscript(name: String) -> Entry? { byName[name].map { entries[$0] } }

    // MARK: - Reading little-endian fields within bounds

    private func u16(_ at: Int) throws(Damage) -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else { throw Damage("a header runs past the end of the archive") }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private func u32(_ at: Int) throws(Damage) -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else { throw Damage("a header runs past the end of the archive") }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    // MARK: - The central directory

    private mutating func readCentralDirectory() throws(Damage) {
        // The end of central directory record: its signature within the
        // last 22 + 65,535 (comment) bytes.
        let minimum = 22
        guard bytes.count >= minimum else { throw Damage("too short for a zip archive") }
        var end = -1
        var at = bytes.count - minimum
        let lowest = max(0, bytes.count - minimum - 65_535)
        while at >= lowest {
            if bytes[at] == 0x50, bytes[at + 1] == 0x4B, bytes[at + 2] == 0x05, bytes[at + 3] == 0x06 {
                end = at
                break
            }
            at -= 1
        }
        guard end >= 0 else { throw Damage("no end of central directory record") }
        let count = Int(try u16(end + 10))
        let size = Int(try u32(end + 12))
        let offset = Int(try u32(end + 16))
        guard count != 0xFFFF, size != 0xFFFF_FFFF, offset != 0xFFFF_FFFF else { throw Damage("a ZIP64 archive, which is not supported") }
        guard offset + size <= end else { throw Damage("the central directory lies outside the archive") }
        var p = offset
        for _ in 0..<count {
            guard try u32(p) == 0x0201_4B50 else { throw Damage("a damaged central directory entry") }
            let flags = try u16(p + 8)
            let method = try u16(p + 10)
            let crc = try u32(p + 16)
            let compressed = try u32(p + 20)
            let uncompressed = try u32(p + 24)
            let nameLength = Int(try u16(p + 28))
            let extraLength = Int(try u16(p + 30))
            let commentLength = Int(try u16(p + 32))
            let local = try u32(p + 42)
            let nameStart = p + 46
            guard nameStart + nameLength <= bytes.count else { throw Damage("an entry's name runs past the end of the archive") }
            let name = String(decoding: bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self)
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                throw Damage("\(name) is a ZIP64 entry, which is not supported")
            }
            let entry = Entry(name: name, method: method, flags: flags, crc32: crc, compressedSize: Int(compressed),
                              uncompressedSize: Int(uncompressed), localHeaderOffset: Int(local))
            if byName[name] == nil { byName[name] = entries.count }
            entries.append(entry)
            p = nameStart + nameLength + extraLength + commentLength
        }
    }

    // MARK: - Entries

    /// The bytes of `entry`, at most `limit` of them.
    func extract(_ entry: Entry, limit: Int) throws(Damage) -> Data {
        if entry.flags & 1 != 0 { throw Damage("\(entry.name) is encrypted") }
        let local = entry.localHeaderOffset
        guard local <= bytes.count - 30, try u32(local) == 0x0403_4B50 else { throw Damage("\(entry.name) has no local header where the directory says") }
        let start = local + 30 + Int(try u16(local + 26)) + Int(try u16(local + 28))
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw Damage("\(entry.name) runs past the end of the archive")
        }
        guard entry.uncompressedSize <= limit else { throw Damage("\(entry.name) expands to over \(limit / 1_048_576) MB") }
        let output: Data
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else { throw Damage("\(entry.name) is stored with two sizes") }
            output = Data(bytes[start..<(start + entry.compressedSize)])
        case 8:
            output = try ZipArchive.inflate(bytes, start..<(start + entry.compressedSize), limit: limit, name: entry.name)
        default:
            throw Damage("\(entry.name) is compressed with method \(entry.method), which is not supported")
        }
        let crc = output.withUnsafeBytes { raw in
            UInt32(truncatingIfNeeded: crc32(0, raw.bindMemory(to: Bytef.self).baseAddress, uInt(raw.count)))
        }
        guard crc == entry.crc32 else { throw Damage("\(entry.name) fails its checksum") }
        return output
    }

    /// Raw-inflate `range` of `input`: every step consumes input or makes
    /// output, the input is exactly the entry's, and the output stops at
    /// `limit`.
    private static func inflate(_ input: [UInt8], _ range: Range<Int>, limit: Int, name: String) throws(Damage) -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Damage("zlib cannot start inflating")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status: Int32 = Z_OK
        let failure: Damage? = input.withUnsafeBufferPointer { all -> Damage? in
            guard let base = all.baseAddress else { return Damage("\(name) has no data") }
            stream.next_in = UnsafeMutablePointer(mutating: base + range.lowerBound)
            stream.avail_in = uInt(range.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = CLibZ.inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                switch status {
                case Z_OK, Z_STREAM_END:
                    break
                case Z_BUF_ERROR:
                    // No progress was possible: the input ended inside the stream.
                    return Damage("\(name) is cut short")
                default:
                    return Damage("\(name) is not a valid deflate stream")
                }
                output.append(contentsOf: chunk[0..<produced])
                if output.count > limit { return Damage("\(name) expands to over \(limit / 1_048_576) MB") }
                if status != Z_STREAM_END && stream.avail_in == 0 && produced == 0 { return Damage("\(name) is cut short") }
            } while status != Z_STREAM_END
            return nil
        }
        if let failure { throw failure }
        return output
    }
}
