// The stored outputs: spooled only past the threshold, kept or discarded, paged, visible to their
// principal only, bounded in total (oldest evicted, the newest cut), expired, removed with their
// session; and the URI, page-range and MIME parsing around them.
import Commands
import Glibc
import JSON
import MCPProtocol
import Testing
import UVKit
@testable import Gateway

@Suite struct OutputStoreTests {
    final class Fixture {
        let loop: EventLoop
        let dir: String
        var ttlMs: UInt64 = 60_000
        var maxBytes = 1 << 20
        lazy var store = OutputStore(directory: dir, loop: loop) { [unowned self] in (ttlMs, maxBytes) }

        init() throws {
            loop = try EventLoop()
            var template = Array("/tmp/outstore-XXXXXX".utf8CString)
            dir = String(cString: mkdtemp(&template))
        }

        deinit {
            store.removeAll()
            WorkRoot.removeTree(dir)
        }

        func files() -> [String] {
            guard let d = opendir(dir) else { return [] }
            defer { closedir(d) }
            var names: [String] = []
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasPrefix("out-") { names.append(name) }
            }
            return names
        }

        /// Feeds `chunks` through a spool and a capture, as Job does.
        func run(_ chunks: [String], threshold: Int, cap: Int = 1 << 20, principal: String? = "alice",
                 session: String? = nil) -> (OutputSpool, OutputCapture) {
            let spool = OutputSpool(store: store, tool: .kubectl, mimeType: "application/json",
                                    owner: OutputOwner(principal: principal, session: session), threshold: threshold)
            var capture = OutputCapture(cap: cap)
            for chunk in chunks {
                let bytes = Array(chunk.utf8)
                bytes.withUnsafeBytes { spool.feed($0, capture: capture) }
                capture.append(bytes)
            }
            return (spool, capture)
        }
    }

    @Test func shortOutputNeverTouchesAFile() throws {
        let f = try Fixture()
        let (spool, _) = f.run(["short"], threshold: 100)
        #expect(f.files().isEmpty)
        #expect(spool.keep(redaction: nil) == nil)
    }

    @Test func keptOutputIsWholeAndPagedAndPrivate() throws {
        let f = try Fixture()
        let chunks = (0..<50).map { "line \($0) \u{e9}\n" }
        let (spool, _) = f.run(chunks, threshold: 64, cap: 128)   // the capture truncates; the spool does not
        let stored = try #require(spool.keep(redaction: nil))
        #expect(stored.bytes == chunks.joined().utf8.count && stored.complete)
        let entry = try #require(f.store.find(stored.id, principal: "alice"))
        #expect(f.store.find(stored.id, principal: "bob") == nil)
        #expect(f.store.find(stored.id, principal: nil) == nil)
        let all = try f.store.read(entry, offset: 0, count: 1 << 20).get()
        #expect(String(decoding: all, as: UTF8.self) == chunks.joined())
        let page = try f.store.read(entry, offset: 10, count: 5).get()
        #expect(page == Array(all[10..<15]))
        #expect(f.store.list(principal: "alice").map(\.id) == [stored.id])
        #expect(f.store.list(principal: "bob").isEmpty)
    }

    @Test func discardedAndSessionOutputsAreDeleted() throws {
        let f = try Fixture()
        let (dropped, _) = f.run([String(repeating: "x", count: 500)], threshold: 10)
        #expect(f.files().count == 1)
        dropped.discard()
        #expect(f.files().isEmpty && f.store.usedBytes == 0)
        let (kept, _) = f.run([String(repeating: "x", count: 500)], threshold: 10, session: "s1")
        let stored = try #require(kept.keep(redaction: nil))
        f.store.removeSession("s2")
        #expect(f.store.find(stored.id, principal: "alice") != nil)
        f.store.removeSession("s1")
        #expect(f.store.find(stored.id, principal: "alice") == nil && f.files().isEmpty)
    }

    @Test func theTotalIsBoundedOldestFirst() throws {
        let f = try Fixture()
        f.maxBytes = 1000
        let (a, _) = f.run([String(repeating: "a", count: 600)], threshold: 10)
        let first = try #require(a.keep(redaction: nil))
        let (b, _) = f.run([String(repeating: "b", count: 600)], threshold: 10)
        let second = try #require(b.keep(redaction: nil))
        #expect(f.store.find(first.id, principal: "alice") == nil)   // evicted for the newer one
        #expect(second.complete && f.store.usedBytes == 600)
        let (c, _) = f.run([String(repeating: "c", count: 5000)], threshold: 10)
        let third = try #require(c.keep(redaction: nil))
        #expect(!third.complete && third.bytes == 1000 && f.store.usedBytes == 1000)
    }

    @Test func expiredOutputsCannotBeFound() throws {
        let f = try Fixture()
        f.ttlMs = 1
        let (spool, _) = f.run([String(repeating: "x", count: 100)], threshold: 10)
        let stored = try #require(spool.keep(redaction: nil))
        usleep(20_000)
        f.loop.runOnce()
        #expect(f.store.find(stored.id, principal: "alice") == nil)
        #expect(f.files().isEmpty)
    }

    @Test func redactedBeforeItIsReadable() throws {
        let f = try Fixture()
        let secret = #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"password":"aHVudGVyMg=="}}"#
        let (spool, _) = f.run([secret], threshold: 10)
        let stored = try #require(spool.keep(redaction: .kubernetes(.json)))
        let entry = try #require(f.store.find(stored.id, principal: "alice"))
        let text = String(decoding: try f.store.read(entry, offset: 0, count: 1 << 20).get(), as: UTF8.self)
        #expect(!text.contains("aHVudGVyMg=="))
        #expect(entry.bytes == text.utf8.count)
    }

    @Test func uriPageRangeAndMime() {
        let id = String(repeating: "ab", count: 16)
        #expect(MCPResources.parse("k8s-mcp://jobs/\(id)/stdout")! == (id, 0, nil))
        #expect(MCPResources.parse("k8s-mcp://jobs/\(id)/stdout?offset=10&length=5")! == (id, 10, 5))
        #expect(MCPResources.parse("k8s-mcp://jobs/\(id)/stdout?offset=-1") == nil)
        #expect(MCPResources.parse("k8s-mcp://jobs/\(id)/stderr") == nil)
        #expect(MCPResources.parse("file:///etc/passwd") == nil)
        #expect(OutputStore.pageRange(query: "offset=x") == nil)
        #expect(OutputStore.pageRange(query: nil)! == (0, nil))
        #expect(OutputStore.mimeType(argv: ["kubectl", "get", "pods", "-o", "json"]) == "application/json")
        #expect(OutputStore.mimeType(argv: ["kubectl", "get", "pods", "-oyaml"]) == "application/yaml")
        #expect(OutputStore.mimeType(argv: ["helm", "list", "--output=json"]) == "application/json")
        #expect(OutputStore.mimeType(argv: ["kubectl", "get", "pods", "-o", "jsonpath={.items}"]) == "text/plain")
        #expect(OutputStore.mimeType(argv: ["kubectl", "logs", "web"]) == "text/plain")
    }

    @Test func pagesFitTheBudgetAtCharacterBoundaries() {
        let raw = Array(String(repeating: "\"é\n", count: 1000).utf8)
        let n = MCPResources.pageLength(raw, room: 100)
        #expect(n > 0 && n < raw.count && raw[n] & 0xC0 != 0x80)
        #expect(MCPMessageBudget.weight(raw[..<n], .init(plain: 1, nested: 0)) <= 100)
    }
}
