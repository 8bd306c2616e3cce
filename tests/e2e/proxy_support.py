"""What the API proxy's end-to-end tests share: a Kubernetes API emulator (tests/kubeapi, TLS,
recording every request) standing in for the cluster, a gateway whose own kubeconfig points at
it, tokens for the three roles, and helpers that run real kubectl/helm through the gateway and
look at what reached the emulator.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.kubeapi.emulator import Emulator  # noqa: E402

# The emulator's own token for the gateway: it must never appear in anything a child or a
# client sees, nor in any log.
UPSTREAM_TOKEN = "upstream-secret-token-7f3a9c"
ROLE_TOKENS = {"reader": "tok-reader-11aa", "operator": "tok-operator-22bb", "admin": "tok-admin-33cc"}
ROLES = {"reader": "read-only", "operator": "operator", "admin": "admin"}


def bearer(name: str) -> dict:
    return {"Authorization": f"Bearer {ROLE_TOKENS[name]}"}


def write_tokens(path: Path, namespaces: dict | None = None) -> Path:
    entries = []
    for name, token in ROLE_TOKENS.items():
        entry = {"name": name, "sha256": hashlib.sha256(token.encode()).hexdigest(), "role": ROLES[name]}
        if namespaces and name in namespaces:
            entry["namespaces"] = namespaces[name]
        entries.append(entry)
    path.write_text(json.dumps({"tokens": entries}))
    return path


class Cluster:
    """An emulator and a gateway in front of it."""

    def __init__(self, emulator: Emulator, gateway, root: Path):
        self.emu, self.gw, self.root = emulator, gateway, root

    def run(self, who: str | None, tool: str, command: str, expect_status: int = 200, **fields) -> dict:
        headers = bearer(who) if who else None
        return self.gw.run(tool, command, expect_status=expect_status, headers=headers, **fields)

    def reached(self, method: str | None = None, path_prefix: str | None = None, **match) -> list:
        return self.emu.requests_matching(method=method, path_prefix=path_prefix, **match)


def start_cluster(server, tmp_path: Path, *flags, namespaces=None, emulator_kw=None, env=None) -> Cluster:
    emu = Emulator(tokens={UPSTREAM_TOKEN: "gateway"}, **(emulator_kw or {})).start()
    kubeconfig = emu.kubeconfig(user="gateway", token=UPSTREAM_TOKEN, path=str(tmp_path / "gateway-kubeconfig"),
                                namespace="default")
    tokens = write_tokens(tmp_path / "tokens.json", namespaces)
    gw = server("--policy", "--cluster-kubeconfig", kubeconfig, "--tokens-file", str(tokens), *flags,
                path_tools=("kubectl", "helm"), env=env)
    return Cluster(emu, gw, tmp_path)


@pytest.fixture
def cluster(server, tmp_path):
    c = start_cluster(server, tmp_path)
    yield c
    c.emu.stop()
