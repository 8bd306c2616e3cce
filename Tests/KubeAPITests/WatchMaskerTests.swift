// WatchMasker: a watch stream split at every byte offset (and fed byte by byte) comes out the
// same as when fed whole; no emitted chunk ever holds a byte of a value; events are bounded;
// a stream that is not JSON objects stops the masker for good.
import JSON
import Testing
@testable import KubeAPI

let watchAttributes = attributes("GET", "/api/v1/namespaces/dev/secrets?watch=true") ?? RequestAttributes()

/// Three events, one with `}` and `\"` inside string values, one BOOKMARK, one Table event.
let watchStream = [
    #"{"type":"ADDED","object":\#(secretJSON())}"#,
    #"{"type":"MODIFIED","object":{"kind":"Secret","metadata":{"name":"x}\"{"},"data":{"k":"\#(secretB64)"}}}"#,
    #"{"type":"BOOKMARK","object":{"kind":"Secret","metadata":{"resourceVersion":"12"}}}"#,
    #"{"type":"ADDED","object":{"kind":"Table","rows":[{"cells":["db"],"object":\#(secretJSON(kind: false))}]}}"#,
].joined(separator: "\n") + "\n"

func feed(_ chunks: [[UInt8]], maxEventBytes: Int = WatchMasker.defaultMaxEventBytes) -> (out: [UInt8], count: Int, chunks: [[UInt8]])? {
    var masker = WatchMasker(attributes: watchAttributes, maxEventBytes: maxEventBytes)
    var out: [UInt8] = []
    var emitted: [[UInt8]] = []
    var count = 0
    for chunk in chunks {
        guard case .success(let m) = masker.feed(chunk) else { return nil }
        out += m.bytes
        emitted.append(m.bytes)
        count += m.maskedValues
    }
    guard case .success = masker.finish() else { return nil }
    return (out, count, emitted)
}

@Test func wholeStreamIsMaskedEventByEvent() {
    guard let whole = feed([bytes(watchStream)]) else {
        Issue.record("refused")
        return
    }
    #expect(whole.count == 7)
    let events = text(whole.out).split(separator: "\n")
    #expect(events.count == 4)
    for event in events {
        expectClean(MaskedBody(bytes: Array(event.utf8), maskedValues: 0))
    }
    #expect(json(String(events[1])).at("object", "metadata", "name")?.stringValue == "x}\"{")
    #expect(json(String(events[2])) == json(#"{"type":"BOOKMARK","object":{"kind":"Secret","metadata":{"resourceVersion":"12"}}}"#))
}

@Test func splitAtEveryOffsetGivesTheSameOutput() {
    let input = bytes(watchStream)
    guard let whole = feed([input]) else { return }
    for offset in 0...input.count {
        guard let split = feed([Array(input[..<offset]), Array(input[offset...])]) else {
            Issue.record("refused at \(offset)")
            continue
        }
        #expect(split.out == whole.out, "offset \(offset)")
        for chunk in split.chunks {
            #expect(!text(chunk).contains(secretB64) && !text(chunk).contains("YWRtaW4="), "offset \(offset)")
            // Whole events only: each emitted chunk ends at an event's end.
            #expect(chunk.isEmpty || chunk.last == 0x0A, "offset \(offset)")
        }
    }
    let byteByByte = feed(input.map { [$0] })
    #expect(byteByByte?.out == whole.out)
}

@Test func nothingIsEmittedBeforeTheEventEnds() {
    var masker = WatchMasker(attributes: watchAttributes)
    let event = bytes(#"{"type":"ADDED","object":\#(secretJSON())}"#)
    let early = masker.feed(Array(event.dropLast()))
    #expect(early == .success(MaskedBody(bytes: [], maskedValues: 0)))
    guard case .failure(.truncatedEvent) = masker.finish() else {
        Issue.record("a cut event was not reported")
        return
    }
}

@Test func eventSizeIsBounded() {
    var masker = WatchMasker(attributes: watchAttributes, maxEventBytes: 64)
    let big = bytes(#"{"type":"ADDED","object":\#(secretJSON())}"#)
    #expect(masker.feed(big) == .failure(.eventTooLarge(limit: 64)))
    #expect(masker.feed(bytes("{}")) == .failure(.eventTooLarge(limit: 64)))   // stays failed
}

@Test(arguments: ["[1,2]", "\"text\"", "null", "k8s\u{0}proto"])
func streamOfNonObjectsIsRefused(body: String) {
    var masker = WatchMasker(attributes: watchAttributes)
    guard case .failure(.unparsable) = masker.feed(bytes(body)) else {
        Issue.record("accepted \(body)")
        return
    }
}

@Test func statusInsteadOfAStreamIsPassedOn() {
    let status = #"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403}"#
    #expect(feed([bytes(status)])?.out == bytes(status + "\n"))
}

@Test func nonSecretWatchKeepsBytes() {
    let pods = attributes("GET", "/api/v1/namespaces/dev/pods?watch=true") ?? RequestAttributes()
    var masker = WatchMasker(attributes: pods)
    let event = #"{"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"web"}}}"#
    #expect(masker.feed(bytes(event + "\n")) == .success(MaskedBody(bytes: bytes(event + "\n"), maskedValues: 0)))
}
