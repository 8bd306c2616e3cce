"""execws.py — a minimal `pods/exec` over WebSocket (RFC 6455) with the Kubernetes channel
protocols `v5.channel.k8s.io` / `v4.channel.k8s.io`, what kubectl >= 1.30 tries first: the
101 handshake, stdin collected from channel 0 until the v5 close signal (channel 255) or the
client's close, then stdout (1), stderr (2), the v4 status message (3, a `Status`) and a
close frame. What the command "does" is `Emulator.exec_handler(namespace, pod, container,
command, stdin) -> (stdout, stderr, exit code)`; the default echoes the command line.

SPDY (kubectl's fallback) and attach/port-forward are not emulated: they get a 400 Status.
"""
from __future__ import annotations

import base64
import hashlib
import json
import struct

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
PROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io")


def default_handler(namespace, pod, container, command, stdin):
    return (" ".join(command) + "\n").encode() + stdin, b"", 0


def choose_protocol(offered: str) -> str | None:
    names = [p.strip() for p in (offered or "").split(",")]
    return next((p for p in PROTOCOLS if p in names), None)


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def frame(payload: bytes, opcode: int = 0x2) -> bytes:
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    return head + payload


def read_frame(rfile) -> tuple[int, bytes] | None:
    head = rfile.read(2)
    if len(head) < 2:
        return None
    opcode, n = head[0] & 0x0F, head[1] & 0x7F
    if n == 126:
        n = struct.unpack("!H", rfile.read(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", rfile.read(8))[0]
    mask = rfile.read(4) if head[1] & 0x80 else b""
    data = rfile.read(n)
    if mask:
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
    return opcode, data


def status_message(code: int) -> bytes:
    if code == 0:
        return json.dumps({"metadata": {}, "status": "Success"}).encode()
    return json.dumps({"metadata": {}, "status": "Failure",
                       "message": f"command terminated with non-zero exit code: exit status "
                                  f"{code}", "reason": "NonZeroExitCode",
                       "details": {"causes": [{"reason": "ExitCode",
                                               "message": str(code)}]}}).encode()


def session(rfile, write, protocol: str, want_stdin: bool, run) -> bytes:
    """Runs one exec session on an upgraded connection; returns the bytes sent (recorded)."""
    sent = b""

    def send(data: bytes, opcode: int = 0x2):
        nonlocal sent
        f = frame(data, opcode)
        write(f)
        sent += f

    stdin = b""
    while want_stdin:
        got = read_frame(rfile)
        if got is None:
            break
        opcode, data = got
        if opcode == 0x8:
            break
        if opcode == 0x9:
            send(data, 0xA)
            continue
        if not data:
            continue
        if data[0] == 0:
            stdin += data[1:]
        elif data[0] == 255 and data[1:2] == b"\x00" and protocol.startswith("v5"):
            break
    out, err, code = run(stdin)
    if out:
        send(b"\x01" + out)
    if err:
        send(b"\x02" + err)
    send(b"\x03" + status_message(code))
    send(struct.pack("!H", 1000), 0x8)
    return sent
