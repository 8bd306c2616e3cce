"""Runs an MCP stdio server and copies every line it writes to stdout into a capture file as
well, so that a client library we do not patch (mcp 1.x, fastmcp) can be checked message by
message. Usage: stdio_tee.py CAPTURE_FILE -- SERVER ARGS...  Standard library only: it runs in
whichever client venv starts it. EOF on stdin reaches the server; SIGTERM/SIGINT are passed on.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading


def main() -> int:
    capture, sep, *argv = sys.argv[1:]
    assert sep == "--" and argv, __doc__
    child = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda s, _f: child.send_signal(s))

    def pump_in():
        while chunk := os.read(0, 65536):
            child.stdin.write(chunk)
        child.stdin.close()

    threading.Thread(target=pump_in, daemon=True).start()
    with open(capture, "ab") as log:
        while chunk := os.read(child.stdout.fileno(), 1 << 20):
            view = memoryview(chunk)
            while view:
                view = view[os.write(1, view):]
            log.write(chunk)
    return child.wait()


if __name__ == "__main__":
    sys.exit(main())
