// KubeStatus: the `Status` bodies the proxy answers with instead of the API server, shaped
// exactly as the API server's own (k8s.io/apiserver responsewriters.Forbidden and
// apierrors.NewForbidden), so kubectl and helm print their usual
// `Error from server (Forbidden): ...` line, here naming the gateway rule that refused.
import JSON

public enum KubeStatus {
    /// 403 for a refused request. `user` is the name the message shows ("gateway:alice").
    public static func forbidden(attributes a: RequestAttributes, user: String, decision: APIDecision) -> JSONValue {
        var message = sanitize(forbiddenMessage(a, user: user))
        if case .deny(let rule, let reason) = decision {
            message += ": gateway rule \(rule): \(reason)"
        }
        // apierrors.NewForbidden: qualified resource "pods" or "deployments.apps", then the name.
        let resource = a.isResourceRequest ? a.resource : ""
        let qualified = a.apiGroup.isEmpty ? resource : resource + "." + a.apiGroup
        let full: String
        if !a.isResourceRequest || qualified.isEmpty {
            full = "forbidden: " + message
        } else if a.name.isEmpty {
            full = "\(qualified) is forbidden: \(message)"
        } else {
            full = "\(qualified) \(quoted(a.name)) is forbidden: \(message)"
        }
        var details = JSONObject()
        if a.isResourceRequest {
            if !a.name.isEmpty { details["name"] = .string(a.name) }
            if !a.apiGroup.isEmpty { details["group"] = .string(a.apiGroup) }
            if !resource.isEmpty { details["kind"] = .string(resource) }
        }
        return status(code: 403, reason: "Forbidden", message: full, details: details)
    }

    /// 401 for a request whose bearer token is no live job's (kubectl: "You must be logged in").
    public static func unauthorized(_ message: String = "Unauthorized") -> JSONValue {
        status(code: 401, reason: "Unauthorized", message: message)
    }

    /// 400 for a request refused before authorization (a path spelling, a bad query).
    public static func badRequest(_ refusal: RequestRefusal) -> JSONValue {
        status(code: 400, reason: "BadRequest", message: refusal.description)
    }

    /// 502 when an upstream body could not be made safe (it is never passed on unmasked).
    public static func badGateway(_ message: String) -> JSONValue {
        status(code: 502, reason: "InternalError", message: message)
    }

    /// metav1.Status in the API server's member order.
    public static func status(code: Int64, reason: String, message: String, details: JSONObject? = nil) -> JSONValue {
        var o = JSONObject()
        o["kind"] = "Status"
        o["apiVersion"] = "v1"
        o["metadata"] = .object(JSONObject())
        o["status"] = "Failure"
        o["message"] = .string(message)
        o["reason"] = .string(reason)
        if let details { o["details"] = .object(details) }
        o["code"] = .int(code)
        return .object(o)
    }

    /// responsewriters.forbiddenMessage.
    static func forbiddenMessage(_ a: RequestAttributes, user: String) -> String {
        guard a.isResourceRequest else {
            return "User \(quoted(user)) cannot \(a.verb) path \(quoted(a.path))"
        }
        let resource = a.combinedResource
        if !a.namespace.isEmpty {
            return "User \(quoted(user)) cannot \(a.verb) resource \(quoted(resource)) in API group \(quoted(a.apiGroup)) in the namespace \(quoted(a.namespace))"
        }
        return "User \(quoted(user)) cannot \(a.verb) resource \(quoted(resource)) in API group \(quoted(a.apiGroup)) at the cluster scope"
    }

    /// The API server HTML-escapes the attribute part of the message (its `sanitizer`).
    static func sanitize(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(c)
            }
        }
        return out
    }
}
