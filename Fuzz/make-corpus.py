#!/usr/bin/env python3
"""Fuzz/make-corpus.py — (re)writes the seed corpora in Fuzz/corpus/<target>/ from the unit-test
vectors in Tests/. Swift string literals (and concatenations of literals and simple `let`
constants, as the HTTP tests build their inputs) are read from the test files and unescaped;
each target gets the ones that fit its input format. Seeds are named by content hash, so
rerunning is idempotent. The corpora are committed; rerun after adding test vectors.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "Tests"
CORPUS = ROOT / "Fuzz" / "corpus"

LITERAL = r'"(?:[^"\\\n]|\\.)*"'
TERM = rf'(?:{LITERAL}|(?:Self\.)?[A-Za-z_][A-Za-z0-9_]*)'
CONCAT = re.compile(rf'{TERM}(?:\s*\+\s*{TERM})*')
DEFINITION = re.compile(rf'(?:let|var)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*String\s*)?=\s*({TERM}(?:\s*\+\s*{TERM})*)')


def unescape(body: str) -> str | None:
    if "\\(" in body:
        return None  # interpolation: not a constant
    out, i = [], 0
    simple = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", '"': '"', "'": "'", "\\": "\\"}
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = body[i + 1]
        if n in simple:
            out.append(simple[n])
            i += 2
        elif n == "u" and body[i + 2:i + 3] == "{" and "}" in body[i:]:
            end = body.index("}", i)
            try:
                out.append(chr(int(body[i + 3:end], 16)))
            except ValueError:
                return None
            i = end + 1
        else:
            return None
    return "".join(out)


def evaluate(expr: str, names: dict[str, str]) -> str | None:
    parts = re.findall(TERM, expr)
    out = []
    for p in parts:
        if p.startswith('"'):
            s = unescape(p[1:-1])
        else:
            s = names.get(p.removeprefix("Self."))
        if s is None:
            return None
        out.append(s)
    return "".join(out)


def strings(paths) -> list[str]:
    found: list[str] = []
    for path in paths:
        text = path.read_text()
        names: dict[str, str] = {}
        for m in DEFINITION.finditer(text):
            v = evaluate(m.group(2), names)
            if v is not None:
                names[m.group(1)] = v
        for m in CONCAT.finditer(text):
            if '"' not in m.group(0):
                continue
            v = evaluate(m.group(0), names)
            if v is not None and v not in found:
                found.append(v)
        # Raw strings #"..."# (the MCP tests write JSON this way): no escapes inside.
        for m in re.finditer(r'#"(.*?)"#', text):
            if "\\#(" not in m.group(1) and m.group(1) not in found:
                found.append(m.group(1))
    return found


def write(target: str, seeds) -> int:
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    n = 0
    for seed in seeds:
        data = seed.encode() if isinstance(seed, str) else bytes(seed)
        name = hashlib.sha1(data).hexdigest()[:16]
        (d / name).write_bytes(data)
        n += 1
    return n


def main() -> int:
    rng = random.Random(8)
    http = [s for s in strings(sorted((TESTS / "HTTP1Tests").glob("*.swift"))) if "HTTP/" in s]
    mcp = strings(sorted((TESTS / "MCPProtocolTests").glob("*.swift")))
    json_like = [s for s in mcp if s[:1] in "{[" or s.strip()[:1] in "{[\""]
    headers = strings([TESTS / "MCPProtocolTests" / "HeaderValueTests.swift"])
    commands = strings(sorted((TESTS / "CommandsTests").glob("Policy*.swift"))
                       + [TESTS / "CommandsTests" / "CommandTokenizerTests.swift",
                          TESTS / "CommandsTests" / "ArgvBuilderTests.swift"])
    tools = {"kubectl": 0, "helm": 1, "istioctl": 2, "argocd": 3}
    policy = []
    for path in sorted((TESTS / "CommandsTests").glob("Policy*.swift")):
        text = path.read_text()
        for m in re.finditer(rf'\.(kubectl|helm|istioctl|argocd)\s*,\s*(?:command:\s*)?({LITERAL})', text):
            cmd = unescape(m.group(2)[1:-1])
            if cmd is None:
                continue
            for bits, mode in ((0, 0), (0x04, 0), (0x02, 1), (0x10, 3), (0x04, 2)):
                policy.append(bytes([tools[m.group(1)], bits, mode]) + cmd.encode())
    kube_rows = strings([TESTS / "CommandsTests" / "KubeconfigCheckerTests.swift"])
    base = ("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n{cluster}\n"
            "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n"
            "users:\n- name: u\n  user:\n{user}\n")
    kube = []
    for row in kube_rows:
        if row.startswith("    "):
            for doc in (base.format(cluster="    server: https://api.example.com:6443", user=row),
                        base.format(cluster=row, user="    token: abc")):
                kube += [b"\x00" + doc.encode(), b"\x01" + doc.encode()]
    kube.append(b"\x00" + json.dumps({"clusters": [{"name": "c", "cluster": {"server": "https://10.0.0.1"}}]}).encode())
    kube.append(b"\x00a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nclusters: [*c, *c]\n")
    recipes = [bytes(rng.randrange(256) for _ in range(rng.randrange(8, 120))) for _ in range(48)]

    counts = {
        "http1-split": write("http1-split", [b"\x00" + s.encode() for s in http] + [b"\x01" + s.encode() for s in http]),
        "http1-structured": write("http1-structured", recipes + [s.encode() for s in http[:40]]),
        "json-roundtrip": write("json-roundtrip", json_like),
        "jsonrpc": write("jsonrpc", json_like),
        "sentinel": write("sentinel", headers),
        "tokenizer": write("tokenizer", commands),
        "policy": write("policy", policy),
        "kubeconfig": write("kubeconfig", kube),
    }
    for target, n in counts.items():
        print(f"{target:18} {n:4} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
