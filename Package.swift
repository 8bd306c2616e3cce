// swift-tools-version:6.1
// k8s-mcp-server: one libuv event loop serving MCP and REST in front of kubectl, helm,
// istioctl and argocd. Targets follow the data flow (see README "Source layout").
import PackageDescription

/// The directory of this manifest: the linker needs an absolute path to the ordering file.
let packageRoot = String(#filePath.dropLast("/Package.swift".count))

let package = Package(
    name: "k8s-mcp-server",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "k8s-mcp-server", targets: ["k8s-mcp-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // libuv from Debian's libuv1-dev through a module map; header-only shim.
        .systemLibrary(
            name: "CLibUV",
            path: "CLibUV",
            pkgConfig: "libuv",
            providers: [.apt(["libuv1-dev"])]
        ),
        // Thin libuv glue: loop, handles, TCP, subprocess, timers, signals. Knows no HTTP/MCP.
        .target(name: "UVKit", dependencies: ["CLibUV"]),
        // OpenSSL 3 from Debian's libssl-dev through a module map; header-only shim.
        .systemLibrary(
            name: "COpenSSL",
            path: "Sources/COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // TLS server side over memory BIOs (libuv keeps the sockets): self-signed identity,
        // server context, pure per-connection session, and a Stream-shaped adapter. Knows no HTTP.
        .target(name: "TLSKit", dependencies: ["COpenSSL", "UVKit", "CLibUV"]),
        // libcurl from Debian's libcurl4-openssl-dev through a module map; header-only shim
        // (typed wrappers around the variadic setopt/getinfo calls).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Upstream HTTP client for the API proxy: libcurl's multi-socket API driven by uv_poll and
        // uv_timer on the one loop; streamed bodies, pause/resume, in-memory TLS, upgrade tunnels.
        .target(name: "UpstreamHTTP", dependencies: ["UVKit", "CLibUV", "CCurl"]),
        // Pure: bytes <-> HTTP/1.1 requests and responses.
        .target(name: "HTTP1"),
        // Pure: JSON values, parser, streaming writer, the one UTF-8 check.
        .target(name: "JSON"),
        // Pure: JSON-RPC and MCP messages, versions and eras, header rules, tool descriptors.
        .target(name: "MCPProtocol", dependencies: ["JSON"]),
        // Pure: tool catalog, tokenizer, CLI grammar and policy, kubeconfig checks, output limits.
        .target(name: "Commands", dependencies: ["JSON", .product(name: "Yams", package: "Yams")]),
        // Pure: the API proxy's decisions: request attributes, RBAC-shaped rules, Secret masking
        // of API bodies, strict parsing of kubeconfigs into upstream credentials.
        .target(name: "KubeAPI", dependencies: ["JSON", .product(name: "Yams", package: "Yams")]),
        // Wiring: config, server, connections, routes, jobs, logs, metrics.
        .target(
            name: "Gateway",
            dependencies: [
                "UVKit", "HTTP1", "JSON", "MCPProtocol", "Commands", "KubeAPI", "TLSKit", "UpstreamHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Release link flags (Linux), each measured in Benchmarks/README.md ("Idle RSS"):
        // - lld with packed relative relocations (DT_RELR, glibc 2.36+): the static Swift runtime
        //   carries ~80,000 relative relocations, whose 1.9 MB table the loader otherwise reads at
        //   every start and keeps resident;
        // - --no-export-dynamic undoes the -export-dynamic of the toolchain's static-stdlib link
        //   file: nothing looks our symbols up, and the 6,000-entry dynamic symbol table was read
        //   at start (-0.4 MB);
        // - a symbol ordering file packs the functions that run at start-up and per request
        //   together, so the kernel's 64 KiB fault-around maps fewer cold pages (-2.7 MB;
        //   scripts/link-order/regenerate.sh rebuilds the list; unknown names are ignored).
        .executableTarget(name: "k8s-mcp-server", dependencies: ["Gateway"],
                          linkerSettings: [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                                                         "-Xlinker", "--no-export-dynamic",
                                                         "-Xlinker", "--symbol-ordering-file=\(packageRoot)/scripts/link-order/k8s-mcp-server.order",
                                                         "-Xlinker", "--no-warn-symbol-ordering"],
                                                        .when(platforms: [.linux], configuration: .release))]),

        .testTarget(name: "UVKitTests", dependencies: ["UVKit"]),
        .testTarget(name: "TLSKitTests", dependencies: ["TLSKit", "UVKit", "COpenSSL"]),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "MCPProtocolTests", dependencies: ["JSON", "MCPProtocol"]),
        .testTarget(name: "CommandsTests", dependencies: ["JSON", "Commands"]),
        // Commands only for `Role`, to pin that every role has a built-in rule set.
        .testTarget(name: "KubeAPITests", dependencies: ["JSON", "KubeAPI", "Commands"]),
        .testTarget(name: "GatewayTests", dependencies: ["JSON", "KubeAPI", "Gateway"]),
        .testTarget(name: "UpstreamHTTPTests", dependencies: ["UpstreamHTTP", "UVKit", "CLibUV", "CCurl"],
                    exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
