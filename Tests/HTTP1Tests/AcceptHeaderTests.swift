// Tests for AcceptHeader: media ranges, q-values (q=0 excludes), wildcards, case, and the
// absent field (accepts anything).
import HTTP1
import Testing

@Test(arguments: [
    ("text/event-stream", "text/event-stream", true),
    ("application/json, text/event-stream", "text/event-stream", true),
    ("Application/JSON;q=0.9 , TEXT/Event-Stream ; q=0.5", "text/event-stream", true),
    ("text/event-stream;q=0", "text/event-stream", false),
    ("*/*", "text/event-stream", false),
    ("text/*", "text/event-stream", false),
    ("application/x-ndjson", "text/event-stream", false),
    ("text/event-streams", "text/event-stream", false),
    ("", "text/event-stream", false),
])
func namesOnlyExplicitRanges(field: String, type: String, expected: Bool) {
    #expect(AcceptHeader(field).names(type) == expected)
}

@Test(arguments: [
    (nil, true),
    ("*/*", true),
    ("text/*", true),
    ("text/*;q=0", false),
    ("application/json", false),
    ("application/json, */*;q=0.1", true),
    ("text/event-stream", true),
    ("text/html", false),
] as [(String?, Bool)])
func allowsThroughWildcards(field: String?, expected: Bool) {
    #expect(AcceptHeader(field).allows("text/event-stream") == expected)
}

@Test func keepsEveryRangeInOrder() {
    let accept = AcceptHeader("application/json;as=Table;v=v1;g=meta.k8s.io, application/json;q=0.5")
    #expect(accept.ranges.map(\.type) == ["application/json", "application/json"])
    #expect(accept.ranges.map(\.quality) == [1.0, 0.5])
}
