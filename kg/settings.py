"""Settings declared once (name, default, help) and used by the CLI, the server and the docs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str  # also the long option: --store, --port, …
    default: object
    help: str
    type: type = str


STORE = Setting("store", "var/store", "store directory (a symlink to the current build)")
HOST = Setting("host", "127.0.0.1", "address to bind; loopback unless told otherwise")
PORT = Setting("port", 7878, "TCP port", int)
TIMEOUT = Setting("timeout", 10.0, "seconds a query may run before it is stopped (HTTP 504)", float)
MAX_ROWS = Setting("max-rows", 100_000, "most result rows a query may return (HTTP 422 beyond)", int)
MAX_CONCURRENT = Setting("max-concurrent", 8, "most queries running at once, each in its own worker process (HTTP 503 when all stay busy)", int)
WORKERS = Setting("workers", 1, "documents parsed in parallel (processes)", int)

ALL = (STORE, HOST, PORT, TIMEOUT, MAX_ROWS, MAX_CONCURRENT, WORKERS)
