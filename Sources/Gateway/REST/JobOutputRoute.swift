// JobOutputRoute: GET /jobs/<id>/stdout?offset=&length= — a stored output (OutputStore) over
// plain HTTP: the raw bytes of the asked range with the output's MIME type, and headers naming
// the total, the next offset and whether the stored copy is complete. Pages are bounded (4 MiB)
// so a read never holds more in memory. Unknown, expired and other callers' outputs are 404.
import JSON

struct JobOutputRoute {
    let store: OutputStore
    static let maxPageBytes = 4 << 20

    func register(on router: Router) {
        router.addPrefix("GET", "/jobs/", route: "/jobs/{id}/stdout") { [store] exchange in Self.serve(exchange, store) }
    }

    static func serve(_ exchange: Exchange, _ store: OutputStore) {
        let parts = exchange.head.path.split(separator: "/", omittingEmptySubsequences: false)
        // "", "jobs", id, "stdout"
        guard parts.count == 4, parts[3] == "stdout",
              let entry = store.find(String(parts[2]), principal: exchange.principal?.name)
        else {
            return exchange.respond(error: .notFound("Not Found"))
        }
        guard let (offset, length) = OutputStore.pageRange(query: exchange.head.query) else {
            return exchange.respond(error: .validation([FieldError(
                loc: ["query"], msg: "offset and length must be non-negative integers", type: "int_parsing", input: nil)]))
        }
        let start = min(offset, entry.bytes)
        let count = min(length ?? maxPageBytes, maxPageBytes, entry.bytes - start)
        guard case .success(let bytes) = store.read(entry, offset: start, count: count) else {
            return exchange.respond(error: .notFound("Not Found"))
        }
        var headers = [("X-Output-Total-Bytes", String(entry.bytes)), ("X-Output-Complete", entry.complete ? "true" : "false"),
                       ("Cache-Control", "private, no-store")]
        if start + bytes.count < entry.bytes { headers.append(("X-Output-Next-Offset", String(start + bytes.count))) }
        exchange.respond(status: 200, contentType: entry.mimeType, headers: headers, body: bytes)
    }
}
