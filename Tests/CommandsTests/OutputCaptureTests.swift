// Tests for OutputCapture: exact head/marker/tail layout, bounded memory, UTF-8 handling.
import Testing
import Commands

private func capture(cap: Int, tail: Int, chunks: [String]) -> OutputCapture {
    var output = OutputCapture(cap: cap, tailSize: tail)
    for chunk in chunks {
        output.append(Array(chunk.utf8))
    }
    return output
}

private func string(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}

@Test func underTheCapEverythingIsKept() {
    let output = capture(cap: 10, tail: 4, chunks: ["hello", "", "12345"])
    #expect(output.totalBytes == 10)
    #expect(!output.isTruncated)
    #expect(output.truncatedBytes == 0)
    #expect(string(output.bytes()) == "hello12345")
    #expect(output.text() == (text: "hello12345", invalidUTF8: false))
}

@Test func overTheCapKeepsHeadMarkerTail() {
    let output = capture(cap: 10, tail: 4, chunks: ["abcdefghijklmnopqrstuvwxyz"])
    #expect(output.headLimit == 6)
    #expect(output.tailLimit == 4)
    #expect(output.totalBytes == 26)
    #expect(output.truncatedBytes == 16)
    #expect(string(output.bytes()) == "abcdef\n... [16 bytes truncated] ...\nwxyz")
    #expect(output.text().text == "abcdef\n... [16 bytes truncated] ...\nwxyz")
}

@Test("layout is the same whatever the chunking", arguments: [1, 2, 3, 5, 7, 11, 26])
func chunkingDoesNotMatter(_ size: Int) {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz".utf8)
    var output = OutputCapture(cap: 10, tailSize: 4)
    var index = 0
    while index < alphabet.count {
        let end = min(index + size, alphabet.count)
        output.append(Array(alphabet[index..<end]))
        index = end
    }
    #expect(string(output.bytes()) == "abcdef\n... [16 bytes truncated] ...\nwxyz")
}

@Test func oneByteOverTheCap() {
    let output = capture(cap: 10, tail: 4, chunks: ["0123456789", "X"])
    #expect(output.truncatedBytes == 1)
    #expect(string(output.bytes()) == "012345\n... [1 bytes truncated] ...\n789X")
}

@Test func smallCapSplitsInHalf() {
    // cap < 2 * tailSize: head is cap / 2, tail the rest.
    let output = capture(cap: 9, tail: 64 * 1024, chunks: ["ABCDEFGHIJKLMNOPQRSTUVWXYZ"])
    #expect(output.headLimit == 4)
    #expect(output.tailLimit == 5)
    #expect(string(output.bytes()) == "ABCD\n... [17 bytes truncated] ...\nVWXYZ")
}

@Test func zeroCapKeepsOnlyTheCount() {
    let output = capture(cap: 0, tail: 4, chunks: ["abc"])
    #expect(output.totalBytes == 3)
    #expect(string(output.bytes()) == "\n... [3 bytes truncated] ...\n")
    #expect(capture(cap: 0, tail: 4, chunks: []).bytes().isEmpty)
}

@Test func hundredMebibytesStayBounded() {
    let cap = 4 * 1024 * 1024
    var output = OutputCapture(cap: cap)
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    let chunks = 100 * 16
    for number in 0..<chunks {
        // Stamp each chunk so the kept tail can be checked.
        chunk[0] = UInt8(truncatingIfNeeded: number)
        chunk[chunk.count - 1] = UInt8(truncatingIfNeeded: number >> 8)
        chunk.withUnsafeBytes { output.append($0) }
        #expect(output.storageCapacity <= cap + 64 * 1024)
    }
    #expect(output.totalBytes == 100 * 1024 * 1024)
    #expect(output.keptBytes == cap)
    #expect(output.truncatedBytes == 100 * 1024 * 1024 - cap)
    let bytes = output.bytes()
    let marker = Array(OutputCapture.marker(truncatedBytes: output.truncatedBytes).utf8)
    #expect(bytes.count == cap + marker.count)
    // The tail is exactly the last chunk.
    let tail = bytes.suffix(64 * 1024)
    #expect(tail.first == UInt8(truncatingIfNeeded: chunks - 1))
    #expect(tail.last == UInt8(truncatingIfNeeded: (chunks - 1) >> 8))
    #expect(Array(bytes[(cap - 64 * 1024)..<(cap - 64 * 1024 + marker.count)]) == marker)
}

