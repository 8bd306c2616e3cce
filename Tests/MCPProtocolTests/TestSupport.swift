// Shared helpers for MCPProtocol tests: parse text, encode to text.
import JSON
import MCPProtocol
import Testing

/// Parses JSON text, recording a test failure (and returning null) if it does not parse.
func json(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
    do {
        return try JSONParser.parse(Array(text.utf8))
    } catch {
        Issue.record("parse failed: \(error.message) for \(text)", sourceLocation: sourceLocation)
        return .null
    }
}

/// Compact JSON text of a value.
func text(_ value: JSONValue) -> String {
    String(decoding: JSONWriter.encode(value), as: UTF8.self)
}

/// The parse error for `bytes`, or nil if they parsed.
func parseError(_ bytes: [UInt8]) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes)
        return nil
    } catch {
        return error
    }
}
