// CurlEasy: owns one libcurl easy handle and what must outlive it — the CURLOPT_ERRORBUFFER
// and the curl_slist header lists, which libcurl reads in place instead of copying. Strings and
// blobs are copied by libcurl when set. The owner removes the handle from its multi before the
// last reference goes (CurlMulti does), so deinit only frees.
import CCurl

final class CurlEasy {
    let raw: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    init() throws(UpstreamError) {
        guard let handle = curl_easy_init() else { throw .other(code: -1, message: "curl_easy_init failed") }
        raw = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        // The buffer is set first so that every later failure can be explained.
        _ = ccurl_easy_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer)
        // No signals from libcurl: the loop thread owns signal handling (threaded resolver here).
        _ = ccurl_easy_setopt_long(raw, CURLOPT_NOSIGNAL, 1)
    }

    deinit {
        curl_easy_cleanup(raw)
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    /// The error buffer's text: libcurl's detailed message for the last failure, or "".
    var errorMessage: String { String(cString: errorBuffer) }

    func set(_ option: CURLoption, _ value: Int) throws(UpstreamError) {
        try check(ccurl_easy_setopt_long(raw, option, value), option)
    }

    func set(_ option: CURLoption, offset value: Int64) throws(UpstreamError) {
        try check(ccurl_easy_setopt_off(raw, option, curl_off_t(value)), option)
    }

    /// nil clears a string option (used to drop the built-in CA bundle path).
    func set(_ option: CURLoption, _ value: String?) throws(UpstreamError) {
        let code: CURLcode
        if let value {
            code = value.withCString { ccurl_easy_setopt_string(raw, option, $0) }
        } else {
            code = ccurl_easy_setopt_string(raw, option, nil)
        }
        try check(code, option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(UpstreamError) {
        try check(ccurl_easy_setopt_pointer(raw, option, value), option)
    }

    func set(_ option: CURLoption, blob bytes: [UInt8]) throws(UpstreamError) {
        let code = bytes.withUnsafeBytes { ccurl_easy_setopt_blob(raw, option, $0.baseAddress, $0.count) }
        try check(code, option)
    }

    /// Binary-safe request body: the size first, so COPYPOSTFIELDS copies exactly that many bytes.
    func setBody(_ bytes: [UInt8]) throws(UpstreamError) {
        try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(bytes.count))
        let code = bytes.withUnsafeBytes { buffer in
            // An empty array may have no storage; libcurl needs a valid pointer even for 0 bytes.
            ccurl_easy_setopt_pointer(raw, CURLOPT_COPYPOSTFIELDS,
                                      UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafeRawPointer(errorBuffer)))
        }
        try check(code, CURLOPT_COPYPOSTFIELDS)
    }

    /// A string list option; the list lives as long as this handle (libcurl does not copy it).
    func set(_ option: CURLoption, list items: [String]) throws(UpstreamError) {
        guard !items.isEmpty else { return }
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items {
            guard let grown = item.withCString({ curl_slist_append(list, $0) }) else {
                if let list { curl_slist_free_all(list) }
                throw .other(code: Int32(bitPattern: CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
            }
            list = grown
        }
        guard let list else { return }
        lists.append(list)
        try check(ccurl_easy_setopt_slist(raw, option, list), option)
    }

    func set(_ option: CURLoption, write callback: curl_write_callback) throws(UpstreamError) {
        try check(ccurl_easy_setopt_write(raw, option, callback), option)
    }

    func set(_ option: CURLoption, read callback: curl_read_callback) throws(UpstreamError) {
        try check(ccurl_easy_setopt_read(raw, option, callback), option)
    }

    func info(long info: CURLINFO) -> Int {
        var value = 0
        _ = ccurl_easy_getinfo_long(raw, info, &value)
        return value
    }

    /// The connected socket of a CONNECT_ONLY transfer, or nil.
    var activeSocket: Int32? {
        var fd = curl_socket_t(-1)
        guard ccurl_easy_getinfo_socket(raw, CURLINFO_ACTIVESOCKET, &fd) == CURLE_OK, fd >= 0 else { return nil }
        return fd
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(UpstreamError) {
        guard code != CURLE_OK else { return }
        // An option this libcurl build lacks (e.g. a TLS backend without blob support) says so here.
        throw .invalidRequest("curl option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))")
    }
}
