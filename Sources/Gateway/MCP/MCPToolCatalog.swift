// MCPToolCatalog: the four MCP tools (kubectl, helm, istioctl, argocd) in a fixed order, with
// the input schema every front door shares (command | args, namespace, kubeconfig, stdin,
// timeout_seconds; every one nullable, so OpenAI's strict mode can send them all), the output
// schema of ResultJSON, annotations per caller (MCPToolAccess), and descriptions written for a
// model: what to put in `command`, how quoting works, and why `-o json` helps.
import Commands
import JSON
import MCPProtocol

enum MCPToolCatalog {
    /// tools/list order = `Tool.allCases` (the seed's order); the same for every caller.
    static let descriptors: [ToolDescriptor] = Tool.allCases.map { descriptor(for: $0) }
    static let readOnlyDescriptors: [ToolDescriptor] = Tool.allCases.map { descriptor(for: $0, readOnly: true) }

    /// The tools `access` may use, in catalog order, annotated for what it may do.
    static func descriptors(for access: MCPToolAccess) -> [ToolDescriptor] {
        let all = access.readOnly ? readOnlyDescriptors : descriptors
        guard access.tools != nil else { return all }
        return zip(Tool.allCases, all).filter { access.allows($0.0) }.map { $0.1 }
    }

    /// Unknown names (including case variants: names are case-sensitive) are nil.
    static func tool(named name: String) -> Tool? {
        Tool(rawValue: name)
    }

    static func descriptor(for tool: Tool, readOnly: Bool = false) -> ToolDescriptor {
        var text = description(tool)
        if readOnly {
            text += " For this caller only read commands (get, describe, logs, list, status, ...) are allowed; others are refused."
        }
        return ToolDescriptor(
            name: tool.rawValue,
            title: title(tool),
            description: text,
            inputSchema: inputSchema(tool),
            outputSchema: outputSchema,
            annotations: [
                "title": .string(title(tool)),
                // Any of these CLIs can change the cluster unless the policy lets the caller
                // read only, and a hint is all a client gets.
                "readOnlyHint": .bool(readOnly),
                "destructiveHint": .bool(!readOnly),
                "idempotentHint": .bool(readOnly),
                "openWorldHint": true,
            ])
    }

    static func title(_ tool: Tool) -> String {
        switch tool {
        case .kubectl: "kubectl (Kubernetes)"
        case .helm: "Helm (Kubernetes packages)"
        case .istioctl: "istioctl (Istio service mesh)"
        case .argocd: "Argo CD CLI (GitOps)"
        }
    }

    static func description(_ tool: Tool) -> String {
        let name = tool.rawValue
        let intro: String
        let examples: [String]
        switch tool {
        case .kubectl:
            intro = "Run a kubectl command against the Kubernetes cluster and return its output."
            examples = ["get pods -o wide", "get deployments -A -o json", "describe pod web-7d4b9c-x2x5q",
                        "logs deploy/web --tail=100", "get pods -l 'app in (web,api)' -o jsonpath='{.items[*].metadata.name}'",
                        "rollout status deployment/web --timeout=60s"]
        case .helm:
            intro = "Run a Helm command (releases, charts, repositories) and return its output."
            examples = ["list -A -o json", "status my-release -o json", "history my-release -o json",
                        "get values my-release -o json", "upgrade --install web bitnami/nginx --set replicaCount=2"]
        case .istioctl:
            intro = "Run an istioctl command (Istio service mesh inspection and configuration) and return its output."
            examples = ["version -o json", "proxy-status", "analyze -A", "proxy-config routes deploy/web -o json"]
        case .argocd:
            intro = "Run an Argo CD CLI command (GitOps applications) and return its output."
            examples = ["app list -o json", "app get my-app -o json", "app diff my-app", "app sync my-app --prune"]
        }
        var text = intro + "\n\n"
        text += "Put everything that follows `\(name)` in `command`, written as in a shell, for example:\n"
        for example in examples { text += "- `\(example)`\n" }
        text += "\nQuoting works like sh (single quotes keep text literally, double quotes allow \\\" escapes), "
        text += "but no shell runs: pipes (`|`), redirections, `&&`, `$VARS` and globs are passed to \(name) as literal text. "
        text += "Filter with the tool's own flags instead"
        text += tool == .kubectl ? " (`-l`, `--field-selector`, `-o jsonpath=...`).\n" : ".\n"
        text += "Prefer `-o json` (or `-o jsonpath=...`) when you will read fields from the output: it is exact and parses reliably. "
        if tool.takesNamespaceFlag {
            text += "Set `namespace` rather than adding `-n` yourself. "
        }
        text += "Alternatively send `args`, an array with one string per argument, when values contain spaces or quotes.\n\n"
        text += "The result holds `success`, `exit_code`, `output` (stdout) and `error` (stderr); a non-zero exit code "
        text += "is reported as an error result so you can correct the command. Commands that change the cluster "
        text += "(apply, delete, scale, upgrade, sync, ...) take effect immediately."
        return text
    }

