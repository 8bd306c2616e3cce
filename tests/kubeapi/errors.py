"""errors.py — API errors as the API server writes them: `APIError` carries a
`kind: Status` body (`status: Failure`, `reason`, `code`, `details`, `message`), and the
constructors below use the server's own wording so that kubectl prints its usual lines
(`Error from server (NotFound): configmaps "x" not found`).
"""
from __future__ import annotations

import json


def status_body(code: int, reason: str, message: str, details: dict | None = None,
                success: bool = False) -> dict:
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Success" if success else "Failure"}
    if message:
        body["message"] = message
    if reason:
        body["reason"] = reason
    if details is not None:
        body["details"] = details
    body["code"] = code
    return body


class APIError(Exception):
    def __init__(self, code: int, reason: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details

    def body(self) -> dict:
        return status_body(self.code, self.reason, self.message, self.details)

    def bytes(self) -> bytes:
        return json.dumps(self.body(), separators=(",", ":")).encode() + b"\n"


def qualified(t) -> str:
    return f"{t.resource}.{t.group}" if t.group else t.resource


def _details(t, name: str) -> dict:
    d = {"name": name}
    if t.group:
        d["group"] = t.group
    d["kind"] = t.resource
    return d


def not_found(t, name: str) -> APIError:
    return APIError(404, "NotFound", f'{qualified(t)} "{name}" not found', _details(t, name))


def namespace_not_found(name: str) -> APIError:
    return APIError(404, "NotFound", f'namespaces "{name}" not found',
                    {"name": name, "kind": "namespaces"})


def already_exists(t, name: str) -> APIError:
    return APIError(409, "AlreadyExists", f'{qualified(t)} "{name}" already exists',
                    _details(t, name))


def conflict(t, name: str, why: str = "the object has been modified; please apply your "
                                      "changes to the latest version and try again") -> APIError:
    return APIError(409, "Conflict", f'Operation cannot be fulfilled on {qualified(t)} '
                                     f'"{name}": {why}', _details(t, name))


def invalid(t, name: str, field: str, cause_reason: str, cause_message: str) -> APIError:
    details = {"name": name}
    if t.group:
        details["group"] = t.group
    details.update(kind=t.kind, causes=[{"reason": cause_reason, "message": cause_message,
                                         "field": field}])
    return APIError(422, "Invalid", f'{t.kind} "{name}" is invalid: {field}: {cause_message}',
                    details)


def bad_request(message: str) -> APIError:
    return APIError(400, "BadRequest", message)


def method_not_allowed() -> APIError:
    return APIError(405, "MethodNotAllowed",
                    "the server does not allow this method on the requested resource")


def path_not_found(path: str) -> APIError:
    return APIError(404, "NotFound", "the server could not find the requested resource",
                    {"causes": [{"reason": "UnexpectedServerResponse", "message": "404 page not "
                                 f"found: {path}"}]})


def unauthorized() -> APIError:
    return APIError(401, "Unauthorized", "Unauthorized")


def not_acceptable() -> APIError:
    return APIError(406, "NotAcceptable", "only the following media types are accepted: "
                                          "application/json, application/yaml")


def unsupported_media_type(content_type: str) -> APIError:
    return APIError(415, "UnsupportedMediaType",
                    f'the body of the request was in an unknown format - accepted media types '
                    f'include: application/json, application/yaml (got "{content_type}")')


def gone(rv: int, oldest: int) -> APIError:
    return APIError(410, "Expired", f"too old resource version: {rv} ({oldest})")
