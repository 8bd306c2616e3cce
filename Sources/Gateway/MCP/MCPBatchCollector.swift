// MCPBatchCollector: the outlet of a JSON-RPC batch (2025-03-26): collects the answers of its
// elements and hands them over together when the last one arrived.
import JSON

/// Collects the answers of a batch and hands them over together when the last one arrived.
final class MCPBatchCollector: MCPOutlet {
    private var responses: [JSONValue] = []
    private var pending = 0
    private var sealed = false
    private var complete: (([JSONValue]) -> Void)?

    init(complete: @escaping ([JSONValue]) -> Void) {
        self.complete = complete
    }

    var carriesNotifications: Bool { false }
    func notify(_ message: JSONValue) {}

    func expect() { pending += 1 }

    func reply(_ message: JSONValue, status: Int, headers: [(String, String)]) {
        responses.append(message)
        pending -= 1
        check()
    }

    func abandon() {
        pending -= 1
        check()
    }

    func seal() {
        sealed = true
        check()
    }

    private func check() {
        guard sealed, pending <= 0, let callback = complete else { return }
        complete = nil
        callback(responses)
    }
}
