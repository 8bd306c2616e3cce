"""Deployment artifacts: scripts/lint-ops.sh (hadolint, shellcheck, systemd-analyze verify,
helm lint, helm template | kubectl apply --dry-run=client, the chart's config through
check-config), docker/install-tools.sh --dry-run, and the Dockerfile's shape."""
from __future__ import annotations

import os
import re
import subprocess

from support import REPO, SERVER_BIN

LOCK = REPO / "docker" / "tools.lock"
INSTALL = REPO / "docker" / "install-tools.sh"


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=kw.pop("timeout", 300), cwd=REPO, **kw)


def test_lint_ops_script_passes():
    env = dict(os.environ, K8S_MCP_BIN=str(SERVER_BIN))
    r = run(["bash", "scripts/lint-ops.sh"], env=env, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    for check in ("hadolint", "shellcheck", "systemd-analyze", "helm lint",
                  "helm template | kubectl apply --dry-run=client", "chart config check-config",
                  "install-tools --dry-run"):
        # Each check either ran ("ok") or says clearly why its tool is missing ("skip").
        assert f"ok {check}" in r.stdout or f"skip {check.split()[0]}" in r.stderr, (check, r.stdout, r.stderr)


def lock_entries():
    out = {}
    for line in LOCK.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        tool, version, arch, sha = line.split()
        out[(tool, arch)] = (version, sha)
    return out


def test_install_tools_dry_run_prints_every_fetch_and_checksum():
    r = run(["sh", str(INSTALL), "--dry-run", "--arch", "amd64", "--dest", "/opt/x"])
    assert r.returncode == 0, r.stderr
    entries = lock_entries()
    for tool in ("kubectl", "helm", "istioctl", "argocd"):
        version, sha = entries[(tool, "amd64")]
        assert re.search(rf"would fetch {tool} {re.escape(version)} \(amd64\)", r.stdout)
        assert f"verify sha256 {sha}" in r.stdout
        assert f"install /opt/x/{tool}" in r.stdout
    assert "https://dl.k8s.io/release/v" in r.stdout
    assert "https://get.helm.sh/helm-v" in r.stdout


def test_install_tools_dry_run_fetches_nothing(tmp_path):
    # No network access and no files: a dry run must not try either.
    env = {"PATH": "/usr/bin:/bin", "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"}
    r = run(["sh", str(INSTALL), "--dry-run", "--arch", "arm64", "--dest", str(tmp_path / "bin"),
             "kubectl", "helm"], env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("would fetch") == 2
    assert "/arm64/kubectl" in r.stdout and "linux-arm64.tar.gz" in r.stdout
    assert not (tmp_path / "bin").exists()


def test_install_tools_refuses_what_is_not_pinned(tmp_path):
    lock = tmp_path / "tools.lock"
    lock.write_text("kubectl 1.34.1 amd64 -\nhelm 3.18.4 amd64 nothex\n")
    for tool in ("kubectl", "helm"):
        r = run(["sh", str(INSTALL), "--dry-run", "--arch", "amd64", "--lock", str(lock), tool])
        assert r.returncode == 2
        assert "refusing to install unverified" in r.stderr
    r = run(["sh", str(INSTALL), "--dry-run", "--arch", "amd64", "--lock", str(lock), "istioctl"])
    assert r.returncode == 2 and "no version pinned" in r.stderr
    r = run(["sh", str(INSTALL), "--dry-run", "--arch", "s390x"])
    assert r.returncode == 2
    r = run(["sh", str(INSTALL), "--dry-run", "--arch", "amd64", "oc"])
    assert r.returncode == 2 and "unknown tool" in r.stderr


def test_lock_pins_every_tool_for_amd64_with_real_checksums():
    entries = lock_entries()
    for tool in ("kubectl", "helm", "istioctl", "argocd"):
        version, sha = entries[(tool, "amd64")]
        assert re.fullmatch(r"[0-9a-f]{64}", sha), tool
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), tool


def test_dockerfile_shape():
    text = (REPO / "docker" / "Dockerfile").read_text()
    froms = re.findall(r"^FROM (\S+)", text, re.M)
    assert len(froms) == 3, froms
    assert "ARG RUNTIME_IMAGE=debian:bookworm-slim" in text
    assert re.search(r"ARG SWIFT_IMAGE=swift:\S+-bookworm", text)
    assert "./scripts/build-release.sh" in text, "the image builds with the script CI uses"
    runtime = re.findall(r"apt-get install[^\n]*tini[^\n]*", text)
    assert runtime, "the runtime stage installs tini"
    # Every shared library the binary needs (besides glibc and the toolchain's) is in the
    # runtime stage: read the binary's NEEDED entries.
    needed = subprocess.run(["readelf", "-d", str(SERVER_BIN)], capture_output=True, text=True).stdout
    packages = {"libuv.so.1": "libuv1", "libssl.so.3": "libssl3", "libcrypto.so.3": "libssl3", "libcurl.so.4": "libcurl4"}
    for soname, package in packages.items():
        if soname in needed:
            assert f" {package} " in runtime[0] + " ", (soname, runtime[0])
    assert "libuv.so.1" in needed and "libcurl.so.4" in needed
    assert 'ENTRYPOINT ["/usr/bin/tini", "--"' in text
    assert re.search(r"^USER 10001:10001$", text, re.M)
    assert re.search(r"^HEALTHCHECK .*\n?.*/health", text, re.M)
    assert "install-tools.sh" in text and "tools.lock" in text


def test_compose_mounts_kubeconfig_read_only():
    import yaml
    doc = yaml.safe_load((REPO / "docker" / "compose.yaml").read_text())
    svc = doc["services"]["gateway"]
    assert svc["build"]["dockerfile"] == "docker/Dockerfile"
    assert any(v.endswith(":/home/k8smcp/.kube/config:ro") for v in svc["volumes"])
    assert svc["read_only"] is True and svc["cap_drop"] == ["ALL"]
    assert svc["ports"] == ["127.0.0.1:9096:9096"]


def test_systemd_units_carry_the_hardening():
    service = (REPO / "deploy" / "systemd" / "k8s-mcp-server.service").read_text()
    for directive in ("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                      "DynamicUser=yes", "CapabilityBoundingSet=\n", "SystemCallFilter=@system-service",
                      "RestrictAddressFamilies=", "LimitNOFILE=", "TasksMax=", "KillMode=control-group",
                      "Type=notify", "WatchdogSec=", "ExecReload=/bin/kill -HUP $MAINPID"):
        assert directive in service, directive
    socket_unit = (REPO / "deploy" / "systemd" / "k8s-mcp-server.socket").read_text()
    assert "ListenStream=" in socket_unit
