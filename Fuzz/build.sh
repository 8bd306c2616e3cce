#!/usr/bin/env bash
# Fuzz/build.sh [target ...] — builds the libFuzzer binaries into $FUZZ_OUT (default
# $FUZZ_SCRATCH/fuzz/bin; FUZZ_SCRATCH defaults to .build-fuzz). Each target is one
# `swiftc -sanitize=fuzzer,address` compile of a pure module's sources together with
# Fuzz/Support/*.swift (+ Fuzz/Support/<Module>/) and Fuzz/Targets/<target>.swift (one module,
# so targets may use internal API). MCPProtocol and Commands targets link JSON, Commands ones also Yams (built once, instrumented,
# from the package's resolved checkout). No target of Package.swift is involved.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
if [ -x /opt/swift/usr/bin/swiftc ]; then export PATH=/opt/swift/usr/bin:$PATH; fi
SCRATCH=${FUZZ_SCRATCH:-$ROOT/.build-fuzz}
OUT=${FUZZ_OUT:-$SCRATCH/fuzz/bin}
OBJ=$SCRATCH/fuzz/obj
mkdir -p "$OUT" "$OBJ"

ALL_TARGETS=(http1-split http1-structured json-roundtrip jsonrpc sentinel tokenizer policy kubeconfig caller-kubeconfig)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")

SWIFT_FLAGS=(-sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g)

module_of() {
    case $1 in
        http1-*) echo HTTP1 ;;
        json-roundtrip) echo JSON ;;
        jsonrpc|sentinel) echo MCPProtocol ;;
        tokenizer|policy|kubeconfig) echo Commands ;;
        caller-kubeconfig) echo KubeAPI ;;
        *) echo "unknown fuzz target $1" >&2; return 1 ;;
    esac
}

# JSON (MCPProtocol and Commands import it) as its own instrumented module, like Yams below.
build_json() {
    local stamp=$OBJ/json.stamp
    if [ -f "$stamp" ] && [ -z "$(find Sources/JSON -newer "$stamp" -name '*.swift')" ]; then return 0; fi
    mkdir -p "$OBJ/json"
    swiftc "${SWIFT_FLAGS[@]}" -module-name JSON -wmo -c \
        -emit-module -emit-module-path "$OBJ/json/JSON.swiftmodule" \
        Sources/JSON/*.swift -o "$OBJ/json/JSON.o"
    touch "$stamp"
}

# Yams (Commands imports it for the kubeconfig checker): CYaml with clang, Yams with swiftc.
build_yams() {
    local yams=$SCRATCH/checkouts/Yams/Sources
    if [ ! -d "$yams" ]; then
        swift package resolve --scratch-path "$SCRATCH" >/dev/null
    fi
    local stamp=$OBJ/yams.stamp
    [ -f "$stamp" ] && [ "$stamp" -nt "$yams/Yams/Node.swift" ] && return 0
    mkdir -p "$OBJ/yams"
    for c in "$yams"/CYaml/src/*.c; do
        clang -c -O2 -g -fsanitize=fuzzer-no-link,address -DYAML_DECLARE_STATIC \
            -I "$yams/CYaml/include" "$c" -o "$OBJ/yams/cyaml-$(basename "$c" .c).o"
    done
    swiftc "${SWIFT_FLAGS[@]}" -swift-version 5 -module-name Yams -wmo -c -DSWIFT_PACKAGE \
        -Xcc -DYAML_DECLARE_STATIC -I "$yams/CYaml/include" \
        -emit-module -emit-module-path "$OBJ/yams/Yams.swiftmodule" \
        "$yams"/Yams/*.swift -o "$OBJ/yams/Yams.o"
    touch "$stamp"
}

for target in "${TARGETS[@]}"; do
    module=$(module_of "$target")
    extra=()
    if [ "$module" = MCPProtocol ] || [ "$module" = Commands ] || [ "$module" = KubeAPI ]; then
        build_json
        extra=(-I "$OBJ/json" "$OBJ/json/JSON.o")
    fi
    if [ "$module" = Commands ] || [ "$module" = KubeAPI ]; then
        build_yams
        extra+=(-I "$OBJ/yams" -I "$SCRATCH/checkouts/Yams/Sources/CYaml/include" -Xcc -DYAML_DECLARE_STATIC
                "$OBJ"/yams/*.o)
    fi
    echo "fuzz build: $target ($module)"
    support=(Fuzz/Support/*.swift)
    if [ -d "Fuzz/Support/$module" ]; then support+=(Fuzz/Support/"$module"/*.swift); fi
    log=$OBJ/$target.log
    # ld.gold warns about every ASan helper symbol; show the rest.
    if ! swiftc "${SWIFT_FLAGS[@]}" -module-name "Fuzz_${target//-/_}" \
        Sources/"$module"/*.swift "${support[@]}" "Fuzz/Targets/$target.swift" \
        "${extra[@]}" -o "$OUT/$target" >"$log" 2>&1; then
        grep -v 'Cannot export local symbol' "$log" >&2
        exit 1
    fi
    grep -v 'Cannot export local symbol' "$log" >&2 || true
done
