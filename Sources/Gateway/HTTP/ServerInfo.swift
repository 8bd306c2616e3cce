// ServerInfo: the name and version this build reports (Server header, /health, MCP
// serverInfo, --version, the build_info metric).

public enum ServerInfo {
    public static let name = "k8s-mcp-server"
    public static let version = "4.0.0"
    public static let serverHeader = "k8s-mcp-server/4.0.0"
}
