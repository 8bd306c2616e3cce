// ResponseHeadParser: collects the status and header lines that libcurl's header callback hands
// over one at a time, across interim 1xx responses, until the final head is complete. Pure.
// libcurl has already framed the lines (HTTP/1.1 as received, HTTP/2 synthesised as
// "HTTP/2 200" and lower-case "name: value"); trailers after the body are ignored.
struct ResponseHeadParser {
    private(set) var status = 0
    private(set) var headers: [(String, String)] = []
    private(set) var isComplete = false

    /// Feeds one line including its CRLF. Returns true exactly when the final head completes.
    mutating func feed(_ line: UnsafeRawBufferPointer) -> Bool {
        guard !isComplete else { return false }
        var end = line.count
        while end > 0, line[end - 1] == 0x0A || line[end - 1] == 0x0D { end -= 1 }
        let bytes = UnsafeRawBufferPointer(rebasing: line[0..<end])
        if bytes.isEmpty {
            guard status != 0 else { return false }
            if status >= 200 {
                isComplete = true
                return true
            }
            // 100 Continue, 103 Early Hints: the real head follows.
            status = 0
            headers = []
            return false
        }
        if bytes.starts(with: "HTTP/".utf8) {
            status = Self.statusCode(bytes)
            headers = []
            return false
        }
        guard status != 0 else { return false }
        if let first = bytes.first, first == 0x20 || first == 0x09, !headers.isEmpty {
            // obs-fold continuation (HTTP/1.1 servers may still send it): join with one space.
            headers[headers.count - 1].1 += " " + String(decoding: bytes, as: UTF8.self).trimmingSpaces
            return false
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<colon]), as: UTF8.self)
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(colon + 1)...]), as: UTF8.self)
        headers.append((name, value.trimmingSpaces))
        return false
    }

    /// "HTTP/1.1 404 Not Found" / "HTTP/2 200" → the three digits after the first space.
    static func statusCode(_ line: UnsafeRawBufferPointer) -> Int {
        guard let space = line.firstIndex(of: 0x20) else { return 0 }
        var code = 0
        var digits = 0
        for c in line[(space + 1)...] {
            guard c >= 0x30 && c <= 0x39 else { break }
            code = code * 10 + Int(c - 0x30)
            digits += 1
        }
        return digits == 3 ? code : 0
    }
}
