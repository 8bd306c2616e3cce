// SSE framing: exact bytes for events, multi-line data and comments.

import Testing
@testable import HTTP1

@Suite("sse encoder")
struct SSEEncoderTests {
    func event(_ name: String?, _ data: String) -> String {
        var out: [UInt8] = []
        SSEEncoder.event(name, data: data, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func namedEvent() {
        #expect(event("message", "{\"jsonrpc\":\"2.0\"}") == "event: message\ndata: {\"jsonrpc\":\"2.0\"}\n\n")
    }

    @Test func unnamedEvent() {
        #expect(event(nil, "x") == "data: x\n\n")
    }

    @Test func multiLineDataSplitsOnEveryLineBreakKind() {
        #expect(event("endpoint", "a\nb\r\nc\rd") == "event: endpoint\ndata: a\ndata: b\ndata: c\ndata: d\n\n")
    }

    @Test func emptyAndTrailingLines() {
        #expect(event(nil, "") == "data: \n\n")
        #expect(event(nil, "a\n") == "data: a\ndata: \n\n")
        #expect(event(nil, "\r\n\r\n") == "data: \ndata: \ndata: \n\n")
    }

    @Test func nameCannotInjectFields() {
        #expect(event("a\nid: 1", "x") == "event: aid: 1\ndata: x\n\n")
    }

    @Test func eventWithId() {
        var out: [UInt8] = []
        SSEEncoder.event("message", id: "42", data: "d", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "event: message\nid: 42\ndata: d\n\n")
    }

    @Test func comment() {
        var out: [UInt8] = []
        SSEEncoder.comment("ping", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == ": ping\n\n")
        out = []
        SSEEncoder.comment("a\nb", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == ": a\n: b\n\n")
    }
}
