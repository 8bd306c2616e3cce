// OutputCapture: bounded capture of one child stream (stdout or stderr).
//
// Why head + tail: the first bytes say what the command did, the last bytes hold the error or
// summary; the middle of a 100 MiB `kubectl get -o yaml` is what can go. Memory is bounded by the
// cap whatever the child prints: the head fills once, then a fixed-size ring keeps the tail.
// Storage grows on demand (a short answer costs a short buffer), never past its limit, and all
// copies are memcpy so a chatty child costs little CPU on the loop thread.

public struct OutputCapture: Sendable {
    /// Bytes kept at most (head + tail); the marker line comes on top.
    public let cap: Int
    /// Bytes of the head: `cap - tailSize`, or `cap / 2` when `cap < 2 * tailSize`.
    public let headLimit: Int
    /// Bytes of the tail ring: `cap - headLimit`.
    public let tailLimit: Int

    /// Head storage; `count` is the allocated size, `headCount` the bytes in use.
    private var head: [UInt8] = []
    private var headCount = 0
    /// Tail ring; linear while `tailCount < tailLimit`, then the oldest byte is at `tailStart`.
    private var tail: [UInt8] = []
    private var tailCount = 0
    private var tailStart = 0

    public private(set) var totalBytes = 0

    public init(cap: Int, tailSize: Int = 64 * 1024) {
        let cap = max(0, cap)
        let tailSize = max(0, tailSize)
        self.cap = cap
        // `tailSize > cap / 2` is `cap < 2 * tailSize` without overflow for huge tail sizes.
        headLimit = tailSize > cap / 2 ? cap / 2 : cap - tailSize
        tailLimit = cap - headLimit
    }

    public var keptBytes: Int { headCount + tailCount }
    public var truncatedBytes: Int { totalBytes - keptBytes }
    public var isTruncated: Bool { truncatedBytes > 0 }

    /// Bytes currently allocated for storage; never more than `cap` plus allocator rounding.
    public var storageCapacity: Int { head.capacity + tail.capacity }

    public static func marker(truncatedBytes: Int) -> String {
        "\n... [\(truncatedBytes) bytes truncated] ...\n"
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else {
            return
        }
        totalBytes += bytes.count
        var rest = bytes

        let headRoom = headLimit - headCount
        if headRoom > 0 {
            let count = min(headRoom, rest.count)
            Self.ensureSize(&head, atLeast: headCount + count, limit: headLimit)
            Self.copy(UnsafeRawBufferPointer(rebasing: rest[..<count]), into: &head, at: headCount)
            headCount += count
            rest = UnsafeRawBufferPointer(rebasing: rest[count...])
        }
        guard !rest.isEmpty, tailLimit > 0 else {
            return
        }

        if tailCount < tailLimit {
            let count = min(tailLimit - tailCount, rest.count)
            Self.ensureSize(&tail, atLeast: tailCount + count, limit: tailLimit)
            Self.copy(UnsafeRawBufferPointer(rebasing: rest[..<count]), into: &tail, at: tailCount)
            tailCount += count
            rest = UnsafeRawBufferPointer(rebasing: rest[count...])
            guard !rest.isEmpty else {
                return
            }
            // The ring is now full (tail.count == tailLimit) and starts at 0.
            tailStart = 0
        }

        if rest.count >= tailLimit {
            // Only the last `tailLimit` bytes of this chunk survive.
            Self.copy(UnsafeRawBufferPointer(rebasing: rest[(rest.count - tailLimit)...]), into: &tail, at: 0)
            tailStart = 0
            return
        }
        let firstPart = min(rest.count, tailLimit - tailStart)
        Self.copy(UnsafeRawBufferPointer(rebasing: rest[..<firstPart]), into: &tail, at: tailStart)
        if firstPart < rest.count {
            Self.copy(UnsafeRawBufferPointer(rebasing: rest[firstPart...]), into: &tail, at: 0)
        }
        tailStart = (tailStart + rest.count) % tailLimit
    }

