"""clirun.py — what the emulator's tests share: the real CLIs' paths, an `emu` fixture
(TLS, two tokens), `CLI` (runs kubectl / helm with a temp HOME and a kubeconfig for the
emulator) and `http()` (a request straight to the emulator, CA-verified).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from .emulator import Emulator

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CHART_TGZ = HERE / "charts" / "demo-0.1.0.tgz"
KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"
HELM = str(REPO / ".tools" / "bin" / "helm") if (REPO / ".tools/bin/helm").exists() \
    else shutil.which("helm")
TOKENS = {"tok-alice": "alice", "tok-bob": ("bob", ["devs"])}


@pytest.fixture
def emu():
    e = Emulator(tokens=dict(TOKENS)).start()
    yield e
    e.stop()


class CLI:
    def __init__(self, emu: Emulator, tmp_path: Path):
        self.emu, self.home = emu, tmp_path / "home"
        self.home.mkdir(exist_ok=True)

    def env(self, user="alice", kind="token", kubeconfig=None):
        kc = kubeconfig or self.emu.kubeconfig(user=user, kind=kind,
                                               path=str(self.home / f"kc-{user}-{kind}"))
        return dict(os.environ, HOME=str(self.home), KUBECONFIG=kc,
                    PATH=f"{REPO / '.tools' / 'bin'}:{os.environ.get('PATH', '')}")

    def run(self, tool, *args, user="alice", kind="token", stdin=None, timeout=30,
            kubeconfig=None):
        exe = KUBECTL if tool == "kubectl" else HELM
        return subprocess.run([exe, *args], env=self.env(user, kind, kubeconfig), input=stdin,
                              text=True, capture_output=True, timeout=timeout)

    def kubectl(self, *args, **kw):
        return self.run("kubectl", *args, **kw)

    def ok(self, *args, **kw) -> str:
        p = self.run("kubectl", *args, **kw)
        assert p.returncode == 0, f"kubectl {args}: {p.stderr}"
        return p.stdout

    def helm(self, *args, **kw) -> str:
        p = self.run("helm", *args, **kw)
        assert p.returncode == 0, f"helm {args}: {p.stderr}"
        return p.stdout

    def popen(self, *args, user="alice"):
        return subprocess.Popen([KUBECTL, *args], env=self.env(user), text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture
def cli(emu, tmp_path):
    return CLI(emu, tmp_path)


def http(emu, method, path, body=None, token="tok-alice", headers=None, **kw):
    ca = Path(emu._dir) / "ca.crt"
    ca.write_bytes(emu.ca_pem)
    h = {"Authorization": f"Bearer {token}"} if token else {}
    h.update(headers or {})
    if body is not None and not isinstance(body, (bytes, str)):
        body = json.dumps(body)
        h.setdefault("Content-Type", "application/json")
    return requests.request(method, emu.url + path, data=body, headers=h, verify=str(ca),
                            timeout=10, **kw)
