// MCPVersion (negotiation, feature predicates) and EraRouter (checklist §1 routing table).
import MCPProtocol
import Testing

@Suite struct MCPVersionTests {
    @Test func constants() {
        #expect(MCPVersion.all == ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"])
        #expect(MCPVersion.modern == "2026-07-28")
        #expect(MCPVersion.latestLegacy == "2025-11-25")
        #expect(MCPVersion.isSupported("2024-11-05"))
        #expect(!MCPVersion.isSupported("2025-01-01"))
        #expect(MCPVersion.isLegacy("2025-06-18"))
        #expect(!MCPVersion.isLegacy("2026-07-28"))
        #expect(MCPVersion.isModern("2026-07-28"))
    }

    @Test(arguments: [
        ("2025-11-25", "2025-11-25"), ("2025-06-18", "2025-06-18"), ("2025-03-26", "2025-03-26"),
        ("2024-11-05", "2024-11-05"), ("2026-07-28", "2025-11-25"), ("2099-01-01", "2025-11-25"),
        ("", "2025-11-25"), ("2024-10-07", "2025-11-25"),
    ])
    func negotiate(_ offered: String, _ answer: String) {
        #expect(MCPVersion.negotiate(offered: offered) == answer)
    }

    @Test func featurePredicates() {
        typealias Row = (String, structured: Bool, titles: Bool, annotations: Bool, message: Bool, batch: Bool, resultType: Bool)
        let rows: [Row] = [
            ("2026-07-28", true, true, true, true, false, true),
            ("2025-11-25", true, true, true, true, false, false),
            ("2025-06-18", true, true, true, true, false, false),
            ("2025-03-26", false, false, true, true, true, false),
            ("2024-11-05", false, false, false, false, false, false),
        ]
        for r in rows {
            #expect(MCPVersion.hasStructuredContent(r.0) == r.structured, "\(r.0)")
            #expect(MCPVersion.hasTitleAndOutputSchema(r.0) == r.titles, "\(r.0)")
            #expect(MCPVersion.hasAnnotations(r.0) == r.annotations, "\(r.0)")
            #expect(MCPVersion.hasProgressMessage(r.0) == r.message, "\(r.0)")
            #expect(MCPVersion.allowsBatch(r.0) == r.batch, "\(r.0)")
            #expect(MCPVersion.hasResultType(r.0) == r.resultType, "\(r.0)")
        }
    }
}

@Suite struct EraRouterTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let header: String?
        let session: String?
        let method: String?
        let envelope: Bool
        let era: Era
        var testDescription: String { "\(header ?? "-") \(session ?? "-") \(method ?? "-") \(envelope) -> \(era)" }
    }

    @Test(arguments: [
        // 1. Header present and not legacy -> modern (or unsupported when unknown).
        Row(header: "2026-07-28", session: nil, method: "tools/call", envelope: true, era: .modern),
        Row(header: " 2026-07-28 ", session: nil, method: "tools/call", envelope: true, era: .modern),
        Row(header: "2026-07-28", session: nil, method: "tools/list", envelope: false, era: .modern),
        Row(header: "2026-07-28", session: "abc", method: "tools/list", envelope: true, era: .modern),
        // ... except a handshake, or a session request without the envelope, under a stale 2026 header.
        Row(header: "2026-07-28", session: nil, method: "initialize", envelope: false, era: .legacy(version: "2025-03-26")),
        Row(header: "2026-07-28", session: "s1", method: "tools/list", envelope: false, era: .legacy(version: "2025-03-26")),
        Row(header: "2099-01-01", session: nil, method: "tools/call", envelope: true, era: .unsupported("2099-01-01")),
        Row(header: "garbage", session: "s1", method: "ping", envelope: false, era: .unsupported("garbage")),
        Row(header: "", session: nil, method: "ping", envelope: false, era: .unsupported("")),
        // 2. Legacy header, session id, or initialize -> legacy.
        Row(header: "2025-11-25", session: "s1", method: "tools/call", envelope: false, era: .legacy(version: "2025-11-25")),
        Row(header: "2025-06-18", session: nil, method: "tools/list", envelope: true, era: .legacy(version: "2025-06-18")),
        Row(header: "2024-11-05", session: nil, method: "ping", envelope: false, era: .legacy(version: "2024-11-05")),
        Row(header: nil, session: "s1", method: "tools/list", envelope: false, era: .legacy(version: "2025-03-26")),
        Row(header: nil, session: "s1", method: "tools/list", envelope: true, era: .legacy(version: "2025-03-26")),
        Row(header: nil, session: nil, method: "initialize", envelope: false, era: .legacy(version: "2025-03-26")),
        Row(header: nil, session: nil, method: "initialize", envelope: true, era: .legacy(version: "2025-03-26")),
        // 3. No header, envelope -> modern (validator then reports the missing header).
        Row(header: nil, session: nil, method: "tools/call", envelope: true, era: .modern),
        Row(header: nil, session: nil, method: "server/discover", envelope: true, era: .modern),
        Row(header: nil, session: nil, method: "server/discover", envelope: false, era: .modern),
        // 4. Nothing -> legacy 2025-03-26.
        Row(header: nil, session: nil, method: "tools/list", envelope: false, era: .legacy(version: "2025-03-26")),
        Row(header: nil, session: nil, method: nil, envelope: false, era: .legacy(version: "2025-03-26")),
    ])
    func classify(_ row: Row) {
        let era = EraRouter.classify(
            versionHeader: row.header, sessionID: row.session, method: row.method, hasEnvelope: row.envelope)
        #expect(era == row.era)
    }
}
