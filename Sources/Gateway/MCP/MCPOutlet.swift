// MCPOutlet: where the messages of one MCP request go — an HTTP response (JSON or SSE), a
// legacy SSE session stream, stdout, or a batch collector. Every transport hands one to the
// service, which does not know which it is.
import JSON

protocol MCPOutlet: AnyObject {
    /// Request-scoped notifications (progress) reach the client only on streaming outlets.
    var carriesNotifications: Bool { get }
    func notify(_ message: JSONValue)
    /// The final response. `status` and `headers` matter only to plain HTTP answers.
    func reply(_ message: JSONValue, status: Int, headers: [(String, String)])
    /// The request was cancelled: no response follows (an HTTP exchange still has to end).
    func abandon()
}
