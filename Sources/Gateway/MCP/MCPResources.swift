// MCPResources: the MCP face of the OutputStore — `resources/read` of
// `k8s-mcp://jobs/<id>/stdout[?offset=N][&length=M]` answers one page, as much as fits the message
// budget after JSON escaping (cut at a character boundary), with `_meta["k8s-mcp/page"]` naming
// the page's offset and length, the total and the next offset; `resources/list` shows the
// caller's kept outputs. Unknown, expired and other callers' outputs look the same: not found.
import JSON
import MCPProtocol

struct MCPResources {
    let store: OutputStore

    static let uriPrefix = "k8s-mcp://jobs/"
    static let pageKey = "k8s-mcp/page"

    static let template: JSONValue = .object([
        "uriTemplate": "k8s-mcp://jobs/{id}/stdout",
        "name": "command-stdout",
        "description": "The whole standard output of a command whose tool result had to be cut (its result names the URI); read in pages with ?offset=N.",
    ])

    /// The job id and page range of a stored-output URI; nil for anything else.
    static func parse(_ uri: String) -> (id: String, offset: Int, length: Int?)? {
        guard uri.hasPrefix(uriPrefix) else { return nil }
        let rest = uri.dropFirst(uriPrefix.count)
        let (path, query) = rest.firstIndex(of: "?").map { (rest[..<$0], String(rest[rest.index(after: $0)...])) } ?? (rest, nil)
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1] == "stdout", let range = OutputStore.pageRange(query: query) else { return nil }
        return (String(parts[0]), range.offset, range.length)
    }

    func read(id: RequestID, uri: String, principal: String?, version: String, budget: Int) -> Result<JSONValue, RPCError> {
        guard let (job, offset, length) = Self.parse(uri), let entry = store.find(job, principal: principal) else {
            return .failure(MCPResults.resourceNotFound(uri: uri, version: version))
        }
        let start = min(offset, entry.bytes)
        func message(_ text: String, _ count: Int) -> JSONValue {
            JSONRPC.result(id: id, MCPResults.readResource(
                uri: uri, mimeType: entry.mimeType, text: text, meta: Self.pageMeta(entry, start: start, count: count),
                ttlMs: Int(store.remainingMs(entry)), version: version,
                serverName: ServerInfo.name, serverVersion: ServerInfo.version))
        }
        let limit = budget - MCPMessageBudget.framingBytes
        var room = limit - JSONWriter.encode(message("", entry.bytes)).count
        // Every byte takes at least one byte in the message, so `room` raw bytes is the most a page can hold.
        let want = min(length ?? Int.max, entry.bytes - start, max(0, room))
        guard case .success(let raw) = store.read(entry, offset: start, count: want) else {
            return .failure(MCPResults.resourceNotFound(uri: uri, version: version))
        }
        while true {
            let count = Self.pageLength(raw, room: room)
            let page = message(String(decoding: raw[..<count], as: UTF8.self), count)
            if JSONWriter.encode(page).count <= limit || count == 0 { return .success(page) }
            room -= max(64, room / 16)   // invalid UTF-8 became U+FFFD, 3 bytes each
        }
    }

    /// Bytes of `raw` whose escaped form fits `room`, ending at a character boundary.
    static func pageLength(_ raw: [UInt8], room: Int) -> Int {
        let once = MCPMessageBudget.Copies(plain: 1, nested: 0)
        var count = 0, spent = 0
        while count < raw.count {
            let w = MCPMessageBudget.byteWeight(raw[count], once)
            if spent + w > room { break }
            spent += w
            count += 1
        }
        if count < raw.count {
            while count > 0, raw[count] & 0xC0 == 0x80 { count -= 1 }
        }
        return count
    }

    static func pageMeta(_ entry: OutputStore.Entry, start: Int, count: Int) -> JSONObject {
        var page: JSONObject = ["offset": .int(Int64(start)), "length": .int(Int64(count)),
                                "totalBytes": .int(Int64(entry.bytes)), "complete": .bool(entry.complete)]
        let next = start + count
        if next < entry.bytes {
            page["nextOffset"] = .int(Int64(next))
            page["nextUri"] = .string("\(entry.stored.uri)?offset=\(next)")
        }
        return [pageKey: .object(page)]
    }

    func list(principal: String?, version: String) -> JSONValue {
        let resources: [JSONValue] = store.list(principal: principal).map { entry in
            .object(["uri": .string(entry.stored.uri), "name": .string("stdout-\(entry.id)"), "mimeType": .string(entry.mimeType),
                     "size": .int(Int64(entry.bytes)),
                     "description": .string("Standard output of a \(entry.tool.rawValue) command (\(entry.bytes) bytes); expires in \(store.remainingMs(entry) / 1000) s.")])
        }
        return MCPResults.listResources(resources, version: version, serverName: ServerInfo.name, serverVersion: ServerInfo.version)
    }
}
