#!/bin/sh
# install-tools.sh — installs kubectl, helm, istioctl and argocd at the versions pinned in
# tools.lock, verifying each download's SHA-256 for the target architecture before anything
# is unpacked or installed.
#
#   install-tools.sh [--dry-run] [--arch amd64|arm64] [--lock FILE] [--dest DIR] [TOOL...]
#
#   --dry-run   print what would be fetched and the checksum it must match; fetch nothing
#   --arch      target architecture (default: from TARGETARCH, else uname -m)
#   --lock      pin file (default: tools.lock beside this script)
#   --dest      install directory (default: /usr/local/bin)
#   TOOL...     a subset of kubectl helm istioctl argocd (default: all four)
#
# Exit status: 0 done; 1 a download or checksum failed; 2 bad usage or nothing pinned.
set -eu

script_dir=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
lock="$script_dir/tools.lock"
dest=/usr/local/bin
dry_run=0
arch="${TARGETARCH:-}"

usage() {
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
        --dry-run) dry_run=1 ;;
        --arch) [ $# -ge 2 ] || usage; arch="$2"; shift ;;
        --lock) [ $# -ge 2 ] || usage; lock="$2"; shift ;;
        --dest) [ $# -ge 2 ] || usage; dest="$2"; shift ;;
        -h|--help) usage ;;
        --*) echo "install-tools: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
    shift
done

if [ -z "$arch" ]; then
    case "$(uname -m)" in
        x86_64|amd64) arch=amd64 ;;
        aarch64|arm64) arch=arm64 ;;
        *) echo "install-tools: unsupported machine $(uname -m); pass --arch" >&2; exit 2 ;;
    esac
fi
case "$arch" in
    amd64|arm64) ;;
    *) echo "install-tools: unsupported architecture $arch (amd64 or arm64)" >&2; exit 2 ;;
esac
[ -r "$lock" ] || { echo "install-tools: cannot read $lock" >&2; exit 2; }

tools="${*:-kubectl helm istioctl argocd}"

# pin TOOL -> "VERSION SHA256" for $arch, or nothing.
pin() {
    awk -v t="$1" -v a="$arch" '$0 !~ /^#/ && $1 == t && $3 == a { print $2, $4; exit }' "$lock"
}

url_for() { # TOOL VERSION
    case "$1" in
        kubectl)  echo "https://dl.k8s.io/release/v$2/bin/linux/$arch/kubectl" ;;
        helm)     echo "https://get.helm.sh/helm-v$2-linux-$arch.tar.gz" ;;
        istioctl) echo "https://github.com/istio/istio/releases/download/$2/istioctl-$2-linux-$arch.tar.gz" ;;
        argocd)   echo "https://github.com/argoproj/argo-cd/releases/download/v$2/argocd-linux-$arch" ;;
        *) return 1 ;;
    esac
}

# Everything is checked before anything is fetched, so a missing pin fails fast.
plan=""
for tool in $tools; do
    case "$tool" in
        kubectl|helm|istioctl|argocd) ;;
        *) echo "install-tools: unknown tool $tool (kubectl, helm, istioctl, argocd)" >&2; exit 2 ;;
    esac
    entry=$(pin "$tool")
    if [ -z "$entry" ]; then
        echo "install-tools: $tool has no version pinned for $arch in $lock" >&2; exit 2
    fi
    version=${entry% *}
    sum=${entry#* }
    if ! printf '%s' "$sum" | grep -Eq '^[0-9a-f]{64}$'; then
        echo "install-tools: no SHA-256 pinned for $tool $version on $arch in $lock; refusing to install unverified" >&2
        exit 2
    fi
    plan="$plan$tool $version $sum $(url_for "$tool" "$version")
"
done

if [ "$dry_run" = 1 ]; then
    printf '%s' "$plan" | while read -r tool version sum url; do
        printf 'would fetch %s %s (%s)\n  from   %s\n  verify sha256 %s\n  install %s/%s\n' \
            "$tool" "$version" "$arch" "$url" "$sum" "$dest" "$tool"
    done
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$dest"
printf '%s' "$plan" | while read -r tool version sum url; do
    file="$work/$tool.download"
    echo "install-tools: fetching $tool $version for $arch" >&2
    curl --proto '=https' --tlsv1.2 --fail --silent --show-error --location --retry 3 --output "$file" "$url"
    if ! echo "$sum  $file" | sha256sum --check --status; then
        echo "install-tools: SHA-256 mismatch for $url (expected $sum)" >&2
        exit 1
    fi
    case "$tool" in
        helm)
            tar -xzf "$file" -C "$work" "linux-$arch/helm"
            install -m 0755 "$work/linux-$arch/helm" "$dest/helm" ;;
        istioctl)
            tar -xzf "$file" -C "$work" istioctl
            install -m 0755 "$work/istioctl" "$dest/istioctl" ;;
        *)
            install -m 0755 "$file" "$dest/$tool" ;;
    esac
    echo "install-tools: installed $dest/$tool ($version, sha256 verified)" >&2
done
