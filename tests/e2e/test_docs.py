"""The README stays true to the tree: its "Source layout" walk names every source file exactly
once (and no file that does not exist), and its settings table is the binary's own."""
from __future__ import annotations

import re

from support import REPO


def _layout_section() -> str:
    text = (REPO / "README.md").read_text()
    start = text.index("## Source layout")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def _source_files() -> set[str]:
    files = {str(p.relative_to(REPO / "Sources")) for p in (REPO / "Sources").rglob("*.swift")}
    files |= {str(p.relative_to(REPO)) for p in (REPO / "CLibUV").iterdir() if p.is_file()}
    for sysmod in (REPO / "Sources").iterdir():
        modulemap = sysmod / "module.modulemap"
        if modulemap.exists():
            files |= {str(p.relative_to(REPO / "Sources")) for p in sysmod.iterdir() if p.is_file()}
    return files


def test_source_layout_names_every_file_once():
    section = _layout_section()
    named = re.findall(r"`([A-Za-z0-9_+./-]+\.(?:swift|h|modulemap))`", section)
    counts: dict[str, int] = {}
    for path in named:
        counts[path] = counts.get(path, 0) + 1
    files = _source_files()
    missing = sorted(files - counts.keys())
    unknown = sorted(p for p in counts if p not in files and not p.startswith("Tests/"))
    twice = sorted(p for p, n in counts.items() if n > 1)
    assert not missing, f"README source layout does not name: {missing}"
    assert not unknown, f"README source layout names files that do not exist: {unknown}"
    assert not twice, f"README source layout names these more than once: {twice}"
