"""The request cache: a SQLite file of responses keyed by request hash, so a re-run is free.

The key is ``request_hash(role, request)``: role, model string, messages, tools and
generation settings, nothing else. Only the provider-neutral response is stored (text,
tool calls, stop reason, usage): never headers, keys or URLs.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

DEFAULT_CACHE_PATH = Path(".simulator-cache") / "requests.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    model TEXT NOT NULL,
    response TEXT NOT NULL,
    created REAL NOT NULL
)
"""


_SETUP_ATTEMPTS = 20
"""How often a new connection tries to set up the file (WAL, table) before giving up."""


class RequestCache:
    """Responses by request hash in one SQLite file (created with its folder on first use).

    Safe to share between dialogues of one process (a lock serialises access) and between
    processes (SQLite's own locking, WAL journal). Only successful responses are stored.
    """

    def __init__(self, path: str | Path = DEFAULT_CACHE_PATH) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            for attempt in range(_SETUP_ATTEMPTS):
                try:
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.execute(_SCHEMA)
                    conn.commit()
                    break
                except sqlite3.OperationalError as exc:
                    # processes opening a new file at once (workers) can meet SQLite's
                    # "database is locked" without its busy timeout: try again shortly
                    if "locked" not in str(exc) or attempt == _SETUP_ATTEMPTS - 1:
                        conn.close()
                        raise
                    time.sleep(0.01 * (attempt + 1))
            self._conn = conn
        return self._conn

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored response for ``key``, or None."""
        with self._lock:
            row = self._db().execute("SELECT response FROM responses WHERE key = ?", (key,))
            found = row.fetchone()
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        value: dict[str, Any] = json.loads(found[0])
        return value

    def put(self, key: str, *, role: str, model: str, response: dict[str, Any]) -> None:
        """Store a response (the first one stored for a key wins)."""
        body = json.dumps(response, sort_keys=True, ensure_ascii=False)
        with self._lock:
            db = self._db()
            db.execute(
                "INSERT OR IGNORE INTO responses VALUES (?, ?, ?, ?, ?)",
                (key, role, model, body, time.time()),
            )
            db.commit()

    def __len__(self) -> int:
        with self._lock:
            (count,) = self._db().execute("SELECT COUNT(*) FROM responses").fetchone()
        return int(count)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
