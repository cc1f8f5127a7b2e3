"""Start, stop and check the demo's running departmental systems (the health API).

    python demo/run_systems.py start  [--state-dir .demo] [--port 0]
    python demo/run_systems.py status [--state-dir .demo]
    python demo/run_systems.py stop   [--state-dir .demo]

``start`` runs ``demo/health_api.py`` in the background on 127.0.0.1 (``--port 0``: a
free port chosen by the server itself), with the token from ``<state>/secrets.env``
(written by ``demo/seed.py``), and writes ``<state>/systems.env`` with
``DN_SYT_API_PORT`` and ``SMARTCITY_DEMO_DROPBOX``. A healthy running API is reused.
The PostgreSQL databases need no process of their own (they live in the project's
cluster). ``stop`` ends only the process recorded in ``<state>/health_api.pid``.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from departments.secrets_env import read_env, write_env  # noqa: E402

HERE = Path(__file__).resolve().parent
SERVER = HERE / "health_api.py"
TOKEN_ENV = "DN_SYT_API_TOKEN"


def _paths(state: Path) -> dict[str, Path]:
    return {"pid": state / "health_api.pid", "port": state / "health_api.port",
            "log": state / "health_api.log", "env": state / "systems.env",
            "secrets": state / "secrets.env", "dropbox": state / "dropbox"}


def healthy(port: int, timeout: float = 1.0) -> bool:
    """Whether the health API answers ``/healthz`` on 127.0.0.1:``port``."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as r:
            return r.status == 200 and json.load(r).get("status") == "ok"
    except (OSError, ValueError):
        return False


def _running_pid(pid_file: Path) -> int | None:
    """The recorded pid if that process is alive and is our health API."""
    try:
        pid = int(pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except (OSError, ValueError):
        return None
    return pid if b"health_api.py" in cmdline else None


def start(state: Path, port: int, dropbox: Path | None, secrets_file: Path | None,
          timeout: float = 20.0) -> int:
    """Start (or reuse) the API; write ``systems.env``; return the port."""
    p = _paths(state)
    state.mkdir(parents=True, exist_ok=True)
    dropbox = (dropbox or p["dropbox"]).resolve()
    pid = _running_pid(p["pid"])
    current = int(p["port"].read_text()) if pid and p["port"].is_file() else 0
    if pid and current and healthy(current) and port in (0, current):
        print(f"health API already running: pid {pid}, http://127.0.0.1:{current}/")
        _write_systems_env(p["env"], current, dropbox)
        return current
    if pid:
        stop(state)
    token = read_env(secrets_file or p["secrets"]).get(TOKEN_ENV) or os.environ.get(TOKEN_ENV)
    if not token:
        raise SystemExit(f"no {TOKEN_ENV} in {secrets_file or p['secrets']} — run demo/seed.py")
    p["port"].unlink(missing_ok=True)
    env = {**os.environ, TOKEN_ENV: token}
    with p["log"].open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, str(SERVER), "--port", str(port), "--token-env", TOKEN_ENV,
             "--port-file", str(p["port"])],
            env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    p["pid"].write_text(f"{proc.pid}\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"health API exited with {proc.returncode}; see {p['log']}")
        if p["port"].is_file() and p["port"].read_text().strip():
            bound = int(p["port"].read_text())
            if healthy(bound):
                _write_systems_env(p["env"], bound, dropbox)
                print(f"health API started: pid {proc.pid}, http://127.0.0.1:{bound}/ "
                      f"(log {p['log']})")
                return bound
        time.sleep(0.1)
    stop(state)
    raise SystemExit(f"health API did not become healthy within {timeout:.0f}s; see {p['log']}")


def _write_systems_env(path: Path, port: int, dropbox: Path) -> None:
    write_env(path, {"DN_SYT_API_PORT": str(port), "SMARTCITY_DEMO_DROPBOX": str(dropbox)},
              header="Demo departmental systems (demo/run_systems.py); ports and paths only")
    print(f"wrote {path}: DN_SYT_API_PORT={port} SMARTCITY_DEMO_DROPBOX={dropbox}")


def stop(state: Path, timeout: float = 10.0) -> bool:
    """Stop the recorded API process; True if one was stopped."""
    p = _paths(state)
    pid = _running_pid(p["pid"])
    if pid is None:
        p["pid"].unlink(missing_ok=True)
        print("health API not running")
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    p["pid"].unlink(missing_ok=True)
    p["port"].unlink(missing_ok=True)
    print(f"health API stopped (pid {pid})")
    return True


def _alive(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)  # reap it if it is our child
    except ChildProcessError:
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def status(state: Path) -> int:
    """Print whether the API runs; exit code 0 if healthy."""
    p = _paths(state)
    pid = _running_pid(p["pid"])
    port = int(p["port"].read_text()) if pid and p["port"].is_file() else 0
    ok = bool(pid and port and healthy(port))
    print(f"health API: {'running' if ok else 'not running'}"
          + (f" (pid {pid}, http://127.0.0.1:{port}/)" if ok else ""))
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("start", "stop", "status"))
    parser.add_argument("--state-dir", type=Path, default=HERE.parent / ".demo")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--dropbox", type=Path, help="default: <state-dir>/dropbox")
    parser.add_argument("--secrets-file", type=Path, help="default: <state-dir>/secrets.env")
    args = parser.parse_args(argv)
    if args.command == "start":
        start(args.state_dir, args.port, args.dropbox, args.secrets_file)
        return 0
    if args.command == "stop":
        stop(args.state_dir)
        return 0
    return status(args.state_dir)


if __name__ == "__main__":
    raise SystemExit(main())
