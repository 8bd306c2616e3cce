// ResponseEncoder: bytes for a response head and chunked body pieces. It adds nothing on its
// own (no Date, no Content-Length): the connection decides framing, so the encoder stays a
// pure byte writer that is easy to pin in tests.

public enum ResponseEncoder {
    public static let continue100: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 411: return "Length Required"
        case 412: return "Precondition Failed"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 417: return "Expectation Failed"
        case 421: return "Misdirected Request"
        case 422: return "Unprocessable Content"
        case 426: return "Upgrade Required"
        case 428: return "Precondition Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        default:
            switch status / 100 {
            case 1: return "Informational"
            case 2: return "Success"
            case 3: return "Redirection"
            case 4: return "Client Error"
            case 5: return "Server Error"
            default: return "Unknown"
            }
        }
    }

    /// "HTTP/1.1 <status> <reason>\r\n" + one "name: value\r\n" per field in order + "\r\n".
    /// CR, LF and NUL inside names or values are written as SP so a value that came from a
    /// request (or a tool) can never split the response.
    public static func head(status: Int, headers: HTTPHeaders, into out: inout [UInt8]) {
        statusLine(status, into: &out)
        for field in headers.fields { self.field(field.name, field.value, into: &out) }
        appendCRLF(&out)
    }

    /// The same head written piece by piece, for callers that build it without an HTTPHeaders
    /// value (the hot path: no field array, no strings for numbers). End it with `endHead`.
    public static func statusLine(_ status: Int, into out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status, &out)
        out.append(ASCII.sp)
        out.append(contentsOf: reasonPhrase(status).utf8)
        appendCRLF(&out)
    }

    /// "name: value\r\n", CR/LF/NUL written as SP like `head`.
    public static func field(_ name: String, _ value: String, into out: inout [UInt8]) {
        fieldName(name, &out)
        appendSafe(value, &out)
        appendCRLF(&out)
    }

    /// "name: <decimal>\r\n" (Content-Length) without making a String of the number.
    public static func field(_ name: String, decimal value: Int, into out: inout [UInt8]) {
        fieldName(name, &out)
        appendDecimal(value, &out)
        appendCRLF(&out)
    }

    private static func fieldName(_ name: String, _ out: inout [UInt8]) {
        appendSafe(name, &out)
        out.append(ASCII.colon)
        out.append(ASCII.sp)
    }

    public static func endHead(into out: inout [UInt8]) { appendCRLF(&out) }

    static func appendDecimal(_ value: Int, _ out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var n = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat {
                buf[19 - count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                count += 1
            } while n > 0
            out.append(contentsOf: buf[(20 - count)...])
        }
    }

    /// "<hex size>\r\n<bytes>\r\n". Writes nothing for empty input: a zero-size chunk would end the body.
    public static func chunk(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        out.append(contentsOf: String(bytes.count, radix: 16).utf8)
        appendCRLF(&out)
        out.append(contentsOf: bytes)
        appendCRLF(&out)
    }

    public static func chunk(_ bytes: [UInt8], into out: inout [UInt8]) {
        bytes.withUnsafeBytes { chunk($0, into: &out) }
    }

    /// "0\r\n\r\n": the last chunk with no trailers.
    public static func lastChunk(into out: inout [UInt8]) {
        out.append(contentsOf: "0\r\n\r\n".utf8)
    }

    static func appendCRLF(_ out: inout [UInt8]) {
        out.append(ASCII.cr)
        out.append(ASCII.lf)
    }

    private static func appendSafe(_ s: String, _ out: inout [UInt8]) {
        // Fast path: almost every value is clean, so scan once and append in bulk.
        // Appending from the contiguous buffer is a memcpy; appending the UTF8View is a byte loop.
        let done = s.utf8.withContiguousStorageIfAvailable { buf -> Bool in
            guard !buf.contains(where: { $0 == ASCII.cr || $0 == ASCII.lf || $0 == 0 }) else { return false }
            out.append(contentsOf: buf)
            return true
        }
        if done == true { return }
        for b in s.utf8 {
            out.append(b == ASCII.cr || b == ASCII.lf || b == 0 ? ASCII.sp : b)
        }
    }
}
