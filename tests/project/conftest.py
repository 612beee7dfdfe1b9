"""Outside services that fail for real: a Redis the test starts and stops, a socket that never
answers, a database connection pointed where no database listens."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
import redis
from django.db import connections

from apc_tracker.cache import redis_cache
from tests.conftest import skip_or_fail


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisProcess:
    """A redis-server of the test's own on a free port, with nothing saved to disk."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_timeout=1)
        for _ in range(200):
            with contextlib.suppress(redis.ConnectionError):
                client.ping()
                return
            time.sleep(0.02)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        self.resume()
        self.process.terminate()
        self.process.wait(timeout=10)

    def pause(self) -> None:
        """The process stops answering; the kernel still takes connections for it, as for a hung Redis."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def keys(self) -> list[bytes]:
        return redis.Redis(port=self.port, socket_timeout=1).keys()


@pytest.fixture
def redis_process():
    if shutil.which("redis-server") is None:
        skip_or_fail("no redis-server on this machine")
    server = RedisProcess()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


class SilentServer:
    """Takes connections and never answers: a Redis that hangs, or a firewall that swallows replies."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._take, daemon=True).start()

    def _take(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                self.connections.append(self.listener.accept()[0])

    def close(self) -> None:
        self.listener.close()
        for taken in self.connections:
            taken.close()


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def use_cache(settings):
    """Point the app's cache at a Redis URL with the production settings, and the breaker's intervals given."""

    def use(url: str, *, retry_seconds: float = 30, log_seconds: float = 60) -> None:
        entry = redis_cache(url)
        entry["OPTIONS"] |= {"RETRY_SECONDS": retry_seconds, "LOG_SECONDS": log_seconds}
        settings.CACHES = {"default": entry}

    return use


@contextlib.contextmanager
def database_unreachable():
    """The app's database connection pointed where no database answers, the test's own left as it is.

    PostgreSQL: a local port held closed; SQLite: a file in a folder that does not exist.
    """
    reachable = connections["default"]
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # held but never listening: nothing else can answer there
        if reachable.vendor == "postgresql":
            place = {"HOST": "127.0.0.1", "PORT": closed.getsockname()[1]}
        else:
            place = {"NAME": "/nonexistent/apc-tracker/db.sqlite3"}
        unreachable = reachable.__class__({**reachable.settings_dict, **place}, alias="default")
        connections["default"] = unreachable
        try:
            yield
        finally:
            connections["default"] = reachable
            unreachable.close()