    /// Every property accepts null, and `""`, `[]` and 0 mean "not given" too (ToolArguments),
    /// so a strict-mode model can fill the ones it does not need. Only keywords every client
    /// vendor's schema dialect knows (type, items, minimum, description).
    static func inputSchema(_ tool: Tool) -> JSONValue {
        func nullable(_ type: String, _ description: String, _ extra: JSONObject = [:]) -> JSONValue {
            var o: JSONObject = ["type": .array([.string(type), "null"])]
            for (k, v) in extra { o[k] = v }
            o["description"] = .string(description)
            return .object(o)
        }
        let properties: JSONObject = [
            "command": nullable("string",
                "The \(tool.rawValue) arguments as one shell-style string, without the leading `\(tool.rawValue)` (e.g. `\(tool == .kubectl ? "get pods -o json" : "version")`)."),
            "args": nullable("array",
                "Alternative to `command`: the arguments as an array, one element per argument, used verbatim (no quoting rules). Send either `command` or `args` (null or [] when unused).",
                ["items": .object(["type": "string"])]),
            "namespace": nullable("string", tool.takesNamespaceFlag
                ? "Kubernetes namespace; becomes `-n <namespace>`. Null or empty for the kubeconfig's default namespace."
                : "Ignored by \(tool.rawValue); pass its own namespace flags in `command` instead."),
            "kubeconfig": nullable("string",
                "Discouraged: a base64-encoded kubeconfig for this call only. Credentials should not pass through the model; prefer the X-Kubeconfig header configured in the MCP client, or the server's own kubeconfig (the default: null)."),
            "stdin": nullable("string",
                "Text given to the command on standard input (e.g. a manifest for `\(tool == .kubectl ? "apply -f -" : "... -f -")`); null or empty for none."),
            "timeout_seconds": nullable("number",
                "Seconds after which the command is stopped; null or 0 for the server's default (the maximum is set by the server).",
                ["minimum": 0]),
        ]
        return .object(["type": "object", "properties": .object(properties)])
    }

    /// The shape of ResultJSON.object; no `additionalProperties: false`, so fields added to the
    /// result later keep validating against what clients cached.
    static let outputSchema: JSONValue = .object([
        "type": "object",
        "properties": .object([
            "success": .object(["type": "boolean", "description": "True when the command ran and exited with status 0."]),
            "output": .object(["type": "string", "description": "Standard output."]),
            "error": .object(["type": .array(["string", "null"]), "description": "Standard error, or why the command could not run; null when empty."]),
            "exit_code": .object(["type": "integer", "description": "Exit status; -1 when the command could not run or was killed."]),
            "duration_ms": .object(["type": "integer"]),
            "timed_out": .object(["type": "boolean", "description": "Stopped at its timeout; never a success."]),
            "signal": .object(["type": "string", "description": "Signal that ended the command, e.g. SIGKILL."]),
            "stdout_truncated_bytes": .object(["type": "integer"]),
            "stderr_truncated_bytes": .object(["type": "integer"]),
            "cancelled": .object(["type": "boolean", "description": "The caller cancelled the command; never a success."]),
            "killed_at_output_cap": .object(["type": "boolean"]),
            "output_uri": .object(["type": "string", "description": "The whole output was kept: read it with resources/read on this URI (pages: ?offset=N)."]),
            "output_url": .object(["type": "string", "description": "The same over HTTP: GET this path (?offset=&length=)."]),
            "output_stored_bytes": .object(["type": "integer", "description": "Only the first this many bytes could be kept."]),
            "invalid_utf8": .object(["type": "boolean"]),
            "output_redacted": .object(["type": "boolean", "description": "Secret values in the output were masked."]),
            "rule": .object(["type": "string", "description": "Policy rule that refused the command (refusals only)."]),
            "reason": .object(["type": "string", "description": "Why the policy refused the command (refusals only)."]),
        ]),
        "required": .array(["success", "output", "error", "exit_code"]),
    ])
}
