"""tests.kubeapi — an in-process Kubernetes API emulator that real kubectl and helm talk to,
recording every request (see emulator.py for the API and tests/README.md for an overview)."""
from .certs import TestCA
from .emulator import Emulator
from .records import Record

__all__ = ["Emulator", "Record", "TestCA"]
