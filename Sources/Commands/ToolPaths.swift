// ToolPaths: absolute paths of the four CLIs, resolved once at start-up.
// Why once and absolute: the child is spawned with execve-style semantics and an allow-listed
// environment; resolving at start-up means a request can never influence which binary runs, and a
// later change of PATH or cwd cannot either. Relative PATH entries (including the empty entry,
// which POSIX reads as ".") are skipped for the same reason.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public struct ToolPaths: Sendable {
    /// Absolute path of each tool that was found; a missing key means "not installed".
    public var paths: [Tool: String]

    public init(paths: [Tool: String] = [:]) {
        self.paths = paths
    }

    /// Resolves each tool by searching `searchPath` (colon-separated, like PATH) for an executable
    /// regular file named after the tool, unless `overrides` names a path for it:
    /// - an absolute override is used if `isExecutable` accepts it, otherwise the tool is absent
    ///   (no silent fallback to PATH: an operator who pinned a binary must not get another one);
    /// - a relative override is searched for along `searchPath` like a bare tool name.
    public static func resolve(
        searchPath: String,
        overrides: [Tool: String],
        isExecutable: (String) -> Bool = ToolPaths.defaultIsExecutable
    ) -> ToolPaths {
        let directories = searchDirectories(searchPath)
        var paths: [Tool: String] = [:]
        for tool in Tool.allCases {
            let name = overrides[tool] ?? tool.rawValue
            if let found = locate(name, in: directories, isExecutable: isExecutable) {
                paths[tool] = found
            }
        }
        return ToolPaths(paths: paths)
    }

    /// access(X_OK) plus "is a regular file" (a directory can have the x bit too).
    public static func defaultIsExecutable(_ path: String) -> Bool {
        guard !path.isEmpty, !path.utf8.contains(0), access(path, X_OK) == 0 else {
            return false
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            return false
        }
        return (info.st_mode & S_IFMT) == S_IFREG
    }

    public func path(for tool: Tool) -> String? {
        paths[tool]
    }

    /// The seed's text when a tool is missing at execution time (REST `error`, exit_code -1).
    public static func notFoundMessage(_ tool: Tool) -> String {
        "Command '\(tool.rawValue)' not found. Please ensure \(tool.rawValue) is installed and in PATH."
    }

    /// The seed's /tools/status `error` text for a missing tool.
    public static func statusNotFoundMessage(_ tool: Tool) -> String {
        "\(tool.rawValue) not found in PATH"
    }

    /// Any program by name, the way a shell finds it on `searchPath` (absolute names as given);
    /// the gateway uses it for the exec credential plugin of its own kubeconfig.
    public static func lookUp(_ name: String, searchPath: String) -> String? {
        locate(name, in: searchDirectories(searchPath), isExecutable: defaultIsExecutable)
    }

    /// Absolute PATH entries in order, without trailing slashes, duplicates removed.
    static func searchDirectories(_ searchPath: String) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for entry in searchPath.split(separator: ":", omittingEmptySubsequences: true) {
            guard entry.hasPrefix("/") else {
                continue
            }
            var directory = String(entry)
            while directory.count > 1, directory.hasSuffix("/") {
                directory.removeLast()
            }
            if seen.insert(directory).inserted {
                result.append(directory)
            }
        }
        return result
    }

    private static func locate(
        _ name: String, in directories: [String], isExecutable: (String) -> Bool
    ) -> String? {
        guard !name.isEmpty, !name.utf8.contains(0) else {
            return nil
        }
        if name.hasPrefix("/") {
            return isExecutable(name) ? name : nil
        }
        for directory in directories {
            let candidate = directory == "/" ? "/" + name : directory + "/" + name
            if isExecutable(candidate) {
                return candidate
            }
        }
        return nil
    }
}
