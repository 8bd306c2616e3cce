"""helm's output forms, with real helm (.tools/bin/helm, v4) through the gateway against the
Kubernetes API emulator (tests/kubeapi), issue 14 item 4: every form that carries the release's
values or rendered Secrets is masked, or refused with a reason.

A chart repository (tests/kubeapi/charts/demo, indexed here) is served on loopback and
allow-listed; the release is installed through the gateway with secret values of every `--set`
kind. Before, `status -o json|yaml`, `install|upgrade -o json|yaml` printed them in clear and
`get all --template` formatted the whole release.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from support import HELM_BIN, REPO, plant  # noqa: E402

sys.path.insert(0, str(REPO / "tests"))
from kubeapi import Emulator  # noqa: E402

pytestmark = pytest.mark.skipif(not HELM_BIN.exists(), reason="no helm in .tools/bin (scripts/test-env.sh)")

P_ADMIN = plant("adm1n-pl4nt")       # --set adminPass=
P_PWD = plant("pwd-pl4nt-2")         # --set-string db.pwd=
P_TOKEN = plant("t0ken-pl4nt-3")     # --set-json auth={"apiToken": ...}
P_CHART = plant("chart-secret-pl4nt")  # --set password= (rendered into the chart's Secret)
SECRETS = (P_ADMIN, P_PWD, P_TOKEN, P_CHART)
SETS = (f"--set adminPass={P_ADMIN} --set-string db.pwd={P_PWD} --set password={P_CHART} "
        f"--set-json 'auth={{\"apiToken\":\"{P_TOKEN}\"}}' --set replicas=2")


@pytest.fixture(scope="module")
def env(module_servers, tmp_path_factory):
    root = tmp_path_factory.mktemp("helm-output")
    charts = root / "charts"
    charts.mkdir()
    shutil.copy(REPO / "tests" / "kubeapi" / "charts" / "demo-0.1.0.tgz", charts)
    subprocess.run([str(HELM_BIN), "repo", "index", str(charts)], check=True, capture_output=True,
                   env={"HOME": str(root), "PATH": "/usr/bin:/bin"})
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(charts))
    handler.log_message = lambda *a: None
    repo = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=repo.serve_forever, daemon=True).start()
    repo_url = f"http://127.0.0.1:{repo.server_address[1]}/"
    emu = Emulator(tokens={"tok-admin": "admin"}).start()
    kubeconfig = emu.kubeconfig(user="admin", kind="token", path=str(root / "admin-kubeconfig"))
    srv = module_servers.start("--policy", "--allow-url", repo_url, "--max-running", "8",
                               tools={"helm": HELM_BIN}, env={"KUBECONFIG": kubeconfig})
    install = srv.run("helm", f"install r1 demo --repo {repo_url} -n default {SETS} -o json")
    yield srv, repo_url, install
    emu.stop()
    repo.shutdown()


def clean(text: str) -> bool:
    return not any(s in text for s in SECRETS)


# (form, command template, expectation): "masked" = success, nothing planted shows, <redacted>
# shows; "clean" = success, nothing planted shows (the form carries no values); "refused".
FORMS = [
    ("install -o json", "install r2 demo --repo {repo} -n default {sets} -o json", "masked"),
    ("install -o yaml", "install r3 demo --repo {repo} -n default {sets} -o yaml", "masked"),
    ("install --dry-run --debug", "install r4 demo --repo {repo} -n default {sets} --dry-run=client --debug", "masked"),
    ("upgrade -o json", "upgrade r1 demo --repo {repo} -n default {sets} -o json", "masked"),
    ("upgrade -o yaml", "upgrade r1 demo --repo {repo} -n default {sets} -o yaml", "masked"),
    ("upgrade --debug", "upgrade r1 demo --repo {repo} -n default {sets} --debug", "masked"),
    ("status", "status r1 -n default", "clean"),
    ("status -o json", "status r1 -n default -o json", "masked"),
    ("status -o yaml", "status r1 -n default -o yaml", "masked"),
    ("status --debug", "status r1 -n default --debug", "clean"),
    ("get values", "get values r1 -n default", "masked"),
    ("get values -a", "get values r1 -n default -a", "masked"),
    ("get values -o json", "get values r1 -n default -o json", "masked"),
    ("get values -o table", "get values r1 -n default -o table", "masked"),
    ("get all", "get all r1 -n default", "masked"),
    ("get all --template", "get all r1 -n default --template {{.Release.Config}}", "refused"),
    ("get manifest", "get manifest r1 -n default", "masked"),
    ("get hooks", "get hooks r1 -n default", "clean"),
    ("get notes", "get notes r1 -n default", "clean"),
    ("get metadata -o json", "get metadata r1 -n default -o json", "clean"),
    ("history -o json", "history r1 -n default -o json", "clean"),
    ("list -o json", "list -n default -o json", "clean"),
    ("template", "template r5 demo --repo {repo} -n default {sets}", "masked"),
    ("template --debug", "template r5 demo --repo {repo} -n default {sets} --debug", "masked"),
]


def test_the_install_itself_is_masked(env):
    _srv, _repo, install = env
    assert install["success"], install
    assert clean(install["output"]) and "<redacted>" in install["output"]
    release = json.loads(install["output"])
    assert release["config"]["adminPass"] == "<redacted>" and release["config"]["replicas"] == 2


@pytest.mark.parametrize("form,command,expect", FORMS, ids=[f[0] for f in FORMS])
def test_helm_output_forms(env, form, command, expect):
    srv, repo, _ = env
    r = srv.post("helm", {"command": command.format(repo=repo, sets=SETS)})
    body = r.json()
    if expect == "refused":
        assert r.status_code == 403 and body["rule"] == "secret_output" and "--template" in body["reason"], body
        return
    assert r.status_code == 200 and body["success"], body
    assert clean(body["output"]) and clean(body["error"] or ""), body["output"][:2000]
    if expect == "masked":
        assert "<redacted>" in body["output"] and body.get("output_redacted") is True, body["output"][:2000]
    if form.endswith("-o json") and expect == "masked":
        json.loads(body["output"])   # still a JSON document
