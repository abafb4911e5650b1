"""Test helpers for sync: a school server in a thread or a subprocess, and a fault-injecting TCP
proxy on 127.0.0.1 that breaks connections in the ways school Wi-Fi does."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import uvicorn

from tutor.server import accounts
from tutor.server.app import create_app, open_storage
from tutor.server.storage import Storage

TUTOR = Path(sys.executable).with_name("tutor")
TEACHER, PASSWORD, CLASS = "Ms Banda", "correct horse", "Year 3"

FAULTS = ("ok", "drop_request", "drop_after_commit", "drop_response", "delay")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"port {port} not listening")


def setup_class(storage: Storage) -> str:
    """A teacher and a class; returns the class code."""
    if storage.teacher_by_name(TEACHER) is None:
        accounts.add_teacher(storage, TEACHER, PASSWORD)
    return accounts.class_code(storage, TEACHER, CLASS).code


class ThreadServer:
    """The real app on uvicorn, in a thread of the test process."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadServer:
        self.storage = open_storage(self.data)
        config = uvicorn.Config(
            create_app(self.storage, self.data),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.storage.close()


class SubprocessServer:
    """``tutor server`` as a user starts it; can be SIGKILLed and started again."""

    def __init__(self, data: Path, port: int | None = None) -> None:
        self.data = data
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [str(TUTOR), "server", "--data", str(self.data), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_port(self.port)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> SubprocessServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class FaultProxy:
    """Forwards 127.0.0.1:port to the server, applying one fault per connection from
    ``schedule`` (then "ok"). Counts the bytes in each direction."""

    def __init__(
        self,
        target_port: int,
        schedule: list[str] | None = None,
        on_kill: Callable[[], None] | None = None,
    ) -> None:
        self.target_port = target_port
        self.schedule = list(schedule or [])
        self.on_kill = on_kill
        self.bytes_up = self.bytes_down = 0
        self.applied: list[str] = []
        self._lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(256)
        self.port = int(self.listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closed = True
        self.listener.close()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            with self._lock:
                fault = self.schedule.pop(0) if self.schedule else "ok"
                self.applied.append(fault)
            threading.Thread(target=self._handle, args=(client, fault), daemon=True).start()

    def _handle(self, client: socket.socket, fault: str) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=30)
        except OSError:
            # The server is down (e.g. killed and not restarted yet): this connection could not
            # carry its fault, so the next one gets it and the schedule still happens in full.
            with self._lock:
                self.applied.append(f"refused ({fault} postponed)")
                if fault != "ok":
                    self.schedule.insert(0, fault)
            client.close()
            return
        broken = threading.Event()

        def close_both() -> None:
            broken.set()
            for s in (client, upstream):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

        def up() -> None:
            seen = b""
            needed: int | None = None
            forwarded = 0
            try:
                while not broken.is_set():
                    chunk = client.recv(65536)
                    if not chunk:
                        upstream.shutdown(socket.SHUT_WR)
                        return
                    if fault == "drop_request":
                        upstream.sendall(chunk[: max(1, len(chunk) // 2)])
                        close_both()
                        return
                    upstream.sendall(chunk)
                    forwarded += len(chunk)
                    with self._lock:
                        self.bytes_up += len(chunk)
                    if fault == "kill":
                        seen += chunk
                        if needed is None and b"\r\n\r\n" in seen:
                            head, _sep, _rest = seen.partition(b"\r\n\r\n")
                            length = 0
                            for line in head.split(b"\r\n")[1:]:
                                key, _c, value = line.partition(b":")
                                if key.strip().lower() == b"content-length":
                                    length = int(value)
                            needed = len(head) + 4 + length
                        if needed is not None and forwarded >= needed:
                            time.sleep(random.uniform(0, 0.005))  # somewhere in the batch
                            if self.on_kill:
                                self.on_kill()
                            close_both()
                            return
            except OSError:
                close_both()

        def down() -> None:
            try:
                while not broken.is_set():
                    chunk = upstream.recv(65536)
                    if not chunk:
                        close_both()
                        return
                    if fault == "drop_after_commit":
                        close_both()  # the server committed and answered; the ack is lost
                        return
                    if fault == "drop_response":
                        client.sendall(chunk[: len(chunk) // 2])
                        close_both()
                        return
                    if fault == "delay":
                        time.sleep(0.05)
                    client.sendall(chunk)
                    with self._lock:
                        self.bytes_down += len(chunk)
            except OSError:
                close_both()

        threading.Thread(target=up, daemon=True).start()
        down()
