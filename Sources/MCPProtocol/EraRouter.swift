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
    /// 1. Header present and not a legacy version -> modern (`.unsupported` if unknown).
    /// 2. Header is a legacy version -> legacy(header); else a session id, or `initialize`,
    ///    -> legacy.
    /// 3. No header, body has the envelope -> modern (the validator then reports the missing header).
    /// 4. Otherwise -> legacy 2025-03-26.
    /// Why `initialize` stays legacy even with an envelope: §1 defines a modern request as one
    /// with the envelope "that is not initialize", and answering the handshake is friendlier than
    /// a -32020 for a client that sent both. With a modern header it goes modern (step 1) and the
    /// dispatcher answers 404/-32601 as the observed SDK does.
    /// For stdio pass `versionHeader: nil, sessionID: nil`; the first request fixes the era.
    public static func classify(versionHeader: String?, sessionID: String?, method: String?, hasEnvelope: Bool) -> Era {
        if let raw = versionHeader {
            let v = HeaderValue.trim(raw)
            if MCPVersion.isLegacy(v) { return .legacy(version: v) }
            return MCPVersion.isModern(v) ? .modern : .unsupported(v)
        }
        if sessionID != nil || method == "initialize" { return .legacy(version: MCPVersion.defaultLegacy) }
        if hasEnvelope { return .modern }
        return .legacy(version: MCPVersion.defaultLegacy)
    }
}
