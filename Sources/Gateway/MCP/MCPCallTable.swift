// MCPCallTable: in-flight calls by JSON-RPC id, for `notifications/cancelled` (one table per
// legacy session or stdio process) and for ending everything when a session or the process goes
// away. Finished calls remove themselves.
import MCPProtocol

final class MCPCallTable {
    private var runs: [RequestID: MCPToolRun] = [:]

    var isEmpty: Bool { runs.isEmpty }
    var count: Int { runs.count }

    func contains(_ id: RequestID) -> Bool { runs[id] != nil }

    func add(_ run: MCPToolRun) {
        runs[run.id] = run
        run.onEnd = { [weak self, weak run] in
            guard let self, let run, self.runs[run.id] === run else { return }
            self.runs[run.id] = nil
        }
    }

    /// Unknown or finished ids are ignored (races with the response are normal).
    func cancel(_ id: RequestID) {
        runs.removeValue(forKey: id)?.cancel()
    }

    func cancelAll() {
        let all = runs.values
        runs.removeAll()
        for run in all { run.cancel() }
    }
}
