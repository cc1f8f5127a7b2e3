"""Keep the portal's long-running processes up, as systemd's ``Restart=on-failure`` does.

Used by `make demo` (scripts/demo.py) and the end-to-end portal (tests/e2e/server.py):
gunicorn, the gather/fetch consumers, the jobs worker and the mail sink each run in their
own process group (session), logged to ``<logs>/<name>.log``, with their pid in
``<pids>/<name>.pid``.

A process that exits with a non-zero status or is killed by a signal is restarted:
* its whole process group is killed first (gunicorn's orphaned workers free the port —
  systemd's ``KillMode=control-group``);
* after a back-off of 1, 2, 4, 8, 16 then 30 s between consecutive failures (reset once it
  has run for a minute — ``RestartSec``);
* at most ``burst`` starts within ``interval`` seconds; beyond that it is left stopped and
  marked failed (``StartLimitBurst``/``StartLimitIntervalSec``), the others keep running.
A clean exit (status 0) is not restarted. Every start, exit and give-up is logged to
``<logs>/supervisor.log`` with the time, the name, the pid and the exit status.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

BACKOFF_S = (1, 2, 4, 8, 16, 30)
STABLE_S = 60.0  # running this long resets the back-off


@dataclass
class Service:
    """One supervised process and its restart bookkeeping."""

    name: str
    argv: list[str]
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    failures: int = 0  # consecutive failed runs (back-off step)
    starts: deque[float] = field(default_factory=deque)
    restart_at: float | None = None
    failed: str | None = None  # why it was given up


class Supervisor:
    """Start processes and restart them on failure (see the module docstring)."""

    def __init__(self, logs: Path, pids: Path | None = None, *, burst: int = 5,
                 interval: float = 60.0, backoff: tuple[float, ...] = BACKOFF_S,
                 say: Callable[[str], None] | None = None) -> None:
        self.logs = logs
        self.backoff = backoff
        self.pids = pids or logs
        self.burst, self.interval = burst, interval
        self.say = say or (lambda msg: None)
        self.services: dict[str, Service] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # life cycle

    def start(self, name: str, argv: list[str], env: dict[str, str]
              ) -> subprocess.Popen[bytes]:
        """Start ``argv`` as ``name`` and supervise it from now on."""
        with self._lock:
            service = self.services[name] = Service(name, list(argv), dict(env))
            self._spawn(service)
            assert service.proc is not None
            return service.proc

    def watch(self, period: float = 0.5) -> None:
        """Supervise in a daemon thread (every ``period`` s) until `stop`."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, args=(period,), daemon=True,
                                            name="supervisor")
            self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """No more restarts; SIGTERM to every group, ``timeout`` s, then SIGKILL."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            procs = [s.proc for s in self.services.values() if s.proc is not None]
            for proc in procs:
                _signal_group(proc.pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            for proc in procs:
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    _signal_group(proc.pid, signal.SIGKILL)
                    proc.wait()
            for service in self.services.values():
                (self.pids / f"{service.name}.pid").unlink(missing_ok=True)
        self._log("stopped every process")

    # queries

    def pid(self, name: str) -> int | None:
        """The current pid of ``name`` (None while it waits for a restart)."""
        service = self.services[name]
        proc = service.proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def failed(self) -> dict[str, str]:
        """The processes given up (start limit hit): name → reason."""
        return {s.name: s.failed for s in self.services.values() if s.failed}

    # supervision

    def poll(self) -> None:
        """One round: note the processes that died, restart those whose back-off is over."""
        now = time.monotonic()
        with self._lock:
            if self._stop.is_set():
                return
            for service in self.services.values():
                self._poll_one(service, now)

    def _loop(self, period: float) -> None:
        while not self._stop.wait(period):
            try:
                self.poll()
            except Exception as err:  # noqa: BLE001 - the supervisor itself must not die
                self._log(f"supervisor error: {type(err).__name__}: {err}")

    def _poll_one(self, service: Service, now: float) -> None:
        if service.failed:
            return
        proc = service.proc
        if proc is not None:
            code = proc.poll()
            if code is None:
                return
            _signal_group(proc.pid, signal.SIGKILL)  # its orphans (gunicorn workers) too
            service.proc = None
            (self.pids / f"{service.name}.pid").unlink(missing_ok=True)
            status = f"signal {-code}" if code < 0 else f"status {code}"
            if code == 0:
                self._log(f"{service.name} (pid {proc.pid}) exited cleanly: not restarted")
                service.failed = "exited with status 0"
                return
            ran = now - service.started
            service.failures = 1 if ran >= STABLE_S else service.failures + 1
            delay = self.backoff[min(service.failures, len(self.backoff)) - 1]
            while service.starts and now - service.starts[0] > self.interval:
                service.starts.popleft()
            if len(service.starts) >= self.burst:
                service.failed = (f"{len(service.starts)} starts within "
                                  f"{self.interval:.0f} s, last exit {status}")
                self._log(f"{service.name} (pid {proc.pid}) exited with {status}: start "
                          f"limit reached ({service.failed}); left stopped, see "
                          f"{self.logs / (service.name + '.log')}")
                return
            service.restart_at = now + delay
            self._log(f"{service.name} (pid {proc.pid}) exited with {status} after "
                      f"{ran:.0f} s: restart in {delay} s")
            return
        if service.restart_at is not None and now >= service.restart_at:
            service.restart_at = None
            self._spawn(service)

    def _spawn(self, service: Service) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        self.pids.mkdir(parents=True, exist_ok=True)
        with open(self.logs / f"{service.name}.log", "ab") as log:
            service.proc = subprocess.Popen(service.argv, env=service.env, stdout=log,
                                            stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        service.started = time.monotonic()
        service.starts.append(service.started)
        (self.pids / f"{service.name}.pid").write_text(str(service.proc.pid))
        self._log(f"{service.name} started (pid {service.proc.pid}"
                  f"{', restart ' + str(len(service.starts) - 1) if len(service.starts) > 1 else ''})")

    def _log(self, message: str) -> None:
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}"
        self.logs.mkdir(parents=True, exist_ok=True)
        with open(self.logs / "supervisor.log", "a", encoding="utf-8") as out:
            out.write(line + "\n")
        if "started" not in message or "restart" in message:
            self.say(message)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)
