// ToolDescriptor: one tool as declared by the catalog, and its `tools/list` entry shaped for a
// protocol version (title/outputSchema 2025-06-18+, annotations 2025-03-26+).
import JSON

public struct ToolDescriptor: Equatable, Sendable {
    public var name: String
    public var title: String?
    public var description: String
    /// JSON Schema with root `type: "object"`; a tool without parameters should use
    /// `{"type":"object","additionalProperties":false}`.
    public var inputSchema: JSONValue
    /// Up to 2025-11-25 the root must be `type: "object"`; keep it so for every era.
    public var outputSchema: JSONValue?
    /// ToolAnnotations: title, readOnlyHint, destructiveHint, idempotentHint, openWorldHint.
    public var annotations: JSONObject?

    public init(
        name: String, title: String? = nil, description: String, inputSchema: JSONValue,
        outputSchema: JSONValue? = nil, annotations: JSONObject? = nil
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.annotations = annotations
    }

    /// The Tool object for `version`; fields the version's schema lacks are omitted.
    public func json(version: String) -> JSONValue {
        var o: JSONObject = ["name": .string(name)]
        let modernFields = MCPVersion.hasTitleAndOutputSchema(version)
        if modernFields, let title { o["title"] = .string(title) }
        o["description"] = .string(description)
        o["inputSchema"] = inputSchema
        if modernFields, let outputSchema { o["outputSchema"] = outputSchema }
        if MCPVersion.hasAnnotations(version), let annotations { o["annotations"] = .object(annotations) }
        return .object(o)
    }
}
