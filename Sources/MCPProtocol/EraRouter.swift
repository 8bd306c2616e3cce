// EraRouter: which era (modern 2026-07-28 stateless, or a legacy initialize-based version)
// serves a request, from the MCP-Protocol-Version header, Mcp-Session-Id, method and whether
// the body carries the modern `_meta` envelope (checklist §1 "Recommended HTTP POST routing").

public enum Era: Equatable, Sendable {
    /// Modern path: run ModernValidator (it yields -32602 / -32020 / -32022 in ladder order).
    case modern
    /// Legacy path. `version` is the header's version, or 2025-03-26 when there is no header
    /// (spec default). A gateway holding a session may prefer the session's negotiated version;
    /// for `initialize` the version comes from `MCPVersion.negotiate(offered:)` instead.
    case legacy(version: String)
    /// The header names a version we do not serve, so the modern path was chosen and will end
    /// in -32022 (after -32602 / -32020 checks, see ModernValidator). Carries the trimmed value.
    case unsupported(String)
}

public enum EraRouter {
    /// 1. Header present and not a legacy version -> modern (`.unsupported` if unknown), except
    ///    `initialize`, and a request with a session id but no envelope, under a 2026-07-28
    ///    header: legacy (see below).
    /// 2. Header is a legacy version -> legacy(header); else a session id, or `initialize`,
    ///    -> legacy.
    /// 3. No header, body has the envelope (or is `server/discover`, a modern-only method) ->
    ///    modern (the validator then reports what is missing).
    /// 4. Otherwise -> legacy 2025-03-26.
    /// Why `initialize` stays legacy even with an envelope or a 2026 header: §1 defines a modern
    /// request as one with the envelope "that is not initialize", and a dual-era server can
    /// answer the handshake: GitHub Copilot sends `server/discover` and then `initialize`
    /// 2025-11-25 with the 2026 header it used for the probe still set (the observed SDK answers
    /// that with 404/-32601, which ends the connection). A session id without the envelope is
    /// likewise a legacy request that kept a stale header.
    /// For stdio pass `versionHeader: nil, sessionID: nil`; the first request fixes the era.
    public static func classify(versionHeader: String?, sessionID: String?, method: String?, hasEnvelope: Bool) -> Era {
        if let raw = versionHeader {
            let v = HeaderValue.trim(raw)
            if MCPVersion.isLegacy(v) { return .legacy(version: v) }
            guard MCPVersion.isModern(v) else { return .unsupported(v) }
            if method == "initialize" || (sessionID != nil && !hasEnvelope) { return .legacy(version: MCPVersion.defaultLegacy) }
            return .modern
        }
        if sessionID != nil || method == "initialize" { return .legacy(version: MCPVersion.defaultLegacy) }
        if hasEnvelope || method == "server/discover" { return .modern }
        return .legacy(version: MCPVersion.defaultLegacy)
    }
}
