"""pytest fixtures for the end-to-end tests: servers started from the built binary.

`server(*flags, tools=..., path_tools=..., env=...)` starts `K8S_MCP_BIN` (default
.build/debug/k8s-mcp-server) on a free loopback port with its own --work-dir (under a 0700 pytest
tmp dir), waits for GET /health (20 s) and returns a `support.Server` with `.url`, `.pid`,
`.work_dir`. At teardown each server gets SIGTERM and must exit with status 0 and leave no
per-request directory behind (kill -9 only as the last resort, and that fails the test).
"""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from support import (  # noqa: E402
    FAKE_TOOLS,
    REAL_KUBECTL_TOOLS,
    ServerFactory,
)


def _factory_fixture(base_dir):
    os.chmod(base_dir, 0o700)
    return ServerFactory(base_dir)


@pytest.fixture
def server(tmp_path):
    """Factory: `srv = server("--timeout", "2", tools=FAKE_TOOLS)`."""
    factory = _factory_fixture(tmp_path)
    yield factory.start
    problems = factory.stop_all()
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def module_servers(tmp_path_factory):
    factory = _factory_fixture(tmp_path_factory.mktemp("servers"))
    yield factory
    problems = factory.stop_all()
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def rest_server(module_servers):
    """One server per test module: real kubectl on PATH, helm/argocd = fake CLI, no istioctl."""
    return module_servers.start("--max-running", "64", tools=REAL_KUBECTL_TOOLS)


@pytest.fixture(scope="module")
def fake_server(module_servers):
    """One server per test module where kubectl/helm/argocd are all the fake CLI."""
    return module_servers.start("--max-running", "64", tools=FAKE_TOOLS)


def pytest_collection_modifyitems(config, items):
    """The planted-secrets check reads every server log of the run: it goes last."""
    last = [i for i in items if i.nodeid.split("::")[0].endswith("test_zz_planted_secrets.py")]
    items[:] = [i for i in items if i not in last] + last
