"""What every test shares: no test reaches the network."""

from __future__ import annotations

import socket
from typing import Any

import pytest

LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket connection outside this machine fails the test (local servers are fine)."""
    real = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family != socket.AF_UNIX and host not in LOCAL_HOSTS:
            raise AssertionError(f"network access to {address!r} during a test")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture(autouse=True)
def _fresh_model_registry(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Each test starts without a process-wide model registry, so the one it makes reads
    the prices and the cache setting the test put in the environment."""
    from simulator.models import _registry

    monkeypatch.setattr(_registry, "_default", None)
    yield
    if _registry._default is not None:
        _registry._default.close()
