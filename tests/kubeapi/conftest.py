"""Fixtures of the emulator's tests (defined in clirun.py): `emu`, a started TLS emulator
with two tokens, and `cli`, real kubectl/helm pointed at it."""
from .clirun import cli, emu  # noqa: F401
