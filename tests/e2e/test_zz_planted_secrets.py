"""The whole suite's logs hold none of the secrets its tests planted (issue 14, item 3).

Every server started through `ServerFactory` or `ops_support.launch` registers its log file
(stderr and stdout) and its `--audit-log` file in `support.LOG_FILES`; tests register the
secrets they send (URL passwords, --set/--set-json values, bearer tokens, kubeconfig tokens)
with `support.plant()`. This module runs last (conftest orders it), after every other module's
servers have stopped, and greps all of those files for all of those secrets.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from support import LOG_FILES, PLANTED_SECRETS  # noqa: E402


def test_no_log_of_the_run_holds_a_planted_secret():
    found = []
    read = 0
    for path in dict.fromkeys(LOG_FILES):
        try:
            text = path.read_text(errors="replace")
        except FileNotFoundError:
            continue
        read += 1
        for secret in PLANTED_SECRETS:
            if secret in text:
                line = next(l for l in text.splitlines() if secret in l)
                found.append(f"{path}: {secret!r} in {line[:300]}")
    if PLANTED_SECRETS:
        assert read > 0, "no server log was collected"
    assert not found, "planted secrets reached a log:\n" + "\n".join(found)