    /// Head + marker + tail when truncated, otherwise everything, as raw bytes.
    public func bytes() -> [UInt8] {
        var result = Array(head[..<headCount])
        if isTruncated {
            result += Array(Self.marker(truncatedBytes: truncatedBytes).utf8)
        }
        result += orderedTail()
        return result
    }

    /// Lossy UTF-8 text (invalid sequences become U+FFFD) and whether any replacement happened.
    /// When truncated, the cut points move to character boundaries so that cutting a multi-byte
    /// character never shows up as U+FFFD or as "invalid"; the marker counts those bytes too.
    public func text() -> (text: String, invalidUTF8: Bool) {
        guard isTruncated else {
            return Self.decode(Array(head[..<headCount]) + orderedTail())
        }
        let headPart = head[..<headCount]
        let keptHead = Self.completeCharactersPrefix(headPart)
        let tailBytes = orderedTail()
        let skipTail = Self.leadingContinuationBytes(tailBytes)
        let hidden = truncatedBytes + (headPart.count - keptHead) + skipTail
        let first = Self.decode(Array(headPart[..<keptHead]))
        let second = Self.decode(Array(tailBytes[skipTail...]))
        return (first.text + Self.marker(truncatedBytes: hidden) + second.text,
                first.invalidUTF8 || second.invalidUTF8)
    }

    private func orderedTail() -> [UInt8] {
        guard tailCount == tailLimit, tailStart > 0 else {
            return Array(tail[..<tailCount])
        }
        return Array(tail[tailStart..<tailLimit]) + Array(tail[..<tailStart])
    }

    /// Grows `storage` (by doubling, capped at `limit`) so that it holds `size` bytes.
    private static func ensureSize(_ storage: inout [UInt8], atLeast size: Int, limit: Int) {
        guard size > storage.count else {
            return
        }
        let newSize = min(limit, max(size, storage.count * 2, 4096))
        let old = storage
        storage = [UInt8](unsafeUninitializedCapacity: newSize) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            old.withUnsafeBytes { raw.copyMemory(from: $0) }
            if newSize > old.count {
                UnsafeMutableRawBufferPointer(rebasing: raw[old.count...]).initializeMemory(as: UInt8.self, repeating: 0)
            }
            initialized = newSize
        }
    }

    private static func copy(_ source: UnsafeRawBufferPointer, into storage: inout [UInt8], at offset: Int) {
        storage.withUnsafeMutableBytes { destination in
            UnsafeMutableRawBufferPointer(rebasing: destination[offset..<(offset + source.count)])
                .copyMemory(from: source)
        }
    }

    private static func decode(_ bytes: [UInt8]) -> (text: String, invalidUTF8: Bool) {
        if let valid = String(validating: bytes, as: UTF8.self) {
            return (valid, false)
        }
        return (String(decoding: bytes, as: UTF8.self), true)
    }

    /// Length of `bytes` without a trailing, incomplete multi-byte sequence.
    private static func completeCharactersPrefix(_ bytes: ArraySlice<UInt8>) -> Int {
        var continuation = 0
        var index = bytes.endIndex
        while index > bytes.startIndex, continuation < 3, (0x80...0xBF).contains(bytes[index - 1]) {
            continuation += 1
            index -= 1
        }
        guard index > bytes.startIndex else {
            return bytes.count
        }
        let lead = bytes[index - 1]
        let needed: Int
        switch lead {
        case 0xC2...0xDF: needed = 1
        case 0xE0...0xEF: needed = 2
        case 0xF0...0xF4: needed = 3
        default: return bytes.count
        }
        return continuation < needed ? (index - 1 - bytes.startIndex) : bytes.count
    }

    /// Continuation bytes (at most 3) at the start of `bytes`: the rest of a character cut in two.
    private static func leadingContinuationBytes(_ bytes: [UInt8]) -> Int {
        var count = 0
        while count < min(3, bytes.count), (0x80...0xBF).contains(bytes[count]) {
            count += 1
        }
        return count
    }
}
