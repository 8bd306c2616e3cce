// MCPVersion: the protocol versions we serve, legacy `initialize` negotiation, and the feature
// predicates used to shape results per version (fields a version's schema does not define are
// left out: extra fields validate, but strict old clients are happier without them).

public enum MCPVersion {
    /// Newest first. Every one of these goes into -32022 `data.supported` and discover's
    /// `supportedVersions`.
    public static let all = ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    /// The stateless, per-request-`_meta` era.
    public static let modern = "2026-07-28"
    /// Answer to an `initialize` offering a version we do not know.
    public static let latestLegacy = "2025-11-25"
    /// Assumed for legacy HTTP requests without an `MCP-Protocol-Version` header.
    public static let defaultLegacy = "2025-03-26"
    public static let legacy = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]

    public static func isSupported(_ v: String) -> Bool { all.contains(v) }
    public static func isLegacy(_ v: String) -> Bool { legacy.contains(v) }
    public static func isModern(_ v: String) -> Bool { v == modern }

    /// Legacy `initialize`: echo the offered version when we serve it as a legacy version,
    /// otherwise counter-offer our newest legacy version (never an error; the client decides).
    public static func negotiate(offered: String) -> String {
        isLegacy(offered) ? offered : latestLegacy
    }

    // Version strings are ISO dates, so string order is release order.
    private static func atLeast(_ v: String, _ minimum: String) -> Bool { v >= minimum }

    /// `structuredContent` in tool results (2025-06-18+).
    public static func hasStructuredContent(_ v: String) -> Bool { atLeast(v, "2025-06-18") }
    /// `title` and `outputSchema` on tools (2025-06-18+).
    public static func hasTitleAndOutputSchema(_ v: String) -> Bool { atLeast(v, "2025-06-18") }
    /// Tool `annotations` (2025-03-26+).
    public static func hasAnnotations(_ v: String) -> Bool { atLeast(v, "2025-03-26") }
    /// `resource_link` content blocks in tool results (2025-06-18+).
    public static func hasResourceLinks(_ v: String) -> Bool { atLeast(v, "2025-06-18") }
    /// `message` in `notifications/progress` (2025-03-26+).
    public static func hasProgressMessage(_ v: String) -> Bool { atLeast(v, "2025-03-26") }
    /// JSON-RPC batches: 2025-03-26 only (added then, removed in 2025-06-18).
    public static func allowsBatch(_ v: String) -> Bool { v == "2025-03-26" }
    /// `resultType`, `ttlMs`/`cacheScope` and `_meta` serverInfo on results (modern only).
    public static func hasResultType(_ v: String) -> Bool { atLeast(v, modern) }
}
