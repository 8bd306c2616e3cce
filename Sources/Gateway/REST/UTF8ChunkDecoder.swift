// UTF8ChunkDecoder: turns streamed output into text chunk by chunk without splitting a UTF-8
// sequence across two events (a sequence cut by a pipe read waits for its next bytes).

/// Decodes a byte stream chunk by chunk without splitting a UTF-8 sequence across chunks.
struct UTF8ChunkDecoder {
    private var carry: [UInt8] = []

    mutating func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        var buffer = carry
        buffer.append(contentsOf: bytes)
        // Keep back an incomplete trailing sequence (at most 3 bytes) for the next chunk.
        var cut = buffer.count
        var i = buffer.count - 1
        var back = 0
        while i >= 0 && back < 4 {
            let b = buffer[i]
            if b & 0xC0 != 0x80 {
                let need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                if need > buffer.count - i { cut = i }
                break
            }
            i -= 1
            back += 1
        }
        carry = Array(buffer[cut...])
        return String(decoding: buffer[..<cut], as: UTF8.self)
    }

    mutating func flush() -> String {
        defer { carry = [] }
        return String(decoding: carry, as: UTF8.self)
    }
}