@Test func storageGrowsOnlyAsNeeded() {
    var output = OutputCapture(cap: 4 * 1024 * 1024)
    output.append(Array("short answer".utf8))
    #expect(output.storageCapacity < 64 * 1024)
}

@Test func invalidUTF8IsFlaggedAndReplaced() {
    var output = OutputCapture(cap: 100, tailSize: 10)
    output.append([0x6F, 0x6B, 0xFF, 0x21])
    let result = output.text()
    #expect(result.text == "ok\u{FFFD}!")
    #expect(result.invalidUTF8)
    #expect(output.bytes() == [0x6F, 0x6B, 0xFF, 0x21])
}

@Test func validMultibyteTextIsNotFlagged() {
    let output = capture(cap: 100, tail: 10, chunks: ["naïve 🚀 ", "日本"])
    #expect(output.text() == (text: "naïve 🚀 日本", invalidUTF8: false))
}

@Test func cuttingInsideACharacterDoesNotInventReplacements() {
    // "é" is C3 A9 and "🚀" is F0 9F 9A 80: head ends inside é, tail starts inside 🚀.
    // Layout: "abcdé" (6 bytes) + filler + "🚀xy" (6 bytes); cap 10, tail 5.
    let output = capture(cap: 10, tail: 5, chunks: ["abcdé", "-----", "🚀xy"])
    #expect(output.headLimit == 5)
    #expect(output.truncatedBytes == 7)
    let result = output.text()
    #expect(!result.invalidUTF8)
    #expect(result.text == "abcd\n... [11 bytes truncated] ...\nxy")
    // The raw bytes keep the exact cut.
    #expect(output.bytes().count == 10 + OutputCapture.marker(truncatedBytes: 7).utf8.count)
}

@Test func negativeArgumentsAreClamped() {
    let output = capture(cap: -5, tail: -1, chunks: ["ab"])
    #expect(output.cap == 0)
    #expect(output.truncatedBytes == 2)
}

/// The obvious, unbounded implementation the ring buffer must agree with.
private func reference(_ data: [UInt8], cap: Int, tail: Int) -> [UInt8] {
    guard data.count > cap else {
        return data
    }
    let head = tail > cap / 2 ? cap / 2 : cap - tail
    let kept = cap - head
    return Array(data[..<head]) + Array(OutputCapture.marker(truncatedBytes: data.count - cap).utf8)
        + Array(data[(data.count - kept)...])
}

@Test("ring buffer agrees with the unbounded model",
      arguments: [(10, 4), (9, 100), (1, 1), (2, 0), (17, 5), (64, 16), (100, 33)])
func agreesWithModel(_ sizes: (cap: Int, tail: Int)) {
    let data = (0..<997).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) }
    for chunkSize in [1, 2, 3, 4, 5, 7, 13, 16, 31, 64, 250, 997] {
        var output = OutputCapture(cap: sizes.cap, tailSize: sizes.tail)
        var index = 0
        // Vary the chunk size along the way so wrap positions differ.
        var step = 0
        while index < data.count {
            let end = min(index + chunkSize + (step % 3), data.count)
            output.append(Array(data[index..<end]))
            #expect(output.bytes() == reference(Array(data[..<end]), cap: sizes.cap, tail: sizes.tail))
            index = end
            step += 1
        }
        #expect(output.totalBytes == data.count)
    }
}
